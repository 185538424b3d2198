/** Health workers, their areas, their facility duty and the places in their caseloads. */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool, type Transaction } from 'kysely';
import { CARE_ROLES, type WorkerOrigin, type WorkerRole } from '../domain/workforce.js';
import { toHealthWorker, type HealthWorker } from './mappers.js';
import type { WorkforceDB } from './tables.js';

export async function workersByIds(db: Kysely<WorkforceDB>, ids: readonly string[]): Promise<HealthWorker[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('health_worker').selectAll().where('id', 'in', ids).execute()).map(toHealthWorker);
}

/** Workers whose home ward is, or who are assigned to, this ward, by id after `after`. */
export async function workersCovering(db: Kysely<WorkforceDB>, wardCode: string, after: string | undefined, limit: number): Promise<HealthWorker[]> {
  let query = db
    .selectFrom('health_worker')
    .selectAll()
    .where((eb) => coversWard(eb, wardCode));
  if (after) query = query.where('id', '>', after);
  return (await query.orderBy('id').limit(limit).execute()).map(toHealthWorker);
}

/** Can this worker take patients of this ward: their home ward, or an area they are assigned to? */
function coversWard(eb: ExpressionBuilder<WorkforceDB, 'health_worker'>, wardCode: string): Expression<SqlBool> {
  return eb.or([
    eb('health_worker.home_ward_code', '=', wardCode),
    eb.exists(
      eb
        .selectFrom('area_assignment')
        .select('area_assignment.worker_id')
        .whereRef('area_assignment.worker_id', '=', 'health_worker.id')
        .where('area_assignment.ward_code', '=', wardCode),
    ),
  ]);
}

/** Which of these workers can take patients of the ward. */
export async function workersCoveringWard(db: Kysely<WorkforceDB>, workerIds: readonly string[], wardCode: string): Promise<Set<string>> {
  if (workerIds.length === 0) return new Set();
  const rows = await db.selectFrom('health_worker').select('id').where('id', 'in', workerIds).where((eb) => coversWard(eb, wardCode)).execute();
  return new Set(rows.map((r) => r.id));
}

