import { sql, type Kysely } from 'kysely';

/**
 * The quarantine orders in force per concentrated quarantine area, projected from the patients
 * subgraph's quarantine events: an area's occupancy is its recorded occupants plus these.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('quarantine_stay')
    .addColumn('order_id', 'uuid', (c) => c.primaryKey())
    .addColumn('facility_id', 'text', (c) => c.notNull().references('facility.id'))
    .addColumn('active', 'boolean', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('quarantine_stay_active_idx').on('quarantine_stay').column('facility_id').where(sql.raw<boolean>('active')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('quarantine_stay').execute();
}
