import { sql, type Kysely } from 'kysely';

/** Which demo data set (if any) this schema holds, so re-running the seed is safe. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('demo_seed')
    .addColumn('id', 'integer', (c) => c.primaryKey().defaultTo(1).check(sql`id = 1`))
    .addColumn('scale', 'text', (c) => c.notNull())
    .addColumn('seeded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('demo_seed').execute();
}
