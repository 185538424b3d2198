import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('district')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('population', 'integer', (c) => c.notNull().check(sql`population >= 0`))
    .execute();

  await db.schema
    .createTable('ward')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('district_code', 'text', (c) => c.notNull().references('district.code'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('population', 'integer', (c) => c.notNull().check(sql`population >= 0`))
    .execute();
  await db.schema.createIndex('ward_district_idx').on('ward').column('district_code').execute();

  await db.schema
    .createTable('facility')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('ownership', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('ward_code', 'text', (c) => c.notNull().references('ward.code'))
    .addColumn('district_code', 'text', (c) => c.notNull().references('district.code'))
    .addColumn('serves_tiers', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('address', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('facility_district_idx').on('facility').columns(['district_code', 'name', 'id']).execute();
  await db.schema.createIndex('facility_ward_idx').on('facility').columns(['ward_code', 'name', 'id']).execute();
  await db.schema.createIndex('facility_name_idx').on('facility').columns(['name', 'id']).execute();

  await db.schema
    .createTable('bed')
    .addColumn('facility_id', 'text', (c) => c.notNull().references('facility.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('covid_designated', 'integer', (c) => c.notNull())
    .addColumn('occupied', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('bed_pk', ['facility_id', 'kind'])
    // The last line of defence: even a buggy write path cannot overbook a bed kind.
    .addCheckConstraint('bed_counts_consistent', sql`occupied >= 0 and covid_designated >= occupied and total >= covid_designated`)
    .execute();

  await db.schema
    .createTable('admission')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('facility_id', 'text', (c) => c.notNull().references('facility.id'))
    .addColumn('bed_kind', 'text', (c) => c.notNull())
    .addColumn('admitted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('discharged_at', 'timestamptz')
    .addColumn('outcome', 'text')
    .addColumn('transferred_to', 'uuid', (c) => c.references('admission.id'))
    .addColumn('transferred_from', 'uuid', (c) => c.references('admission.id'))
    .addColumn('idempotency_key', 'text', (c) => c.unique())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addCheckConstraint('admission_discharge_consistent', sql`(discharged_at is null) = (outcome is null)`)
    .execute();
  // A patient holds at most one active admission, whatever the write path.
  await db.schema
    .createIndex('admission_one_active_per_patient')
    .on('admission')
    .column('patient_id')
    .unique()
    .where(sql.ref('discharged_at'), 'is', null)
    .execute();
  await db.schema.createIndex('admission_patient_idx').on('admission').columns(['patient_id', 'admitted_at']).execute();
  await db.schema.createIndex('admission_facility_active_idx').on('admission').column('facility_id').where(sql.ref('discharged_at'), 'is', null).execute();

  // What facilities knows of patients, from the patients subgraph's events (no personal data).
  await db.schema
    .createTable('known_patient')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ward_code', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['known_patient', 'admission', 'bed', 'facility', 'ward', 'district']) {
    await db.schema.dropTable(table).execute();
  }
}
