import { sql, type Kysely } from 'kysely';

/**
 * The 07:00 report duty: each ward station submits (or confirms) its daily report. Every
 * submission is kept; a resubmission before the deadline supersedes the previous one, so at most
 * one submission per ward and day is current. The computed figures the ward confirmed are stored
 * with it, as they were when it submitted.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ward_report_submission')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('ward_code', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('submitted_by', 'text', (c) => c.notNull())
    .addColumn('submitted_by_role', 'text', (c) => c.notNull())
    .addColumn('on_behalf', 'boolean', (c) => c.notNull())
    .addColumn('computed', 'jsonb', (c) => c.notNull())
    .addColumn('corrections', 'jsonb', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('superseded_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('ward_report_submission_current')
    .on('ward_report_submission')
    .columns(['ward_code', 'day'])
    .unique()
    .where(sql.ref('superseded_at'), 'is', null)
    .execute();
  // Retry keys belong to whoever submits: two officers who pick the same key each get their own.
  await db.schema.createIndex('ward_report_submission_submitter_key').on('ward_report_submission').columns(['submitted_by', 'idempotency_key']).unique().execute();
  await db.schema.createIndex('ward_report_submission_day_idx').on('ward_report_submission').columns(['day', 'district_code']).execute();
  // The data-entry lag reads cases by confirmation time per area.
  await db.schema.createIndex('patient_ward_confirmed_idx').on('patient').columns(['ward_code', 'confirmed_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('patient_ward_confirmed_idx').execute();
  await db.schema.dropTable('ward_report_submission').execute();
}
