import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { HealthWorkerRow, WorkforceDB, CareAssignmentRow, TeamRow, WorkforceKnownPatientTable } from './tables.js';
import { CARE_ROLES } from '../domain/workforce.js';
import type { Selectable } from 'kysely';

export async function workersByIds(db: Kysely<WorkforceDB>, ids: readonly string[]): Promise<HealthWorkerRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('health_worker').selectAll().where('id', 'in', ids).execute();
}

/** Workers whose home ward is, or who are assigned to, one of these wards. */
export async function workersCovering(db: Kysely<WorkforceDB>, wardCodes: readonly string[], after: string | undefined, limit: number): Promise<HealthWorkerRow[]> {
  let query = db
    .selectFrom('health_worker as w')
    .selectAll('w')
    .where((eb) =>
      eb.or([
        eb('w.home_ward_code', 'in', wardCodes),
        eb.exists(eb.selectFrom('area_assignment as a').select('a.worker_id').whereRef('a.worker_id', '=', 'w.id').where('a.ward_code', 'in', wardCodes)),
      ]),
    );
  if (after) query = query.where('w.id', '>', after);
  return query.orderBy('w.id').limit(limit).execute();
}

/** Can this worker take patients of this ward (home ward or an assigned area)? */
export function coversWardCondition(wardCode: string) {
  return (eb: import('kysely').ExpressionBuilder<WorkforceDB, 'health_worker'>): Expression<SqlBool> =>
    eb.or([
      eb('health_worker.home_ward_code', '=', wardCode),
      eb.exists(
        eb.selectFrom('area_assignment').select('area_assignment.worker_id').whereRef('area_assignment.worker_id', '=', 'health_worker.id').where('area_assignment.ward_code', '=', wardCode),
      ),
    ]);
}

export async function workerCovers(db: Kysely<WorkforceDB>, workerId: string, wardCode: string): Promise<boolean> {
  const row = await db.selectFrom('health_worker').select('id').where('id', '=', workerId).where(coversWardCondition(wardCode)).executeTakeFirst();
  return !!row;
}

/**
 * Takes one place in a worker's caseload if there is room, in one conditional UPDATE: concurrent
 * assignments queue on the worker's row and each sees the caseload the previous one left.
 */
export async function takeCaseloadPlace(trx: Transaction<WorkforceDB>, workerId: string): Promise<HealthWorkerRow | undefined> {
  return trx
    .updateTable('health_worker')
    .set({ caseload: sql`caseload + 1` })
    .where('id', '=', workerId)
    .where('active', '=', true)
    .whereRef('caseload', '<', 'max_caseload')
    .returningAll()
    .executeTakeFirst();
}

