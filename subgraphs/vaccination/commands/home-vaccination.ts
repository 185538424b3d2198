/** Asking the home-vaccination team to come: for homebound elderly or comorbid residents. */
import type { Viewer } from '../../common/auth/viewer.js';
import { Problems } from '../../common/domain/errors.js';
import { cityDate, isValidCalendarDate } from '../../common/graphql/scalars.js';
import { TEXT_LIMITS, checkText } from '../../common/domain/input-rules.js';
import { residentsByNationalIds } from '../db/resident.repository.js';
import { insertHomeRequest, openHomeRequest, rescheduleHomeRequest } from '../db/home-request.repository.js';
import type { HomeVaccinationRequest } from '../db/mappers.js';
import { HOME_VACCINATION_AGE, mayBeVaccinatedAtHome } from '../domain/home-vaccination.js';
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
  const open = await openHomeRequest(runtime.db, resident.id);
  if (open) return input.scheduledFor == null ? open : rescheduleHomeRequest(runtime.db, open.id, input.scheduledFor);
  return insertHomeRequest(runtime.db, { resident_id: resident.id, reason, scheduled_for: input.scheduledFor ?? null, done_at: null, requested_by: viewer.subject });
}
