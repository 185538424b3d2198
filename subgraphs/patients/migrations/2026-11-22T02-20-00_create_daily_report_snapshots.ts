import { sql, type Kysely } from 'kysely';

/**
 * Reports of past days, frozen the first time they are produced, and the history of each
 * patient's care setting (home or facility), so a report can say where patients were on a day.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('care_setting_change')
    .addColumn('id', 'bigint', (c) => c.generatedAlwaysAsIdentity().primaryKey())
    .addColumn('patient_id', 'uuid', (c) => c.notNull().references('patient.id'))
    .addColumn('care_setting', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('care_setting_change_patient_idx').on('care_setting_change').columns(['patient_id', 'at']).execute();
  await db.schema
    .createTable('daily_report_snapshot')
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('figures', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('daily_report_snapshot_pk', ['day', 'scope'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('daily_report_snapshot').execute();
  await db.schema.dropTable('care_setting_change').execute();
}
