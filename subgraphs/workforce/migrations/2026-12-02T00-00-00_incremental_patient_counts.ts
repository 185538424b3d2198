import { sql, type Kysely } from 'kysely';
import {
  ASSIGNMENT_CHANGED_FUNCTION,
  COUNTED_PATIENT_CHANGE,
  DIRTY_RECOUNT_FUNCTION,
  PATIENT_CHANGED_FUNCTION,
  patientUpdateTrigger,
  REBUILD_FUNCTION,
  RECOUNT_FUNCTION,
  TOUCH_FUNCTION,
  WORKER_FIGURES,
} from './2026-11-28T01-00-00_workforce_counters.js';

/**
 * A ward's patient figures (`home_patients`, `unassigned`) kept by difference, patient by patient,
 * instead of recounted from all of the ward's patients whenever one of them changes.
 *
 * The previous migration recounted a touched ward in full at commit: every home patient of the
 * ward read, and each one's open care assignment probed, while the ward's counter row stayed
 * locked. A ward of 600 patients at home cost 2.7 ms of PostgreSQL per change (an admission's
 * event, a care assignment), and the cost grew with the wave.
 *
 * Now `workforce_patient_counted` holds what each patient counts for: a row for every patient
 * counted as at home under treatment, with its ward and whether it was counted as unassigned.
 * Triggers note each touched patient (`workforce_dirty_patient`) besides its wards. At commit, once
 * the counter rows of every touched ward are locked (in ward order, as before), the touched
 * patients' rows are taken out of the counters and their current state put in: the cost is the
 * number of patients the transaction changed, whatever the size of their wards.
 *
 * Why this stays exact under concurrency: every transaction that changes what a patient counts
 * for (its known_patient row, or a care assignment of theirs, whose trigger share-locks the
 * patient's row) notes the patient's ward, and at commit locks that ward's counter row before it
 * reads the patient. Two such transactions therefore settle the patient one after the other, and
 * the second, reading in a statement that starts after it got the lock, sees what the first
 * committed and finds the first's record of it in `workforce_patient_counted`.
 *
 * What this relies on: an assignment is made for a patient already known here (`assignCare` reads
 * and share-locks the known patient first); an assignment written for an unknown patient while
 * another transaction inserts that patient would not be noted against it. The full recount this
 * replaced healed such a miss at the ward's next change; this does not, and
 * `select workforce_counter_rebuild()` (also run after a TRUNCATE) recounts everything.
 *
 * Worker figures are still recounted per ward (a ward has tens of workers, not hundreds), and now
 * only for wards a worker-side change touched (`workforce_dirty.workers`).
 */
/**
 * Writers that started under the old triggers must finish before the new ones take over (their
 * notes name no patient, so the new commit would move nothing for them), and none may start until
 * the migration commits: the tables whose triggers change, locked against writes for its duration.
 */
const holdWriters = sql`lock table known_patient, care_assignment, health_worker, team, team_member in share row exclusive mode`;