export async function insertWorker(
  db: Kysely<WorkforceDB>,
  w: { id: string; fullName: string; phone: string | null; role: WorkerRole; origin: WorkerOrigin; homeWardCode: string; homeDistrictCode: string; maxCaseload: number },
): Promise<HealthWorker> {
  const row = await db
    .insertInto('health_worker')
    .values({
      id: w.id,
      full_name: w.fullName,
      phone: w.phone,
      role: w.role,
      origin: w.origin,
      home_ward_code: w.homeWardCode,
      home_district_code: w.homeDistrictCode,
      max_caseload: w.maxCaseload,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toHealthWorker(row);
}

/** The worker, locked against every other change until the transaction ends. */
export async function lockWorker(trx: Transaction<WorkforceDB>, id: string): Promise<HealthWorker | undefined> {
  const row = await trx.selectFrom('health_worker').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row && toHealthWorker(row);
}

/**
 * The worker, share-locked: waits for a change committing now (a deactivation) and reads the
 * worker as it is after it, and keeps the worker from changing until the transaction ends.
 */
export async function shareLockWorker(trx: Transaction<WorkforceDB>, id: string): Promise<HealthWorker | undefined> {
  const row = await trx.selectFrom('health_worker').selectAll().where('id', '=', id).forShare().executeTakeFirst();
  return row && toHealthWorker(row);
}

export async function updateWorker(trx: Transaction<WorkforceDB>, id: string, change: { maxCaseload?: number | null; active?: boolean | null }): Promise<HealthWorker> {
  const row = await trx
    .updateTable('health_worker')
    .set({ ...(change.maxCaseload != null ? { max_caseload: change.maxCaseload } : {}), ...(change.active != null ? { active: change.active } : {}) })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toHealthWorker(row);
}

/** Adds an area to a worker; an area they already have is left as it is. */
export async function insertAreaAssignment(db: Kysely<WorkforceDB>, workerId: string, wardCode: string, residentialGroup: string): Promise<void> {
  await db
    .insertInto('area_assignment')
    .values({ worker_id: workerId, ward_code: wardCode, residential_group: residentialGroup })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function insertFacilityDuty(trx: Transaction<WorkforceDB>, d: { workerId: string; facilityId: string; startsAt: Date; endsAt: Date | null }): Promise<void> {
  await trx.insertInto('facility_duty').values({ worker_id: d.workerId, facility_id: d.facilityId, starts_at: d.startsAt, ends_at: d.endsAt }).execute();
}

/** Who is on duty at each facility at `at`. */
export async function staffOnDutyByFacilities(db: Kysely<WorkforceDB>, facilityIds: readonly string[], at: Date): Promise<{ facilityId: string; workerIds: string[] }[]> {
  if (facilityIds.length === 0) return [];
  const rows = await db
    .selectFrom('facility_duty')
    .select(['facility_id', sql<string[]>`array_agg(worker_id order by worker_id)`.as('workers')])
    .where('facility_id', 'in', facilityIds)
    .where('starts_at', '<=', at)
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', at)]))
    .groupBy('facility_id')
    .execute();
  return rows.map((r) => ({ facilityId: r.facility_id, workerIds: r.workers }));
}

/**
 * Takes one place in a worker's caseload if there is room, in one conditional UPDATE: concurrent
 * assignments queue on the worker's row and each sees the caseload the previous one left.
 */
export async function takeCaseloadPlace(trx: Transaction<WorkforceDB>, workerId: string): Promise<HealthWorker | undefined> {
  const row = await trx
    .updateTable('health_worker')
    .set({ caseload: sql`caseload + 1` })
    .where('id', '=', workerId)
    .where('active', '=', true)
    .whereRef('caseload', '<', 'max_caseload')
    .returningAll()
    .executeTakeFirst();
  return row && toHealthWorker(row);
}

/** Active care workers of the ward with room, least loaded first. */
function withRoom(db: Kysely<WorkforceDB>, wardCode: string) {
  return db
    .selectFrom('health_worker')
    .select('id')
    .where('active', '=', true)
    .where('role', 'in', CARE_ROLES)
    .whereRef('caseload', '<', 'max_caseload')
    .where((eb) => coversWard(eb, wardCode))
    .orderBy(sql`caseload::float / max_caseload`)
    .orderBy('caseload')
    .orderBy('id');
}

/**
 * Takes a place with the least-loaded active care worker of the ward who has room. Workers
 * another transaction is assigning right now are skipped first, so concurrent assignments spread
 * over the ward; when every worker with room is held, we queue on their rows (the conditional
 * UPDATE re-reads the row once the other transaction ends) instead of giving up: the answer is
 * "no room" only when a fresh read finds nobody with room. Nothing here sleeps while the
 * transaction holds locks.
 */
export async function takeLeastLoadedPlace(trx: Transaction<WorkforceDB>, wardCode: string): Promise<HealthWorker | undefined> {
  const free = await withRoom(trx, wardCode).limit(1).forUpdate().skipLocked().executeTakeFirst();
  if (free) {
    const taken = await takeCaseloadPlace(trx, free.id);
    if (taken) return taken;
  }
  // Each round either takes a place or sees every candidate of the previous read fill up; a
  // worker only regains room when an assignment ends, so rounds are few.
  for (let round = 0; round < 100; round++) {
    const candidates = await withRoom(trx, wardCode).execute();
    if (candidates.length === 0) return undefined;
    for (const candidate of candidates) {
      const taken = await takeCaseloadPlace(trx, candidate.id);
      if (taken) return taken;
    }
  }
  throw new Error(`Could not take a caseload place in ward ${wardCode}: caseloads kept changing`);
}

export async function releaseCaseloadPlace(trx: Transaction<WorkforceDB>, workerId: string): Promise<void> {
  await trx.updateTable('health_worker').set({ caseload: sql`greatest(caseload - 1, 0)` }).where('id', '=', workerId).execute();
}
