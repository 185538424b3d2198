/**
 * Creates roles and schemas and brings every subgraph's schema to its latest migration.
 * Uses DATABASE_URL, or the embedded PostgreSQL (started for the duration).
 */
import { loadConfig } from '../subgraphs/common/config.js';
import { startPostgres } from '../subgraphs/common/db/postgres.js';
import { setupDatabase } from '../subgraphs/common/db/setup.js';
import { MIGRATIONS } from '../subgraphs/registry.js';

const config = loadConfig();
const pg = await startPostgres(config, (line) => console.log(`[postgres] ${line}`));
try {
  await setupDatabase(pg.adminUrl, { migrations: MIGRATIONS, log: (line) => console.log(line) });
  console.log('migrations complete');
} finally {
  await pg.stop();
}
