/** Registering health workers, their caps, their areas and their facility duty. */
import { randomUUID } from 'node:crypto';
import { findWard } from '../../common/admin-units.js';
import type { Viewer } from '../../common/auth/viewer.js';
import { assertCaresFor } from '../../common/auth/jurisdiction.js';
import { NotFoundError, Problems } from '../../common/domain/errors.js';
import { TEXT_LIMITS, checkId, checkText, normalizeVietnamesePhone } from '../../common/domain/input-rules.js';
import { insertAreaAssignment, insertFacilityDuty, insertWorker, lockWorker, shareLockWorker, updateWorker } from '../db/worker.repository.js';
import type { HealthWorker } from '../db/mappers.js';
import { MAX_CASELOAD_LIMIT, capBelowCaseload, isValidCaseloadCap, type WorkerOrigin, type WorkerRole } from '../domain/workforce.js';
import type { WorkforceRuntime } from '../context.js';
import { findWorkerFor } from './access.js';
import { FACILITY_DIRECTORY, type FacilityDirectory } from '../../common/facility-directory.js';

const CHANGE_WORKER = 'change this health worker';

function checkCap(problems: Problems, cap: number | null | undefined): void {
  if (cap == null) return;
  problems.check(isValidCaseloadCap(cap), ['input', 'maxCaseload'], `maxCaseload must be a whole number from 1 to ${MAX_CASELOAD_LIMIT}`);
}

export async function registerHealthWorker(
  runtime: WorkforceRuntime,
  viewer: Viewer,
  input: { fullName: string; phone?: string | null; role: WorkerRole; origin: WorkerOrigin; homeWardCode: string; maxCaseload: number },
): Promise<HealthWorker> {
  const problems = new Problems();
  const fullName = checkText(problems, input.fullName, ['input', 'fullName'], 'fullName', { min: 2, max: TEXT_LIMITS.NAME });
  const ward = findWard(input.homeWardCode);
  problems.check(!!ward, ['input', 'homeWardCode'], `No ward has code ${input.homeWardCode}`);
  let phone: string | null = null;
  if (input.phone) {
    phone = normalizeVietnamesePhone(input.phone) ?? null;
    problems.check(!!phone, ['input', 'phone'], 'phone must be a Vietnamese mobile number');
  }
  checkCap(problems, input.maxCaseload);
  problems.throwIfAny();
  assertCaresFor(viewer, ward!.code, 'register a health worker in this ward');
  return insertWorker(runtime.db, {
    id: `HW-${randomUUID().slice(0, 8)}`,
    fullName,
    phone,
    role: input.role,
    origin: input.origin,
    homeWardCode: ward!.code,
    homeDistrictCode: ward!.districtCode,
    maxCaseload: input.maxCaseload,
  });
}

export async function updateHealthWorker(
  runtime: WorkforceRuntime,
  viewer: Viewer,
  input: { workerId: string; maxCaseload?: number | null; active?: boolean | null },
): Promise<HealthWorker> {
  const problems = new Problems();
  checkCap(problems, input.maxCaseload);
  problems.throwIfAny();
  const worker = await findWorkerFor(runtime.db, viewer, input.workerId, CHANGE_WORKER);
  return runtime.db.transaction().execute(async (trx) => {
    const current = (await lockWorker(trx, worker.id))!;
    if (input.maxCaseload != null && capBelowCaseload(input.maxCaseload, current.caseload)) {
      new Problems()
        .add(['input', 'maxCaseload'], `maxCaseload (${input.maxCaseload}) cannot be below the ${current.caseload} patients the worker follows now; reassign some first`)
        .throwIfAny();
    }
    if (input.maxCaseload == null && input.active == null) return current;
    return updateWorker(trx, worker.id, input);
  });
}

export async function assignArea(runtime: WorkforceRuntime, viewer: Viewer, input: { workerId: string; wardCode: string; residentialGroup?: string | null }): Promise<HealthWorker> {
  const ward = findWard(input.wardCode);
  const problems = new Problems().check(!!ward, ['input', 'wardCode'], `No ward has code ${input.wardCode}`);
  // Absent or blank means the whole ward.
  const group = input.residentialGroup?.trim()
    ? checkText(problems, input.residentialGroup, ['input', 'residentialGroup'], 'residentialGroup', { max: TEXT_LIMITS.RESIDENTIAL_GROUP })
    : '';
  problems.throwIfAny();
  const worker = await findWorkerFor(runtime.db, viewer, input.workerId, CHANGE_WORKER);
  assertCaresFor(viewer, ward!.code, 'assign a worker to this ward');
  await insertAreaAssignment(runtime.db, worker.id, ward!.code, group);
  return worker;
}

/**
 * A worker on duty at a facility. The write needs jurisdiction over the worker and over the
 * facility's ward: a ward officer staffs facilities of the ward, not another district's.
 */
export async function assignFacilityDuty(
  runtime: WorkforceRuntime,
  viewer: Viewer,
  input: { workerId: string; facilityId: string; startsAt: Date; endsAt?: Date | null },
  requestId: string,
): Promise<HealthWorker> {
  const problems = new Problems();
  const facilityId = checkId(problems, input.facilityId, ['input', 'facilityId'], 'facilityId');
  if (input.endsAt && input.endsAt <= input.startsAt) problems.add(['input', 'endsAt'], 'endsAt must be after startsAt');
  problems.throwIfAny();
  const worker = await findWorkerFor(runtime.db, viewer, input.workerId, CHANGE_WORKER);
  const inactive = () => new Problems().add(['input', 'workerId'], 'The worker is not active').throwIfAny();
  if (!worker.active) inactive();
  // Asked before the transaction: no row lock is held across a call to another subgraph.
  const facility = await runtime.service<FacilityDirectory>(FACILITY_DIRECTORY).find(facilityId, requestId);
  if (!facility) throw new NotFoundError('Facility', facilityId);
  assertCaresFor(viewer, facility.wardCode, 'put a health worker on duty at this facility');
  return runtime.db.transaction().execute(async (trx) => {
    // A deactivation committing meanwhile must be seen, and must wait until the duty is in.
    const current = (await shareLockWorker(trx, worker.id))!;
    if (!current.active) inactive();
    await insertFacilityDuty(trx, { workerId: current.id, facilityId, startsAt: input.startsAt, endsAt: input.endsAt ?? null });
    return current;
  });
}
