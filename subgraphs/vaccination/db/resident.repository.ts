/** The resident registry: residents, their vaccination state and the lists to chase. */
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import { OLDER_AGE, SECONDARY_SCHOOL_AGE, bornBy, type GapKind } from '../domain/gaps.js';
import { BOOSTER_AFTER_DAYS, SCHEDULES, VACCINES, type VaccinationState } from '../domain/schedule.js';
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

/** Days between a vaccine's primary doses, by the vaccine of the first one (literals of our own table). */
const primaryIntervalDays = sql<number>`case v.vaccine ${sql.join(
  VACCINES.map((v) => sql`when ${sql.lit(v)} then ${sql.lit(SCHEDULES[v].intervalDays)}`),
  sql` `,
)} end`;

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
    query = query.where('r.student', '=', true).where('r.fully_vaccinated', '=', false).where('r.date_of_birth', '<=', bornBy(today, SECONDARY_SCHOOL_AGE));
  }
  if (kind === 'HOMEBOUND_AWAITING_HOME_VACCINATION') {
    query = query.where((eb) =>
      eb.exists(eb.selectFrom('home_vaccination_request as h').select('h.id').whereRef('h.resident_id', '=', 'r.id').where('h.done_at', 'is', null)),
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
    // The next primary dose is due the vaccine's interval after the last one; a booster
    // BOOSTER_AFTER_DAYS after the last dose. Overdue: the day it was due has passed.
    query = query
      .where('r.doses', '>', 0)
      .where('r.boosted', '=', false)
      .where((eb) =>
        eb.or([
          eb.and([
            eb('r.fully_vaccinated', '=', true),
            eb(sql`r.last_dose_on + ${sql.lit(BOOSTER_AFTER_DAYS)}`, '<', sql`${today}::date`),
          ]),
          eb.and([
            eb('r.fully_vaccinated', '=', false),
            eb.exists(
              eb
                .selectFrom('vaccination_record as v')
                .select('v.id')
                .whereRef('v.resident_id', '=', 'r.id')
                .where('v.dose', '=', 'PRIMARY_1')
                .where(sql`r.last_dose_on + ${primaryIntervalDays}`, '<', sql`${today}::date`),
            ),
          ]),
        ]),
      );
  }
  if (after) query = query.where('r.id', '>', after);
  const rows = await query.orderBy('r.id').limit(limit).execute();
  return rows.map(toResident);
}
