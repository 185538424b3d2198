import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { CareSetting, PatientStatus, TreatmentTier } from '../../common/domain/enums.js';
import { toPatient, toTierChange, type Patient, type TierChange } from './mappers.js';
import type { PatientTable, PatientsDB } from './tables.js';
import type { Insertable, Updateable } from 'kysely';

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

/** Case statistics for many wards or districts (or the city) in one grouped statement. */
export async function caseStatsByArea(
  db: Kysely<PatientsDB>,
  area: 'ward_code' | 'district_code' | 'city',
  codes: readonly string[] | undefined,
  since: Date,
): Promise<CaseStatsRow[]> {
  if (codes && codes.length === 0) return [];
  const open = sql`status = 'UNDER_TREATMENT'`;
  let query = db
    .selectFrom('patient')
    .select([
      area === 'city' ? sql<string>`'city'`.as('area') : sql<string>`${sql.ref(area)}`.as('area'),
      sql<number>`count(*) filter (where ${open})`.as('active'),
      sql<number>`count(*) filter (where ${open} and care_setting = 'HOME')`.as('atHome'),
      sql<number>`count(*) filter (where ${open} and care_setting = 'FACILITY')`.as('inFacilities'),
      sql<number>`count(*) filter (where ${open} and tier = 'TIER_1')`.as('tier1'),
      sql<number>`count(*) filter (where ${open} and tier = 'TIER_2')`.as('tier2'),
      sql<number>`count(*) filter (where ${open} and tier = 'TIER_3')`.as('tier3'),
      sql<number>`count(*) filter (where confirmed_at >= ${since})`.as('newLast7Days'),
      sql<number>`count(*) filter (where status = 'RECOVERED')`.as('recovered'),
      sql<number>`count(*) filter (where status = 'DECEASED')`.as('deaths'),
    ]);
  if (area !== 'city') {
    query = query.where(area, 'in', codes!).groupBy(area);
  }
  const rows = await query.execute();
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
