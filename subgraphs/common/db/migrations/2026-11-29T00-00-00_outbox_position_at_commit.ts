import { sql, type Kysely } from 'kysely';
import { createInsertPositionTrigger } from './2026-11-26T00-00-00_outbox_commit_position.js';

/**
 * The outbox position is drawn at commit instead of at insert. A deferred constraint trigger
 * takes the outbox's advisory lock and numbers the transaction's rows while PostgreSQL commits,
 * so the lock is held from then until the commit ends, with no round trip to the client inside
 * it. Before, a publisher held it from its outbox insert until its COMMIT arrived: every other
 * publisher of the subgraph (every admission into any facility) waited for a round trip to a
 * busy Node process. The order argument is unchanged (see events/outbox-reader.ts): positions
 * are drawn under the lock, and the lock outlives the commit's becoming visible.
 *
 * Deferred triggers fire in the order of the writes that queued them. Workforce's counters are
 * recounted by a deferred trigger that locks counter rows; workforce publishes nothing today. A
 * subgraph that does both must queue them in one order (outbox first), or two commits can wait
 * for each other's locks.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop trigger outbox_assign_position on outbox`.execute(db);
  await sql`drop function outbox_assign_position()`.execute(db);
  // Null only inside the publishing transaction: the trigger sets it before the commit.
  await sql`alter table outbox alter column position drop not null`.execute(db);
  await sql`
    create function outbox_position_at_commit() returns trigger
    language plpgsql set search_path = pg_catalog as $$
    begin
      perform pg_advisory_xact_lock(hashtextextended('hrg_outbox:' || tg_table_schema, 0));
      execute format('update %I.outbox set position = nextval(%L::regclass) where id = $1', tg_table_schema, tg_table_schema || '.outbox_position_seq')
        using new.id;
      return null;
    end $$`.execute(db);
  await sql`
    create constraint trigger outbox_position_at_commit after insert on outbox
      deferrable initially deferred for each row execute function outbox_position_at_commit()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger outbox_position_at_commit on outbox`.execute(db);
  await sql`drop function outbox_position_at_commit()`.execute(db);
  await sql`alter table outbox alter column position set not null`.execute(db);
  await createInsertPositionTrigger(db);
}
