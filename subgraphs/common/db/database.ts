/**
 * One Kysely database per subgraph, connected as that subgraph's own login role with its own
 * schema first on the search path: a subgraph can touch its own tables and nothing else.
 */
import pg from 'pg';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import { subgraphRoleSettings, type SubgraphName } from '../config.js';

// int8 (counts, sums) as numbers: our counts stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
// numeric as numbers (rates, percentages).
pg.types.setTypeParser(1700, (v) => Number.parseFloat(v));
// date stays a calendar date string ('2022-01-13'), never shifted through a JS Date's time zone.
pg.types.setTypeParser(1082, (v) => v);

export const roleName = (subgraph: SubgraphName) => `hrg_${subgraph}`;

/**
 * The connection string of a subgraph's role: `<NAME>_DATABASE_URL` when operations provision
 * roles themselves, otherwise the admin URL with the role's user and password.
 */
export function subgraphDatabaseUrl(adminUrl: string, subgraph: SubgraphName, settings = subgraphRoleSettings(subgraph)): string {
  if (settings.url) return settings.url;
  const url = new URL(adminUrl);
  url.username = roleName(subgraph);
  url.password = settings.password;
  return url.toString();
}

export function subgraphRolePassword(subgraph: SubgraphName): string {
  return subgraphRoleSettings(subgraph).password;
}

export interface DatabaseStats {
  /** Statements sent since start (or since the last reset): lets tests count queries. */
  queries: number;
  /** Statements of background work on the same pool (event reads, consumers, audit). */
  background: number;
}

export interface Database<DB> {
  readonly subgraph: SubgraphName;
  readonly schema: string;
  readonly db: Kysely<DB>;
  readonly pool: pg.Pool;
  readonly url: string;
  readonly stats: DatabaseStats;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  maxConnections?: number;
  onError?: (error: Error) => void;
}

export function connectSubgraphDatabase<DB>(subgraph: SubgraphName, url: string, options: DatabaseOptions = {}): Database<DB> {
  const schema = subgraph;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    options: `-c search_path=${schema}`,
    application_name: `hrg-${subgraph}`,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client that loses its server (PostgreSQL restarted) must not crash the process:
  // the pool drops it and opens a new one on the next query.
  pool.on('error', (error) => options.onError?.(error));
  // A client that is checked out has no pool listener (pg-pool removes it), and pg emits 'error'
  // on every client when the server goes away, even when a query already got the error: without
  // a listener of our own that is an uncaught exception and the whole process dies.
  pool.on('connect', (client) => client.on('error', () => {}));
  const stats: DatabaseStats = { queries: 0, background: 0 };
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.level === 'query') stats.queries += 1;
    },
  });
  let closed = false;
  return {
    subgraph,
    schema,
    db,
    pool,
    url,
    stats,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

export type { Transaction };
