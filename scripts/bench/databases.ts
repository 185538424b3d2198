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
 * The benchmark database of a scale: hrg_bench and hrg_bench_city, or (`--database NAME`) NAME
 * and NAME_city, so that two people sharing a PostgreSQL server keep their seeds apart.
 */
export function benchDatabaseName(scale: Scale, base = 'hrg_bench'): string {
  return scale === 'city' ? `${base}_city` : base;
}

export async function prepare(adminUrl: string, scale: Scale, reset: boolean, progress: (line: string) => void): Promise<void> {
  await ensureDatabaseExists(adminUrl);
  await setupDatabase(adminUrl, { migrations: MIGRATIONS });
  await seedDemo({ adminUrl, scale, reset, progress: (line) => progress(`seed ${scale}: ${line}`) });
}
