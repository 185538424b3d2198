import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { setupDatabase } from '../../subgraphs/common/db/setup.js';
import { MIGRATIONS } from '../../subgraphs/registry.js';
import { SUBGRAPH_NAMES } from '../../subgraphs/common/config.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
  });
  afterAll(() => db.drop());

  it('bring an empty database to the latest version, one schema and migration table per subgraph, and re-run as a no-op', async () => {
    const lines: string[] = [];
    await setupDatabase(db.adminUrl, { migrations: MIGRATIONS, log: (l) => lines.push(l) });
    // One line per subgraph naming every migration it applied: an empty or partial run shows.
    expect(lines).toEqual(SUBGRAPH_NAMES.map((n) => `${n}: applied ${Object.keys(MIGRATIONS[n]).sort().join(', ')}`));
    expect(SUBGRAPH_NAMES.filter((n) => Object.keys(MIGRATIONS[n]).length === 0)).toEqual([]); // each has migrations to name

    const client = new pg.Client({ connectionString: db.adminUrl });
    await client.connect();
    try {
      for (const name of SUBGRAPH_NAMES) {
        const { rows } = await client.query<{ name: string }>(`select name from "${name}".kysely_migration order by name`);
        expect(rows.map((r) => r.name)).toEqual(Object.keys(MIGRATIONS[name]).sort());
        const owner = await client.query<{ owner: string }>(`select nspowner::regrole::text as owner from pg_namespace where nspname = $1`, [name]);
        expect(owner.rows[0]!.owner).toBe(`hrg_${name}`);
      }
      const tables = await client.query<{ table_schema: string; table_name: string }>(
        `select table_schema, table_name from information_schema.tables where table_name in ('facility', 'patient', 'health_worker', 'resident', 'outbox')`,
      );
      expect(tables.rows.filter((t) => t.table_name === 'outbox').map((t) => t.table_schema).sort()).toEqual([...SUBGRAPH_NAMES].sort());
      expect(tables.rows.find((t) => t.table_name === 'facility')?.table_schema).toBe('facilities');
    } finally {
      await client.end();
    }

    const again: string[] = [];
    await setupDatabase(db.adminUrl, { migrations: MIGRATIONS, log: (l) => again.push(l) });
    expect(again).toEqual(SUBGRAPH_NAMES.map((n) => `${n}: up to date`));
  });

  it('give outbox rows written before commit-ordered positions the order they were delivered in', async () => {
    const upgrade = await createTestDatabase({ empty: true });
    try {
      const before = Object.fromEntries(
        SUBGRAPH_NAMES.map((n) => [n, Object.fromEntries(Object.entries(MIGRATIONS[n]).filter(([name]) => name < '2026-11-26T00-00-00_outbox_commit_position'))]),
      ) as typeof MIGRATIONS;
      await setupDatabase(upgrade.adminUrl, { migrations: before });
      const client = new pg.Client({ connectionString: upgrade.adminUrl });
      await client.connect();
      try {
        // Inserted first by a later transaction: the old reader delivered by (txid, id).
        await client.query(`insert into facilities.outbox (txid, topic, key, payload) values ('900'::xid8, 't', 'second', '{}'), ('800'::xid8, 't', 'first', '{}')`);
        await setupDatabase(upgrade.adminUrl, { migrations: MIGRATIONS });
        await client.query(`set role hrg_facilities`);
        await client.query(`insert into facilities.outbox (topic, key, payload) values ('t', 'third', '{}')`);
        const { rows } = await client.query(`select key, position::int from facilities.outbox order by position`);
        expect(rows).toEqual([
          { key: 'first', position: 1 },
          { key: 'second', position: 2 },
          { key: 'third', position: 3 },
        ]);
      } finally {
        await client.end();
      }
    } finally {
      await upgrade.drop();
    }
  });
});
