/** Registering health workers, their caps, areas, teams and facility duty. */
import { randomUUID } from 'node:crypto';
import { findWard } from '../../common/admin-units.js';
import { CLINICAL_ROLES, coversWard, type Viewer } from '../../common/auth/viewer.js';
import { notFoundFor } from '../../common/auth/jurisdiction.js';
import { NotFoundError, Problems } from '../../common/graphql/errors.js';
import { MAX_LIST_ITEMS, TEXT_LIMITS, checkId, checkText, normalizeVietnamesePhone } from '../../common/domain/input-rules.js';
import { workerCovers, workersByIds } from '../db/worker.repository.js';
import type { HealthWorkerRow, TeamRow } from '../db/tables.js';
import { MAX_CASELOAD_LIMIT, type TeamKind, type WorkerOrigin, type WorkerRole } from '../domain/workforce.js';
import type { WorkforceRuntime } from '../context.js';
import { assertManagesWard } from './care.js';
import { FACILITY_DIRECTORY, type FacilityDirectory } from './facility-directory.js';

const manages = (viewer: Viewer, wardCode: string) => CLINICAL_ROLES.includes(viewer.role) && coversWard(viewer, wardCode);

const capProblem = (problems: Problems, cap: number | null | undefined, path: string[]) => {
  if (cap == null) return;
  problems.check(Number.isInteger(cap) && cap >= 1 && cap <= MAX_CASELOAD_LIMIT, path, `maxCaseload must be a whole number from 1 to ${MAX_CASELOAD_LIMIT}`);
};

