/**
 * The model-based write test for as long as asked: `npm run fuzz -- --steps 100000 [--seed N]
 * [--every 1000] [--workers N]`. Starts its own PostgreSQL the way the test suite does
 * (DATABASE_URL when set, otherwise an embedded server in a temporary folder), runs the property
 * in chunks of runs until the steps are done, prints progress, and stops at the first
 * counterexample, shrunk. With `--workers N`, N processes each run their own stack on their own
 * database with seeds derived from the given one, and their steps add up to `--steps`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fc from 'fast-check';
import { sql } from 'kysely';
import globalSetup from '../test/support/global-setup.js';
import globalTeardown from '../test/support/global-teardown.js';
import { createTestDatabase } from '../test/support/database.js';
import { answerTable, checkOutboxReplay, INVARIANTS, phaseTable, startHarness, writesProperty, type Harness } from '../test/model/harness.js';

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
const workers = Math.max(1, option('workers', 1));
/** Set in the processes the coordinator forks: which worker this is. */
const worker = option('worker', -1);
const MAX_COMMANDS = 50;
const RUNS_PER_CHUNK = 10;

/** Seeds of different workers stay a million chunks apart, so that they never run the same chunk. */
const chunkSeed = (w: number, chunk: number) => (seed + w * 1_000_000 + chunk) % 2 ** 31;

/** What a worker tells the coordinator. */
type Report =
  | { kind: 'progress'; steps: number; runs: number; cpuMs: number; xacts: number; rows: number; phases: [string, number][] }
  | { kind: 'done'; steps: number; runs: number; events: number; counters: number; answers: [string, number][] }
  | { kind: 'failed'; steps: number; seed: number };

/** The test database's transactions and rows read so far (pg_stat_database). */
async function databaseWork(h: Harness): Promise<{ xacts: number; rows: number }> {
  const { rows } = await sql<{ xacts: string; rows: string }>`
    select (xact_commit + xact_rollback)::text as xacts, (tup_returned + tup_fetched)::text as rows from pg_stat_database where datname = current_database()`.execute(h.facilities.db);
  return { xacts: Number(rows[0]!.xacts), rows: Number(rows[0]!.rows) };
}

/** Runs `target` steps on a stack of its own; reports through `report`. */
async function runWorker(w: number, target: number, reportEvery: number, report: (r: Report) => void): Promise<number> {
  const db = await createTestDatabase();
  const h = await startHarness(db);
  const cpu = process.cpuUsage();
  const work = await databaseWork(h);
  let next = reportEvery;
  h.onStep = (n) => {
    if (n < next) return;
    next += reportEvery;
    const used = process.cpuUsage(cpu);
    void databaseWork(h).then((now) =>
      report({ kind: 'progress', steps: n, runs: h.runs, cpuMs: (used.user + used.system) / 1000, xacts: now.xacts - work.xacts, rows: now.rows - work.rows, phases: [...h.phases] }),
    );
  };
  try {
    for (let chunk = 0; h.steps < target; chunk++) {
      // Each chunk has its own seed, derived from the given one, so a failure names the seed to replay.
      const s = chunkSeed(w, chunk);
      const result = await fc.check(writesProperty(h, MAX_COMMANDS), { seed: s, numRuns: RUNS_PER_CHUNK });
      if (result.failed) {
        console.error(fc.defaultReportMessage(result));
        console.error(`fuzz: cause: ${result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance)}`);
        report({ kind: 'failed', steps: h.steps, seed: s });
        return 1;
      }
    }
    const replay = await checkOutboxReplay(h);
    report({ kind: 'done', steps: h.steps, runs: h.runs, events: replay.events, counters: replay.counters, answers: [...h.answers] });
    return 0;
  } finally {
    await h.close();
    await db.drop();
  }
}

