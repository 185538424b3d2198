import { CompiledQuery, sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { CarePlace, CareSetting, PatientStatus, TreatmentTier } from '../../common/domain/enums.js';
import { toPatient, toTierChange, type Patient, type TierChange } from './mappers.js';
import type { PatientTable, PatientsDB } from './tables.js';
import type { Insertable, Updateable } from 'kysely';
import { plannedEachTimeText, textsByShape } from '../../common/db/database.js';

export async function patientsByIds(db: Kysely<PatientsDB>, ids: readonly string[]): Promise<Patient[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('patient').selectAll().where('id', 'in', ids).execute();
  return rows.map(toPatient);
}

export async function patientByIdempotencyKey(db: Kysely<PatientsDB>, key: string): Promise<Patient | undefined> {
  const row = await db.selectFrom('patient').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
  return row && toPatient(row);
}

export async function openCaseByNationalId(db: Kysely<PatientsDB>, nationalId: string): Promise<Patient | undefined> {
  const row = await db
    .selectFrom('patient')
    .selectAll()
    .where('national_id', '=', nationalId)
    .where('status', '=', 'UNDER_TREATMENT')
    .executeTakeFirst();
  return row && toPatient(row);
}

export async function nextCaseCode(trx: Transaction<PatientsDB>, districtCode: string): Promise<string> {
  const { rows } = await sql<{ n: number }>`select nextval('case_code_seq') as n`.execute(trx);
  return `F0-${districtCode}-${String(rows[0]!.n).padStart(6, '0')}`;
}

export async function insertPatient(trx: Transaction<PatientsDB>, values: Insertable<PatientTable>): Promise<Patient> {
  const row = await trx.insertInto('patient').values(values).returningAll().executeTakeFirstOrThrow();
  return toPatient(row);
}

export async function lockPatient(trx: Transaction<PatientsDB>, id: string): Promise<Patient | undefined> {
  const row = await trx.selectFrom('patient').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row && toPatient(row);
}

/**
 * A patient moved into facility care by an admission, with the new place of care recorded: one
 * statement. The update takes the row lock itself and finds nothing to do when this subgraph
 * does not know the patient or the patient already holds this admission (an event applied
 * again); then nothing is written and undefined comes back.
 */
export async function moveIntoFacility(
  trx: Transaction<PatientsDB>,
  move: { patientId: string; admissionId: string; facilityId: string; carePlace: CarePlace | null; at: Date },
): Promise<Patient | undefined> {
  const row = await trx
    .with('moved', (db) =>
      db
        .updateTable('patient')
        .set({ care_setting: 'FACILITY', facility_id: move.facilityId, admission_id: move.admissionId, updated_at: sql`now()` })
        .where('id', '=', move.patientId)
        .where('admission_id', 'is distinct from', move.admissionId)
        .returningAll(),
    )
    .with('recorded', (db) =>
      db
        .insertInto('care_setting_change')
        .columns(['patient_id', 'care_setting', 'care_place', 'at'])
        .expression((eb) => eb.selectFrom('moved').select(['moved.id', 'moved.care_setting', sql.val(move.carePlace).as('care_place'), sql.val(move.at).as('at')])),
    )
    .selectFrom('moved')
    .selectAll()
    .executeTakeFirst();
  return row && toPatient(row);
}

export async function updatePatient(trx: Transaction<PatientsDB>, id: string, changes: Updateable<PatientTable>): Promise<Patient> {
  const row = await trx
    .updateTable('patient')
    .set({ ...changes, updated_at: sql`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toPatient(row);
}

export async function insertTierChange(
  trx: Transaction<PatientsDB>,
  change: { patientId: string; from: TreatmentTier; to: TreatmentTier; reason: string; recordedBy: string },
): Promise<TierChange> {
  const row = await trx
    .insertInto('tier_change')
    .values({ patient_id: change.patientId, from_tier: change.from, to_tier: change.to, reason: change.reason, recorded_by: change.recordedBy })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toTierChange(row);
}

export async function tierChangesByPatients(db: Kysely<PatientsDB>, ids: readonly string[]): Promise<TierChange[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('tier_change').selectAll().where('patient_id', 'in', ids).orderBy('at').orderBy('id').execute();
  return rows.map(toTierChange);
}

export interface PatientFilter {
  wardCodes?: readonly string[];
  districtCodes?: readonly string[];
  status?: PatientStatus | null;
  tier?: TreatmentTier | null;
  careSetting?: CareSetting | null;
}

function patientConditions(filter: PatientFilter) {
  return (eb: import('kysely').ExpressionBuilder<PatientsDB, 'patient'>): Expression<SqlBool> => {
    const conditions: Expression<SqlBool>[] = [];
    if (filter.wardCodes) conditions.push(eb('ward_code', 'in', filter.wardCodes.length ? filter.wardCodes : ['']));
    if (filter.districtCodes) conditions.push(eb('district_code', 'in', filter.districtCodes.length ? filter.districtCodes : ['']));
    if (filter.status) conditions.push(eb('status', '=', filter.status));
    if (filter.tier) conditions.push(eb('tier', '=', filter.tier));
    if (filter.careSetting) conditions.push(eb('care_setting', '=', filter.careSetting));
    return eb.and(conditions);
  };
}

/** Most recently confirmed first, keyset on (confirmed_at, id). */
export async function searchPatients(
  db: Kysely<PatientsDB>,
  filter: PatientFilter,
  after: readonly [string, string] | undefined,
  limit: number,
): Promise<Patient[]> {
  let query = db.selectFrom('patient').selectAll().where(patientConditions(filter));
  if (after) {
    query = query.where((eb) => eb(eb.refTuple('confirmed_at', 'id'), '<', eb.tuple(new Date(after[0]) as never, after[1] as never)));
  }
  const rows = await query.orderBy('confirmed_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toPatient);
}

export async function countPatients(db: Kysely<PatientsDB>, filter: PatientFilter): Promise<number> {
  const row = await db
    .selectFrom('patient')
    .where(patientConditions(filter))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Home patients under treatment without a check since `dueBefore` (never checked counts from
 * registration), longest overdue first; keyset on (due since, id).
 */
export async function overduePatients(
  db: Kysely<PatientsDB>,
  filter: Pick<PatientFilter, 'wardCodes' | 'districtCodes'>,
  dueBefore: Date,
  after: readonly [string, string] | undefined,
  limit: number,
): Promise<Patient[]> {
  const lastSeen = sql<Date>`coalesce(last_check_at, registered_at)`;
  let query = db
    .selectFrom('patient')
    .selectAll()
    .where(patientConditions({ ...filter, status: 'UNDER_TREATMENT', careSetting: 'HOME' }))
    .where(lastSeen, '<', dueBefore);
  if (after) query = query.where(sql<SqlBool>`(coalesce(last_check_at, registered_at), id) > (${new Date(after[0])}, ${after[1]}::uuid)`);
  const rows = await query.orderBy(lastSeen).orderBy('id').limit(limit).execute();
  return rows.map(toPatient);
}

export async function countOverdue(db: Kysely<PatientsDB>, filter: Pick<PatientFilter, 'wardCodes' | 'districtCodes'>, dueBefore: Date): Promise<number> {
  const row = await db
    .selectFrom('patient')
    .where(patientConditions({ ...filter, status: 'UNDER_TREATMENT', careSetting: 'HOME' }))
    .where(sql`coalesce(last_check_at, registered_at)`, '<', dueBefore)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface CaseStatsRow {
  area: string;
  active: number;
  atHome: number;
  inFacilities: number;
  tier1: number;
  tier2: number;
  tier3: number;
  newLast7Days: number;
  recovered: number;
  deaths: number;
}

/**
 * Case statistics for many wards or districts (or the city) in one statement, from the counters
 * the `patient` trigger maintains: the ward counters of the areas, the new-case day rows (per ward
 * for wards, per district for districts and the city) after the window's first city day, and only
 * that first, partial day counted from the cases themselves. Planned for each execution when it
 * names many areas (see PLANNED_EACH_TIME).
 */
export async function caseStatsByArea(
  db: Kysely<PatientsDB>,
  area: 'ward_code' | 'district_code' | 'city',
  codes: readonly string[] | undefined,
  since: Date,
): Promise<CaseStatsRow[]> {
  if (codes && codes.length === 0) return [];
  const text = caseStatsText(area, plannedEachTimeText(codes?.length ?? 1));
  const { rows } = await db.executeQuery<{
    area: string; active: number; atHome: number; inFacilities: number; tier1: number; tier2: number; tier3: number;
    newLast7Days: number; recovered: number; deaths: number;
  }>(CompiledQuery.raw(text, area === 'city' ? [since] : [since, codes]));
  return rows.map((r) => ({
    area: r.area,
    active: Number(r.active),
    atHome: Number(r.atHome),
    inFacilities: Number(r.inFacilities),
    tier1: Number(r.tier1),
    tier2: Number(r.tier2),
    tier3: Number(r.tier3),
    newLast7Days: Number(r.newLast7Days),
    recovered: Number(r.recovered),
    deaths: Number(r.deaths),
  }));
}

/**
 * caseStatsByArea's statement as SQL text, made once per area kind and planning marker: $1 is
 * `since`, $2 the areas' codes (not for the city). Built with Kysely's `sql` tag, its dozen
 * interpolations were compiled on every CityOverview (0.23 ms of the patients process per
 * overview under `--profile city`, its largest Kysely frame after latestAssessments).
 */
const caseStatsText = textsByShape((area: 'ward_code' | 'district_code' | 'city', planning: string): string => {
  const key = area === 'city' ? `'city'` : `"${area}"`;
  const inAreas = area === 'city' ? 'true' : `"${area}" = any($2::text[])`;
  const firstDay = `($1::timestamptz at time zone 'Asia/Ho_Chi_Minh')::date`;
  return `${planning}
  with c as (
    select ${key} as area, sum(active) as active, sum(at_home) as at_home, sum(in_facilities) as in_facilities,
           sum(tier1) as tier1, sum(tier2) as tier2, sum(tier3) as tier3, sum(recovered) as recovered, sum(deaths) as deaths
      from case_counter where ${inAreas} group by 1),
  d as (select ${key} as area, sum(count) as n from ${area === 'ward_code' ? 'new_case_day' : 'new_case_district_day'} where ${inAreas} and day > ${firstDay} group by 1),
  e as (
    select ${key} as area, count(*) as n from patient
     where confirmed_at >= $1 and confirmed_at < ((${firstDay} + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh') and ${inAreas}
     group by 1)
  select c.area, c.active, c.at_home as "atHome", c.in_facilities as "inFacilities", c.tier1, c.tier2, c.tier3,
         coalesce(d.n, 0) + coalesce(e.n, 0) as "newLast7Days", c.recovered, c.deaths
    from c left join d on d.area = c.area left join e on e.area = c.area`;
});