export async function registerHealthWorker(
  runtime: WorkforceRuntime,
  viewer: Viewer,
  input: { fullName: string; phone?: string | null; role: WorkerRole; origin: WorkerOrigin; homeWardCode: string; maxCaseload: number },
): Promise<HealthWorkerRow> {
  const problems = new Problems();
  const fullName = checkText(problems, input.fullName, ['input', 'fullName'], 'fullName', { min: 2, max: TEXT_LIMITS.NAME });
  const ward = findWard(input.homeWardCode);
  problems.check(!!ward, ['input', 'homeWardCode'], `No ward has code ${input.homeWardCode}`);
  let phone: string | null = null;
  if (input.phone) {
    phone = normalizeVietnamesePhone(input.phone) ?? null;
    problems.check(!!phone, ['input', 'phone'], 'phone must be a Vietnamese mobile number');
  }
  capProblem(problems, input.maxCaseload, ['input', 'maxCaseload']);
  problems.throwIfAny();
  assertManagesWard(viewer, ward!.code, 'register a health worker in this ward');
  return runtime.db
    .insertInto('health_worker')
    .values({
      id: `HW-${randomUUID().slice(0, 8)}`,
      full_name: fullName,
      phone,
      role: input.role,
      origin: input.origin,
      home_ward_code: ward!.code,
      home_district_code: ward!.districtCode,
      max_caseload: input.maxCaseload,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * The worker a write names. A worker based outside the viewer's jurisdiction is answered exactly
 * like an unknown id, so that writes cannot probe who exists elsewhere.
 */
async function workerFor(runtime: WorkforceRuntime, viewer: Viewer, workerId: string) {
  const [worker] = workerId.length <= TEXT_LIMITS.ID ? await workersByIds(runtime.db, [workerId]) : [];
  if (!worker || !manages(viewer, worker.home_ward_code)) throw notFoundFor(viewer, 'HealthWorker', workerId, 'change this health worker');
  return worker;
}

export async function updateHealthWorker(
  runtime: WorkforceRuntime,
  viewer: Viewer,
  input: { workerId: string; maxCaseload?: number | null; active?: boolean | null },
): Promise<HealthWorkerRow> {
  const problems = new Problems();
  capProblem(problems, input.maxCaseload, ['input', 'maxCaseload']);
  problems.throwIfAny();
  await workerFor(runtime, viewer, input.workerId);
  return runtime.db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('health_worker').selectAll().where('id', '=', input.workerId).forUpdate().executeTakeFirstOrThrow();
    if (input.maxCaseload != null && input.maxCaseload < current.caseload) {
      new Problems()
        .add(['input', 'maxCaseload'], `maxCaseload (${input.maxCaseload}) cannot be below the ${current.caseload} patients the worker follows now; reassign some first`)
        .throwIfAny();
    }
    return trx
      .updateTable('health_worker')
      .set({ ...(input.maxCaseload != null ? { max_caseload: input.maxCaseload } : {}), ...(input.active != null ? { active: input.active } : {}) })
      .where('id', '=', input.workerId)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

export async function assignArea(runtime: WorkforceRuntime, viewer: Viewer, input: { workerId: string; wardCode: string; residentialGroup?: string | null }) {
  const ward = findWard(input.wardCode);
  const problems = new Problems().check(!!ward, ['input', 'wardCode'], `No ward has code ${input.wardCode}`);
  // Absent or blank means the whole ward.
  const group = input.residentialGroup?.trim()
    ? checkText(problems, input.residentialGroup, ['input', 'residentialGroup'], 'residentialGroup', { max: TEXT_LIMITS.RESIDENTIAL_GROUP })
    : '';
  problems.throwIfAny();
  const worker = await workerFor(runtime, viewer, input.workerId);
  assertManagesWard(viewer, ward!.code, 'assign a worker to this ward');
  await runtime.db
    .insertInto('area_assignment')
    .values({ worker_id: worker.id, ward_code: ward!.code, residential_group: group })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return worker;
}

export async function assignFacilityDuty(
  runtime: WorkforceRuntime,
  viewer: Viewer,
  input: { workerId: string; facilityId: string; startsAt: Date; endsAt?: Date | null },
  requestId: string,
) {
  const problems = new Problems();
  const facilityId = checkId(problems, input.facilityId, ['input', 'facilityId'], 'facilityId');
  if (input.endsAt && input.endsAt <= input.startsAt) problems.add(['input', 'endsAt'], 'endsAt must be after startsAt');
  problems.throwIfAny();
  const worker = await workerFor(runtime, viewer, input.workerId);
  const inactive = () => new Problems().add(['input', 'workerId'], 'The worker is not active').throwIfAny();
  if (!worker.active) inactive();
  // Asked before the transaction: no row lock is held across a call to another subgraph.
  if (!(await runtime.service<FacilityDirectory>(FACILITY_DIRECTORY).exists(facilityId, requestId))) throw new NotFoundError('Facility', facilityId);
  return runtime.db.transaction().execute(async (trx) => {
    // A deactivation committing meanwhile must be seen: the shared row lock waits for it and
    // reads the worker as it is after it, and keeps the worker from being deactivated until the
    // duty is in.
    const current = await trx.selectFrom('health_worker').selectAll().where('id', '=', worker.id).forShare().executeTakeFirstOrThrow();
    if (!current.active) inactive();
    await trx
      .insertInto('facility_duty')
      .values({ worker_id: current.id, facility_id: facilityId, starts_at: input.startsAt, ends_at: input.endsAt ?? null })
      .execute();
    return current;
  });
}

export async function createTeam(
  runtime: WorkforceRuntime,
  viewer: Viewer,
  input: { name: string; kind: TeamKind; wardCode: string; leadWorkerId?: string | null; memberIds: readonly string[] },
): Promise<TeamRow> {
  const ward = findWard(input.wardCode);
  const problems = new Problems();
  const name = checkText(problems, input.name, ['input', 'name'], 'name', { min: 2, max: TEXT_LIMITS.LABEL });
  problems.check(!!ward, ['input', 'wardCode'], `No ward has code ${input.wardCode}`);
  problems.check(input.memberIds.length <= MAX_LIST_ITEMS, ['input', 'memberIds'], `A team has at most ${MAX_LIST_ITEMS} members`);
  if (input.memberIds.length <= MAX_LIST_ITEMS) input.memberIds.forEach((id, i) => checkId(problems, id, ['input', 'memberIds', String(i)], 'A member id'));
  if (input.leadWorkerId != null) checkId(problems, input.leadWorkerId, ['input', 'leadWorkerId'], 'leadWorkerId');
  problems.throwIfAny();
  assertManagesWard(viewer, ward!.code, 'create a team in this ward');
  const ids = [...new Set([...input.memberIds, ...(input.leadWorkerId ? [input.leadWorkerId] : [])])];
  const found = await workersByIds(runtime.db, ids);
  // A member must be someone the viewer manages or who already works in the team's ward; anyone
  // else is answered like an unknown id.
  const eligible = await Promise.all(found.map(async (w) => manages(viewer, w.home_ward_code) || (await workerCovers(runtime.db, w.id, ward!.code))));
  const missing = ids.filter((id) => !found.some((w, i) => w.id === id && eligible[i]));
  if (missing.length) throw notFoundFor(viewer, 'HealthWorker', missing.join(', '), 'put these health workers in a team');
  return runtime.db.transaction().execute(async (trx) => {
    const team = await trx
      .insertInto('team')
      .values({ id: `T-${randomUUID().slice(0, 8)}`, name, kind: input.kind, ward_code: ward!.code, district_code: ward!.districtCode, lead_worker_id: input.leadWorkerId ?? null })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (ids.length) await trx.insertInto('team_member').values(ids.map((worker_id) => ({ team_id: team.id, worker_id }))).execute();
    return team;
  });
}
