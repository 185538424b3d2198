import { sql, type Kysely } from 'kysely';

/**
 * Workforce figures of every ward kept as counters, maintained by triggers in the same transaction
 * as the change, like the patients subgraph's case counters: an area's figures read a handful of
 * counter rows instead of scanning its health workers, team members, known patients and open
 * care assignments.
 *
 * - A health worker counts in its home ward: `workers` when active, `care_workers` when active in
 *   a care role, `home_care_workers` when active and a member of a home-care team, `at_capacity`
 *   when active at its cap; `worker_origin_counter` counts the active workers by origin.
 * - A known patient counts in its ward: `home_patients` when under treatment at home,
 *   `unassigned` when moreover no care assignment of theirs is open.
 *
 * Home-care membership is kept on the worker as `home_care_teams` (how many home-care teams it is
 * a member of), maintained by a trigger on `team_member` (and on `team`, should a team change its
 * kind), so that a membership change is a change of the worker's row like any other.
 *
 * Counter rows are keyed by ward and district together, so that a ward's figures and a
 * district's sum the same rows whatever codes the writes carry. Only changes that move a figure
 * write a counter row: a care assignment that leaves its worker below the cap touches nothing
 * but the ward of its patient.
 */
const CARE_ROLES = `('DOCTOR', 'PHYSICIAN_ASSISTANT', 'NURSE')`;
const HOME_CARE_TEAM = `'HOME_CARE_SUPPORT'`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table health_worker add column home_care_teams integer not null default 0 constraint health_worker_home_care_teams_not_negative check (home_care_teams >= 0)`.execute(db);

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
    .addPrimaryKeyConstraint('workforce_counter_pk', ['ward_code', 'district_code'])
    .addCheckConstraint('workforce_counter_not_negative', sql`least(workers, care_workers, home_care_workers, at_capacity, home_patients, unassigned) >= 0`)
    .execute();
  await db.schema.createIndex('workforce_counter_district_idx').on('workforce_counter').column('district_code').execute();

  await db.schema
    .createTable('worker_origin_counter')
    .addColumn('ward_code', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('worker_origin_counter_pk', ['ward_code', 'district_code', 'origin'])
    .addCheckConstraint('worker_origin_counter_not_negative', sql`count >= 0`)
    .execute();
  await db.schema.createIndex('worker_origin_counter_district_idx').on('worker_origin_counter').column('district_code').execute();

  // Adds (sign +1) or removes (sign -1) one contribution to a ward's counters. An addition
  // upserts; a removal updates the row its addition created (a check constraint also applies to
  // the row an INSERT proposes, so an upsert of -1 would be refused) and a missing row is a
  // broken invariant. A contribution of zeros writes nothing.
  await sql`
    create function workforce_counter_add(
      ward text, district text, sign integer,
      d_workers integer, d_care integer, d_home_care integer, d_at_capacity integer, d_home integer, d_unassigned integer
    ) returns void language plpgsql set search_path from current as $$
    begin
      if d_workers = 0 and d_care = 0 and d_home_care = 0 and d_at_capacity = 0 and d_home = 0 and d_unassigned = 0 then return; end if;
      if sign > 0 then
        insert into workforce_counter as c (ward_code, district_code, workers, care_workers, home_care_workers, at_capacity, home_patients, unassigned)
        values (ward, district, d_workers, d_care, d_home_care, d_at_capacity, d_home, d_unassigned)
        on conflict (ward_code, district_code) do update set
          workers = c.workers + excluded.workers, care_workers = c.care_workers + excluded.care_workers,
          home_care_workers = c.home_care_workers + excluded.home_care_workers, at_capacity = c.at_capacity + excluded.at_capacity,
          home_patients = c.home_patients + excluded.home_patients, unassigned = c.unassigned + excluded.unassigned;
      else
        update workforce_counter set
          workers = workers - d_workers, care_workers = care_workers - d_care, home_care_workers = home_care_workers - d_home_care,
          at_capacity = at_capacity - d_at_capacity, home_patients = home_patients - d_home, unassigned = unassigned - d_unassigned
         where ward_code = ward and district_code = district;
        if not found then raise exception 'workforce counter of ward % (district %) missing', ward, district; end if;
      end if;
    end $$`.execute(db);

  // One worker's contribution.
  await sql`
    create function workforce_worker_add(w health_worker, sign integer) returns void language plpgsql set search_path from current as $$
    begin
      if not w.active then return; end if;
      perform workforce_counter_add(w.home_ward_code, w.home_district_code, sign,
        1, case when w.role in ${sql.raw(CARE_ROLES)} then 1 else 0 end, case when w.home_care_teams > 0 then 1 else 0 end,
        case when w.caseload >= w.max_caseload then 1 else 0 end, 0, 0);
      if sign > 0 then
        insert into worker_origin_counter as o (ward_code, district_code, origin, count) values (w.home_ward_code, w.home_district_code, w.origin, 1)
        on conflict (ward_code, district_code, origin) do update set count = o.count + 1;
      else
        update worker_origin_counter set count = count - 1 where ward_code = w.home_ward_code and district_code = w.home_district_code and origin = w.origin;
        if not found then raise exception 'origin counter of ward % (district %) and % missing', w.home_ward_code, w.home_district_code, w.origin; end if;
      end if;
    end $$`.execute(db);
  await sql`
    create function workforce_worker_track() returns trigger language plpgsql set search_path from current as $$
    begin
      -- workforce_counter_rebuild() recounts everything after setting the memberships itself.
      if current_setting('workforce.counters_rebuilding', true) = 'on' then return null; end if;
      if tg_op = 'INSERT' then
        perform workforce_worker_add(new, 1);
      elsif tg_op = 'DELETE' then
        perform workforce_worker_add(old, -1);
      elsif old.active = new.active and old.role = new.role and old.origin = new.origin and old.home_ward_code = new.home_ward_code
            and old.home_district_code = new.home_district_code and (old.home_care_teams > 0) = (new.home_care_teams > 0) then
        -- Only the cap can have moved (an assignment taken or ended): one figure at most.
        if old.active and (old.caseload >= old.max_caseload) <> (new.caseload >= new.max_caseload) then
          perform workforce_counter_add(new.home_ward_code, new.home_district_code,
            case when new.caseload >= new.max_caseload then 1 else -1 end, 0, 0, 0, 1, 0, 0);
        end if;
      -- Counter rows are locked in ward order, so that two moves in opposite directions cannot deadlock.
      elsif (old.home_ward_code, old.home_district_code) <= (new.home_ward_code, new.home_district_code) then
        perform workforce_worker_add(old, -1);
        perform workforce_worker_add(new, 1);
      else
        perform workforce_worker_add(new, 1);
        perform workforce_worker_add(old, -1);
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger workforce_worker_insert_delete after insert or delete on health_worker for each row execute function workforce_worker_track()`.execute(db);
  await sql`
    create trigger workforce_worker_update after update on health_worker for each row
      when (old.active is distinct from new.active or old.role is distinct from new.role or old.origin is distinct from new.origin
            or old.home_ward_code is distinct from new.home_ward_code or old.home_district_code is distinct from new.home_district_code
            or old.caseload is distinct from new.caseload or old.max_caseload is distinct from new.max_caseload
            or old.home_care_teams is distinct from new.home_care_teams)
      execute function workforce_worker_track()`.execute(db);

  // Home-care membership on the worker's row.
  await sql`
    create function workforce_membership_track() returns trigger language plpgsql set search_path from current as $$
    begin
      if tg_op in ('DELETE', 'UPDATE') then
        update health_worker set home_care_teams = home_care_teams - 1
         where id = old.worker_id and exists (select 1 from team t where t.id = old.team_id and t.kind = ${sql.raw(HOME_CARE_TEAM)});
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        update health_worker set home_care_teams = home_care_teams + 1
         where id = new.worker_id and exists (select 1 from team t where t.id = new.team_id and t.kind = ${sql.raw(HOME_CARE_TEAM)});
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger workforce_membership after insert or delete or update on team_member for each row execute function workforce_membership_track()`.execute(db);
  await sql`
    create function workforce_team_kind_track() returns trigger language plpgsql set search_path from current as $$
    begin
      update health_worker w set home_care_teams = home_care_teams + case when new.kind = ${sql.raw(HOME_CARE_TEAM)} then 1 else -1 end
        from team_member m where m.team_id = new.id and w.id = m.worker_id;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger workforce_team_kind after update on team for each row
      when ((old.kind = ${sql.raw(HOME_CARE_TEAM)}) is distinct from (new.kind = ${sql.raw(HOME_CARE_TEAM)}))
      execute function workforce_team_kind_track()`.execute(db);

  // One known patient's contribution: an open care assignment is looked up now, and is the same
  // for the old and the new row of an update (the statement changes known_patient only).
  await sql`
    create function workforce_patient_add(p known_patient, sign integer) returns void language plpgsql set search_path from current as $$
    declare
      home boolean := p.status = 'UNDER_TREATMENT' and p.care_setting = 'HOME';
    begin
      if not home then return; end if;
      perform workforce_counter_add(p.ward_code, p.district_code, sign, 0, 0, 0, 0, 1,
        case when exists (select 1 from care_assignment c where c.patient_id = p.id and c.ended_at is null) then 0 else 1 end);
    end $$`.execute(db);
  await sql`
    create function workforce_patient_track() returns trigger language plpgsql set search_path from current as $$
    begin
      if tg_op = 'INSERT' then
        perform workforce_patient_add(new, 1);
      elsif tg_op = 'DELETE' then
        perform workforce_patient_add(old, -1);
      elsif (old.ward_code, old.district_code) <= (new.ward_code, new.district_code) then
        perform workforce_patient_add(old, -1);
        perform workforce_patient_add(new, 1);
      else
        perform workforce_patient_add(new, 1);
        perform workforce_patient_add(old, -1);
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger workforce_patient_insert_delete after insert or delete on known_patient for each row execute function workforce_patient_track()`.execute(db);
  // Events touch updated_at on every change: only changes of a counted column pay.
  await sql`
    create trigger workforce_patient_update after update on known_patient for each row
      when (old.status is distinct from new.status or old.care_setting is distinct from new.care_setting
            or old.ward_code is distinct from new.ward_code or old.district_code is distinct from new.district_code)
      execute function workforce_patient_track()`.execute(db);

  // An open care assignment makes its patient (when known and at home) assigned; ending it, unassigned.
  await sql`
    create function workforce_assignment_add(patient text, sign integer) returns void language plpgsql set search_path from current as $$
    declare
      p known_patient;
    begin
      select * into p from known_patient where id = patient and status = 'UNDER_TREATMENT' and care_setting = 'HOME';
      if found then perform workforce_counter_add(p.ward_code, p.district_code, sign, 0, 0, 0, 0, 0, 1); end if;
    end $$`.execute(db);
  await sql`
    create function workforce_assignment_track() returns trigger language plpgsql set search_path from current as $$
    begin
      if tg_op in ('DELETE', 'UPDATE') and old.ended_at is null then perform workforce_assignment_add(old.patient_id, 1); end if;
      if tg_op in ('INSERT', 'UPDATE') and new.ended_at is null then perform workforce_assignment_add(new.patient_id, -1); end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger workforce_assignment_insert_delete after insert or delete on care_assignment for each row execute function workforce_assignment_track()`.execute(db);
  await sql`
    create trigger workforce_assignment_update after update on care_assignment for each row
      when ((old.ended_at is null) is distinct from (new.ended_at is null) or old.patient_id is distinct from new.patient_id)
      execute function workforce_assignment_track()`.execute(db);

  // Recounts everything from the rows: the backfill below, and after a TRUNCATE (which fires no
  // row trigger) of any table the counters read.
  await sql`
    create function workforce_counter_rebuild() returns void language plpgsql set search_path from current as $$
    begin
      -- The memberships first, without the worker trigger (the counters are recounted below).
      perform set_config('workforce.counters_rebuilding', 'on', true);
      update health_worker w set home_care_teams = coalesce(m.n, 0)
        from health_worker w2 left join (
          select m.worker_id, count(*)::int as n from team_member m join team t on t.id = m.team_id
           where t.kind = ${sql.raw(HOME_CARE_TEAM)} group by 1) m on m.worker_id = w2.id
       where w.id = w2.id and w.home_care_teams <> coalesce(m.n, 0);
      delete from workforce_counter;
      delete from worker_origin_counter;
      insert into workforce_counter (ward_code, district_code, workers, care_workers, home_care_workers, at_capacity, home_patients, unassigned)
      select ward_code, district_code, sum(workers), sum(care_workers), sum(home_care_workers), sum(at_capacity), sum(home_patients), sum(unassigned)
        from (
          select home_ward_code as ward_code, home_district_code as district_code, count(*) as workers,
                 count(*) filter (where role in ${sql.raw(CARE_ROLES)}) as care_workers,
                 count(*) filter (where home_care_teams > 0) as home_care_workers,
                 count(*) filter (where caseload >= max_caseload) as at_capacity, 0 as home_patients, 0 as unassigned
            from health_worker where active group by 1, 2
          union all
          select ward_code, district_code, 0, 0, 0, 0, count(*),
                 count(*) filter (where not exists (select 1 from care_assignment c where c.patient_id = p.id and c.ended_at is null))
            from known_patient p where status = 'UNDER_TREATMENT' and care_setting = 'HOME' group by 1, 2) x
       group by 1, 2;
      insert into worker_origin_counter (ward_code, district_code, origin, count)
      select home_ward_code, home_district_code, origin, count(*) from health_worker where active group by 1, 2, 3;
      perform set_config('workforce.counters_rebuilding', 'off', true);
    end $$`.execute(db);
  await sql`
    create function workforce_counter_clear() returns trigger language plpgsql set search_path from current as $$
    begin
      perform workforce_counter_rebuild();
      return null;
    end $$`.execute(db);
  for (const table of ['health_worker', 'team', 'team_member', 'known_patient', 'care_assignment']) {
    await sql`create trigger ${sql.raw(`workforce_counter_truncate_${table}`)} after truncate on ${sql.table(table)} for each statement execute function workforce_counter_clear()`.execute(db);
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
  await sql`drop function workforce_counter_clear()`.execute(db);
  await sql`drop function workforce_counter_rebuild()`.execute(db);
  await sql`drop function workforce_assignment_track()`.execute(db);
  await sql`drop function workforce_assignment_add(text, integer)`.execute(db);
  await sql`drop function workforce_patient_track()`.execute(db);
  await sql`drop function workforce_patient_add(known_patient, integer)`.execute(db);
  await sql`drop function workforce_team_kind_track()`.execute(db);
  await sql`drop function workforce_membership_track()`.execute(db);
  await sql`drop function workforce_worker_track()`.execute(db);
  await sql`drop function workforce_worker_add(health_worker, integer)`.execute(db);
  await sql`drop function workforce_counter_add(text, text, integer, integer, integer, integer, integer, integer, integer)`.execute(db);
  await db.schema.dropTable('worker_origin_counter').execute();
  await db.schema.dropTable('workforce_counter').execute();
  await sql`alter table health_worker drop column home_care_teams`.execute(db);
}
