import type { Kysely } from 'kysely';

/**
 * A resident's latest refusal of vaccination, with its reason and day, so that the list of
 * refusals can be visited again. A dose given after the refusal takes the resident off the list.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('resident')
    .addColumn('refused_on', 'date')
    .addColumn('refusal_reason', 'text')
    .addColumn('refusal_recorded_by', 'text')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('resident').dropColumn('refused_on').dropColumn('refusal_reason').dropColumn('refusal_recorded_by').execute();
}