/** Sums the workers' reports and prints progress every `every` steps, and the result. */
function coordinator() {
  const started = Date.now();
  const latest = new Map<number, Extract<Report, { kind: 'progress' }>>();
  const done = new Map<number, Extract<Report, { kind: 'done' }>>();
  let next = every;
  let last = { at: started, steps: 0 };
  const sum = (pick: (r: Extract<Report, { kind: 'progress' }>) => number) => [...latest.values()].reduce((a, r) => a + pick(r), 0);
  return {
    receive(w: number, r: Report): void {
      const seconds = (Date.now() - started) / 1000;
      if (r.kind === 'failed') {
        console.error(`fuzz: FAILED in worker ${w} after ${r.steps} of its steps; replay the chunk with --seed ${r.seed} (one worker)`);
        return;
      }
      if (r.kind === 'done') {
        done.set(w, r);
        return;
      }
      latest.set(w, r);
      const n = sum((x) => x.steps);
      if (n < next) return;
      while (next <= n) next += every;
      const phases = new Map<string, number>();
      for (const x of latest.values()) for (const [k, ms] of x.phases) phases.set(k, (phases.get(k) ?? 0) + ms);
      const per = (x: number) => (x / n).toFixed(1);
      // The rate since the previous line: the overall rate includes starting the stacks.
      const recent = (n - last.steps) / ((Date.now() - last.at) / 1000);
      last = { at: Date.now(), steps: n };
      // On a shared machine the wall time says more about the neighbours than about a step: the
      // work per step (CPU of the stack's process, the database's transactions and rows read) does not.
      console.log(
        `fuzz: ${n} steps, ${sum((x) => x.runs)} runs, ${seconds.toFixed(0)} s, ${(n / seconds).toFixed(1)} steps/s (lately ${recent.toFixed(1)}); per step: ${per(sum((x) => x.cpuMs))} ms CPU in the stack, ` +
          `${per(sum((x) => x.xacts))} transactions, ${per(sum((x) => x.rows))} rows read; wall time per phase${workers > 1 ? ' (all workers)' : ''}: ${phaseTable({ phases })}`,
      );
    },
    finish(): boolean {
      if (done.size < workers) return false;
      const seconds = (Date.now() - started) / 1000;
      const all = [...done.values()];
      const n = all.reduce((a, r) => a + r.steps, 0);
      const answers = new Map<string, number>();
      for (const r of all) for (const [k, c] of r.answers) answers.set(k, (answers.get(k) ?? 0) + c);
      console.log(
        `fuzz: passed ${n} steps in ${all.reduce((a, r) => a + r.runs, 0)} runs (${workers} worker${workers > 1 ? 's' : ''}), ${seconds.toFixed(0)} s (${(n / seconds).toFixed(1)} steps/s); ` +
          `outbox replay: ${all.reduce((a, r) => a + r.events, 0)} events rebuild ${all.reduce((a, r) => a + r.counters, 0)} bed counters`,
      );
      console.log(`fuzz: answers: ${answerTable({ answers })}`);
      return true;
    },
  };
}

async function main(): Promise<number> {
  if (worker >= 0) return runWorker(worker, steps, option('report-every', 100), (r) => process.send!(r));
  console.log(
    `fuzz: ${steps} steps, seed ${seed} (--seed ${seed} replays), ${workers} worker${workers > 1 ? 's' : ''}, progress every ${every} steps; invariants checked:\n- ${INVARIANTS.join('\n- ')}`,
  );
  await globalSetup();
  const c = coordinator();
  try {
    if (workers === 1) {
      const code = await runWorker(0, steps, every, (r) => c.receive(0, r));
      return code === 0 && c.finish() ? 0 : 1;
    }
    // Each worker inherits the server and the template from the environment global setup filled in.
    const share = (w: number) => Math.floor(steps / workers) + (w < steps % workers ? 1 : 0);
    const children: ChildProcess[] = [];
    const codes = await Promise.all(
      Array.from({ length: workers }, (_, w) => {
        const child = fork(process.argv[1]!, ['--worker', String(w), '--steps', String(share(w)), '--seed', String(seed), '--report-every', String(Math.max(1, Math.floor(every / workers)))], {
          execArgv: process.execArgv,
        });
        children.push(child);
        child.on('message', (r: Report) => {
          c.receive(w, r);
          // One counterexample is the answer: the other workers stop.
          if (r.kind === 'failed') for (const other of children) if (other !== child) other.kill();
        });
        return new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
      }),
    );
    return codes.every((code) => code === 0) && c.finish() ? 0 : 1;
  } finally {
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
