import { sql, type Kysely } from 'kysely';

/**
 * The coverage counters rolled up per district and year of birth, kept by statement triggers on
 * `coverage` in the same transaction as every change of a ward counter (a dose, a registration,
 * the seed's COPY, any correction): District.vaccination and cityVaccination read about 100 rows
 * per district instead of summing every ward's. The year of birth stays, so that age bands
 * ("over 50") still move with the date.
 *
 * Each statement's changes are summed per district and year of birth from its transition tables
 * and added in (district, year) order, so a bulk statement locks the rollup rows in one order and
 * a COPY of tens of thousands of ward rows costs one upsert per district row. An application write
 * changes one ward row, and so one rollup row.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('district_coverage')
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('birth_year', 'smallint', (c) => c.notNull())
    .addColumn('population', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('dose1', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('fully', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('boosted', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('district_coverage_pk', ['district_code', 'birth_year'])
    .execute();

  // No check constraint on the rollup: PostgreSQL would judge the row an upsert proposes (a
  // delta, possibly a dose without population, or negative) before the conflict made it an
  // update. The ward rows keep their check; the rollup is their sum.
  await sql`
    create function district_coverage_apply() returns trigger language plpgsql set search_path from current as $$
    begin
      if tg_op = 'INSERT' then
        insert into district_coverage as d (district_code, birth_year, population, dose1, fully, boosted)
        select district_code, birth_year, sum(population), sum(dose1), sum(fully), sum(boosted)
          from coverage_new group by 1, 2 order by 1, 2
        on conflict (district_code, birth_year) do update set
          population = d.population + excluded.population, dose1 = d.dose1 + excluded.dose1,
          fully = d.fully + excluded.fully, boosted = d.boosted + excluded.boosted;
      elsif tg_op = 'UPDATE' then
        insert into district_coverage as d (district_code, birth_year, population, dose1, fully, boosted)
        select district_code, birth_year, sum(population), sum(dose1), sum(fully), sum(boosted)
          from (select district_code, birth_year, population, dose1, fully, boosted from coverage_new
                union all
                select district_code, birth_year, -population, -dose1, -fully, -boosted from coverage_old) as change
         group by 1, 2
        having sum(population) <> 0 or sum(dose1) <> 0 or sum(fully) <> 0 or sum(boosted) <> 0
         order by 1, 2
        on conflict (district_code, birth_year) do update set
          population = d.population + excluded.population, dose1 = d.dose1 + excluded.dose1,
          fully = d.fully + excluded.fully, boosted = d.boosted + excluded.boosted;
      else
        insert into district_coverage as d (district_code, birth_year, population, dose1, fully, boosted)
        select district_code, birth_year, -sum(population), -sum(dose1), -sum(fully), -sum(boosted)
          from coverage_old group by 1, 2 order by 1, 2
        on conflict (district_code, birth_year) do update set
          population = d.population + excluded.population, dose1 = d.dose1 + excluded.dose1,
          fully = d.fully + excluded.fully, boosted = d.boosted + excluded.boosted;
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger district_coverage_insert after insert on coverage referencing new table as coverage_new
              for each statement execute function district_coverage_apply()`.execute(db);
  await sql`create trigger district_coverage_update after update on coverage referencing old table as coverage_old new table as coverage_new
              for each statement execute function district_coverage_apply()`.execute(db);
  await sql`create trigger district_coverage_delete after delete on coverage referencing old table as coverage_old
              for each statement execute function district_coverage_apply()`.execute(db);
  // TRUNCATE fires no row trigger and has no transition table: empty the rollup with the counters.
  await sql`
    create function district_coverage_clear() returns trigger language plpgsql set search_path from current as $$
    begin
      delete from district_coverage;
      return null;
    end $$`.execute(db);
  await sql`create trigger district_coverage_truncate after truncate on coverage for each statement execute function district_coverage_clear()`.execute(db);

  // The counters already there.
  await sql`
    insert into district_coverage (district_code, birth_year, population, dose1, fully, boosted)
    select district_code, birth_year, sum(population), sum(dose1), sum(fully), sum(boosted)
      from coverage group by 1, 2`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger district_coverage_truncate on coverage`.execute(db);
  await sql`drop trigger district_coverage_delete on coverage`.execute(db);
  await sql`drop trigger district_coverage_update on coverage`.execute(db);
  await sql`drop trigger district_coverage_insert on coverage`.execute(db);
  await sql`drop function district_coverage_clear()`.execute(db);
  await sql`drop function district_coverage_apply()`.execute(db);
  await db.schema.dropTable('district_coverage').execute();
}
