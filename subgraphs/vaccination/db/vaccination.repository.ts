import { sql, type Kysely, type Transaction } from 'kysely';
import type { CoverageTable, HomeVaccinationRequestRow, ResidentRow, VaccinationDB, VaccinationRecordRow } from './tables.js';
import type { GapKind } from '../domain/schedule.js';

export async function residentsByIds(db: Kysely<VaccinationDB>, ids: readonly string[]): Promise<ResidentRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('resident').selectAll().where('id', 'in', ids).execute();
}

export async function residentsByNationalIds(db: Kysely<VaccinationDB>, nationalIds: readonly string[]): Promise<ResidentRow[]> {
  if (nationalIds.length === 0) return [];
  return db.selectFrom('resident').selectAll().where('national_id', 'in', nationalIds).execute();
}

export async function lockResidentByNationalId(trx: Transaction<VaccinationDB>, nationalId: string): Promise<ResidentRow | undefined> {
  return trx.selectFrom('resident').selectAll().where('national_id', '=', nationalId).forUpdate().executeTakeFirst();
}

export async function recordsOfResidents(db: Kysely<VaccinationDB>, residentIds: readonly string[]): Promise<VaccinationRecordRow[]> {
  if (residentIds.length === 0) return [];
  return db.selectFrom('vaccination_record').selectAll().where('resident_id', 'in', residentIds).orderBy('administered_at').execute();
}

export async function recordByIdempotencyKey(db: Kysely<VaccinationDB>, key: string): Promise<VaccinationRecordRow | undefined> {
  return db.selectFrom('vaccination_record').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
}

/** Adds to the counters of one ward and birth year (creating the row when it is the first). */
export async function bumpCoverage(
  trx: Transaction<VaccinationDB>,
  key: { wardCode: string; districtCode: string; birthYear: number },
  delta: { population?: number; dose1?: number; fully?: number; boosted?: number },
): Promise<void> {
  const values = { population: delta.population ?? 0, dose1: delta.dose1 ?? 0, fully: delta.fully ?? 0, boosted: delta.boosted ?? 0 };
  if (!values.population && !values.dose1 && !values.fully && !values.boosted) return;
  // An UPDATE, not an upsert: the check constraint would judge the proposed insert row (a dose
  // without population) before the conflict turned it into an update.
  const updated = await trx
    .updateTable('coverage')
    .set({
      population: sql`population + ${values.population}`,
      dose1: sql`dose1 + ${values.dose1}`,
      fully: sql`fully + ${values.fully}`,
      boosted: sql`boosted + ${values.boosted}`,
    })
    .where('ward_code', '=', key.wardCode)
    .where('birth_year', '=', key.birthYear)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) > 0) return;
  await trx
    .insertInto('coverage')
    .values({ ward_code: key.wardCode, district_code: key.districtCode, birth_year: key.birthYear, ...values })
    .onConflict((oc) =>
      oc.columns(['ward_code', 'birth_year']).doUpdateSet({
        population: sql`coverage.population + ${values.population}`,
        dose1: sql`coverage.dose1 + ${values.dose1}`,
        fully: sql`coverage.fully + ${values.fully}`,
        boosted: sql`coverage.boosted + ${values.boosted}`,
      }),
    )
    .execute();
}

export async function bumpDoseDay(trx: Transaction<VaccinationDB>, key: { wardCode: string; districtCode: string; day: string; dose: string }): Promise<void> {
  await trx
    .insertInto('dose_day')
    .values({ ward_code: key.wardCode, district_code: key.districtCode, day: key.day, dose: key.dose as never, count: 1 })
    .onConflict((oc) => oc.columns(['ward_code', 'day', 'dose']).doUpdateSet({ count: sql`dose_day.count + 1` }))
    .execute();
}

export type CoverageRow = Pick<CoverageTable, 'birth_year'> & { area: string; population: number; dose1: number; fully: number; boosted: number };

/** Counter rows per area and birth year, for many areas in one statement. */
export async function coverageByArea(db: Kysely<VaccinationDB>, area: 'ward_code' | 'district_code' | 'city', codes?: readonly string[]): Promise<CoverageRow[]> {
  if (codes && codes.length === 0) return [];
  let query = db
    .selectFrom('coverage')
    .select([
      area === 'city' ? sql<string>`'city'`.as('area') : sql<string>`${sql.ref(area)}`.as('area'),
      'birth_year',
      (eb) => eb.fn.sum<number>('population').as('population'),
      (eb) => eb.fn.sum<number>('dose1').as('dose1'),
      (eb) => eb.fn.sum<number>('fully').as('fully'),
      (eb) => eb.fn.sum<number>('boosted').as('boosted'),
    ]);
  query = area === 'city' ? query.groupBy('birth_year') : query.where(area, 'in', codes!).groupBy([area, 'birth_year']);
  const rows = await query.execute();
  return rows.map((r) => ({ area: r.area, birth_year: r.birth_year, population: Number(r.population), dose1: Number(r.dose1), fully: Number(r.fully), boosted: Number(r.boosted) }));
}

export interface DoseDayRow {
  area: string;
  day: string;
  dose: string;
  count: number;
}

export async function dosesByDay(db: Kysely<VaccinationDB>, area: 'ward_code' | 'district_code', codes: readonly string[], since: string): Promise<DoseDayRow[]> {
  if (codes.length === 0) return [];
  const rows = await db
    .selectFrom('dose_day')
    .select([sql<string>`${sql.ref(area)}`.as('area'), 'day', 'dose', (eb) => eb.fn.sum<number>('count').as('count')])
    .where(area, 'in', codes)
    .where('day', '>=', since)
    .groupBy([area, 'day', 'dose'])
    .orderBy('day')
    .execute();
  return rows.map((r) => ({ area: r.area, day: r.day, dose: r.dose, count: Number(r.count) }));
}

/** A page of residents of a ward in one of the gap lists, by id. */
export async function gapList(
  db: Kysely<VaccinationDB>,
  wardCode: string,
  kind: GapKind,
  today: string,
  after: string | undefined,
  limit: number,
): Promise<ResidentRow[]> {
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
  return query.orderBy('r.id').limit(limit).execute();
}

export async function openHomeRequest(db: Kysely<VaccinationDB>, residentId: string): Promise<HomeVaccinationRequestRow | undefined> {
  return db.selectFrom('home_vaccination_request').selectAll().where('resident_id', '=', residentId).where('done_at', 'is', null).executeTakeFirst();
}

export async function homeRequestsOfResidents(db: Kysely<VaccinationDB>, residentIds: readonly string[]): Promise<HomeVaccinationRequestRow[]> {
  if (residentIds.length === 0) return [];
  return db.selectFrom('home_vaccination_request').selectAll().where('resident_id', 'in', residentIds).orderBy('requested_at', 'desc').execute();
}
