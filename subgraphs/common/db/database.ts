/**
 * One Kysely database per subgraph, connected as that subgraph's own login role with its own
 * schema first on the search path: a subgraph can touch its own tables and nothing else.
 */
import pg from 'pg';
import { CompiledQuery, Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
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
  /** Send parameterised statements as named prepared statements (default true). */
  preparedStatements?: boolean;
}

/** Statement names by text, shared by every connection of the process, at most this many. */
const statementNames = new Map<string, string>();
const MAX_NAMED_STATEMENTS = 2_000;
let lastStatement = 0;

function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `hrg_${++lastStatement}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * A comment that keeps a statement unnamed, so that PostgreSQL plans it for each execution's
 * values. After five executions of a named statement PostgreSQL may settle on one generic plan
 * for all values, made for the values it has seen. Planning costs too (0.3 to 0.8 ms for an area
 * statement), so the generic plan wins for the usual one area and loses for a list that covers
 * most of the city: on the city-scale database, 200 runs each way, the 30 districts' case figures
 * took 1.6 to 3.4 ms with the generic plan and 1.2 to 1.3 ms planned each time, and their beds
 * 1.6 to 1.9 against 1.5 to 1.8 ms; one ward, one district, five districts or the city were
 * 0.2 to 0.4 ms faster with the generic plan. Put it in the statement's text when it pays
 * (`plannedEachTimeIf`).
 */
export const PLANNED_EACH_TIME = '/* planned each time */';

/** The marker for a statement about `areas` codes, when they are many (see PLANNED_EACH_TIME). */
export const plannedEachTimeIf = (areas: number) => sql.raw(plannedEachTimeText(areas));

/** plannedEachTimeIf as text, for a statement written as SQL text. */
export const plannedEachTimeText = (areas: number) => (areas >= MANY_AREAS ? PLANNED_EACH_TIME : '');

/** How many areas make a statement worth planning each time: measured at 1, 5 and 30 districts. */
const MANY_AREAS = 20;

/**
 * A statement's SQL text made once per shape and kept: `build` runs the first time its arguments
 * (an area kind, a year, how many codes, a schema) are asked for. Built with Kysely on every call,
 * such statements were compiled again each time, a cost of their own in the CPU profiles. At most
 * `limit` texts are kept; past that the cache starts over.
 */
export function textsByShape<Shape extends (string | number)[]>(build: (...shape: Shape) => string, limit = 64): (...shape: Shape) => string {
  const texts = new Map<string, string>();
  return (...shape) => {
    const key = shape.join('\u0000');
    let text = texts.get(key);
    if (text === undefined) {
      if (texts.size >= limit) texts.clear();
      text = build(...shape);
      texts.set(key, text);
    }
    return text;
  };
}

/** PostgreSQL's answer to a prepared `select *` whose table gained or lost a column. */
const isStalePlan = (error: unknown): boolean =>
  (error as { code?: string }).code === '0A000' && /cached plan must not change result type/.test((error as Error).message);

/**
 * Makes the connection prepare each parameterised statement once, by name, and then only bind
 * and execute it: PostgreSQL parses and analyses an unnamed statement on every execution, and a
 * subgraph sends the same few dozen texts over and over (Kysely compiles a query to the same text
 * for the same shape). Measured on one connection, a lock-and-read statement inside BEGIN/ROLLBACK
 * cost the backend about 40 % less CPU named than unnamed. pg keeps per connection which names it
 * has prepared; PostgreSQL re-plans a prepared statement after DDL on what it reads. Texts past
 * the cap (CapacityBoard filters vary the text) go unnamed, as before.
 *
 * One case PostgreSQL refuses: a prepared `select *` whose table gained or lost a column (a
 * migration applied while the process runs). The text then gets a new name, so every connection
 * prepares it afresh, and the statement is sent again if it ran outside a transaction; inside
 * one, that transaction fails once, as it would on any error.
 */
function prepareStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (config: unknown, values?: unknown, callback?: unknown) => {
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0 && callback === undefined && !config.includes(PLANNED_EACH_TIME)) {
      const name = statementName(config);
      if (name) {
        return query({ name, text: config, values }).catch((error: unknown) => {
          if (!isStalePlan(error)) throw error;
          if (statementNames.get(config) === name) statementNames.set(config, `hrg_${++lastStatement}`);
          if (client.getTransactionStatus() !== 'I') throw error;
          return query({ name: statementNames.get(config)!, text: config, values });
        });
      }
    }
    return query(config, values, callback);
  };
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
  if (options.preparedStatements ?? true) pool.on('connect', prepareStatements);
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

const OPENS_ANOTHER = new Set<PropertyKey>(['transaction', 'connection', 'startTransaction']);

/**
 * A connection on which the caller sent BEGIN, as the Transaction its callee expects: it runs
 * queries as one and, like Kysely's own, refuses to open another transaction or take another
 * connection. On a plain connection a second BEGIN only warns, and its COMMIT would end the
 * caller's transaction halfway (a consumer's handler writes committed without the position).
 */
export function transactionOn<DB>(connection: Kysely<DB>): Transaction<DB> {
  return new Proxy(connection, {
    get(target, property) {
      if (property === 'isTransaction') return true;
      if (OPENS_ANOTHER.has(property)) {
        return () => {
          throw new Error(`calling the ${String(property)} method inside this transaction is not supported`);
        };
      }
      // Kysely's methods read private fields: they run on the connection itself.
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as unknown as Transaction<DB>;
}

/**
 * A transaction whose BEGIN and COMMIT travel with other statements, for a path where every round
 * trip counts: `opening` (BEGIN and whatever goes with it) is sent as one simple-protocol message;
 * `work` gets the transaction and returns its value with the closing message, which ends it
 * (COMMIT, or ROLLBACK when there was nothing to keep). The simple protocol has no parameters:
 * both messages are text made by the caller, values inlined as escaped literals. An error
 * anywhere, in the opening too (a lock wait cancelled after BEGIN), rolls back, so the
 * connection never goes back to the pool inside a transaction.
 */
export async function transactionWithEnds<DB, T>(
  db: Kysely<DB>,
  opening: string,
  work: (trx: Transaction<DB>) => Promise<{ value: T; closing: string }>,
  /** Told when the pool has handed over the connection, before `opening` is sent. */
  onConnection?: () => void,
): Promise<T> {
  return db.connection().execute(async (connection) => {
    onConnection?.();
    try {
      await connection.executeQuery(CompiledQuery.raw(opening));
      const { value, closing } = await work(transactionOn(connection));
      await connection.executeQuery(CompiledQuery.raw(closing));
      return value;
    } catch (error) {
      // After a failed COMMIT, or a failed BEGIN, there is no transaction; ROLLBACK only warns.
      await connection.executeQuery(CompiledQuery.raw('rollback')).catch(() => undefined);
      throw error;
    }
  });
}
