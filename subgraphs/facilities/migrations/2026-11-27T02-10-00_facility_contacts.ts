import { sql, type Kysely } from 'kysely';

/**
 * How citizens reach a facility (its phones, a hotline, Zalo groups, opening hours): public
 * information of a place, owned with the place, readable by every signed-in client.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('facility_contact')
    .addColumn('facility_id', 'text', (c) => c.primaryKey().references('facility.id'))
    .addColumn('phones', sql`text[]`, (c) => c.notNull())
    .addColumn('hotline', 'text')
    .addColumn('zalo_groups', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('hours', 'text')
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('facility_contact').execute();
}
