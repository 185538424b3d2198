import { sql, type Kysely } from 'kysely';

/**
 * Workforce figures of every ward kept as counter rows, written in the same transaction as the
 * change: an area's figures read a handful of counter rows instead of scanning its health
 * workers, team members, known patients and open care assignments.
 *
 * - A health worker counts in its home ward: `workers` when active, `care_workers` when active in
 *   a care role, `home_care_workers` when active and a member of a home-care team, `at_capacity`
 *   when active at its cap, and `by_origin` per origin.
 * - A known patient counts in its ward: `home_patients` when under treatment at home,
 *   `unassigned` when moreover no care assignment of theirs is open.
 *
 * Unlike the patients' case counters (an immediate trigger adding each row's contribution),
 * these are recounted per ward when the transaction commits. Row triggers on health_worker,
 * team_member, team, known_patient and care_assignment only note the wards a transaction touched
 * (a row keyed by its transaction id in `workforce_dirty`, so writers never wait for each other
 * there); a deferred constraint trigger on that note recounts each ward once, after the
 * transaction's last write. Two reasons:
 *
 * - A figure depends on several tables (a patient is unassigned when no open care assignment
 *   exists), so a contribution is not a function of one row; a recount at commit sees the
 *   transaction's final state.
 * - A counter row is locked only while its transaction commits. An immediate counter update
 *   would hold the ward's counter row from the first write on, and care writes take rows in the
 *   other order (the event projection updates the patient's ward counter, then waits for the
 *   worker's row to free a caseload place, while an assignment holds the worker's row and waits
 *   for the same counter): deadlocks, seen as one-second stalls in the write-rule tests.
 *
 * The deferred trigger sits on the note, not on the tables themselves, because PostgreSQL refuses
 * ALTER TABLE on a table with pending trigger events, and the seed's bulk load rebuilds the
 * loaded table's keys in the load's transaction.
 *
 * The recount locks the ward's counter row first and then reads the rows in a new statement, so
 * under READ COMMITTED it sees every transaction that committed a change of that ward before it
 * (each of them recounted under the same lock). Counter rows are keyed by ward and district
 * together, so that a ward's figures and a district's sum the same rows whatever codes the
 * writes carry.
 */
const CARE_ROLES = `('DOCTOR', 'PHYSICIAN_ASSISTANT', 'NURSE')`;
const HOME_CARE_TEAM = `'HOME_CARE_SUPPORT'`;

// The definitions below are exported: migration 2026-12-02T00-00-00_incremental_patient_counts
// replaces them, and its down migration puts them back.

/**
 * A ward's worker figures (the plpgsql variables `ward` and `district`), as the right-hand side of
 * an update of its counter row; the next migration recounts them alone.
 */
export const WORKER_FIGURES = sql`(workers, care_workers, home_care_workers, at_capacity, by_origin) = (
          select count(*), count(*) filter (where w.role in ${sql.raw(CARE_ROLES)}),
                 count(*) filter (where exists (select 1 from team_member m join team t on t.id = m.team_id where m.worker_id = w.id and t.kind = ${sql.raw(HOME_CARE_TEAM)})),
                 count(*) filter (where w.caseload >= w.max_caseload),
                 coalesce((select jsonb_object_agg(origin, n) from (
                   select origin, count(*) as n from health_worker o where o.home_ward_code = ward and o.home_district_code = district and o.active group by 1) x), '{}'::jsonb)
            from health_worker w where w.home_ward_code = ward and w.home_district_code = district and w.active)`;

/**
 * Recounts one ward's figures from the rows: locks its counter row first, then reads the rows in a
 * new statement (which sees every change committed before the lock was granted).
 */
export const RECOUNT_FUNCTION = sql`
    create or replace function workforce_counter_recount(ward text, district text) returns void language plpgsql set search_path from current as $$
    begin
      insert into workforce_counter (ward_code, district_code) values (ward, district) on conflict do nothing;
      perform 1 from workforce_counter where ward_code = ward and district_code = district for update;
      update workforce_counter set
        ${WORKER_FIGURES},
        (home_patients, unassigned) = (
          select count(*), count(*) filter (where not exists (select 1 from care_assignment c where c.patient_id = p.id and c.ended_at is null))
            from known_patient p where p.ward_code = ward and p.district_code = district and p.status = 'UNDER_TREATMENT' and p.care_setting = 'HOME')
       where ward_code = ward and district_code = district;
    end $$`;

export const TOUCH_FUNCTION = sql`
    create or replace function workforce_counter_touch(ward text, district text) returns void language plpgsql set search_path from current as $$
    begin
      if ward is null or district is null then return; end if;
      insert into workforce_dirty (txid, ward_code, district_code) values (txid_current(), ward, district) on conflict do nothing;
    end $$`;

