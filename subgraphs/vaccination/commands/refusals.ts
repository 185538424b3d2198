/** Recording a refusal of vaccination, so that the refusals can be visited again. */
import type { Viewer } from '../../common/auth/viewer.js';
import { Problems } from '../../common/domain/errors.js';
import { cityDate, isValidCalendarDate } from '../../common/graphql/scalars.js';
import { TEXT_LIMITS, checkText } from '../../common/domain/input-rules.js';
import { residentsByNationalIds, setRefusal } from '../db/resident.repository.js';
import type { Refusal } from '../db/mappers.js';
import { FIRST_VACCINATION_DAY } from '../domain/schedule.js';
import type { VaccinationRuntime } from '../context.js';
import { checkNationalId, residentForWrite } from './access.js';

export interface RecordRefusalInput {
  nationalId: string;
  reason: string;
  refusedOn?: string | null;
}

export async function recordRefusal(runtime: VaccinationRuntime, viewer: Viewer, input: RecordRefusalInput, now = new Date()): Promise<Refusal> {
  const today = cityDate(now);
  const refusedOn = input.refusedOn ?? today;
  const problems = new Problems();
  const nationalId = checkNationalId(problems, input.nationalId);
  const reason = checkText(problems, input.reason, ['input', 'reason'], 'reason', { min: 3, max: TEXT_LIMITS.REASON });
  if (!isValidCalendarDate(refusedOn) || refusedOn > today || refusedOn < FIRST_VACCINATION_DAY) {
    problems.add(['input', 'refusedOn'], `refusedOn must be a day from ${FIRST_VACCINATION_DAY} to today`);
  }
  problems.throwIfAny();
  const resident = residentForWrite(viewer, nationalId, (await residentsByNationalIds(runtime.db, [nationalId]))[0]);
  const updated = await setRefusal(runtime.db, resident.id, { reason, refusedOn, recordedBy: viewer.subject });
  return updated.refusal!;
}
