import { sql, type Kysely, type Transaction, type Insertable } from 'kysely';
import {
  toDailyCheck,
  toHelpRequest,
  toIsolationOrder,
  toMedicineDispensed,
  type DailyCheck,
  type HelpRequest,
  type IsolationOrder,
  type MedicineDispensed,
} from './mappers.js';
import type { DailyCheckTable, HelpRequestTable, IsolationOrderTable, MedicinePackageTable, PatientsDB } from './tables.js';
import type { HelpRequestState } from '../domain/help-request.js';

export async function insertDailyCheck(trx: Transaction<PatientsDB>, values: Insertable<DailyCheckTable>): Promise<DailyCheck> {
  const row = await trx.insertInto('daily_check').values(values).returningAll().executeTakeFirstOrThrow();
  return toDailyCheck(row);
}

/** The newest `limit` checks of each patient, newest first. */
export async function recentChecks(db: Kysely<PatientsDB>, patientIds: readonly string[], limit: number): Promise<DailyCheck[]> {
  if (patientIds.length === 0) return [];
  const rows = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('daily_check')
        .selectAll()
        .select(sql<number>`row_number() over (partition by patient_id order by at desc, id desc)`.as('rn'))
        .where('patient_id', 'in', patientIds)
        .as('c'),
    )
    .selectAll()
    .where('rn', '<=', limit)
    .orderBy('patient_id')
    .orderBy('at', 'desc')
    .execute();
  return rows.map(toDailyCheck);
}

export async function insertIsolationOrder(trx: Transaction<PatientsDB>, values: Insertable<IsolationOrderTable>): Promise<IsolationOrder> {
  const row = await trx.insertInto('isolation_order').values(values).returningAll().executeTakeFirstOrThrow();
  return toIsolationOrder(row);
}

export async function endOpenIsolationOrders(trx: Transaction<PatientsDB>, patientId: string): Promise<void> {
  await trx.updateTable('isolation_order').set({ ended_at: sql`now()` }).where('patient_id', '=', patientId).where('ended_at', 'is', null).execute();
}

export async function isolationOrdersByPatients(db: Kysely<PatientsDB>, patientIds: readonly string[]): Promise<IsolationOrder[]> {
  if (patientIds.length === 0) return [];
  const rows = await db.selectFrom('isolation_order').selectAll().where('patient_id', 'in', patientIds).orderBy('starts_on', 'desc').execute();
  return rows.map(toIsolationOrder);
}

export async function insertMedicine(trx: Transaction<PatientsDB>, values: Insertable<MedicinePackageTable>): Promise<MedicineDispensed> {
  const row = await trx.insertInto('medicine_package').values(values).returningAll().executeTakeFirstOrThrow();
  return toMedicineDispensed(row);
}

/** The package `dispensedBy` gave with this retry key (keys are per writer). */
export async function medicineByIdempotencyKey(db: Kysely<PatientsDB>, dispensedBy: string, idempotencyKey: string): Promise<MedicineDispensed | undefined> {
  const row = await db.selectFrom('medicine_package').selectAll().where('dispensed_by', '=', dispensedBy).where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
  return row && toMedicineDispensed(row);
}

export async function medicineByPatients(db: Kysely<PatientsDB>, patientIds: readonly string[]): Promise<MedicineDispensed[]> {
  if (patientIds.length === 0) return [];
  const rows = await db.selectFrom('medicine_package').selectAll().where('patient_id', 'in', patientIds).orderBy('dispensed_at').execute();
  return rows.map(toMedicineDispensed);
}

export async function insertHelpRequest(trx: Transaction<PatientsDB>, values: Insertable<HelpRequestTable>): Promise<HelpRequest> {
  const row = await trx.insertInto('help_request').values(values).returningAll().executeTakeFirstOrThrow();
  return toHelpRequest(row);
}

/** The request `openedBy` opened with this retry key (keys are per opener). */
export async function helpRequestByIdempotencyKey(db: Kysely<PatientsDB>, openedBy: string, key: string): Promise<HelpRequest | undefined> {
  const row = await db.selectFrom('help_request').selectAll().where('opened_by', '=', openedBy).where('idempotency_key', '=', key).executeTakeFirst();
  return row && toHelpRequest(row);
}

export async function lockHelpRequest(trx: Transaction<PatientsDB>, id: string): Promise<HelpRequest | undefined> {
  const row = await trx.selectFrom('help_request').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row && toHelpRequest(row);
}

export async function updateHelpRequest(
  trx: Transaction<PatientsDB>,
  id: string,
  changes: Partial<Pick<HelpRequestTable, 'acknowledged_at' | 'acknowledged_by' | 'resolved_at' | 'resolved_by' | 'resolution' | 'escalated_at'>>,
): Promise<HelpRequest> {
  const row = await trx.updateTable('help_request').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  return toHelpRequest(row);
}

/**
 * Requests nobody has acknowledged, not yet escalated, opened before `cutoff`, locked; rows
 * another transaction holds are left for the next sweep.
 */
export async function lockUnansweredHelpRequests(trx: Transaction<PatientsDB>, cutoff: Date, max: number): Promise<string[]> {
  const rows = await trx
    .selectFrom('help_request')
    .select('id')
    .where('acknowledged_at', 'is', null)
    .where('escalated_at', 'is', null)
    .where('resolved_at', 'is', null)
    .where('opened_at', '<', cutoff)
    .orderBy('opened_at')
    .limit(max)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows.map((r) => r.id);
}

export async function helpRequestsByIds(db: Kysely<PatientsDB>, ids: readonly string[]): Promise<HelpRequest[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('help_request').selectAll().where('id', 'in', ids).execute();
  return rows.map(toHelpRequest);
}

