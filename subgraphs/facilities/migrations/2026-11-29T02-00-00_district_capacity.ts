import { sql, type Kysely } from 'kysely';

/**
 * Treatment capacity per district and bed kind kept as a rollup, written in the same transaction
 * as every change of a bed row or of a facility's status, kind or district: the districts' and
 * the city's `capacity` read 30 × 3 rows instead of joining every bed of every active facility
 * (1.5 to 1.9 ms of PostgreSQL time per city overview at city scale).
 *
 * A district's row is shared by all its facilities, and every admission and discharge changes
 * it. So, as the workforce counters do, the row triggers only note the change (summed per
 * transaction, district and kind in `capacity_change`, which no other transaction touches), and a
 * deferred constraint trigger adds a transaction's notes to the rollup when it commits, district
 * by district in code order: a district's row is locked only while its transaction commits, so
 * it does not hold up an admission in another facility for the whole admission, and two commits
 * take district rows in the same order. (At commit the notes are applied before the outbox's
 * position lock, so a write must change beds before it publishes, as every facilities write does.)
 *
 * A bed row whose facility changes in the same statement (an UPDATE ... FROM over both tables) is
 * noted under the facility as the bed trigger finds it; no write does that.
 *
 * `beds` counts the bed rows behind a row, so that a kind whose last bed row went away is left
 * out, as the sum over the bed rows left it out. Quarantine places (QUARANTINE_AREA) are not
 * treatment capacity and are not rolled up; nor are wards (a ward has a handful of facilities).
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Writers that still run without the triggers would miss the rollup: none until this commits.
  await sql`lock table facility, bed in share row exclusive mode`.execute(db);
  await db.schema
    .createTable('district_capacity')
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('beds', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('covid_designated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('occupied', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('district_capacity_pk', ['district_code', 'kind'])
    .execute();
  // No check constraint on either table: PostgreSQL would judge the row an upsert proposes (a
  // delta, possibly negative) before the conflict made it an update.
  await db.schema
    .createTable('capacity_change')
    .addColumn('txid', 'bigint', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('beds', 'integer', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('covid_designated', 'integer', (c) => c.notNull())
    .addColumn('occupied', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('capacity_change_pk', ['txid', 'district_code', 'kind'])
    .execute();

  // What counts as treatment capacity: NON_TREATMENT_KINDS in domain/capacity.ts (a test checks
  // that the list still holds only quarantine areas).
  await sql`
    create function capacity_counts(status text, kind text) returns boolean language sql immutable as $$
      select status = 'ACTIVE' and kind <> 'QUARANTINE_AREA'
    $$`.execute(db);
  // A change of one district's bed kind (signed: bed rows, total, designated, occupied), noted for
  // this transaction.
  await sql`
    create function capacity_note(district text, bed_kind text, d_beds integer, d_total integer, d_covid integer, d_occupied integer)
      returns void language plpgsql set search_path from current as $$
    begin
      insert into capacity_change as c (txid, district_code, kind, beds, total, covid_designated, occupied)
      values (txid_current(), district, bed_kind, d_beds, d_total, d_covid, d_occupied)
      on conflict (txid, district_code, kind) do update set
        beds = c.beds + excluded.beds, total = c.total + excluded.total,
        covid_designated = c.covid_designated + excluded.covid_designated, occupied = c.occupied + excluded.occupied;
    end $$`.execute(db);
  await sql`
    create function capacity_bed_changed() returns trigger language plpgsql set search_path from current as $$
    declare
      f record;
    begin
      -- The usual change, an admission or a discharge (or new capacity) of one bed row: one
      -- lookup of its facility and one note of the difference.
      if tg_op = 'UPDATE' and old.facility_id = new.facility_id and old.kind = new.kind then
        select district_code into f from facility where id = new.facility_id and capacity_counts(status, kind);
        if found then
          perform capacity_note(f.district_code, new.kind, 0, new.total - old.total,
                                new.covid_designated - old.covid_designated, new.occupied - old.occupied);
        end if;
        return null;
      end if;
      if tg_op <> 'INSERT' then
        select district_code into f from facility where id = old.facility_id and capacity_counts(status, kind);
        if found then perform capacity_note(f.district_code, old.kind, -1, -old.total, -old.covid_designated, -old.occupied); end if;
      end if;
      if tg_op <> 'DELETE' then
        -- A bed row new to its facility is invisible to a concurrent change of the facility, whose
        -- trigger would not see it: the share lock waits for that change (or holds it off)
        -- instead, whether the facility counts or not (a closed one may be opening).
        select district_code, capacity_counts(status, kind) as counts into f from facility where id = new.facility_id
           for share;
        if f.counts then perform capacity_note(f.district_code, new.kind, 1, new.total, new.covid_designated, new.occupied); end if;
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger capacity_bed_insert_delete after insert or delete on bed for each row execute function capacity_bed_changed()`.execute(db);
  await sql`
    create trigger capacity_bed_update after update on bed for each row
      when ((old.facility_id, old.kind, old.total, old.covid_designated, old.occupied) is distinct from
            (new.facility_id, new.kind, new.total, new.covid_designated, new.occupied))
      execute function capacity_bed_changed()`.execute(db);
  // A facility that opens, closes, changes kind or moves takes its beds with it. Its bed rows are
  // locked first: a bed change in flight (which saw the facility as it was) commits before they
  // are read, and a later one sees the facility as it is now.
  await sql`
    create function capacity_facility_changed() returns trigger language plpgsql set search_path from current as $$
    declare
      b record;
    begin
      for b in select kind, total, covid_designated, occupied from bed where facility_id = new.id order by kind for update loop
        if capacity_counts(old.status, old.kind) then
          perform capacity_note(old.district_code, b.kind, -1, -b.total, -b.covid_designated, -b.occupied);
        end if;
        if capacity_counts(new.status, new.kind) then
          perform capacity_note(new.district_code, b.kind, 1, b.total, b.covid_designated, b.occupied);
        end if;
      end loop;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger capacity_facility_update after update on facility for each row
      when ((old.status, old.kind, old.district_code) is distinct from (new.status, new.kind, new.district_code))
      execute function capacity_facility_changed()`.execute(db);

  // At commit: the transaction's notes added to the rollup in district and kind order; the later
  // firings (one per note row) find the notes gone.
  await sql`
    create function capacity_change_apply() returns trigger language plpgsql set search_path from current as $$
    begin
      insert into district_capacity as d (district_code, kind, beds, total, covid_designated, occupied)
      select district_code, kind, beds, total, covid_designated, occupied from capacity_change
       where txid = new.txid and (beds, total, covid_designated, occupied) <> (0, 0, 0, 0)
       order by district_code, kind
      on conflict (district_code, kind) do update set
        beds = d.beds + excluded.beds, total = d.total + excluded.total,
        covid_designated = d.covid_designated + excluded.covid_designated, occupied = d.occupied + excluded.occupied;
      delete from capacity_change where txid = new.txid;
      return null;
    end $$`.execute(db);
  await sql`create constraint trigger capacity_change_apply after insert on capacity_change deferrable initially deferred for each row execute function capacity_change_apply()`.execute(db);

  // The rollup recounted from the rows: the backfill below, and after a TRUNCATE (which fires no
  // row trigger) of beds or facilities. This transaction's notes so far are in the recount.
  await sql`
    create function district_capacity_rebuild() returns void language plpgsql set search_path from current as $$
    begin
      delete from capacity_change where txid = txid_current();
      delete from district_capacity;
      insert into district_capacity (district_code, kind, beds, total, covid_designated, occupied)
      select f.district_code, b.kind, count(*), sum(b.total), sum(b.covid_designated), sum(b.occupied)
        from bed b join facility f on f.id = b.facility_id
       where capacity_counts(f.status, f.kind)
       group by 1, 2;
    end $$`.execute(db);
  await sql`
    create function district_capacity_truncated() returns trigger language plpgsql set search_path from current as $$
    begin
      perform district_capacity_rebuild();
      return null;
    end $$`.execute(db);
  for (const table of ['bed', 'facility']) {
    await sql`create trigger ${sql.raw(`district_capacity_truncate_${table}`)} after truncate on ${sql.table(table)} for each statement execute function district_capacity_truncated()`.execute(db);
  }

  // The beds already there.
  await sql`select district_capacity_rebuild()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['bed', 'facility']) {
    await sql`drop trigger ${sql.raw(`district_capacity_truncate_${table}`)} on ${sql.table(table)}`.execute(db);
  }
  await sql`drop trigger capacity_facility_update on facility`.execute(db);
  await sql`drop trigger capacity_bed_update on bed`.execute(db);
  await sql`drop trigger capacity_bed_insert_delete on bed`.execute(db);
  await sql`drop trigger capacity_change_apply on capacity_change`.execute(db);
  await sql`drop function district_capacity_truncated()`.execute(db);
  await sql`drop function district_capacity_rebuild()`.execute(db);
  await sql`drop function capacity_change_apply()`.execute(db);
  await sql`drop function capacity_facility_changed()`.execute(db);
  await sql`drop function capacity_bed_changed()`.execute(db);
  await sql`drop function capacity_note(text, text, integer, integer, integer, integer)`.execute(db);
  await sql`drop function capacity_counts(text, text)`.execute(db);
  await db.schema.dropTable('capacity_change').execute();
  await db.schema.dropTable('district_capacity').execute();
}
