import { sql, type Kysely } from 'kysely';

/**
 * Case figures of every ward kept as counters, maintained by a trigger on `patient` in the same
 * transaction as the change (registration, tier change, admission or discharge moving the care
 * setting, recovery, death, a ward correction): an area's figures read a handful of counter rows
 * instead of scanning its cases. New cases are counted per ward and city day of confirmation so
 * that a rolling 7-day window sums six or seven day rows and scans only the cases of its first,
 * partial day.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_counter')
    .addColumn('ward_code', 'text', (c) => c.primaryKey())
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('at_home', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('in_facilities', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tier1', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tier2', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tier3', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('recovered', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('deaths', 'integer', (c) => c.notNull().defaultTo(0))
    .addCheckConstraint('case_counter_not_negative', sql`least(active, at_home, in_facilities, tier1, tier2, tier3, recovered, deaths) >= 0`)
    .execute();
  await db.schema.createIndex('case_counter_district_idx').on('case_counter').column('district_code').execute();

  await db.schema
    .createTable('new_case_day')
    .addColumn('ward_code', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('new_case_day_pk', ['ward_code', 'day'])
    .addCheckConstraint('new_case_day_not_negative', sql`count >= 0`)
    .execute();
  await db.schema.createIndex('new_case_day_district_idx').on('new_case_day').columns(['district_code', 'day']).execute();
  await db.schema.createIndex('new_case_day_day_idx').on('new_case_day').column('day').execute();

  // One patient's contribution (sign +1 or -1) to its ward's counters and its day of confirmation.
  // A removal updates rows that its addition created (a check constraint also applies to the row
  // an INSERT proposes, so an upsert of -1 would be refused); a missing row is a broken invariant.
  await sql`
    create function case_counter_add(p patient, sign integer) returns void language plpgsql set search_path from current as $$
    declare
      open integer := case when p.status = 'UNDER_TREATMENT' then sign else 0 end;
      d_active integer := open;
      d_home integer := case when p.care_setting = 'HOME' then open else 0 end;
      d_facility integer := case when p.care_setting = 'FACILITY' then open else 0 end;
      d_tier1 integer := case when p.tier = 'TIER_1' then open else 0 end;
      d_tier2 integer := case when p.tier = 'TIER_2' then open else 0 end;
      d_tier3 integer := case when p.tier = 'TIER_3' then open else 0 end;
      d_recovered integer := case when p.status = 'RECOVERED' then sign else 0 end;
      d_deaths integer := case when p.status = 'DECEASED' then sign else 0 end;
      confirmed_day date := (p.confirmed_at at time zone 'Asia/Ho_Chi_Minh')::date;
    begin
      if sign > 0 then
        insert into case_counter as c (ward_code, district_code, active, at_home, in_facilities, tier1, tier2, tier3, recovered, deaths)
        values (p.ward_code, p.district_code, d_active, d_home, d_facility, d_tier1, d_tier2, d_tier3, d_recovered, d_deaths)
        on conflict (ward_code) do update set
          active = c.active + excluded.active, at_home = c.at_home + excluded.at_home,
          in_facilities = c.in_facilities + excluded.in_facilities, tier1 = c.tier1 + excluded.tier1,
          tier2 = c.tier2 + excluded.tier2, tier3 = c.tier3 + excluded.tier3,
          recovered = c.recovered + excluded.recovered, deaths = c.deaths + excluded.deaths;
        insert into new_case_day as n (ward_code, district_code, day, count)
        values (p.ward_code, p.district_code, confirmed_day, 1)
        on conflict (ward_code, day) do update set count = n.count + 1;
      else
        update case_counter set
          active = active + d_active, at_home = at_home + d_home, in_facilities = in_facilities + d_facility,
          tier1 = tier1 + d_tier1, tier2 = tier2 + d_tier2, tier3 = tier3 + d_tier3,
          recovered = recovered + d_recovered, deaths = deaths + d_deaths
         where ward_code = p.ward_code;
        if not found then raise exception 'case counter of ward % missing', p.ward_code; end if;
        update new_case_day set count = count - 1 where ward_code = p.ward_code and day = confirmed_day;
        if not found then raise exception 'new-case counter of ward % on % missing', p.ward_code, confirmed_day; end if;
      end if;
    end $$`.execute(db);
  await sql`
    create function case_counter_track() returns trigger language plpgsql set search_path from current as $$
    begin
      if tg_op = 'INSERT' then
        perform case_counter_add(new, 1);
      elsif tg_op = 'DELETE' then
        perform case_counter_add(old, -1);
      -- Counter rows are locked in ward and day order, so that two moves in opposite directions
      -- between the same wards cannot deadlock.
      elsif (old.ward_code, old.confirmed_at) <= (new.ward_code, new.confirmed_at) then
        perform case_counter_add(old, -1);
        perform case_counter_add(new, 1);
      else
        perform case_counter_add(new, 1);
        perform case_counter_add(old, -1);
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger case_counter_insert_delete after insert or delete on patient for each row execute function case_counter_track()`.execute(db);
  // Daily checks touch last_check_at on every case: only changes of a counted column pay.
  await sql`
    create trigger case_counter_update after update on patient for each row
      when (old.status is distinct from new.status or old.care_setting is distinct from new.care_setting
            or old.tier is distinct from new.tier or old.ward_code is distinct from new.ward_code
            or old.district_code is distinct from new.district_code or old.confirmed_at is distinct from new.confirmed_at)
      execute function case_counter_track()`.execute(db);
  // TRUNCATE fires no row trigger: empty the counters with the cases.
  await sql`
    create function case_counter_clear() returns trigger language plpgsql set search_path from current as $$
    begin
      delete from case_counter;
      delete from new_case_day;
      return null;
    end $$`.execute(db);
  await sql`create trigger case_counter_truncate after truncate on patient for each statement execute function case_counter_clear()`.execute(db);

  // The cases already there.
  await sql`
    insert into case_counter (ward_code, district_code, active, at_home, in_facilities, tier1, tier2, tier3, recovered, deaths)
    select ward_code, min(district_code),
           count(*) filter (where status = 'UNDER_TREATMENT'),
           count(*) filter (where status = 'UNDER_TREATMENT' and care_setting = 'HOME'),
           count(*) filter (where status = 'UNDER_TREATMENT' and care_setting = 'FACILITY'),
           count(*) filter (where status = 'UNDER_TREATMENT' and tier = 'TIER_1'),
           count(*) filter (where status = 'UNDER_TREATMENT' and tier = 'TIER_2'),
           count(*) filter (where status = 'UNDER_TREATMENT' and tier = 'TIER_3'),
           count(*) filter (where status = 'RECOVERED'),
           count(*) filter (where status = 'DECEASED')
      from patient group by ward_code`.execute(db);
  await sql`
    insert into new_case_day (ward_code, district_code, day, count)
    select ward_code, min(district_code), (confirmed_at at time zone 'Asia/Ho_Chi_Minh')::date, count(*)
      from patient group by 1, 3`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger case_counter_truncate on patient`.execute(db);
  await sql`drop trigger case_counter_update on patient`.execute(db);
  await sql`drop trigger case_counter_insert_delete on patient`.execute(db);
  await sql`drop function case_counter_clear()`.execute(db);
  await sql`drop function case_counter_track()`.execute(db);
  await sql`drop function case_counter_add(patient, integer)`.execute(db);
  await db.schema.dropTable('new_case_day').execute();
  await db.schema.dropTable('case_counter').execute();
}
