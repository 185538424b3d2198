import { rm } from 'node:fs/promises';
import pg from 'pg';
import { ENV } from './env.js';

export default async function globalTeardown(): Promise<void> {
  const serverUrl = process.env[ENV.serverUrl];
  const template = process.env[ENV.template];
  if (serverUrl && template) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    // Test files drop their own databases; sweep any a crashed worker left behind.
    const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname like $1 or datname = $2`, [
      `hrg_t_${process.pid}_%`,
      template,
    ]);
    for (const { datname } of rows) await admin.query(`drop database if exists "${datname}" with (force)`);
    await admin.end();
  }
  const embedded = (globalThis as { __HRG_EMBEDDED__?: { stop(): Promise<void> } }).__HRG_EMBEDDED__;
  if (embedded) await embedded.stop();
  const dir = process.env[ENV.embeddedDir];
  if (dir) await rm(dir, { recursive: true, force: true });
}
