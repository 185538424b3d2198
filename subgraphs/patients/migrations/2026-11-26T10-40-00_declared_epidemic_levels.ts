import { sql, type Kysely } from 'kysely';

/**
 * Declared (official) epidemic levels: a decision of the district or city naming the level of a
 * ward or district from a date, with the measures in force. Every declaration is kept; the one in
 * force on a day is the latest effective on or before it. A decision number is declared once per area.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('epidemic_level_declaration')
    .addColumn('id', 'bigint', (c) => c.generatedAlwaysAsIdentity().primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull().check(sql`scope in ('WARD', 'DISTRICT')`))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('level', 'smallint', (c) => c.notNull().check(sql`level between 1 and 4`))
    .addColumn('decision_number', 'text', (c) => c.notNull())
    .addColumn('effective_from', 'date', (c) => c.notNull())
    .addColumn('measures', sql`text[]`, (c) => c.notNull())
    .addColumn('declared_by', 'text', (c) => c.notNull())
    .addColumn('declared_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('epidemic_level_declaration_decision', ['scope', 'code', 'decision_number'])
    .execute();
  await db.schema
    .createIndex('epidemic_level_declaration_in_force_idx')
    .on('epidemic_level_declaration')
    .columns(['scope', 'code', 'effective_from', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('epidemic_level_declaration').execute();
}
