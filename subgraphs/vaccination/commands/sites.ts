/** Mobile vaccination points and their sessions: set up by the vaccination teams of the district. */
import { findWard } from '../../common/admin-units.js';
import type { Viewer } from '../../common/auth/viewer.js';
import { assertActsOn, notFoundFor } from '../../common/auth/jurisdiction.js';
import { ConflictError, Problems } from '../../common/domain/errors.js';
import { isUniqueViolation } from '../../common/db/errors.js';
import { TEXT_LIMITS, checkId, checkIdempotencyKey, checkText, isUuid } from '../../common/domain/input-rules.js';
import { insertPoint, insertSession, pointByIdempotencyKey, pointsByIds, sessionByIdempotencyKey, setPointActive } from '../db/site.repository.js';
import type { VaccinationPoint, VaccinationSession } from '../db/mappers.js';
import { HANOI_BOUNDS, MAX_PLANNED_DOSES, MAX_SESSION_HOURS, insideHanoi } from '../domain/sites.js';
import { FIRST_VACCINATION_DAY, type Vaccine } from '../domain/schedule.js';
import type { VaccinationRuntime } from '../context.js';

export interface CreatePointInput {
  wardCode: string;
  name: string;
  address: string;
  latitude?: number | null;
  longitude?: number | null;
  idempotencyKey?: string | null;
}

/**
 * Creates once per key: a retry with the same key and the same input gets what the first call
 * created (also when both raced), the same key with other input is a ConflictError.
 */
async function once<T>(
  key: string | null | undefined,
  find: (key: string) => Promise<T | undefined>,
  same: (previous: T) => boolean,
  constraint: string,
  create: () => Promise<T>,
): Promise<T> {
  const replay = (previous: T) => {
    if (!same(previous)) throw new ConflictError('This idempotencyKey was already used for a different request; use a new key for a new one');
    return previous;
  };
  const previous = key ? await find(key) : undefined;
  if (previous) return replay(previous);
  try {
    return await create();
  } catch (error) {
    const raced = key && isUniqueViolation(error, constraint) ? await find(key) : undefined;
    if (raced) return replay(raced);
    throw error;
  }
}

export async function createVaccinationPoint(runtime: VaccinationRuntime, viewer: Viewer, input: CreatePointInput): Promise<VaccinationPoint> {
  const problems = new Problems();
  const ward = findWard(input.wardCode);
  problems.check(!!ward, ['input', 'wardCode'], `No ward has code ${input.wardCode}`);
  const name = checkText(problems, input.name, ['input', 'name'], 'name', { min: 2, max: TEXT_LIMITS.LABEL });
  const address = checkText(problems, input.address, ['input', 'address'], 'address', { min: 3, max: TEXT_LIMITS.ADDRESS });
  const { latitude = null, longitude = null } = input;
  if ((latitude == null) !== (longitude == null)) problems.add(['input', latitude == null ? 'latitude' : 'longitude'], 'latitude and longitude are given together or not at all');
  else if (latitude != null && longitude != null && !insideHanoi(latitude, longitude)) {
    problems.add(['input', 'latitude'], `The coordinates are outside Hanoi (latitude ${HANOI_BOUNDS.minLatitude}–${HANOI_BOUNDS.maxLatitude}, longitude ${HANOI_BOUNDS.minLongitude}–${HANOI_BOUNDS.maxLongitude})`);
  }
  checkIdempotencyKey(problems, input.idempotencyKey, ['input', 'idempotencyKey']);
  problems.throwIfAny();
  const { code: wardCode, districtCode } = ward!;
  assertActsOn(viewer, 'vaccinationWriters', [wardCode], 'set up a vaccination point in this ward');
  return once(
    input.idempotencyKey,
    (key) => pointByIdempotencyKey(runtime.db, viewer.subject, key),
    (p) => p.wardCode === wardCode && p.name === name && p.address === address && p.latitude === latitude && p.longitude === longitude,
    'vaccination_point_creator_key',
    () =>
      insertPoint(runtime.db, { ward_code: wardCode, district_code: districtCode, name, address, latitude, longitude, created_by: viewer.subject, idempotency_key: input.idempotencyKey ?? null }),
  );
}

