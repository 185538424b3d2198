/** Referrals between tiers: rows, locks and the dashboard's aggregates. */
import { sql, type Kysely, type Transaction, type Updateable } from 'kysely';
import type { FacilitiesDB, ReferralTable } from './tables.js';
import { toReferral, type Referral } from './mappers.js';
import { EXPIRING_STATUSES, OPEN_REFERRAL_STATUSES, type ReferralStatus } from '../domain/referral.js';

const OPEN = [...OPEN_REFERRAL_STATUSES];

/** Referral rows with the offered facility's ward. */
const referrals = (db: Kysely<FacilitiesDB>) =>
  db
    .selectFrom('referral')
    .leftJoin('facility', 'facility.id', 'referral.facility_id')
    .selectAll('referral')
    .select('facility.ward_code as facility_ward_code');

export async function referralById(db: Kysely<FacilitiesDB>, id: string): Promise<Referral | undefined> {
  const row = await referrals(db).where('referral.id', '=', id).executeTakeFirst();
  return row && toReferral(row);
}

export async function referralsByIds(db: Kysely<FacilitiesDB>, ids: readonly string[]): Promise<Referral[]> {
  if (ids.length === 0) return [];
  return (await referrals(db).where('referral.id', 'in', ids).execute()).map(toReferral);
}

/** Every referral of these patients, newest first. */
export async function referralsByPatients(db: Kysely<FacilitiesDB>, patientIds: readonly string[], openOnly: boolean): Promise<Referral[]> {
  if (patientIds.length === 0) return [];
  let query = referrals(db).where('referral.patient_id', 'in', patientIds);
  if (openOnly) query = query.where('referral.status', 'in', OPEN);
  return (await query.orderBy('referral.requested_at', 'desc').orderBy('referral.id').execute()).map(toReferral);
}

/** The patient's open referral, locked for update (taken after the patient, admission and beds). */
export async function lockOpenReferralOf(trx: Transaction<FacilitiesDB>, patientId: string): Promise<Referral | undefined> {
  const row = await trx.selectFrom('referral').select('id').where('patient_id', '=', patientId).where('status', 'in', OPEN).forUpdate().executeTakeFirst();
  return row ? referralById(trx, row.id) : undefined;
}

export async function lockReferral(trx: Transaction<FacilitiesDB>, id: string): Promise<Referral | undefined> {
  const row = await trx.selectFrom('referral').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
  return row ? referralById(trx, row.id) : undefined;
}

export async function insertReferral(
  trx: Transaction<FacilitiesDB>,
  r: Pick<Referral, 'patientId' | 'wardCode' | 'districtCode' | 'trigger' | 'fromTier' | 'toTier' | 'requestedAt'>,
): Promise<Referral> {
  const { id } = await trx
    .insertInto('referral')
    .values({
      patient_id: r.patientId,
      ward_code: r.wardCode,
      district_code: r.districtCode,
      trigger: r.trigger,
      from_tier: r.fromTier,
      to_tier: r.toTier,
      status: 'REQUESTED',
      facility_id: null,
      bed_kind: null,
      admission_id: null,
      requested_at: r.requestedAt,
      offered_at: null,
      accepted_at: null,
      admitted_at: null,
      closed_at: null,
      close_reason: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return (await referralById(trx, id))!;
}

export async function updateReferral(trx: Transaction<FacilitiesDB>, id: string, changes: Updateable<ReferralTable>): Promise<Referral> {
  await trx
    .updateTable('referral')
    .set({ ...changes, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
  return (await referralById(trx, id))!;
}

/**
 * Requested or offered referrals with no progress for longer than `limitHours` as of `asOf`,
 * locked; rows another transaction holds are left for the next sweep.
 */
export async function lockExpiredReferrals(trx: Transaction<FacilitiesDB>, asOf: Date, limitHours: number, max: number): Promise<string[]> {
  const cutoff = new Date(asOf.getTime() - limitHours * 3_600_000);
  const rows = await trx
    .selectFrom('referral')
    .select('id')
    .where('status', 'in', [...EXPIRING_STATUSES])
    .where(sql<boolean>`coalesce(offered_at, requested_at) < ${cutoff}`)
    .orderBy('requested_at')
    .limit(max)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows.map((r) => r.id);
}

export interface ReferralTimes {
  admitted: number;
  p50Minutes: number | null;
  p90Minutes: number | null;
}

/** Escalation → admission of the referrals admitted in [since, until), per ward or district asked (one query for all). */
export async function referralTimesByAreas(
  db: Kysely<FacilitiesDB>,
  column: 'ward_code' | 'district_code',
  codes: readonly string[],
  since: Date,
  until: Date,
): Promise<(ReferralTimes & { code: string })[]> {
  const rows = await sql<{ code: string; admitted: number; p50: number | null; p90: number | null }>`
    select ${sql.ref(column)} as code, count(*)::int as admitted,
      percentile_cont(0.5) within group (order by extract(epoch from admitted_at - requested_at) / 60) as p50,
      percentile_cont(0.9) within group (order by extract(epoch from admitted_at - requested_at) / 60) as p90
    from referral
    where status = 'ADMITTED' and ${sql.ref(column)} = any(${[...codes]}::text[]) and admitted_at >= ${since} and admitted_at < ${until}
    group by 1`.execute(db);
  return rows.rows.map((r) => ({ code: r.code, admitted: r.admitted, p50Minutes: r.p50 == null ? null : Number(r.p50), p90Minutes: r.p90 == null ? null : Number(r.p90) }));
}

export interface OpenReferralCount {
  wardCode: string;
  districtCode: string;
  status: ReferralStatus;
  count: number;
  oldestRequestedAt: Date;
}

/** Open referrals requested before `before`, counted per ward and status, within an area. */
export async function openReferralCounts(
  db: Kysely<FacilitiesDB>,
  before: Date,
  area: { wardCode?: string; districtCode?: string },
): Promise<OpenReferralCount[]> {
  let query = db
    .selectFrom('referral')
    .select(['ward_code', 'district_code', 'status'])
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('requested_at').as('oldest')])
    .where('status', 'in', OPEN)
    .where('requested_at', '<', before)
    .groupBy(['ward_code', 'district_code', 'status'])
    .orderBy('ward_code')
    .orderBy('status');
  if (area.wardCode) query = query.where('ward_code', '=', area.wardCode);
  if (area.districtCode) query = query.where('district_code', '=', area.districtCode);
  return (await query.execute()).map((r) => ({
    wardCode: r.ward_code,
    districtCode: r.district_code,
    status: r.status,
    count: Number(r.count),
    oldestRequestedAt: r.oldest as Date,
  }));
}
