import { sql, type Kysely } from 'kysely';

/**
 * F1 contacts of a case and their quarantine orders. A contact is a person (with the same
 * personal data as a patient) and one exposure to an index case; `patient_id` is the case the
 * contact became when they tested positive. Decision numbers (start and end decisions share one
 * numbering per issuing ward) are unique per ward through `quarantine_decision`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('contact')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('date_of_birth', 'date', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('national_id', 'text')
    .addColumn('phone', 'text')
    .addColumn('ward_code', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('index_patient_id', 'uuid', (c) => c.notNull().references('patient.id'))
    .addColumn('exposure', 'text', (c) => c.notNull())
    .addColumn('exposed_on', 'date', (c) => c.notNull())
    .addColumn('patient_id', 'uuid', (c) => c.unique().references('patient.id'))
    .addColumn('converted_at', 'timestamptz')
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.unique())
    .addCheckConstraint('contact_converted_consistent', sql`(patient_id is null) = (converted_at is null)`)
    .execute();
  await db.schema.createIndex('contact_ward_idx').on('contact').columns(['ward_code', 'recorded_at']).execute();
  await db.schema.createIndex('contact_district_idx').on('contact').columns(['district_code']).execute();
  await db.schema.createIndex('contact_index_patient_idx').on('contact').columns(['index_patient_id']).execute();

  await db.schema
    .createTable('quarantine_order')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('contact_id', 'uuid', (c) => c.notNull().references('contact.id'))
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('facility_id', 'text')
    .addColumn('facility_ward_code', 'text')
    .addColumn('issuing_ward_code', 'text', (c) => c.notNull())
    .addColumn('decision_number', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'date', (c) => c.notNull())
    .addColumn('planned_end_on', 'date', (c) => c.notNull())
    .addColumn('end_decision_number', 'text')
    .addColumn('ended_on', 'date')
    .addColumn('end_reason', 'text')
    .addColumn('issued_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('issued_by', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'timestamptz')
    .addColumn('ended_by', 'text')
    .addColumn('idempotency_key', 'text', (c) => c.unique())
    .addCheckConstraint('quarantine_order_place', sql`(place = 'HOME' and facility_id is null) or (place = 'QUARANTINE_AREA' and facility_id is not null and facility_ward_code is not null)`)
    .addCheckConstraint(
      'quarantine_order_end_consistent',
      sql`(ended_on is null) = (end_reason is null) and (ended_on is null) = (ended_at is null) and (ended_on is null) = (end_decision_number is null)`,
    )
    .addCheckConstraint('quarantine_order_dates', sql`planned_end_on >= starts_on and (ended_on is null or ended_on >= starts_on)`)
    .execute();
  // At most one order in force per contact.
  await db.schema
    .createIndex('quarantine_order_one_active_per_contact')
    .on('quarantine_order')
    .column('contact_id')
    .unique()
    .where(sql.raw<boolean>('ended_on is null'))
    .execute();
  await db.schema.createIndex('quarantine_order_active_facility_idx').on('quarantine_order').column('facility_id').where(sql.raw<boolean>('ended_on is null')).execute();

  // One numbering of decisions per issuing ward, starts and ends alike.
  await db.schema
    .createTable('quarantine_decision')
    .addColumn('ward_code', 'text', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('order_id', 'uuid', (c) => c.notNull().references('quarantine_order.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('quarantine_decision_pk', ['ward_code', 'number'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('quarantine_decision').execute();
  await db.schema.dropTable('quarantine_order').execute();
  await db.schema.dropTable('contact').execute();
}
