/**
 * Asking the home-vaccination team to come, for homebound elderly or comorbid residents; giving
 * the visit to a team; cancelling it. A dose recorded for the resident closes the request
 * (commands/doses.ts).
 */
import { findWard } from '../../common/admin-units.js';
import { coversWard, type Viewer } from '../../common/auth/viewer.js';
import { assertActsOn, notFoundFor } from '../../common/auth/jurisdiction.js';
import { ConflictError, Problems } from '../../common/domain/errors.js';
import { cityDate, isValidCalendarDate } from '../../common/graphql/scalars.js';
import { TEXT_LIMITS, checkId, checkText, isUuid } from '../../common/domain/input-rules.js';
import { residentsByNationalIds } from '../db/resident.repository.js';
import { assignHomeRequest, cancelHomeRequest, insertHomeRequest, lockHomeRequest, openHomeRequest, rescheduleHomeRequest } from '../db/home-request.repository.js';
import type { Transaction } from 'kysely';
import type { HomeVaccinationRequest } from '../db/mappers.js';
import type { VaccinationDB } from '../db/tables.js';
import { HOME_VACCINATION_AGE, HOME_VACCINATION_TEAM, mayBeVaccinatedAtHome } from '../domain/home-vaccination.js';
import { TEAM_DIRECTORY, type TeamDirectory } from './team-directory.js';
import type { VaccinationRuntime } from '../context.js';
import { checkNationalId, residentForWrite } from './access.js';

export interface RequestHomeVaccinationInput {
  nationalId: string;
  reason: string;
  scheduledFor?: string | null;
}

/** Opens a request, or returns the open one (rescheduled when a day is given). */
export async function requestHomeVaccination(
  runtime: VaccinationRuntime,
  viewer: Viewer,
  input: RequestHomeVaccinationInput,
  now = new Date(),
): Promise<HomeVaccinationRequest> {
  const today = cityDate(now);
  const problems = new Problems();
  const nationalId = checkNationalId(problems, input.nationalId);
  const reason = checkText(problems, input.reason, ['input', 'reason'], 'reason', { min: 3, max: TEXT_LIMITS.REASON });
  if (input.scheduledFor != null && (!isValidCalendarDate(input.scheduledFor) || input.scheduledFor < today)) {
    problems.add(['input', 'scheduledFor'], 'scheduledFor must be today or later');
  }
  problems.throwIfAny();
  const resident = residentForWrite(viewer, nationalId, (await residentsByNationalIds(runtime.db, [nationalId]))[0]);
  if (!mayBeVaccinatedAtHome(resident, today)) {
    new Problems()
      .add(['input', 'nationalId'], `Home vaccination is for homebound residents who are ${HOME_VACCINATION_AGE} or older or have comorbidities`)
      .throwIfAny();
  }
  // A request made at the same moment may open it first (or close it): try again on what it left.
  for (let attempt = 0; attempt < 3; attempt++) {
    const open = await openHomeRequest(runtime.db, resident.id);
    if (open) {
      if (input.scheduledFor == null) return open;
      const rescheduled = await rescheduleHomeRequest(runtime.db, open.id, input.scheduledFor);
      if (rescheduled) return rescheduled;
      continue;
    }
    const opened = await insertHomeRequest(runtime.db, {
      resident_id: resident.id,
      ward_code: resident.wardCode,
      district_code: resident.districtCode,
      reason,
      scheduled_for: input.scheduledFor ?? null,
      done_at: null,
      requested_by: viewer.subject,
    });
    if (opened) return opened;
  }
  throw new ConflictError('The home-vaccination request of this resident kept changing while it was being made: try again');
}

const closed = (r: HomeVaccinationRequest) =>
  new ConflictError(r.doneAt ? 'This home-vaccination request is closed: the dose was recorded' : 'This home-vaccination request was cancelled');

/** The request id of a write, checked as input. */
function checkRequestId(problems: Problems, value: string): string {
  const id = checkId(problems, value, ['input', 'requestId'], 'requestId');
  problems.check(isUuid(id), ['input', 'requestId'], 'requestId is not the id of a home-vaccination request');
  return id;
}

/**
 * Changes an open request in one transaction, after the writer's jurisdiction over the
 * resident's ward: a request outside it is answered like an unknown id.
 */
async function changeOpenRequest(
  runtime: VaccinationRuntime,
  viewer: Viewer,
  id: string,
  action: string,
  change: (request: HomeVaccinationRequest, trx: Transaction<VaccinationDB>) => Promise<HomeVaccinationRequest>,
): Promise<HomeVaccinationRequest> {
  return runtime.db.transaction().execute(async (trx) => {
    const request = await lockHomeRequest(trx, id);
    if (!request) throw notFoundFor(viewer, 'HomeVaccinationRequest', id, action);
    assertActsOn(viewer, 'vaccinationWriters', [request.wardCode], action);
    if (request.doneAt || request.cancelledAt) throw closed(request);
    return change(request, trx);
  });
}

export interface AssignHomeVaccinationInput {
  requestId: string;
  teamId: string;
}

/**
 * Gives the visit to a home-vaccination team of the resident's district (workforce's team,
 * confirmed through the gateway before anything is written); reassigning moves it to the new team.
 */
export async function assignHomeVaccination(
  runtime: VaccinationRuntime,
  viewer: Viewer,
  input: AssignHomeVaccinationInput,
  requestId: string,
  now = new Date(),
): Promise<HomeVaccinationRequest> {
  const problems = new Problems();
  const id = checkRequestId(problems, input.requestId);
  const teamId = checkId(problems, input.teamId, ['input', 'teamId'], 'teamId');
  problems.throwIfAny();
  const action = 'assign this home-vaccination request';
  // Jurisdiction and state first, in a short transaction of their own: the team lookup is a
  // network call and must not hold the request's lock; both are checked again when writing.
  const before = await changeOpenRequest(runtime, viewer, id, action, async (r) => r);
  const team = await runtime.service<TeamDirectory>(TEAM_DIRECTORY).find(teamId, requestId);
  const teamDistrict = team && findWard(team.wardCode)?.districtCode;
  if (!team || team.kind !== HOME_VACCINATION_TEAM || teamDistrict !== before.districtCode || !coversWard(viewer, team.wardCode)) {
    new Problems().add(['input', 'teamId'], 'teamId must name a home-vaccination team of the resident’s district, in your jurisdiction').throwIfAny();
  }
  return changeOpenRequest(runtime, viewer, id, action, (_r, trx) => assignHomeRequest(trx, id, team!.id, viewer.subject, now));
}

export async function cancelHomeVaccination(
  runtime: VaccinationRuntime,
  viewer: Viewer,
  input: { requestId: string; reason: string },
  now = new Date(),
): Promise<HomeVaccinationRequest> {
  const problems = new Problems();
  const id = checkRequestId(problems, input.requestId);
  const reason = checkText(problems, input.reason, ['input', 'reason'], 'reason', { min: 3, max: TEXT_LIMITS.REASON });
  problems.throwIfAny();
  return changeOpenRequest(runtime, viewer, id, 'cancel this home-vaccination request', (_r, trx) => cancelHomeRequest(trx, id, reason, viewer.subject, now));
}
