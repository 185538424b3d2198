/**
 * The model-based write test for as long as asked: `npm run fuzz -- --steps 100000 [--seed N]
 * [--every 1000]`. Starts its own PostgreSQL the way the test suite does (DATABASE_URL when set,
 * otherwise an embedded server in a temporary folder), runs the property in chunks of runs until
 * the steps are done, prints progress, and stops at the first counterexample, shrunk.
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import globalSetup from '../test/support/global-setup.js';
import globalTeardown from '../test/support/global-teardown.js';
import { createTestDatabase } from '../test/support/database.js';
import { answerTable, checkOutboxReplay, INVARIANTS, phaseTable, startHarness, writesProperty } from '../test/model/harness.js';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} needs a whole number`);
  return value;
}

const steps = option('steps', 10_000);
const seed = option('seed', Date.now() % 2 ** 31);
const every = option('every', 1_000);
const MAX_COMMANDS = 50;
const RUNS_PER_CHUNK = 10;

/** The test database's transactions and rows read so far (pg_stat_database). */
async function databaseWork(h: Awaited<ReturnType<typeof startHarness>>): Promise<{ xacts: number; rows: number }> {
  const { rows } = await sql<{ xacts: string; rows: string }>`
    select (xact_commit + xact_rollback)::text as xacts, (tup_returned + tup_fetched)::text as rows from pg_stat_database where datname = current_database()`.execute(h.facilities.db);
  return { xacts: Number(rows[0]!.xacts), rows: Number(rows[0]!.rows) };
}

async function main(): Promise<number> {
  console.log(`fuzz: ${steps} steps, seed ${seed} (--seed ${seed} replays), progress every ${every} steps; invariants checked:\n- ${INVARIANTS.join('\n- ')}`);
  await globalSetup();
  const db = await createTestDatabase();
  const h = await startHarness(db);
  const started = Date.now();
  const cpu = process.cpuUsage();
  const work = await databaseWork(h);
  let next = every;
  h.onStep = (n) => {
    if (n < next) return;
    next += every;
    const seconds = (Date.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    void databaseWork(h).then((w) => {
      // On a shared machine the wall time says more about the neighbours than about a step: the
      // work per step (this process's CPU, the database's transactions and rows read) does not.
      const per = (x: number) => (x / n).toFixed(1);
      console.log(
        `fuzz: ${n} steps, ${h.runs} runs, ${seconds.toFixed(0)} s, ${(n / seconds).toFixed(1)} steps/s; per step: ${per((used.user + used.system) / 1000)} ms CPU here, ` +
          `${per(w.xacts - work.xacts)} transactions, ${per(w.rows - work.rows)} rows read; wall time per phase: ${phaseTable(h)}`,
      );
    });
  };
  try {
    for (let chunk = 0; h.steps < steps; chunk++) {
      // Each chunk has its own seed, derived from the given one, so a failure names the seed to replay.
      const chunkSeed = (seed + chunk) % 2 ** 31;
      const result = await fc.check(writesProperty(h, MAX_COMMANDS), { seed: chunkSeed, numRuns: RUNS_PER_CHUNK });
      if (result.failed) {
        console.error(fc.defaultReportMessage(result));
        console.error(`fuzz: cause: ${result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance)}`);
        console.error(`fuzz: FAILED after ${h.steps} steps; replay the chunk with --seed ${chunkSeed}`);
        return 1;
      }
    }
    const replay = await checkOutboxReplay(h);
    const seconds = (Date.now() - started) / 1000;
    console.log(`fuzz: passed ${h.steps} steps in ${h.runs} runs, ${seconds.toFixed(0)} s (${(h.steps / seconds).toFixed(1)} steps/s); outbox replay: ${replay.events} events rebuild ${replay.counters} bed counters`);
    console.log(`fuzz: answers: ${answerTable(h)}`);
    return 0;
  } finally {
    await h.close();
    await db.drop();
    await globalTeardown();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
