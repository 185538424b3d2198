import { sql, type Kysely } from 'kysely';

/**
 * New cases per district and city day as well as per ward: the city overview asks for the 7-day
 * new cases of all 30 districts, which summed about 3,600 ward-day rows per request on the
 * city-scale database (1.1 ms of PostgreSQL time of the 2.0 ms the statement took); the district
 * rows are 30 × 7.
 *
 * And a change that keeps a case's ward, district and confirmation (a tier change, an admission or
 * discharge moving the care setting, a recovery) no longer touches the new-case rows at all: it
 * took its day row away and gave it back (two updates of one row that every such change in the
 * ward on cases of that day locked until commit).
 *
 * Lock order. A case's change takes its ward rows first (the ward's counter, then its day row),
 * both sides of a move in ward and day order as before, and the district day rows last, in
 * district and day order. A district's day row is shared by all its wards: taken in the middle,
 * it deadlocked a move into a ward with a registration in that ward (the move held the district
 * row and waited for the ward's counter, the registration the other way round), and in ward order
 * it deadlocked two opposite moves between districts, because official ward codes do not run in
 * their districts' order (00592 is in 019 and 00595 in 021, but 00620 is in 021 and 00622 in 019).
 * test/patients/case-counters.test.ts makes both interleavings.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Writers that still run the old trigger would miss the new rows: none until this commits.
  await sql`lock table patient in share row exclusive mode`.execute(db);
  await db.schema
    .createTable('new_case_district_day')
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('new_case_district_day_pk', ['district_code', 'day'])
    .addCheckConstraint('new_case_district_day_not_negative', sql`count >= 0`)
    .execute();
  await db.schema.createIndex('new_case_district_day_day_idx').on('new_case_district_day').column('day').execute();

  await wardCounters('days as an argument').execute(db);
  // One case's contribution (sign +1 or -1) to its district's day of confirmation.
  await sql`
    create function case_district_day_add(p patient, sign integer) returns void language plpgsql set search_path from current as $$
    declare
      confirmed_day date := (p.confirmed_at at time zone 'Asia/Ho_Chi_Minh')::date;
    begin
      if sign > 0 then
        insert into new_case_district_day as n (district_code, day, count)
        values (p.district_code, confirmed_day, 1)
        on conflict (district_code, day) do update set count = n.count + 1;
      else
        update new_case_district_day set count = count - 1 where district_code = p.district_code and day = confirmed_day;
        if not found then raise exception 'new-case counter of district % on % missing', p.district_code, confirmed_day; end if;
      end if;
    end $$`.execute(db);
  await sql`
    create or replace function case_counter_track() returns trigger language plpgsql set search_path from current as $$
    begin
      if tg_op = 'INSERT' then
        perform case_counter_add(new, 1, true);
        perform case_district_day_add(new, 1);
      elsif tg_op = 'DELETE' then
        perform case_counter_add(old, -1, true);
        perform case_district_day_add(old, -1);
      elsif (old.ward_code, old.district_code, old.confirmed_at) = (new.ward_code, new.district_code, new.confirmed_at) then
        -- The same ward counter row twice, and no day row.
        perform case_counter_add(old, -1, false);
        perform case_counter_add(new, 1, false);
      else
        -- The ward rows of both sides in ward and day order, then the district day rows in
        -- district and day order (see the migration's comment).
        if (old.ward_code, old.confirmed_at) <= (new.ward_code, new.confirmed_at) then
          perform case_counter_add(old, -1, true);
          perform case_counter_add(new, 1, true);
        else
          perform case_counter_add(new, 1, true);
          perform case_counter_add(old, -1, true);
        end if;
        if (old.district_code, old.confirmed_at) <= (new.district_code, new.confirmed_at) then
          perform case_district_day_add(old, -1);
          perform case_district_day_add(new, 1);
        else
          perform case_district_day_add(new, 1);
          perform case_district_day_add(old, -1);
        end if;
      end if;
      return null;
    end $$`.execute(db);
  await sql`drop function case_counter_add(patient, integer)`.execute(db);
  await caseCounterClear(true).execute(db);

  // The cases already there.
  await sql`
    insert into new_case_district_day (district_code, day, count)
    select district_code, (confirmed_at at time zone 'Asia/Ho_Chi_Minh')::date, count(*)
      from patient group by 1, 2`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`lock table patient in share row exclusive mode`.execute(db);
  await wardCounters('days always').execute(db);
  await sql`
    create or replace function case_counter_track() returns trigger language plpgsql set search_path from current as $$
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
  await sql`drop function case_counter_add(patient, integer, boolean)`.execute(db);
  await sql`drop function case_district_day_add(patient, integer)`.execute(db);
  await caseCounterClear(false).execute(db);
  await db.schema.dropTable('new_case_district_day').execute();
}

/**
 * One case's contribution (sign +1 or -1) to its ward's counters and, with `days`, to its ward's
 * day of confirmation. A removal updates rows that its addition created (a check constraint also
 * applies to the row an INSERT proposes, so an upsert of -1 would be refused); a missing row is a
 * broken invariant. `days always` is the function as migration 2026-11-27T05-00-00_case_counters
 * made it, with two arguments.
 */
function wardCounters(form: 'days as an argument' | 'days always') {
  const signature = form === 'days always' ? sql`p patient, sign integer` : sql`p patient, sign integer, days boolean`;
  const always = form === 'days always' ? sql`days constant boolean := true;` : sql``;
  return sql`
    create or replace function case_counter_add(${signature}) returns void language plpgsql set search_path from current as $$
    declare
      ${always}
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
        if days then
          insert into new_case_day as n (ward_code, district_code, day, count)
          values (p.ward_code, p.district_code, confirmed_day, 1)
          on conflict (ward_code, day) do update set count = n.count + 1;
        end if;
      else
        update case_counter set
          active = active + d_active, at_home = at_home + d_home, in_facilities = in_facilities + d_facility,
          tier1 = tier1 + d_tier1, tier2 = tier2 + d_tier2, tier3 = tier3 + d_tier3,
          recovered = recovered + d_recovered, deaths = deaths + d_deaths
         where ward_code = p.ward_code;
        if not found then raise exception 'case counter of ward % missing', p.ward_code; end if;
        if days then
          update new_case_day set count = count - 1 where ward_code = p.ward_code and day = confirmed_day;
          if not found then raise exception 'new-case counter of ward % on % missing', p.ward_code, confirmed_day; end if;
        end if;
      end if;
    end $$`;
}

/** TRUNCATE fires no row trigger: the counters are emptied with the cases. */
function caseCounterClear(withDistrictDays: boolean) {
  return sql`
    create or replace function case_counter_clear() returns trigger language plpgsql set search_path from current as $$
    begin
      delete from case_counter;
      delete from new_case_day;
      ${withDistrictDays ? sql`delete from new_case_district_day;` : sql``}
      return null;
    end $$`;
}