export const DIRTY_RECOUNT_FUNCTION = sql`
    create or replace function workforce_dirty_recount() returns trigger language plpgsql set search_path from current as $$
    declare
      touched record;
    begin
      for touched in select ward_code, district_code from workforce_dirty where txid = new.txid order by ward_code, district_code loop
        perform workforce_counter_recount(touched.ward_code, touched.district_code);
      end loop;
      delete from workforce_dirty where txid = new.txid;
      return null;
    end $$`;

export const PATIENT_CHANGED_FUNCTION = sql`
    create or replace function workforce_patient_changed() returns trigger language plpgsql set search_path from current as $$
    begin
      if tg_op <> 'INSERT' then perform workforce_counter_touch(old.ward_code, old.district_code); end if;
      if tg_op <> 'DELETE' then perform workforce_counter_touch(new.ward_code, new.district_code); end if;
      return null;
    end $$`;

export const ASSIGNMENT_CHANGED_FUNCTION = sql`
    create or replace function workforce_assignment_changed() returns trigger language plpgsql set search_path from current as $$
    declare
      p record;
    begin
      for p in select ward_code, district_code from known_patient
                where id in (case when tg_op <> 'INSERT' then old.patient_id end, case when tg_op <> 'DELETE' then new.patient_id end)
                for share loop
        perform workforce_counter_touch(p.ward_code, p.district_code);
      end loop;
      return null;
    end $$`;

export const REBUILD_FUNCTION = sql`
    create or replace function workforce_counter_rebuild() returns void language plpgsql set search_path from current as $$
    declare
      a record;
    begin
      delete from workforce_counter;
      for a in select home_ward_code as ward, home_district_code as district from health_worker
               union select ward_code, district_code from known_patient loop
        perform workforce_counter_recount(a.ward, a.district);
      end loop;
    end $$`;

/** The patient update trigger, firing when one of `counted` (the condition on old and new) holds. */
export const patientUpdateTrigger = (counted: ReturnType<typeof sql>) => sql`
    create trigger workforce_patient_update after update on known_patient for each row
      when (${counted})
      execute function workforce_patient_changed()`;

