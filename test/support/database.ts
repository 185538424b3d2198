/** A fresh database per test file, cloned from the migrated template. */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { withPgClient } from '../../subgraphs/common/db/postgres.js';
import { provisionRolesAndSchemas } from '../../subgraphs/common/db/setup.js';
import { subgraphDatabaseUrl } from '../../subgraphs/common/db/database.js';
import type { SubgraphName } from '../../subgraphs/common/config.js';
import { ENV } from './env.js';

export interface TestDatabase {
  name: string;
  /** Superuser connection to this database. */
  adminUrl: string;
  roleUrl(subgraph: SubgraphName): string;
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env[ENV.serverUrl];
  if (!url) throw new Error('Test PostgreSQL is not set up: run the tests through jest (global setup)');
  return url;
}

const withServer = <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => withPgClient(serverUrl(), work);

export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const template = process.env[ENV.template]!;
  const name = `hrg_t_${template.split('_').pop()}_${randomBytes(4).toString('hex')}`;
  await withServer(async (client) => {
    // CREATE DATABASE … TEMPLATE fails while another session uses the template; retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(options.empty ? `create database ${name}` : `create database ${name} template ${template}`);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== '55006' || attempt > 150) throw error;
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 150));
      }
    }
  });
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  const adminUrl = url.toString();
  // Database-level grants are not copied from a template.
  if (!options.empty) await provisionRolesAndSchemas(adminUrl);
  return {
    name,
    adminUrl,
    roleUrl: (subgraph) => subgraphDatabaseUrl(adminUrl, subgraph),
    drop: () => withServer(async (client) => void (await client.query(`drop database if exists ${name} with (force)`))),
  };
}
