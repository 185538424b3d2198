import { sql, type Kysely } from 'kysely';

/**
 * The outbox's commit trigger also sends the NOTIFY that wakes the subgraph's event readers
 * (channel `hrg_outbox_<schema>`, see events/types.ts). Before, every publishing transaction sent
 * `select pg_notify(…)` itself: one more round trip per admission, registration and consumer step
 * that publishes, and a socket write in Node that costs more here than the statement. PostgreSQL
 * sends a transaction's notifications when it commits (deferred triggers fire before that) and
 * drops them on rollback, and it sends identical ones of a transaction once, so the trigger's
 * once per row costs nothing more. It notifies before taking the outbox's position lock, which
 * serialises the subgraph's commits. `down` restores the trigger for the code before this change,
 * which sent the NOTIFY itself.
 */
const body = (notify: boolean) => sql.raw(`
    create or replace function outbox_position_at_commit() returns trigger
    language plpgsql set search_path = pg_catalog as $$
    begin${notify ? `
      perform pg_notify('hrg_outbox_' || tg_table_schema, '');` : ''}
      perform pg_advisory_xact_lock(hashtextextended('hrg_outbox:' || tg_table_schema, 0));
      execute format('update %I.outbox set position = nextval(%L::regclass) where id = $1', tg_table_schema, tg_table_schema || '.outbox_position_seq')
        using new.id;
      return null;
    end $$`);

export async function up(db: Kysely<any>): Promise<void> {
  await body(true).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await body(false).execute(db);
}
