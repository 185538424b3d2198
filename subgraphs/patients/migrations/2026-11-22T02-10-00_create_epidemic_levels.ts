import { sql, type Kysely } from 'kysely';

/** The last assessed epidemic level of each ward and district, and every change of it. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('epidemic_level_current')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('level', 'smallint', (c) => c.notNull())
    .addColumn('assessed_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('epidemic_level_current_pk', ['scope', 'code'])
    .execute();
  await db.schema
    .createTable('epidemic_level_change')
    .addColumn('id', 'bigint', (c) => c.generatedAlwaysAsIdentity().primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('level', 'smallint', (c) => c.notNull())
    .addColumn('previous_level', 'smallint')
    .addColumn('inputs', 'jsonb', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('epidemic_level_change_area_idx').on('epidemic_level_change').columns(['scope', 'code', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('epidemic_level_change').execute();
  await db.schema.dropTable('epidemic_level_current').execute();
}
