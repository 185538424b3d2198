/** Requests for the home-vaccination team. At most one is open (not done) per resident. */
import type { Insertable, Kysely, Transaction } from 'kysely';
import { toHomeVaccinationRequest, type HomeVaccinationRequest } from './mappers.js';
import type { HomeVaccinationRequestTable, VaccinationDB } from './tables.js';

export async function openHomeRequest(db: Kysely<VaccinationDB>, residentId: string): Promise<HomeVaccinationRequest | undefined> {
  const row = await db.selectFrom('home_vaccination_request').selectAll().where('resident_id', '=', residentId).where('done_at', 'is', null).executeTakeFirst();
  return row && toHomeVaccinationRequest(row);
}

export async function homeRequestsOfResidents(db: Kysely<VaccinationDB>, residentIds: readonly string[]): Promise<HomeVaccinationRequest[]> {
  if (residentIds.length === 0) return [];
  const rows = await db.selectFrom('home_vaccination_request').selectAll().where('resident_id', 'in', residentIds).orderBy('requested_at', 'desc').execute();
  return rows.map(toHomeVaccinationRequest);
}

export async function insertHomeRequest(db: Kysely<VaccinationDB>, values: Insertable<HomeVaccinationRequestTable>): Promise<HomeVaccinationRequest> {
  return toHomeVaccinationRequest(await db.insertInto('home_vaccination_request').values(values).returningAll().executeTakeFirstOrThrow());
}

export async function rescheduleHomeRequest(db: Kysely<VaccinationDB>, id: string, scheduledFor: string): Promise<HomeVaccinationRequest> {
  const row = await db.updateTable('home_vaccination_request').set({ scheduled_for: scheduledFor }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  return toHomeVaccinationRequest(row);
}

/** A dose given at home closes the resident's open request. */
export async function closeOpenHomeRequest(trx: Transaction<VaccinationDB>, residentId: string, doneAt: Date): Promise<void> {
  await trx.updateTable('home_vaccination_request').set({ done_at: doneAt }).where('resident_id', '=', residentId).where('done_at', 'is', null).execute();
}