/** A known patient's change that moves its contribution: its state, or its ward. */
export const COUNTED_PATIENT_CHANGE = sql`old.status is distinct from new.status or old.care_setting is distinct from new.care_setting
            or old.ward_code is distinct from new.ward_code or old.district_code is distinct from new.district_code`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('workforce_counter')
    .addColumn('ward_code', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('workers', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('care_workers', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('home_care_workers', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('at_capacity', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('home_patients', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unassigned', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('by_origin', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addPrimaryKeyConstraint('workforce_counter_pk', ['ward_code', 'district_code'])
    .addCheckConstraint('workforce_counter_not_negative', sql`least(workers, care_workers, home_care_workers, at_capacity, home_patients, unassigned) >= 0`)
    .execute();
  await db.schema.createIndex('workforce_counter_district_idx').on('workforce_counter').column('district_code').execute();

  // The wards a transaction in progress touched; emptied as it commits.
  await db.schema
    .createTable('workforce_dirty')
    .addColumn('txid', 'bigint', (c) => c.notNull())
    .addColumn('ward_code', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('workforce_dirty_pk', ['txid', 'ward_code', 'district_code'])
    .execute();

  await RECOUNT_FUNCTION.execute(db);

  // Notes a ward as touched by this transaction; the first note of a ward queues its recount.
  await TOUCH_FUNCTION.execute(db);
  // The first firing at commit recounts every ward the transaction touched, in ward-code order,
  // so that two transactions touching the same wards lock their counter rows in the same order
  // (in the order the wards were touched, assignCare and the patients projection would take two
  // wards' rows in opposite orders and deadlock); the later firings find their notes gone.
  await DIRTY_RECOUNT_FUNCTION.execute(db);
  await sql`create constraint trigger workforce_dirty_recount after insert on workforce_dirty deferrable initially deferred for each row execute function workforce_dirty_recount()`.execute(db);

  // What each table's change touches: the old and the new ward of the row, or of the worker or
  // patient it refers to (as they are at the change; a later move of that worker or patient is a change of its own).
  await sql`
    create function workforce_worker_changed() returns trigger language plpgsql set search_path from current as $$
    begin
      if tg_op <> 'INSERT' then perform workforce_counter_touch(old.home_ward_code, old.home_district_code); end if;
      if tg_op <> 'DELETE' then perform workforce_counter_touch(new.home_ward_code, new.home_district_code); end if;
      return null;
    end $$`.execute(db);
  await PATIENT_CHANGED_FUNCTION.execute(db);
  await ASSIGNMENT_CHANGED_FUNCTION.execute(db);
  await sql`
    create function workforce_membership_changed() returns trigger language plpgsql set search_path from current as $$
    declare
      w record;
    begin
      for w in select home_ward_code, home_district_code from health_worker
                where id in (case when tg_op <> 'INSERT' then old.worker_id end, case when tg_op <> 'DELETE' then new.worker_id end)
                for share loop
        perform workforce_counter_touch(w.home_ward_code, w.home_district_code);
      end loop;
      -- A change of the team's kind at the same time would count this member by the kind it
      -- read: wait for it (and make it wait), as for the worker's and the patient's rows.
      perform 1 from team where id in (case when tg_op <> 'INSERT' then old.team_id end, case when tg_op <> 'DELETE' then new.team_id end) for share;
      return null;
    end $$`.execute(db);
  await sql`
    create function workforce_team_changed() returns trigger language plpgsql set search_path from current as $$
    declare
      w record;
    begin
      for w in select distinct h.home_ward_code, h.home_district_code from team_member m join health_worker h on h.id = m.worker_id where m.team_id = new.id loop
        perform workforce_counter_touch(w.home_ward_code, w.home_district_code);
      end loop;
      return null;
    end $$`.execute(db);

  await sql`create trigger workforce_worker_insert_delete after insert or delete on health_worker for each row execute function workforce_worker_changed()`.execute(db);
  await sql`
    create trigger workforce_worker_update after update on health_worker for each row
      when (old.active is distinct from new.active or old.role is distinct from new.role or old.origin is distinct from new.origin
            or old.home_ward_code is distinct from new.home_ward_code or old.home_district_code is distinct from new.home_district_code
            or (old.caseload >= old.max_caseload) is distinct from (new.caseload >= new.max_caseload))
      execute function workforce_worker_changed()`.execute(db);
  await sql`create trigger workforce_membership after insert or delete or update on team_member for each row execute function workforce_membership_changed()`.execute(db);
  await sql`
    create trigger workforce_team_kind after update on team for each row
      when ((old.kind = ${sql.raw(HOME_CARE_TEAM)}) is distinct from (new.kind = ${sql.raw(HOME_CARE_TEAM)}))
      execute function workforce_team_changed()`.execute(db);
  await sql`create trigger workforce_patient_insert_delete after insert or delete on known_patient for each row execute function workforce_patient_changed()`.execute(db);
  // Events touch updated_at on every change: only changes of a counted column pay.
  await patientUpdateTrigger(COUNTED_PATIENT_CHANGE).execute(db);
  await sql`create trigger workforce_assignment_insert_delete after insert or delete on care_assignment for each row execute function workforce_assignment_changed()`.execute(db);
  await sql`
    create trigger workforce_assignment_update after update on care_assignment for each row
      when ((old.ended_at is null) is distinct from (new.ended_at is null) or old.patient_id is distinct from new.patient_id)
      execute function workforce_assignment_changed()`.execute(db);

  // Every ward recounted: the backfill below, and after a TRUNCATE (which fires no row trigger)
  // of any table the counters read.
  await REBUILD_FUNCTION.execute(db);
  await sql`
    create function workforce_counter_truncated() returns trigger language plpgsql set search_path from current as $$
    begin
      perform workforce_counter_rebuild();
      return null;
    end $$`.execute(db);
  for (const table of ['health_worker', 'team', 'team_member', 'known_patient', 'care_assignment']) {
    await sql`create trigger ${sql.raw(`workforce_counter_truncate_${table}`)} after truncate on ${sql.table(table)} for each statement execute function workforce_counter_truncated()`.execute(db);
  }

  // The rows already there.
  await sql`select workforce_counter_rebuild()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['health_worker', 'team', 'team_member', 'known_patient', 'care_assignment']) {
    await sql`drop trigger ${sql.raw(`workforce_counter_truncate_${table}`)} on ${sql.table(table)}`.execute(db);
  }
  await sql`drop trigger workforce_assignment_update on care_assignment`.execute(db);
  await sql`drop trigger workforce_assignment_insert_delete on care_assignment`.execute(db);
  await sql`drop trigger workforce_patient_update on known_patient`.execute(db);
  await sql`drop trigger workforce_patient_insert_delete on known_patient`.execute(db);
  await sql`drop trigger workforce_team_kind on team`.execute(db);
  await sql`drop trigger workforce_membership on team_member`.execute(db);
  await sql`drop trigger workforce_worker_update on health_worker`.execute(db);
  await sql`drop trigger workforce_worker_insert_delete on health_worker`.execute(db);
  await sql`drop function workforce_counter_truncated()`.execute(db);
  await sql`drop trigger workforce_dirty_recount on workforce_dirty`.execute(db);
  await sql`drop function workforce_counter_rebuild()`.execute(db);
  await sql`drop function workforce_team_changed()`.execute(db);
  await sql`drop function workforce_membership_changed()`.execute(db);
  await sql`drop function workforce_assignment_changed()`.execute(db);
  await sql`drop function workforce_patient_changed()`.execute(db);
  await sql`drop function workforce_worker_changed()`.execute(db);
  await sql`drop function workforce_dirty_recount()`.execute(db);
  await sql`drop function workforce_counter_touch(text, text)`.execute(db);
  await sql`drop function workforce_counter_recount(text, text)`.execute(db);
  await db.schema.dropTable('workforce_dirty').execute();
  await db.schema.dropTable('workforce_counter').execute();
}