/** Active care workers of the ward with room, least loaded first. */
function withRoom(db: Kysely<WorkforceDB>, wardCode: string) {
  return db
    .selectFrom('health_worker')
    .select('id')
    .where('active', '=', true)
    .where('role', 'in', CARE_ROLES)
    .whereRef('caseload', '<', 'max_caseload')
    .where(coversWardCondition(wardCode))
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
export async function takeLeastLoadedPlace(trx: Transaction<WorkforceDB>, wardCode: string): Promise<HealthWorkerRow | undefined> {
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

export async function openAssignmentOf(db: Kysely<WorkforceDB>, patientId: string): Promise<CareAssignmentRow | undefined> {
  return db.selectFrom('care_assignment').selectAll().where('patient_id', '=', patientId).where('ended_at', 'is', null).executeTakeFirst();
}

export async function openAssignmentsOfPatients(db: Kysely<WorkforceDB>, patientIds: readonly string[]): Promise<CareAssignmentRow[]> {
  if (patientIds.length === 0) return [];
  return db.selectFrom('care_assignment').selectAll().where('patient_id', 'in', patientIds).where('ended_at', 'is', null).execute();
}

export async function openAssignmentsOfWorkers(db: Kysely<WorkforceDB>, workerIds: readonly string[]): Promise<CareAssignmentRow[]> {
  if (workerIds.length === 0) return [];
  return db.selectFrom('care_assignment').selectAll().where('worker_id', 'in', workerIds).where('ended_at', 'is', null).orderBy('assigned_at').execute();
}

export async function insertAssignment(trx: Transaction<WorkforceDB>, patientId: string, workerId: string, by: string): Promise<CareAssignmentRow> {
  return trx.insertInto('care_assignment').values({ patient_id: patientId, worker_id: workerId, assigned_by: by, ended_at: null, end_reason: null }).returningAll().executeTakeFirstOrThrow();
}

/** Ends the patient's open assignment, if any, and frees the worker's place. */
export async function endAssignment(trx: Transaction<WorkforceDB>, patientId: string, reason: string): Promise<CareAssignmentRow | undefined> {
  const ended = await trx
    .updateTable('care_assignment')
    .set({ ended_at: sql`now()`, end_reason: reason })
    .where('patient_id', '=', patientId)
    .where('ended_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  if (ended) await releaseCaseloadPlace(trx, ended.worker_id);
  return ended;
}

export async function knownPatient(db: Kysely<WorkforceDB>, id: string): Promise<Selectable<WorkforceKnownPatientTable> | undefined> {
  return db.selectFrom('known_patient').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function knownPatientsByIds(db: Kysely<WorkforceDB>, ids: readonly string[]): Promise<Selectable<WorkforceKnownPatientTable>[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('known_patient').selectAll().where('id', 'in', ids).execute();
}

/** Home patients under treatment in the ward without an open care assignment, oldest first. */
export async function unassignedHomePatients(db: Kysely<WorkforceDB>, wardCode: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('known_patient as p')
    .select('p.id')
    .where('p.ward_code', '=', wardCode)
    .where('p.status', '=', 'UNDER_TREATMENT')
    .where('p.care_setting', '=', 'HOME')
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('care_assignment as c').select('c.id').whereRef('c.patient_id', '=', 'p.id').where('c.ended_at', 'is', null))))
    .orderBy('p.updated_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export async function teamsByIds(db: Kysely<WorkforceDB>, ids: readonly string[]): Promise<TeamRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('team').selectAll().where('id', 'in', ids).execute();
}

export async function teamsOfWards(db: Kysely<WorkforceDB>, wardCodes: readonly string[]): Promise<TeamRow[]> {
  if (wardCodes.length === 0) return [];
  return db.selectFrom('team').selectAll().where('ward_code', 'in', wardCodes).orderBy('id').execute();
}

export async function membersOfTeams(db: Kysely<WorkforceDB>, teamIds: readonly string[]): Promise<(HealthWorkerRow & { team_id: string })[]> {
  if (teamIds.length === 0) return [];
  return db
    .selectFrom('team_member as m')
    .innerJoin('health_worker as w', 'w.id', 'm.worker_id')
    .selectAll('w')
    .select('m.team_id')
    .where('m.team_id', 'in', teamIds)
    .orderBy('w.id')
    .execute();
}

export async function teamsOfWorkers(db: Kysely<WorkforceDB>, workerIds: readonly string[]): Promise<(TeamRow & { worker_id: string })[]> {
  if (workerIds.length === 0) return [];
  return db.selectFrom('team_member as m').innerJoin('team as t', 't.id', 'm.team_id').selectAll('t').select('m.worker_id').where('m.worker_id', 'in', workerIds).execute();
}

export async function dutyCountsByFacilities(db: Kysely<WorkforceDB>, facilityIds: readonly string[], at: Date): Promise<{ facilityId: string; workerIds: string[] }[]> {
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

export interface WorkforceStatsRow {
  area: string;
  workers: number;
  byOrigin: Record<string, number>;
  careWorkers: number;
  homeCareWorkers: number;
  atCapacity: number;
  homePatients: number;
  unassignedHomePatients: number;
}

/**
 * Workforce figures for many wards or districts in one statement per request: workers (by home
 * area), care workers, home-care team members, workers at their cap, home patients and how many
 * of them nobody follows.
 */
export async function workforceStatsByArea(db: Kysely<WorkforceDB>, area: 'ward' | 'district', codes: readonly string[]): Promise<WorkforceStatsRow[]> {
  if (codes.length === 0) return [];
  const workerArea = area === 'ward' ? 'w.home_ward_code' : 'w.home_district_code';
  const patientArea = area === 'ward' ? 'p.ward_code' : 'p.district_code';
  const { rows } = await sql<{
    area: string;
    workers: number;
    by_origin: Record<string, number> | null;
    care_workers: number;
    home_care_workers: number;
    at_capacity: number;
    home_patients: number;
    unassigned: number;
  }>`
    with codes as (select unnest(${sql.val([...codes])}::text[]) as area),
    w as (
      select ${sql.ref(workerArea)} as area,
             count(*) filter (where w.active)::int as workers,
             count(*) filter (where w.active and w.role in ('DOCTOR', 'PHYSICIAN_ASSISTANT', 'NURSE'))::int as care_workers,
             count(*) filter (where w.active and exists (
               select 1 from team_member m join team t on t.id = m.team_id where m.worker_id = w.id and t.kind = 'HOME_CARE_SUPPORT'))::int as home_care_workers,
             count(*) filter (where w.active and w.caseload >= w.max_caseload)::int as at_capacity
        from health_worker w where ${sql.ref(workerArea)} in (select area from codes) group by 1),
    o as (
      select area, jsonb_object_agg(origin, n) as by_origin from (
        select ${sql.ref(workerArea)} as area, w.origin, count(*)::int as n from health_worker w
         where w.active and ${sql.ref(workerArea)} in (select area from codes) group by 1, 2) x group by area),
    p as (
      select ${sql.ref(patientArea)} as area, count(*)::int as home_patients,
             count(*) filter (where not exists (select 1 from care_assignment c where c.patient_id = p.id and c.ended_at is null))::int as unassigned
        from known_patient p
       where p.status = 'UNDER_TREATMENT' and p.care_setting = 'HOME' and ${sql.ref(patientArea)} in (select area from codes) group by 1)
    select codes.area, coalesce(w.workers, 0) as workers, o.by_origin, coalesce(w.care_workers, 0) as care_workers,
           coalesce(w.home_care_workers, 0) as home_care_workers, coalesce(w.at_capacity, 0) as at_capacity,
           coalesce(p.home_patients, 0) as home_patients, coalesce(p.unassigned, 0) as unassigned
      from codes left join w on w.area = codes.area left join o on o.area = codes.area left join p on p.area = codes.area`.execute(db);
  return rows.map((r) => ({
    area: r.area,
    workers: r.workers,
    byOrigin: r.by_origin ?? {},
    careWorkers: r.care_workers,
    homeCareWorkers: r.home_care_workers,
    atCapacity: r.at_capacity,
    homePatients: r.home_patients,
    unassignedHomePatients: r.unassigned,
  }));
}
