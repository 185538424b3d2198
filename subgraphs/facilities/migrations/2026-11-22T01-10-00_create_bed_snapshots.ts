import { sql, type Kysely } from 'kysely';

/** Bed counts at the end of past days, frozen the first time a report asks for them. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('bed_snapshot')
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('covid_designated', 'integer', (c) => c.notNull())
    .addColumn('occupied', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('bed_snapshot_pk', ['day', 'scope', 'kind'])
    .execute();
  await db.schema.createIndex('admission_period_idx').on('admission').columns(['facility_id', 'admitted_at', 'discharged_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('admission_period_idx').execute();
  await db.schema.dropTable('bed_snapshot').execute();
}
