/** Registering health workers, their caps, areas, teams and facility duty. */
import { randomUUID } from 'node:crypto';
import { findWard } from '../../common/admin-units.js';
import type { Viewer } from '../../common/auth/viewer.js';
import { NotFoundError, Problems } from '../../common/graphql/errors.js';
import { normalizeVietnamesePhone } from '../../patients/domain/validation.js';
import { workersByIds } from '../db/worker.repository.js';
import type { HealthWorkerRow, TeamRow } from '../db/tables.js';
import { MAX_CASELOAD_LIMIT, type TeamKind, type WorkerOrigin, type WorkerRole } from '../domain/workforce.js';
import type { WorkforceRuntime } from '../context.js';
import { assertManagesWard } from './care.js';

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
  const fullName = input.fullName.trim();
  problems.check(fullName.length >= 2 && fullName.length <= 100, ['input', 'fullName'], 'fullName must be 2 to 100 characters');
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

async function lockWorker(runtime: WorkforceRuntime, viewer: Viewer, workerId: string, action: string) {
  const [worker] = await workersByIds(runtime.db, [workerId]);
  if (!worker) throw new NotFoundError('HealthWorker', workerId);
  assertManagesWard(viewer, worker.home_ward_code, action);
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
  await lockWorker(runtime, viewer, input.workerId, 'update this health worker');
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
  new Problems().check(!!ward, ['input', 'wardCode'], `No ward has code ${input.wardCode}`).throwIfAny();
  const worker = await lockWorker(runtime, viewer, input.workerId, 'assign this health worker');
  assertManagesWard(viewer, ward!.code, 'assign a worker to this ward');
  await runtime.db
    .insertInto('area_assignment')
    .values({ worker_id: worker.id, ward_code: ward!.code, residential_group: input.residentialGroup?.trim() ?? '' })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return worker;
}

export async function assignFacilityDuty(
  runtime: WorkforceRuntime,
  viewer: Viewer,
  input: { workerId: string; facilityId: string; startsAt: Date; endsAt?: Date | null },
) {
  const problems = new Problems().check(input.facilityId.trim().length > 0, ['input', 'facilityId'], 'facilityId is required');
  if (input.endsAt && input.endsAt <= input.startsAt) problems.add(['input', 'endsAt'], 'endsAt must be after startsAt');
  problems.throwIfAny();
  const worker = await lockWorker(runtime, viewer, input.workerId, 'put this worker on duty');
  if (!worker.active) new Problems().add(['input', 'workerId'], 'The worker is not active').throwIfAny();
  await runtime.db
    .insertInto('facility_duty')
    .values({ worker_id: worker.id, facility_id: input.facilityId, starts_at: input.startsAt, ends_at: input.endsAt ?? null })
    .execute();
  return worker;
}

export async function createTeam(
  runtime: WorkforceRuntime,
  viewer: Viewer,
  input: { name: string; kind: TeamKind; wardCode: string; leadWorkerId?: string | null; memberIds: readonly string[] },
): Promise<TeamRow> {
  const ward = findWard(input.wardCode);
  const problems = new Problems()
    .check(input.name.trim().length >= 2, ['input', 'name'], 'name must be at least 2 characters')
    .check(!!ward, ['input', 'wardCode'], `No ward has code ${input.wardCode}`);
  problems.throwIfAny();
  assertManagesWard(viewer, ward!.code, 'create a team in this ward');
  const ids = [...new Set([...input.memberIds, ...(input.leadWorkerId ? [input.leadWorkerId] : [])])];
  const found = await workersByIds(runtime.db, ids);
  const missing = ids.filter((id) => !found.some((w) => w.id === id));
  if (missing.length) throw new NotFoundError('HealthWorker', missing.join(', '));
  return runtime.db.transaction().execute(async (trx) => {
    const team = await trx
      .insertInto('team')
      .values({ id: `T-${randomUUID().slice(0, 8)}`, name: input.name.trim(), kind: input.kind, ward_code: ward!.code, district_code: ward!.districtCode, lead_worker_id: input.leadWorkerId ?? null })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (ids.length) await trx.insertInto('team_member').values(ids.map((worker_id) => ({ team_id: team.id, worker_id }))).execute();
    return team;
  });
}
