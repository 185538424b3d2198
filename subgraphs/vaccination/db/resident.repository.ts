/** The resident registry: residents, their vaccination state and the lists to chase. */
import { type Insertable, type Kysely, type Transaction } from 'kysely';
import { CHASED_SCHOOLING, OLDER_AGE, bornBy, type GapKind } from '../domain/gaps.js';
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
      next_dose_due_on: state.nextDoseDueOn,
    })
    .where('id', '=', residentId)
    .execute();
}

/** Records a refusal: the latest one is kept, with its reason and day. */
export async function setRefusal(db: Kysely<VaccinationDB>, residentId: string, refusal: { reason: string; refusedOn: string; recordedBy: string }): Promise<Resident> {
  const row = await db
    .updateTable('resident')
    .set({ refused_on: refusal.refusedOn, refusal_reason: refusal.reason, refusal_recorded_by: refusal.recordedBy })
    .where('id', '=', residentId)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toResident(row);
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
  let query = db.selectFrom('resident as r').selectAll('r').where('r.ward_code', '=', wardCode);
  if (kind === 'OVER_50_WITHOUT_DOSE_1') query = query.where('r.doses', '=', 0).where('r.date_of_birth', '<=', bornBy(today, OLDER_AGE));
  if (kind === 'STUDENTS_NOT_FULLY_VACCINATED') {
    query = query.where('r.schooling', 'in', CHASED_SCHOOLING).where('r.fully_vaccinated', '=', false);
  }
  if (kind === 'HOMEBOUND_AWAITING_HOME_VACCINATION') {
    query = query.where((eb) =>
      eb.exists(
        eb.selectFrom('home_vaccination_request as h').select('h.id').whereRef('h.resident_id', '=', 'r.id').where('h.done_at', 'is', null).where('h.cancelled_at', 'is', null),
      ),
    );
  }
  if (kind === 'REFUSED') {
    // Off the list once a dose is given on or after the day of the refusal.
    query = query.where('r.refused_on', 'is not', null).where((eb) => eb.or([eb('r.last_dose_on', 'is', null), eb('r.last_dose_on', '<', eb.ref('r.refused_on'))]));
  }
  if (kind === 'COMORBID_OVER_50_NOT_FULLY_VACCINATED') {
    query = query.where('r.comorbidities', '=', true).where('r.fully_vaccinated', '=', false).where('r.date_of_birth', '<=', bornBy(today, OLDER_AGE));
  }
  if (kind === 'SERIES_OVERDUE') {
    // The day the next dose fell due is kept with every dose, by the vaccine's own intervals
    // (domain/schedule.ts nextDoseDueOn); overdue once that day has passed.
    query = query.where('r.next_dose_due_on', '<', today);
  }
  if (after) query = query.where('r.id', '>', after);
  const rows = await query.orderBy('r.id').limit(limit).execute();
  return rows.map(toResident);
}
