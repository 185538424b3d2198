import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('health_worker')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('home_ward_code', 'text', (c) => c.notNull())
    .addColumn('home_district_code', 'text', (c) => c.notNull())
    .addColumn('max_caseload', 'integer', (c) => c.notNull().check(sql`max_caseload > 0`))
    // Kept in the same transaction as each care assignment; the check makes overload impossible.
    .addColumn('caseload', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('health_worker_caseload_within_cap', sql`caseload >= 0 and caseload <= max_caseload`)
    .execute();
  await db.schema.createIndex('health_worker_ward_idx').on('health_worker').columns(['home_ward_code', 'active']).execute();
  await db.schema.createIndex('health_worker_district_idx').on('health_worker').columns(['home_district_code', 'active']).execute();

  await db.schema
    .createTable('team')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ward_code', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('lead_worker_id', 'text', (c) => c.references('health_worker.id'))
    .execute();
  await db.schema.createIndex('team_ward_idx').on('team').column('ward_code').execute();

  await db.schema
    .createTable('team_member')
    .addColumn('team_id', 'text', (c) => c.notNull().references('team.id'))
    .addColumn('worker_id', 'text', (c) => c.notNull().references('health_worker.id'))
    .addPrimaryKeyConstraint('team_member_pk', ['team_id', 'worker_id'])
    .execute();
  await db.schema.createIndex('team_member_worker_idx').on('team_member').column('worker_id').execute();

  await db.schema
    .createTable('area_assignment')
    .addColumn('worker_id', 'text', (c) => c.notNull().references('health_worker.id'))
    .addColumn('ward_code', 'text', (c) => c.notNull())
    .addColumn('residential_group', 'text', (c) => c.notNull().defaultTo(''))
    .addPrimaryKeyConstraint('area_assignment_pk', ['worker_id', 'ward_code', 'residential_group'])
    .execute();
  await db.schema.createIndex('area_assignment_ward_idx').on('area_assignment').column('ward_code').execute();

  await db.schema
    .createTable('facility_duty')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('worker_id', 'text', (c) => c.notNull().references('health_worker.id'))
    .addColumn('facility_id', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('facility_duty_facility_idx').on('facility_duty').columns(['facility_id', 'ends_at']).execute();

  await db.schema
    .createTable('care_assignment')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('worker_id', 'text', (c) => c.notNull().references('health_worker.id'))
    .addColumn('assigned_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('ended_at', 'timestamptz')
    .addColumn('end_reason', 'text')
    .addColumn('assigned_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('care_assignment_one_open_per_patient')
    .on('care_assignment')
    .column('patient_id')
    .unique()
    .where(sql.ref('ended_at'), 'is', null)
    .execute();
  await db.schema.createIndex('care_assignment_worker_idx').on('care_assignment').columns(['worker_id', 'ended_at']).execute();

  // What workforce knows of patients, from the patients subgraph's events (no personal data).
  await db.schema
    .createTable('known_patient')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ward_code', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('care_setting', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('known_patient_home_idx')
    .on('known_patient')
    .columns(['ward_code'])
    .where(sql.raw<boolean>(`status = 'UNDER_TREATMENT' and care_setting = 'HOME'`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['known_patient', 'care_assignment', 'facility_duty', 'area_assignment', 'team_member', 'team', 'health_worker']) {
    await db.schema.dropTable(t).execute();
  }
}
