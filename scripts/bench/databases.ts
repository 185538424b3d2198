/** The benchmark's databases: named beside the server's admin URL, migrated and seeded for a run. */
import { ensureDatabaseExists } from '../../subgraphs/common/db/postgres.js';
import { setupDatabase } from '../../subgraphs/common/db/setup.js';
import { MIGRATIONS } from '../../subgraphs/registry.js';
import { seedDemo, type Scale } from '../seed/index.js';

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * The benchmark database of a scale: hrg_bench and hrg_bench_city, or HRG_BENCH_DATABASE_PREFIX
 * and its "_city" so that two people sharing a PostgreSQL server keep their seeds apart.
 */
export function benchDatabaseName(scale: Scale): string {
  const prefix = process.env.HRG_BENCH_DATABASE_PREFIX || 'hrg_bench';
  return scale === 'city' ? `${prefix}_city` : prefix;
}

export async function prepare(adminUrl: string, scale: Scale, reset: boolean, progress: (line: string) => void): Promise<void> {
  await ensureDatabaseExists(adminUrl);
  await setupDatabase(adminUrl, { migrations: MIGRATIONS });
  await seedDemo({ adminUrl, scale, reset, progress: (line) => progress(`seed ${scale}: ${line}`) });
}
