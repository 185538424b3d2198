/** Requests for the home-vaccination team. At most one is open (neither done nor cancelled) per resident. */
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { AreaFilter } from './site.repository.js';
import { toHomeVaccinationRequest, type HomeVaccinationRequest } from './mappers.js';
import type { HomeVaccinationRequestTable, VaccinationDB } from './tables.js';

/** An open request: neither done nor cancelled (the predicate of the one-open-per-resident index). */
const OPEN = sql<boolean>`done_at is null and cancelled_at is null`;

export async function openHomeRequest(db: Kysely<VaccinationDB>, residentId: string): Promise<HomeVaccinationRequest | undefined> {
  const row = await db.selectFrom('home_vaccination_request').selectAll().where('resident_id', '=', residentId).where(OPEN).executeTakeFirst();
  return row && toHomeVaccinationRequest(row);
}

/** A request locked for a change of its state (assignment, cancellation). */
export async function lockHomeRequest(trx: Transaction<VaccinationDB>, id: string): Promise<HomeVaccinationRequest | undefined> {
  const row = await trx.selectFrom('home_vaccination_request').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row && toHomeVaccinationRequest(row);
}

export async function assignHomeRequest(trx: Transaction<VaccinationDB>, id: string, teamId: string, by: string, at: Date): Promise<HomeVaccinationRequest> {
  const row = await trx.updateTable('home_vaccination_request').set({ team_id: teamId, assigned_at: at, assigned_by: by }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  return toHomeVaccinationRequest(row);
}

export async function cancelHomeRequest(trx: Transaction<VaccinationDB>, id: string, reason: string, by: string, at: Date): Promise<HomeVaccinationRequest> {
  const row = await trx
    .updateTable('home_vaccination_request')
    .set({ cancelled_at: at, cancel_reason: reason, cancelled_by: by })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toHomeVaccinationRequest(row);
}

/** A page of the open requests of a ward or district, oldest first (the longest waiting on top). */
export async function openHomeRequestsOfArea(db: Kysely<VaccinationDB>, area: AreaFilter, after: [string, string] | undefined, limit: number): Promise<HomeVaccinationRequest[]> {
  let query = db.selectFrom('home_vaccination_request').selectAll().where(OPEN);
  if (area.wardCode) query = query.where('ward_code', '=', area.wardCode);
  if (area.districtCode) query = query.where('district_code', '=', area.districtCode);
  if (after) query = query.where(sql`(requested_at, id)`, '>', sql`(${new Date(after[0])}::timestamptz, ${after[1]}::uuid)`);
  return (await query.orderBy('requested_at').orderBy('id').limit(limit).execute()).map(toHomeVaccinationRequest);
}

export async function homeRequestsOfResidents(db: Kysely<VaccinationDB>, residentIds: readonly string[]): Promise<HomeVaccinationRequest[]> {
  if (residentIds.length === 0) return [];
  const rows = await db.selectFrom('home_vaccination_request').selectAll().where('resident_id', 'in', residentIds).orderBy('requested_at', 'desc').execute();
  return rows.map(toHomeVaccinationRequest);
}

/**
 * Opens a request, unless the resident has an open one (at most one, by a partial unique index):
 * then undefined. Two requests for a resident at once thus make one, and the other caller reads it.
 */
export async function insertHomeRequest(db: Kysely<VaccinationDB>, values: Insertable<HomeVaccinationRequestTable>): Promise<HomeVaccinationRequest | undefined> {
  const row = await db
    .insertInto('home_vaccination_request')
    .values(values)
    .onConflict((oc) => oc.column('resident_id').where(OPEN).doNothing())
    .returningAll()
    .executeTakeFirst();
  return row && toHomeVaccinationRequest(row);
}

/** Gives an open request a day; undefined when it closed in the meantime (a dose, a cancellation). */
export async function rescheduleHomeRequest(db: Kysely<VaccinationDB>, id: string, scheduledFor: string): Promise<HomeVaccinationRequest | undefined> {
  const row = await db
    .updateTable('home_vaccination_request')
    .set({ scheduled_for: scheduledFor })
    .where('id', '=', id)
    .where(OPEN)
    .returningAll()
    .executeTakeFirst();
  return row && toHomeVaccinationRequest(row);
}

/** A dose recorded for the resident closes their open request, naming the dose that did. */
export async function closeOpenHomeRequest(trx: Transaction<VaccinationDB>, residentId: string, doneAt: Date, recordId: string): Promise<void> {
  await trx
    .updateTable('home_vaccination_request')
    .set({ done_at: doneAt, dose_record_id: recordId })
    .where('resident_id', '=', residentId)
    .where(OPEN)
    .execute();
}
