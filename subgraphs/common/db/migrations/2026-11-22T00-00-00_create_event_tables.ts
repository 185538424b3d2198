import { sql, type Kysely } from 'kysely';

/**
 * The event tables every subgraph schema holds. `txid` records the writing transaction: the
 * first readers ordered rows by it. Rows are now read by a commit-ordered `position` (added by a
 * later migration, which orders the rows written before it by `txid`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('outbox')
    .addColumn('id', 'bigint', (c) => c.generatedAlwaysAsIdentity().primaryKey())
    .addColumn('txid', sql`xid8`, (c) => c.notNull().defaultTo(sql`pg_current_xact_id()`))
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('outbox_position_idx').on('outbox').columns(['txid', 'id']).execute();

  await db.schema
    .createTable('event_consumer')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('last_txid', sql`xid8`, (c) => c.notNull())
    .addColumn('last_id', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('event_consumer').execute();
  await db.schema.dropTable('outbox').execute();
}
