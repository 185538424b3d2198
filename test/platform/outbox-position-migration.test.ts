/**
 * The migration that moved outbox positions from insert to commit, both ways: after `down` a
 * row has its position as soon as it is inserted; after `up` again only once it commits.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Kysely } from 'kysely';
import * as positionAtCommit from '../../subgraphs/common/db/migrations/2026-11-29T00-00-00_outbox_position_at_commit.js';
import { connectSubgraphDatabase, type Database } from '../../subgraphs/common/db/database.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

describe('outbox positions: the migration to commit-time numbering', () => {
  let db: TestDatabase;
  // The subgraphs' own connection: its pool survives a connection that the server ends (here the
  // database's forced drop, which can reach a client pg-pool is still closing after end() returned;
  // a bare pool without an error listener turned that into an unhandled error in one CI run).
  let database: Database<any>;
  let kysely: Kysely<any>;

  beforeAll(async () => {
    db = await createTestDatabase();
    database = connectSubgraphDatabase('vaccination', db.roleUrl('vaccination'), { maxConnections: 1, preparedStatements: false });
    kysely = database.db;
  });
  afterAll(async () => {
    await database.close();
    await db.drop();
  });

  /** Inserts a row in an open transaction; its position before and after the commit. */
  const positions = async (key: string) => {
    const client = await database.pool.connect();
    try {
      await client.query('begin');
      const { rows } = await client.query<{ id: string; position: string | null }>(`insert into outbox (topic, key, payload) values ('t', $1, '{}') returning id, position`, [key]);
      await client.query('commit');
      const after = await client.query<{ position: string | null }>(`select position from outbox where id = $1`, [rows[0]!.id]);
      return { inTransaction: rows[0]!.position, committed: after.rows[0]!.position };
    } finally {
      client.release();
    }
  };

  it('numbers at commit, at insert after down, and at commit again after up', async () => {
    const first = await positions('a');
    expect(first.inTransaction).toBeNull();
    expect(Number(first.committed)).toBeGreaterThan(0);

    await positionAtCommit.down(kysely);
    const second = await positions('b');
    expect(second.inTransaction).not.toBeNull();
    expect(second.committed).toBe(second.inTransaction);
    expect(Number(second.committed)).toBeGreaterThan(Number(first.committed));

    await positionAtCommit.up(kysely);
    const third = await positions('c');
    expect(third.inTransaction).toBeNull();
    expect(Number(third.committed)).toBeGreaterThan(Number(second.committed));
  });
});