export async function helpRequestsByPatients(db: Kysely<PatientsDB>, patientIds: readonly string[]): Promise<HelpRequest[]> {
  if (patientIds.length === 0) return [];
  const rows = await db.selectFrom('help_request').selectAll().where('patient_id', 'in', patientIds).orderBy('opened_at', 'desc').execute();
  return rows.map(toHelpRequest);
}

export interface HelpRequestFilter {
  wardCodes?: readonly string[];
  districtCodes?: readonly string[];
  open?: boolean | null;
  states?: readonly HelpRequestState[] | null;
}

/** Oldest first, so the longest-waiting caller is answered first; keyset on (opened_at, id). */
export async function searchHelpRequests(
  db: Kysely<PatientsDB>,
  filter: HelpRequestFilter,
  after: readonly [string, string] | undefined,
  limit: number,
): Promise<HelpRequest[]> {
  let query = db.selectFrom('help_request').selectAll();
  if (filter.wardCodes) query = query.where('ward_code', 'in', filter.wardCodes.length ? filter.wardCodes : ['']);
  if (filter.districtCodes) query = query.where('district_code', 'in', filter.districtCodes.length ? filter.districtCodes : ['']);
  if (filter.open === true) query = query.where('resolved_at', 'is', null);
  if (filter.open === false) query = query.where('resolved_at', 'is not', null);
  if (filter.states) {
    const states = filter.states;
    query = query.where((eb) =>
      eb.or([
        ...(states.includes('CLOSED') ? [eb('resolved_at', 'is not', null)] : []),
        ...(states.includes('ACKNOWLEDGED') ? [eb.and([eb('resolved_at', 'is', null), eb('acknowledged_at', 'is not', null)])] : []),
        ...(states.includes('ESCALATED') ? [eb.and([eb('acknowledged_at', 'is', null), eb('escalated_at', 'is not', null)])] : []),
        ...(states.includes('OPEN') ? [eb.and([eb('acknowledged_at', 'is', null), eb('escalated_at', 'is', null)])] : []),
      ]),
    );
  }
  if (after) query = query.where((eb) => eb(eb.refTuple('opened_at', 'id'), '>', eb.tuple(new Date(after[0]) as never, after[1] as never)));
  const rows = await query.orderBy('opened_at').orderBy('id').limit(limit).execute();
  return rows.map(toHelpRequest);
}

export interface HelpStatsRow {
  area: string;
  open: number;
  unacknowledged: number;
  answeredLast24h: number;
  /** Median seconds from opening to first response, over requests answered in the last 7 days. */
  medianFirstResponseSeconds: number | null;
  /** Unanswered requests that escalated to the district. */
  escalated: number;
  /** When the longest-waiting unanswered request came in; null when none waits. */
  oldestUnacknowledgedAt: Date | null;
  /** 90th percentile of the first response over the last 7 days, seconds. */
  p90FirstResponseSeconds: number | null;
  /** Median and 90th percentile from opening to closing, over requests closed in the last 7 days. */
  medianCloseSeconds: number | null;
  p90CloseSeconds: number | null;
}

export async function helpStatsByArea(
  db: Kysely<PatientsDB>,
  area: 'ward_code' | 'district_code',
  codes: readonly string[],
  now: Date,
): Promise<HelpStatsRow[]> {
  if (codes.length === 0) return [];
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const weekAgo = new Date(now.getTime() - 7 * 86_400_000);
  const rows = await db
    .selectFrom('help_request')
    .where(area, 'in', codes)
    .select([
      sql<string>`${sql.ref(area)}`.as('area'),
      sql<number>`count(*) filter (where resolved_at is null)`.as('open'),
      sql<number>`count(*) filter (where acknowledged_at is null)`.as('unacknowledged'),
      sql<number>`count(*) filter (where acknowledged_at >= ${dayAgo})`.as('answered'),
      sql<number | null>`percentile_cont(0.5) within group (order by extract(epoch from acknowledged_at - opened_at))
        filter (where acknowledged_at >= ${weekAgo})`.as('median'),
      sql<number | null>`percentile_cont(0.9) within group (order by extract(epoch from acknowledged_at - opened_at))
        filter (where acknowledged_at >= ${weekAgo})`.as('p90'),
      sql<number | null>`percentile_cont(0.5) within group (order by extract(epoch from resolved_at - opened_at))
        filter (where resolved_at >= ${weekAgo})`.as('close_median'),
      sql<number | null>`percentile_cont(0.9) within group (order by extract(epoch from resolved_at - opened_at))
        filter (where resolved_at >= ${weekAgo})`.as('close_p90'),
      sql<number>`count(*) filter (where acknowledged_at is null and escalated_at is not null)`.as('escalated'),
      sql<Date | null>`min(opened_at) filter (where acknowledged_at is null)`.as('oldest'),
    ])
    .groupBy(area)
    .execute();
  return rows.map((r) => ({
    area: r.area,
    open: Number(r.open),
    unacknowledged: Number(r.unacknowledged),
    answeredLast24h: Number(r.answered),
    medianFirstResponseSeconds: r.median == null ? null : Number(r.median),
    escalated: Number(r.escalated),
    oldestUnacknowledgedAt: r.oldest == null ? null : new Date(r.oldest),
    p90FirstResponseSeconds: r.p90 == null ? null : Number(r.p90),
    medianCloseSeconds: r.close_median == null ? null : Number(r.close_median),
    p90CloseSeconds: r.close_p90 == null ? null : Number(r.close_p90),
  }));
}
