/** Doses given: the vaccination records. */
import type { Insertable, Kysely, Transaction } from 'kysely';
import { toVaccinationRecord, type VaccinationRecord } from './mappers.js';
import type { VaccinationDB, VaccinationRecordTable } from './tables.js';

export async function recordsOfResidents(db: Kysely<VaccinationDB>, residentIds: readonly string[]): Promise<VaccinationRecord[]> {
  if (residentIds.length === 0) return [];
  const rows = await db.selectFrom('vaccination_record').selectAll().where('resident_id', 'in', residentIds).orderBy('administered_at').execute();
  return rows.map(toVaccinationRecord);
}

export async function recordByIdempotencyKey(db: Kysely<VaccinationDB>, key: string): Promise<VaccinationRecord | undefined> {
  const row = await db.selectFrom('vaccination_record').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
  return row && toVaccinationRecord(row);
}

export async function insertRecord(trx: Transaction<VaccinationDB>, values: Insertable<VaccinationRecordTable>): Promise<VaccinationRecord> {
  return toVaccinationRecord(await trx.insertInto('vaccination_record').values(values).returningAll().executeTakeFirstOrThrow());
}
