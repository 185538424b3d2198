/**
 * Events that consumers set aside after their handler kept failing, and replaying one of them
 * once the handler is fixed (deploy the fix first: replay runs the handler of this checkout).
 *
 *   npm run dead-letters -- list            dead letters not replayed yet, every subgraph
 *   npm run dead-letters -- list --all      replayed ones too
 *   npm run dead-letters -- replay patients:12
 *   npm run dead-letters -- replay patients:12 --force   even after a later event of the same record
 *
 * Replay applies the event in one transaction with the mark that it was replayed, so running it
 * twice (or twice at once) applies the event once. Uses DATABASE_URL, or the embedded PostgreSQL
 * (the running one when `npm start` runs).
 */
import { parseArgs } from 'node:util';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { SUBGRAPH_NAMES, loadConfig, type SubgraphName } from '../subgraphs/common/config.js';
import { connectOrStartPostgres } from '../subgraphs/common/db/postgres.js';
import { subgraphDatabaseUrl } from '../subgraphs/common/db/database.js';
import { createLogger } from '../subgraphs/common/log.js';
import { listDeadLetters } from '../subgraphs/common/events/streams.js';
import { SUBGRAPHS } from '../subgraphs/registry.js';
import { runtimeOptions } from '../subgraphs/common/service.js';

const usage = `usage: npm run dead-letters -- list [--all] [--json]
       npm run dead-letters -- replay <subgraph>:<id> [--force]`;

function fail(message: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { all: { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, force: { type: 'boolean', default: false } },
});
const [command, ref] = positionals;
if (command !== 'list' && command !== 'replay') fail(command ? `unknown command "${command}"` : 'no command');

const config = loadConfig();
const postgres = await connectOrStartPostgres(config);
const log = createLogger('dead-letters', config.logLevel);
let exitCode = 0;
try {
  if (command === 'list') {
    const rows = [];
    for (const subgraph of SUBGRAPH_NAMES) {
      const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: subgraphDatabaseUrl(postgres.adminUrl, subgraph), max: 1 }) }) });
      try {
        for (const d of await listDeadLetters(db, { includeReplayed: values.all })) rows.push({ ref: `${subgraph}:${d.id}`, ...d });
      } finally {
        await db.destroy();
      }
    }
    if (values.json) console.log(JSON.stringify(rows, null, 2));
    else if (rows.length === 0) console.log(values.all ? 'no dead letters' : 'no dead letters waiting for replay');
    else {
      for (const d of rows) {
        const state = d.replayedAt ? `replayed ${d.replayedAt.toISOString()}` : 'waiting';
        console.log(`${d.ref}  ${d.consumer}  ${d.source} event ${d.eventId} (${d.topic}, key ${d.key})  ${d.attempts} attempts, failed ${d.failedAt.toISOString()}  ${state}`);
        console.log(`    ${d.error}`);
      }
    }
  } else {
    const match = /^([a-z]+):(\d+)$/.exec(ref ?? '');
    if (!match || !(SUBGRAPH_NAMES as readonly string[]).includes(match[1]!)) fail('replay needs <subgraph>:<id>, as printed by list');
    const subgraph = match[1] as SubgraphName;
    const id = Number(match[2]);
    const runtime = SUBGRAPHS[subgraph].createRuntime({ runtime: runtimeOptions(subgraph, subgraphDatabaseUrl(postgres.adminUrl, subgraph), log, config), log, config });
    try {
      const [letter] = (await listDeadLetters(runtime.db as Kysely<any>, { includeReplayed: true })).filter((d) => d.id === id);
      if (!letter) {
        console.error(`${ref}: no such dead letter`);
        exitCode = 1;
      } else if (!runtime.consumerNames().includes(letter.consumer)) {
        console.error(`${ref}: consumer ${letter.consumer} no longer exists in ${subgraph}`);
        exitCode = 1;
      } else {
        const result = await runtime.consumer(letter.consumer).replay(id, { force: values.force });
        if (result === 'superseded') {
          console.error(
            `${ref}: superseded, nothing applied: a later event of the same record (${letter.topic}, key ${letter.key}) was applied since, and this older one could undo it. Check the record; replay with --force only if the handler takes the event out of order.`,
          );
          exitCode = 1;
        } else console.log(result === 'replayed' ? `${ref}: replayed (${letter.consumer}, ${letter.source} event ${letter.eventId})` : `${ref}: ${result}, nothing applied`);
        if (result === 'not-found') exitCode = 1;
      }
    } catch (error) {
      console.error(`${ref}: the handler failed again, nothing applied: ${(error as Error).message}`);
      exitCode = 1;
    } finally {
      await runtime.close();
    }
  }
} finally {
  await postgres.stop();
}
process.exit(exitCode);
