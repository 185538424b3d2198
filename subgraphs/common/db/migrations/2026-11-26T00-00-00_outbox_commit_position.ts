import { sql, type Kysely } from 'kysely';

/**
 * Outbox rows get a `position` in commit order, so readers no longer wait for the server-wide
 * transaction horizon (see events/outbox-reader.ts for why a reader can never skip a row).
 * Consumers keep a position, a count of failed attempts at the event they are stuck on, and
 * the events they gave up on (`dead_letter`) for an operator to replay after a fix.
 */
/**
 * The trigger that numbers each outbox row as it is inserted. A trigger rather than a step of the
 * publishing code: no insert into an outbox, whoever writes it, can take a position without the
 * lock that makes positions follow commit order. (Replaced by a trigger at commit in
 * 2026-11-29T00-00-00_outbox_position_at_commit, whose `down` brings this one back.)
 */
export async function createInsertPositionTrigger(db: Kysely<any>): Promise<void> {
  await sql`
    create function outbox_assign_position() returns trigger
    language plpgsql set search_path = pg_catalog as $$
    begin
      perform pg_advisory_xact_lock(hashtextextended('hrg_outbox:' || tg_table_schema, 0));
      new.position := nextval(format('%I.outbox_position_seq', tg_table_schema)::regclass);
      return new;
    end $$`.execute(db);
  await sql`create trigger outbox_assign_position before insert on outbox for each row execute function outbox_assign_position()`.execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create sequence outbox_position_seq as bigint`.execute(db);
  await db.schema.alterTable('outbox').addColumn('position', 'bigint').execute();
  // Rows written before this migration keep the order the old reader delivered them in.
  await sql`
    update outbox o set position = r.position
      from (select id, row_number() over (order by txid, id) as position from outbox) r
     where o.id = r.id`.execute(db);
  await sql`select setval('outbox_position_seq', coalesce((select max(position) from outbox), 0) + 1, false)`.execute(db);
  await sql`alter table outbox alter column position set not null`.execute(db);
  await db.schema.createIndex('outbox_position_key').on('outbox').column('position').unique().execute();

  await createInsertPositionTrigger(db);

  await db.schema
    .alterTable('event_consumer')
    .addColumn('last_position', 'bigint')
    .addColumn('failing_position', 'bigint')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('retry_at', 'timestamptz')
    .execute();
  await sql`alter table event_consumer alter column last_txid drop not null, alter column last_id drop not null`.execute(db);

  await db.schema
    .createTable('dead_letter')
    .addColumn('id', 'bigint', (c) => c.generatedAlwaysAsIdentity().primaryKey())
    .addColumn('consumer', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('event_id', 'bigint', (c) => c.notNull())
    .addColumn('position', 'bigint', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('event_at', 'timestamptz', (c) => c.notNull())
    .addColumn('error', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('failed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('replayed_at', 'timestamptz')
    .addUniqueConstraint('dead_letter_event_key', ['consumer', 'source', 'event_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('dead_letter').execute();
  await sql`alter table event_consumer drop column last_position, drop column failing_position, drop column attempts, drop column last_error, drop column retry_at`.execute(db);
  await sql`drop trigger outbox_assign_position on outbox`.execute(db);
  await sql`drop function outbox_assign_position()`.execute(db);
  await db.schema.alterTable('outbox').dropColumn('position').execute();
  await sql`drop sequence outbox_position_seq`.execute(db);
}
