import type { Kysely } from 'kysely';

/**
 * Assessments are made by the assessor, not by reads: the current level keeps the inputs it was
 * computed from, so a read can return it as it is; one row per city day claims the daily
 * assessment, so several replicas do not each run it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('epidemic_level_current').addColumn('inputs', 'jsonb').execute();
  await db.schema
    .createTable('epidemic_daily_run')
    .addColumn('day', 'date', (c) => c.primaryKey())
    .addColumn('claimed_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('epidemic_daily_run').execute();
  await db.schema.alterTable('epidemic_level_current').dropColumn('inputs').execute();
}
