/** The resident registry: residents, their vaccination state and the lists to chase. */
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { GapKind } from '../domain/gaps.js';
import type { VaccinationState } from '../domain/schedule.js';
import { toResident, type Resident } from './mappers.js';
import type { ResidentTable, VaccinationDB } from './tables.js';

export async function residentsByIds(db: Kysely<VaccinationDB>, ids: readonly string[]): Promise<Resident[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('resident').selectAll().where('id', 'in', ids).execute();
  return rows.map(toResident);
}

export async function residentsByNationalIds(db: Kysely<VaccinationDB>, nationalIds: readonly string[]): Promise<Resident[]> {
  if (nationalIds.length === 0) return [];
  const rows = await db.selectFrom('resident').selectAll().where('national_id', 'in', nationalIds).execute();
  return rows.map(toResident);
}

export async function lockResidentByNationalId(trx: Transaction<VaccinationDB>, nationalId: string): Promise<Resident | undefined> {
  const row = await trx.selectFrom('resident').selectAll().where('national_id', '=', nationalId).forUpdate().executeTakeFirst();
  return row && toResident(row);
}

export async function insertResident(trx: Transaction<VaccinationDB>, values: Insertable<ResidentTable>): Promise<Resident> {
  return toResident(await trx.insertInto('resident').values(values).returningAll().executeTakeFirstOrThrow());
}

/** Stores the state a resident's doses add up to. */
export async function setVaccinationState(trx: Transaction<VaccinationDB>, residentId: string, state: VaccinationState): Promise<void> {
  await trx
    .updateTable('resident')
    .set({
      doses: state.doses,
      primary_doses: state.primaryDoses,
      fully_vaccinated: state.fullyVaccinated,
      boosted: state.boosted,
      primary_completed_on: state.primaryCompletedOn,
      last_dose_on: state.lastDoseOn,
    })
    .where('id', '=', residentId)
    .execute();
}

/** A page of residents of a ward in one of the gap lists, by id. */
export async function gapList(
  db: Kysely<VaccinationDB>,
  wardCode: string,
  kind: GapKind,
  today: string,
  after: string | undefined,
  limit: number,
): Promise<Resident[]> {
  const year = Number(today.slice(0, 4));
  let query = db.selectFrom('resident as r').selectAll('r').where('r.ward_code', '=', wardCode);
  if (kind === 'OVER_50_WITHOUT_DOSE_1') query = query.where('r.doses', '=', 0).where('r.date_of_birth', '<=', `${year - 50}-12-31`);
  if (kind === 'STUDENTS_NOT_FULLY_VACCINATED') query = query.where('r.student', '=', true).where('r.fully_vaccinated', '=', false);
  if (kind === 'HOMEBOUND_AWAITING_HOME_VACCINATION') {
    query = query.where((eb) =>
      eb.exists(eb.selectFrom('home_vaccination_request as h').select('h.id').whereRef('h.resident_id', '=', 'r.id').where('h.done_at', 'is', null)),
    );
  }
  if (after) query = query.where('r.id', '>', after);
  const rows = await query.orderBy('r.id').limit(limit).execute();
  return rows.map(toResident);
}
