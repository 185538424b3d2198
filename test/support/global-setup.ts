/**
 * Once per test run: a PostgreSQL server (DATABASE_URL when set, otherwise an embedded one in a
 * temporary folder) and a template database with roles, schemas and every migration applied.
 * Each test file then clones the template into its own database, so files run in parallel.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbedded, ensureDatabaseExists } from '../../subgraphs/common/db/postgres.js';
import { setupDatabase } from '../../subgraphs/common/db/setup.js';
import { MIGRATIONS } from '../../subgraphs/registry.js';
import { ENV } from './env.js';
import { freePort } from './wait.js';

export default async function globalSetup(): Promise<void> {
  process.env.NODE_ENV = 'test';
  let serverUrl: string;
  if (process.env.DATABASE_URL) {
    serverUrl = process.env.DATABASE_URL;
  } else {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hrg-test-pg-'));
    await import('node:fs/promises').then((fs) => fs.chmod(dir, 0o755));
    const port = await freePort();
    const server = await startEmbedded(path.join(dir, 'data'), port, undefined, { throwaway: true });
    (globalThis as { __HRG_EMBEDDED__?: unknown }).__HRG_EMBEDDED__ = server;
    process.env[ENV.embeddedDir] = dir;
    serverUrl = `postgres://postgres:postgres-dev@127.0.0.1:${port}/postgres`;
  }
  const template = `hrg_test_template_${process.pid}`;
  const templateUrl = new URL(serverUrl);
  templateUrl.pathname = `/${template}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${template}`);
  await admin.end();
  await ensureDatabaseExists(templateUrl.toString());
  await setupDatabase(templateUrl.toString(), { migrations: MIGRATIONS });
  process.env[ENV.serverUrl] = serverUrl;
  process.env[ENV.template] = template;
}
