import type { Kysely } from 'kysely';

/** Why a clinician placed a patient in a bed of another kind than the tier needs (null when not). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('admission').addColumn('bed_kind_override_reason', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('admission').dropColumn('bed_kind_override_reason').execute();
}