/** The point named by a write, in the writer's jurisdiction; otherwise answered like an unknown id. */
async function pointForWrite(runtime: VaccinationRuntime, viewer: Viewer, problems: Problems, pointId: string, action: string): Promise<VaccinationPoint> {
  const id = checkId(problems, pointId, ['input', 'pointId'], 'pointId');
  problems.check(isUuid(id), ['input', 'pointId'], 'pointId is not the id of a vaccination point');
  problems.throwIfAny();
  const [point] = await pointsByIds(runtime.db, [id]);
  if (!point) throw notFoundFor(viewer, 'VaccinationPoint', id, action);
  assertActsOn(viewer, 'vaccinationWriters', [point.wardCode], action);
  return point;
}

export async function setVaccinationPointActive(runtime: VaccinationRuntime, viewer: Viewer, input: { pointId: string; active: boolean }): Promise<VaccinationPoint> {
  const point = await pointForWrite(runtime, viewer, new Problems(), input.pointId, 'change this vaccination point');
  return point.active === input.active ? point : setPointActive(runtime.db, point.id, input.active);
}

export interface ScheduleSessionInput {
  pointId: string;
  startsAt: Date;
  endsAt: Date;
  vaccine: Vaccine;
  plannedDoses: number;
  idempotencyKey?: string | null;
}

export async function scheduleVaccinationSession(runtime: VaccinationRuntime, viewer: Viewer, input: ScheduleSessionInput): Promise<VaccinationSession> {
  const problems = new Problems();
  const hours = (input.endsAt.getTime() - input.startsAt.getTime()) / 3_600_000;
  if (input.startsAt.getTime() < Date.parse(`${FIRST_VACCINATION_DAY}T00:00:00+07:00`)) problems.add(['input', 'startsAt'], `startsAt is before vaccination began in Viet Nam (${FIRST_VACCINATION_DAY})`);
  if (!(hours > 0 && hours <= MAX_SESSION_HOURS)) problems.add(['input', 'endsAt'], `endsAt must be after startsAt, at most ${MAX_SESSION_HOURS} hours later`);
  if (!Number.isInteger(input.plannedDoses) || input.plannedDoses < 1 || input.plannedDoses > MAX_PLANNED_DOSES) {
    problems.add(['input', 'plannedDoses'], `plannedDoses must be from 1 to ${MAX_PLANNED_DOSES}`);
  }
  checkIdempotencyKey(problems, input.idempotencyKey, ['input', 'idempotencyKey']);
  const point = await pointForWrite(runtime, viewer, problems, input.pointId, 'schedule a session at this vaccination point');
  const same = (s: VaccinationSession) =>
    s.pointId === point.id &&
    s.startsAt.getTime() === input.startsAt.getTime() &&
    s.endsAt.getTime() === input.endsAt.getTime() &&
    s.vaccine === input.vaccine &&
    s.plannedDoses === input.plannedDoses;
  return once(input.idempotencyKey, (key) => sessionByIdempotencyKey(runtime.db, viewer.subject, key), same, 'vaccination_session_creator_key', () => {
    // Checked here, not before a replay: a retry of a session scheduled before the point closed still gets it.
    if (!point.active) new Problems().add(['input', 'pointId'], 'This vaccination point is closed; reopen it before scheduling a session').throwIfAny();
    return insertSession(runtime.db, {
      point_id: point.id,
      ward_code: point.wardCode,
      district_code: point.districtCode,
      starts_at: input.startsAt,
      ends_at: input.endsAt,
      vaccine: input.vaccine,
      planned_doses: input.plannedDoses,
      created_by: viewer.subject,
      idempotency_key: input.idempotencyKey ?? null,
    });
  });
}
