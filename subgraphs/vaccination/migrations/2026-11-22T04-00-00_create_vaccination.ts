import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('resident')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('national_id', 'text', (c) => c.notNull().unique())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('date_of_birth', 'date', (c) => c.notNull())
    .addColumn('ward_code', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('comorbidities', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('homebound', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('student', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('doses', 'smallint', (c) => c.notNull().defaultTo(0))
    .addColumn('primary_doses', 'smallint', (c) => c.notNull().defaultTo(0))
    .addColumn('boosted', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('last_dose_on', 'date')
    .execute();
  await db.schema.createIndex('resident_ward_idx').on('resident').columns(['ward_code', 'date_of_birth']).execute();

  await db.schema
    .createTable('vaccination_record')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('resident_id', 'text', (c) => c.notNull().references('resident.id'))
    .addColumn('dose', 'text', (c) => c.notNull())
    .addColumn('vaccine', 'text', (c) => c.notNull())
    .addColumn('lot', 'text')
    .addColumn('administered_at', 'timestamptz', (c) => c.notNull())
    .addColumn('administered_on', 'date', (c) => c.notNull())
    .addColumn('site_facility_id', 'text')
    .addColumn('at_home', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.unique())
    .execute();
  await db.schema.createIndex('vaccination_record_resident_idx').on('vaccination_record').columns(['resident_id', 'administered_at']).execute();
  // Same-day duplicates are refused whatever the write path.
  await db.schema.createIndex('vaccination_record_one_per_day').on('vaccination_record').columns(['resident_id', 'administered_on']).unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('vaccination_record').execute();
  await db.schema.dropTable('resident').execute();
}
