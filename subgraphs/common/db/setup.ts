/**
 * Brings a database to the current version: one login role and one schema per subgraph (the
 * role owns its schema and nothing else), each subgraph's migrations run as its own role with
 * its own migration table, and every role may read the other schemas' event outboxes (the
 * published event streams) and nothing more.
 */
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, type Migration, type MigrationResultSet } from 'kysely';
import { SUBGRAPH_NAMES, type SubgraphName } from '../config.js';
import { roleName, subgraphDatabaseUrl, subgraphRolePassword } from './database.js';
import { quoteIdent, quoteLiteral, withPgClient } from './postgres.js';

export type MigrationSet = Record<string, Migration>;

export interface SetupOptions {
  migrations: Record<SubgraphName, MigrationSet>;
  log?: (line: string) => void;
}

export async function setupDatabase(adminUrl: string, { migrations, log = () => {} }: SetupOptions): Promise<void> {
  await provisionRolesAndSchemas(adminUrl);
  for (const subgraph of SUBGRAPH_NAMES) {
    const results = await migrateSubgraph(subgraph, subgraphDatabaseUrl(adminUrl, subgraph), migrations[subgraph]);
    const applied = results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
    log(`${subgraph}: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}`);
  }
  await grantEventStreamReads(adminUrl);
}

/**
 * A statement on cluster-wide catalog rows (roles and their settings). Two processes provisioning
 * databases of one server at once (parallel test files, replicas starting together) may update the
 * same row, which PostgreSQL refuses with "tuple concurrently updated": run it again.
 */
async function onClusterCatalog(client: pg.Client, statement: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.query(statement);
      return;
    } catch (error) {
      if (!/tuple concurrently updated/.test((error as Error).message) || attempt >= 20) throw error;
      await new Promise((r) => setTimeout(r, 10 + Math.random() * 40 * attempt));
    }
  }
}

export async function provisionRolesAndSchemas(adminUrl: string): Promise<void> {
  await withPgClient(adminUrl, async (client) => {
    const { rows } = await client.query<{ db: string }>('select current_database() as db');
    const database = quoteIdent(rows[0]!.db);
    // Roles are shared by the whole cluster; two processes may race to create them.
    for (const subgraph of SUBGRAPH_NAMES) {
      const role = roleName(subgraph);
      await onClusterCatalog(client, `
        do $$ begin
          create role ${quoteIdent(role)} login password ${quoteLiteral(subgraphRolePassword(subgraph))};
        exception when duplicate_object or unique_violation then null;
        end $$`);
    }
    await client.query(`revoke all on database ${database} from public`);
    await client.query('revoke all on schema public from public');
    for (const subgraph of SUBGRAPH_NAMES) {
      const role = quoteIdent(roleName(subgraph));
      await client.query(`grant connect, temporary on database ${database} to ${role}`);
      await client.query(`create schema if not exists ${quoteIdent(subgraph)} authorization ${role}`);
      await onClusterCatalog(client, `alter role ${role} set search_path = ${quoteIdent(subgraph)}`);
    }
  });
}

export async function migrateSubgraph(subgraph: SubgraphName, url: string, migrations: MigrationSet): Promise<MigrationResultSet['results'] & object> {
  const db = new Kysely<unknown>({
    dialect: new PostgresDialect({
      pool: new pg.Pool({ connectionString: url, max: 1, options: `-c search_path=${subgraph}` }),
    }),
  });
  try {
    const migrator = new Migrator({
      db,
      provider: { getMigrations: async () => migrations },
      migrationTableSchema: subgraph,
    });
    const { error, results } = await migrator.migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown migration';
      throw new Error(`${subgraph}: migration ${failed} failed: ${(error as Error).message}`, { cause: error });
    }
    return results ?? [];
  } finally {
    await db.destroy();
  }
}

/** Every subgraph may read every other subgraph's outbox: the events are its public interface. */
export async function grantEventStreamReads(adminUrl: string): Promise<void> {
  await withPgClient(adminUrl, async (client) => {
    for (const publisher of SUBGRAPH_NAMES) {
      const readers = SUBGRAPH_NAMES.filter((s) => s !== publisher).map((s) => quoteIdent(roleName(s))).join(', ');
      await client.query(`grant usage on schema ${quoteIdent(publisher)} to ${readers}`);
      await client.query(`grant select on ${quoteIdent(publisher)}.outbox to ${readers}`);
    }
  });
}
