import { sql, type Kysely } from 'kysely';

/**
 * Coverage kept as counters per ward and year of birth, updated in the same transaction as
 * every dose and every registration: a city-wide coverage query sums a few tens of thousands of
 * counter rows instead of scanning millions of records, and any age band can be derived.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('resident')
    .addColumn('fully_vaccinated', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('primary_completed_on', 'date')
    .execute();

  await db.schema
    .createTable('coverage')
    .addColumn('ward_code', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('birth_year', 'smallint', (c) => c.notNull())
    .addColumn('population', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('dose1', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('fully', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('boosted', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('coverage_pk', ['ward_code', 'birth_year'])
    .addCheckConstraint('coverage_consistent', sql`population >= dose1 and dose1 >= fully and fully >= boosted and boosted >= 0`)
    .execute();
  await db.schema.createIndex('coverage_district_idx').on('coverage').columns(['district_code', 'birth_year']).execute();

  await db.schema
    .createTable('dose_day')
    .addColumn('ward_code', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('dose', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('dose_day_pk', ['ward_code', 'day', 'dose'])
    .execute();
  await db.schema.createIndex('dose_day_district_idx').on('dose_day').columns(['district_code', 'day']).execute();

  await db.schema
    .createTable('home_vaccination_request')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('resident_id', 'text', (c) => c.notNull().references('resident.id'))
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('scheduled_for', 'date')
    .addColumn('done_at', 'timestamptz')
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('home_vaccination_open_idx')
    .on('home_vaccination_request')
    .column('resident_id')
    .unique()
    .where(sql.ref('done_at'), 'is', null)
    .execute();
  await db.schema.createIndex('resident_gap_idx').on('resident').columns(['ward_code', 'doses', 'date_of_birth']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('home_vaccination_request').execute();
  await db.schema.dropTable('dose_day').execute();
  await db.schema.dropTable('coverage').execute();
  await db.schema.alterTable('resident').dropColumn('fully_vaccinated').dropColumn('primary_completed_on').execute();
}
