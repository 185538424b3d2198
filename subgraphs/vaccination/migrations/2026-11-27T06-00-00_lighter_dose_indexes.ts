import { sql, type Kysely } from 'kysely';

/**
 * Two indexes of vaccination_record cost more than they gave (measured on the city's 15 M doses):
 * - (resident_id, administered_at) repeated the lookup by resident that the unique
 *   (resident_id, administered_on) index already serves with the same plan (a resident has at
 *   most a handful of doses, sorted by time in memory);
 * - the unique idempotency key held one entry per dose although only doses recorded through
 *   the API have a key: a partial unique index over the keyed rows keeps the same name, the
 *   same refusal of a reused key, and the same lookup by key.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('vaccination_record_resident_idx').execute();
  await db.schema.alterTable('vaccination_record').dropConstraint('vaccination_record_idempotency_key_key').execute();
  await db.schema
    .createIndex('vaccination_record_idempotency_key_key')
    .on('vaccination_record')
    .column('idempotency_key')
    .unique()
    .where(sql.ref('idempotency_key'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('vaccination_record_idempotency_key_key').execute();
  await db.schema.alterTable('vaccination_record').addUniqueConstraint('vaccination_record_idempotency_key_key', ['idempotency_key']).execute();
  await db.schema.createIndex('vaccination_record_resident_idx').on('vaccination_record').columns(['resident_id', 'administered_at']).execute();
}
