import { sql, type Kysely } from 'kysely';

/**
 * What the treatment snapshot needs to answer for any past day: the report category of each care
 * setting change (district or city collection site, hospital...), and when a tier-3 patient was
 * recorded critical or no longer critical.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('care_setting_change').addColumn('care_place', 'text').execute();
  await sql`update care_setting_change set care_place = 'HOME' where care_setting = 'HOME'`.execute(db);
  await db.schema
    .createTable('critical_status_change')
    .addColumn('id', 'bigint', (c) => c.generatedAlwaysAsIdentity().primaryKey())
    .addColumn('patient_id', 'uuid', (c) => c.notNull().references('patient.id'))
    .addColumn('critical', 'boolean', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('critical_status_change_patient_idx').on('critical_status_change').columns(['patient_id', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('critical_status_change').execute();
  await db.schema.alterTable('care_setting_change').dropColumn('care_place').execute();
}