export async function up(db: Kysely<any>): Promise<void> {
  await holdWriters.execute(db);
  await db.schema
    .createTable('workforce_patient_counted')
    .addColumn('patient_id', 'text', (c) => c.primaryKey())
    .addColumn('ward_code', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('unassigned', 'boolean', (c) => c.notNull())
    .execute();
  // The patients a transaction in progress touched; emptied as it commits.
  await db.schema
    .createTable('workforce_dirty_patient')
    .addColumn('txid', 'bigint', (c) => c.notNull())
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('workforce_dirty_patient_pk', ['txid', 'patient_id'])
    .execute();
  // Whether a worker-side change touched the ward (its worker figures are recounted), or only patients.
  await db.schema.alterTable('workforce_dirty').addColumn('workers', 'boolean', (c) => c.notNull().defaultTo(true)).execute();

  // What a patient counts for now: at home under treatment, and unassigned when no care
  // assignment of theirs is open. The same definition for a commit's patients and a rebuild.
  await sql`
    create view workforce_home_patient as
    select p.id, p.ward_code, p.district_code,
           not exists (select 1 from care_assignment a where a.patient_id = p.id and a.ended_at is null) as unassigned
      from known_patient p
     where p.status = 'UNDER_TREATMENT' and p.care_setting = 'HOME'`.execute(db);

  // One ward's worker figures, its counter row already locked by the caller.
  await sql`
    create function workforce_counter_recount_workers(ward text, district text) returns void language plpgsql set search_path from current as $$
    begin
      update workforce_counter set ${WORKER_FIGURES} where ward_code = ward and district_code = district;
    end $$`.execute(db);

  // A worker-side note: the ward's worker figures are recounted at commit.
  await sql`
    create or replace function workforce_counter_touch(ward text, district text) returns void language plpgsql set search_path from current as $$
    begin
      if ward is null or district is null then return; end if;
      insert into workforce_dirty as d (txid, ward_code, district_code, workers) values (txid_current(), ward, district, true)
        on conflict (txid, ward_code, district_code) do update set workers = true where not d.workers;
    end $$`.execute(db);
  // A patient-side note: the patient, and its ward (whose counter row the commit locks).
  await sql`
    create function workforce_patient_touch(patient text, ward text, district text) returns void language plpgsql set search_path from current as $$
    begin
      insert into workforce_dirty_patient (txid, patient_id) values (txid_current(), patient) on conflict do nothing;
      if ward is null or district is null then return; end if;
      insert into workforce_dirty (txid, ward_code, district_code, workers) values (txid_current(), ward, district, false) on conflict do nothing;
    end $$`.execute(db);
  await sql`
    create or replace function workforce_patient_changed() returns trigger language plpgsql set search_path from current as $$
    begin
      if tg_op <> 'INSERT' then perform workforce_patient_touch(old.id, old.ward_code, old.district_code); end if;
      if tg_op <> 'DELETE' then perform workforce_patient_touch(new.id, new.ward_code, new.district_code); end if;
      return null;
    end $$`.execute(db);
  // A known patient's id changing moves its contribution too (nothing renames ids today).
  await sql`drop trigger workforce_patient_update on known_patient`.execute(db);
  await patientUpdateTrigger(sql`${COUNTED_PATIENT_CHANGE} or old.id is distinct from new.id`).execute(db);
  // The share lock on the patient's row is what makes a concurrent change of the patient (a new
  // ward, status or care setting) and this assignment settle the patient one after the other.
  await sql`
    create or replace function workforce_assignment_changed() returns trigger language plpgsql set search_path from current as $$
    declare
      p record;
    begin
      for p in select id, ward_code, district_code from known_patient
                where id in (case when tg_op <> 'INSERT' then old.patient_id end, case when tg_op <> 'DELETE' then new.patient_id end)
                for share loop
        perform workforce_patient_touch(p.id, p.ward_code, p.district_code);
      end loop;
      return null;
    end $$`.execute(db);

  // At commit (the first firing; the later ones find the notes gone): lock the counter row of
  // every touched ward in ward order, recount the worker figures where workers changed, then
  // move the touched patients' contributions. A touched patient's recorded ward is locked too:
  // it is one of the noted wards whenever the notes are complete, and a lock costs nothing then.
  await sql`
    create or replace function workforce_dirty_recount() returns trigger language plpgsql set search_path from current as $$
    declare
      t constant bigint := new.txid;
      touched record;
      patients text[];
    begin
      if not exists (select 1 from workforce_dirty where txid = t) then return null; end if;
      -- The touched patients as an array: looked up by key whatever the planner guesses of the
      -- notes (a join planned from a fresh table's estimates scanned every known patient).
      select coalesce(array_agg(patient_id), '{}') into patients from workforce_dirty_patient where txid = t;
      for touched in
        select ward_code, district_code, bool_or(workers) as workers from (
          select ward_code, district_code, workers from workforce_dirty where txid = t
          union all
          select ward_code, district_code, false from workforce_patient_counted where patient_id = any(patients)
        ) x group by ward_code, district_code order by ward_code, district_code
      loop
        insert into workforce_counter (ward_code, district_code) values (touched.ward_code, touched.district_code) on conflict do nothing;
        perform 1 from workforce_counter where ward_code = touched.ward_code and district_code = touched.district_code for update;
        if touched.workers then perform workforce_counter_recount_workers(touched.ward_code, touched.district_code); end if;
      end loop;

      -- What the touched patients counted for, taken out.
      with was as (
        delete from workforce_patient_counted where patient_id = any(patients)
        returning ward_code, district_code, unassigned)
      update workforce_counter w set home_patients = w.home_patients - x.n, unassigned = w.unassigned - x.u
        from (select ward_code, district_code, count(*)::int as n, (count(*) filter (where unassigned))::int as u from was group by 1, 2) x
       where w.ward_code = x.ward_code and w.district_code = x.district_code;
      -- What they count for now, put in (read in a statement that began after the locks).
      with now_counted as (
        insert into workforce_patient_counted (patient_id, ward_code, district_code, unassigned)
        select id, ward_code, district_code, unassigned from workforce_home_patient where id = any(patients)
        returning ward_code, district_code, unassigned)
      insert into workforce_counter as w (ward_code, district_code, home_patients, unassigned)
      select ward_code, district_code, count(*), count(*) filter (where unassigned) from now_counted group by 1, 2
          on conflict (ward_code, district_code) do update
         set home_patients = w.home_patients + excluded.home_patients, unassigned = w.unassigned + excluded.unassigned;

      delete from workforce_dirty where txid = t;
      delete from workforce_dirty_patient where txid = t;
      return null;
    end $$`.execute(db);

  // Every ward from scratch: after a TRUNCATE of a table the figures read, and below.
  await sql`
    create or replace function workforce_counter_rebuild() returns void language plpgsql set search_path from current as $$
    declare
      a record;
    begin
      -- Commits of other transactions settling their patients wait until this one ends (both
      -- would insert the same patients' rows).
      lock table workforce_patient_counted, workforce_counter in share row exclusive mode;
      delete from workforce_counter;
      delete from workforce_patient_counted;
      insert into workforce_patient_counted (patient_id, ward_code, district_code, unassigned)
      select id, ward_code, district_code, unassigned from workforce_home_patient;
      insert into workforce_counter (ward_code, district_code, home_patients, unassigned)
      select ward_code, district_code, count(*), count(*) filter (where unassigned) from workforce_patient_counted group by 1, 2;
      for a in select distinct home_ward_code as ward, home_district_code as district from health_worker loop
        insert into workforce_counter (ward_code, district_code) values (a.ward, a.district) on conflict do nothing;
        perform workforce_counter_recount_workers(a.ward, a.district);
      end loop;
    end $$`.execute(db);
  await sql`drop function workforce_counter_recount(text, text)`.execute(db);

  await sql`select workforce_counter_rebuild()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await holdWriters.execute(db);
  await RECOUNT_FUNCTION.execute(db);
  await sql`drop trigger workforce_patient_update on known_patient`.execute(db);
  await patientUpdateTrigger(COUNTED_PATIENT_CHANGE).execute(db);
  for (const definition of [TOUCH_FUNCTION, PATIENT_CHANGED_FUNCTION, ASSIGNMENT_CHANGED_FUNCTION, DIRTY_RECOUNT_FUNCTION, REBUILD_FUNCTION]) await definition.execute(db);
  await sql`drop function workforce_patient_touch(text, text, text)`.execute(db);
  await sql`drop function workforce_counter_recount_workers(text, text)`.execute(db);
  await sql`drop view workforce_home_patient`.execute(db);
  await db.schema.alterTable('workforce_dirty').dropColumn('workers').execute();
  await db.schema.dropTable('workforce_dirty_patient').execute();
  await db.schema.dropTable('workforce_patient_counted').execute();
  await sql`select workforce_counter_rebuild()`.execute(db);
}
