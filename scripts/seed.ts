/**
 * Seeds the deterministic demo city.
 *
 *   npm run seed                      small (a tenth of the city), the default
 *   npm run seed -- --scale city      the whole city at the 13 Jan 2022 snapshot
 *   npm run seed -- --reset           clear the demo data first
 *
 * Uses DATABASE_URL, or the embedded PostgreSQL (started for the duration).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../subgraphs/common/config.js';
import { startPostgres } from '../subgraphs/common/db/postgres.js';
import { setupDatabase } from '../subgraphs/common/db/setup.js';
import { MIGRATIONS } from '../subgraphs/registry.js';
import { seedDemo, type Scale } from './seed/index.js';

const { values } = parseArgs({ options: { scale: { type: 'string', default: 'small' }, reset: { type: 'boolean', default: false } } });
if (values.scale !== 'small' && values.scale !== 'city') {
  console.error(`--scale must be small or city, got "${values.scale}"`);
  process.exit(2);
}
const config = loadConfig();
const pg = await startPostgres(config, (line) => console.log(`[postgres] ${line}`));
try {
  await setupDatabase(pg.adminUrl, { migrations: MIGRATIONS, log: (line) => console.log(`[migrate] ${line}`) });
  const summary = await seedDemo({ adminUrl: pg.adminUrl, scale: values.scale as Scale, reset: values.reset, progress: (m) => console.log(m) });
  if (!summary.skipped) {
    console.log(
      `seeded ${summary.scale}: ${summary.districts} districts, ${summary.wards} wards, ${summary.facilities} facilities, ` +
        `${summary.patients} cases (${summary.activePatients} under treatment) in ${summary.seconds.toFixed(1)} s`,
    );
  }
} finally {
  await pg.stop();
}
