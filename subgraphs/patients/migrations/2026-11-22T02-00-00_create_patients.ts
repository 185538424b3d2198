import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create sequence case_code_seq`.execute(db);

  await db.schema
    .createTable('patient')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('case_code', 'text', (c) => c.notNull().unique())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('date_of_birth', 'date', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('national_id', 'text')
    .addColumn('phone', 'text')
    .addColumn('ward_code', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('confirmation', 'text', (c) => c.notNull())
    .addColumn('risk_factors', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('UNDER_TREATMENT'))
    .addColumn('care_setting', 'text', (c) => c.notNull().defaultTo('HOME'))
    .addColumn('facility_id', 'text')
    .addColumn('admission_id', 'text')
    .addColumn('last_check_at', 'timestamptz')
    .addColumn('ended_at', 'timestamptz')
    .addColumn('registered_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('registered_by', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.unique())
    .addCheckConstraint('patient_closed_has_end', sql`(status = 'UNDER_TREATMENT') = (ended_at is null)`)
    .execute();
  // One open case per citizen ID (reinfection opens a new case after the first is closed).
  await db.schema
    .createIndex('patient_one_open_case_per_national_id')
    .on('patient')
    .column('national_id')
    .unique()
    .where(sql.raw<boolean>(`status = 'UNDER_TREATMENT' and national_id is not null`))
    .execute();
  await db.schema.createIndex('patient_district_status_idx').on('patient').columns(['district_code', 'status', 'tier']).execute();
  await db.schema.createIndex('patient_ward_status_idx').on('patient').columns(['ward_code', 'status', 'tier']).execute();
  await db.schema.createIndex('patient_confirmed_idx').on('patient').columns(['confirmed_at']).execute();
  await db.schema
    .createIndex('patient_home_check_idx')
    .on('patient')
    .columns(['ward_code', 'last_check_at'])
    .where(sql.raw<boolean>(`status = 'UNDER_TREATMENT' and care_setting = 'HOME'`))
    .execute();

  await db.schema
    .createTable('tier_change')
    .addColumn('id', 'bigint', (c) => c.generatedAlwaysAsIdentity().primaryKey())
    .addColumn('patient_id', 'uuid', (c) => c.notNull().references('patient.id'))
    .addColumn('from_tier', 'text', (c) => c.notNull())
    .addColumn('to_tier', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tier_change_patient_idx').on('tier_change').columns(['patient_id', 'at']).execute();
  await db.schema.createIndex('tier_change_at_idx').on('tier_change').columns(['at']).execute();

  await db.schema
    .createTable('daily_check')
    .addColumn('id', 'bigint', (c) => c.generatedAlwaysAsIdentity().primaryKey())
    .addColumn('patient_id', 'uuid', (c) => c.notNull().references('patient.id'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('spo2', 'integer', (c) => c.notNull())
    .addColumn('temperature_c', sql`numeric(4,1)`)
    .addColumn('respiratory_rate', 'integer')
    .addColumn('heart_rate', 'integer')
    .addColumn('systolic', 'integer')
    .addColumn('diastolic', 'integer')
    .addColumn('symptoms', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('warning_signs', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('needs_escalation', 'boolean', (c) => c.notNull())
    .addColumn('suggested_tier', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('daily_check_patient_idx').on('daily_check').columns(['patient_id', 'at']).execute();

  await db.schema
    .createTable('isolation_order')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('patient_id', 'uuid', (c) => c.notNull().references('patient.id'))
    .addColumn('document_number', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'date', (c) => c.notNull())
    .addColumn('planned_end_on', 'date', (c) => c.notNull())
    .addColumn('ended_at', 'timestamptz')
    .addColumn('issued_by', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('isolation_order_dates', sql`planned_end_on >= starts_on`)
    .execute();
  await db.schema.createIndex('isolation_order_patient_idx').on('isolation_order').column('patient_id').execute();

  await db.schema
    .createTable('medicine_package')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('patient_id', 'uuid', (c) => c.notNull().references('patient.id'))
    .addColumn('package', 'text', (c) => c.notNull())
    .addColumn('dispensed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('doctor_order', 'boolean', (c) => c.notNull())
    .addColumn('screened', 'boolean', (c) => c.notNull())
    .addColumn('consent', 'boolean', (c) => c.notNull())
    .addColumn('dispensed_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('medicine_package_patient_idx').on('medicine_package').column('patient_id').execute();

  await db.schema
    .createTable('help_request')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('patient_id', 'uuid', (c) => c.references('patient.id'))
    .addColumn('ward_code', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('caller_phone', 'text')
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('acknowledged_at', 'timestamptz')
    .addColumn('acknowledged_by', 'text')
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('resolved_by', 'text')
    .addColumn('resolution', 'text')
    .addColumn('idempotency_key', 'text', (c) => c.unique())
    .addCheckConstraint('help_request_order', sql`(resolved_at is null or acknowledged_at is not null)`)
    .execute();
  await db.schema.createIndex('help_request_ward_open_idx').on('help_request').columns(['ward_code', 'opened_at']).where(sql.ref('resolved_at'), 'is', null).execute();
  await db.schema.createIndex('help_request_opened_idx').on('help_request').columns(['opened_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['help_request', 'medicine_package', 'isolation_order', 'daily_check', 'tier_change', 'patient']) {
    await db.schema.dropTable(table).execute();
  }
  await sql`drop sequence case_code_seq`.execute(db);
}
