/** Care assignments, and the patients workforce knows from the patients subgraph's events. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { CareSetting, PatientStatus } from '../../common/domain/enums.js';
import type { CareEndReason } from '../domain/workforce.js';
import { toCareAssignment, toKnownPatient, type CareAssignment, type KnownPatient } from './mappers.js';
import type { WorkforceDB } from './tables.js';
import { releaseCaseloadPlace } from './worker.repository.js';

export async function openAssignmentOf(db: Kysely<WorkforceDB>, patientId: string): Promise<CareAssignment | undefined> {
  const row = await db.selectFrom('care_assignment').selectAll().where('patient_id', '=', patientId).where('ended_at', 'is', null).executeTakeFirst();
  return row && toCareAssignment(row);
}

export async function openAssignmentsOfPatients(db: Kysely<WorkforceDB>, patientIds: readonly string[]): Promise<CareAssignment[]> {
  if (patientIds.length === 0) return [];
  return (await db.selectFrom('care_assignment').selectAll().where('patient_id', 'in', patientIds).where('ended_at', 'is', null).execute()).map(toCareAssignment);
}

export async function openAssignmentsOfWorkers(db: Kysely<WorkforceDB>, workerIds: readonly string[]): Promise<CareAssignment[]> {
  if (workerIds.length === 0) return [];
  const rows = await db.selectFrom('care_assignment').selectAll().where('worker_id', 'in', workerIds).where('ended_at', 'is', null).orderBy('assigned_at').execute();
  return rows.map(toCareAssignment);
}

export async function insertAssignment(trx: Transaction<WorkforceDB>, patientId: string, workerId: string, by: string): Promise<CareAssignment> {
  const row = await trx
    .insertInto('care_assignment')
    .values({ patient_id: patientId, worker_id: workerId, assigned_by: by, ended_at: null, end_reason: null })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toCareAssignment(row);
}

/** Ends the patient's open assignment, if any, and frees the worker's place. */
export async function endAssignment(trx: Transaction<WorkforceDB>, patientId: string, reason: CareEndReason): Promise<CareAssignment | undefined> {
  const ended = await trx
    .updateTable('care_assignment')
    .set({ ended_at: sql`now()`, end_reason: reason })
    .where('patient_id', '=', patientId)
    .where('ended_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  if (!ended) return undefined;
  await releaseCaseloadPlace(trx, ended.worker_id);
  return toCareAssignment(ended);
}

export async function knownPatient(db: Kysely<WorkforceDB>, id: string): Promise<KnownPatient | undefined> {
  const row = await db.selectFrom('known_patient').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toKnownPatient(row);
}

export async function knownPatientsByIds(db: Kysely<WorkforceDB>, ids: readonly string[]): Promise<KnownPatient[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('known_patient').selectAll().where('id', 'in', ids).execute()).map(toKnownPatient);
}

/**
 * The projected patient, share-locked for the rest of the transaction: the projection's update
 * (a case closed or admitted in another subgraph) waits for a care write in flight, and a care
 * write waits for a change being applied, so the two can never pass each other.
 */
export async function lockKnownPatient(trx: Transaction<WorkforceDB>, id: string): Promise<KnownPatient | undefined> {
  const row = await trx.selectFrom('known_patient').selectAll().where('id', '=', id).forShare().executeTakeFirst();
  return row && toKnownPatient(row);
}

/** Applies a patient state event; an older event never overwrites a newer state. */
export async function upsertKnownPatient(
  trx: Transaction<WorkforceDB>,
  p: { id: string; wardCode: string; districtCode: string; status: PatientStatus; careSetting: CareSetting; at: Date },
): Promise<void> {
  const state = { ward_code: p.wardCode, district_code: p.districtCode, status: p.status, care_setting: p.careSetting, updated_at: p.at };
  await trx
    .insertInto('known_patient')
    .values({ id: p.id, ...state })
    .onConflict((oc) => oc.column('id').doUpdateSet(state).where('known_patient.updated_at', '<=', p.at))
    .execute();
}

/** Home patients under treatment in the ward without an open care assignment, oldest first. */
export async function unassignedHomePatients(db: Kysely<WorkforceDB>, wardCode: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('known_patient as p')
    .select('p.id')
    .where('p.ward_code', '=', wardCode)
    .where('p.status', '=', 'UNDER_TREATMENT')
    .where('p.care_setting', '=', 'HOME')
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('care_assignment as c').select('c.id').whereRef('c.patient_id', '=', 'p.id').where('c.ended_at', 'is', null))))
    .orderBy('p.updated_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
