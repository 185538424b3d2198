/**
 * A ward station submits its daily report for the 07:00 duty: it confirms the computed report of
 * its ward, or corrects figures of it with a reason. The ward officer submits; the district or
 * the city may submit on its behalf (recorded as such).
 *
 * One submission per ward and day is current. Until the deadline a resubmission replaces it (the
 * earlier one is kept, superseded): a station that finds a mistake at 06:30 should fix it before
 * the briefing. After the deadline the submitted report stands, since the leaders were briefed
 * on it; a ward that submitted nothing may still submit, late.
 */
import { findWard } from '../../common/admin-units.js';
import { coversWard, type Viewer } from '../../common/auth/viewer.js';
import { assertActsOn } from '../../common/auth/jurisdiction.js';
import { ConflictError, Problems } from '../../common/domain/errors.js';
import { isUniqueViolation } from '../../common/db/errors.js';
import { isValidCalendarDate } from '../../common/domain/dates.js';
import { checkId, checkIdempotencyKey, checkOptionalText } from '../../common/domain/input-rules.js';
import { cityDate } from '../../common/graphql/scalars.js';
import { publish } from '../../common/events/publish.js';
import { TOPICS, type DailyReportSubmittedPayload } from '../../common/events/catalog.js';
import { computeDayFigures } from '../db/report.repository.js';
import {
  currentSubmissionForUpdate,
  insertSubmission,
  submissionByIdempotencyKey,
  supersedeSubmission,
  type ReportSubmission,
} from '../db/report-duty.repository.js';
import { cutoffOf as deadlineOf } from '../../common/report-cutoff.js';
import { CORRECTABLE_FIGURES, minutesLate, type CorrectableFigure, type Corrections } from '../domain/report-duty.js';
import type { PatientsRuntime } from '../context.js';

export const SUBMISSION_LIMITS = { earliest: '2020-01-01', reason: 1000, figure: 10_000_000 };

export interface SubmitReportInput {
  wardCode: string;
  date: string;
  corrections?: readonly { figure: CorrectableFigure; value: number }[] | null;
  reason?: string | null;
  idempotencyKey: string;
}

const sameCorrections = (a: Corrections, b: Corrections) =>
  CORRECTABLE_FIGURES.every((f) => a[f] === b[f]);

export async function submitDailyReport(runtime: PatientsRuntime, viewer: Viewer, input: SubmitReportInput, now: Date): Promise<ReportSubmission> {
  const path = (...field: string[]) => ['input', ...field];
  const problems = new Problems();
  const wardCode = checkId(problems, input.wardCode, path('wardCode'), 'wardCode');
  const ward = problems.empty ? findWard(wardCode) : undefined;
  if (problems.empty) problems.check(!!ward, path('wardCode'), `No ward has code ${wardCode}`);
  const today = cityDate(now);
  problems.check(
    isValidCalendarDate(input.date) && input.date >= SUBMISSION_LIMITS.earliest && input.date <= today,
    path('date'),
    `date must be a day from ${SUBMISSION_LIMITS.earliest} to today (${today} in Hà Nội)`,
  );
  const corrections: Corrections = {};
  // Each figure at most once: a longer list is refused whole rather than reported item by item.
  const given = input.corrections ?? [];
  problems.check(given.length <= CORRECTABLE_FIGURES.length, path('corrections'), `at most ${CORRECTABLE_FIGURES.length} corrections, one per figure`);
  (given.length <= CORRECTABLE_FIGURES.length ? given : []).forEach((c, i) => {
    problems.check(!(c.figure in corrections), path('corrections', String(i), 'figure'), `${c.figure} is corrected twice`);
    problems.check(Number.isInteger(c.value) && c.value >= 0 && c.value <= SUBMISSION_LIMITS.figure, path('corrections', String(i), 'value'), `value must be a whole number from 0 to ${SUBMISSION_LIMITS.figure}`);
    corrections[c.figure] = c.value;
  });
  const corrected = Object.keys(corrections).length > 0;
  const reason = checkOptionalText(problems, input.reason, path('reason'), 'reason', { max: SUBMISSION_LIMITS.reason });
  if (corrected) problems.check(reason != null, path('reason'), 'A correction of the computed figures needs a reason');
  problems.check(input.idempotencyKey != null, path('idempotencyKey'), 'idempotencyKey is required');
  checkIdempotencyKey(problems, input.idempotencyKey, path('idempotencyKey'));
  problems.throwIfAny();
  // Jurisdiction before anything is read by key or written.
  assertActsOn(viewer, 'clinical', [ward!.code], 'submit the daily report of this ward');

  const replay = async () => {
    const existing = await submissionByIdempotencyKey(runtime.db, viewer.subject, input.idempotencyKey);
    if (!existing) return undefined;
    const same = coversWard(viewer, existing.wardCode) && existing.wardCode === ward!.code && existing.day === input.date && sameCorrections(existing.corrections, corrections) && existing.reason === reason;
    if (!same) throw new ConflictError('This idempotencyKey was already used for another submission; use a new key for a new submission');
    return existing;
  };
  const previous = await replay();
  if (previous) return previous;

  const submit = () =>
    runtime.db.transaction().execute(async (trx) => {
      const current = await currentSubmissionForUpdate(trx, ward!.code, input.date);
      if (current && now >= deadlineOf(input.date)) {
        throw new ConflictError(`The report of ${input.date} was already submitted and its deadline has passed: the submitted report stands`);
      }
      if (current) await supersedeSubmission(trx, current.id, now);
      const submission = await insertSubmission(trx, {
        ward_code: ward!.code,
        district_code: ward!.districtCode,
        day: input.date,
        submitted_at: now,
        submitted_by: viewer.subject,
        submitted_by_role: viewer.role,
        on_behalf: viewer.role !== 'WARD_OFFICER',
        computed: JSON.stringify(await computeDayFigures(trx, input.date, ward!.code)),
        corrections: JSON.stringify(corrections),
        reason,
        idempotency_key: input.idempotencyKey,
      });
      const payload: DailyReportSubmittedPayload = {
        submissionId: submission.id,
        wardCode: submission.wardCode,
        districtCode: submission.districtCode,
        day: submission.day,
        submittedAt: submission.submittedAt.toISOString(),
        deadline: deadlineOf(submission.day).toISOString(),
        minutesLate: minutesLate(deadlineOf(submission.day), submission.submittedAt),
        onBehalf: submission.onBehalf,
        corrected,
        at: submission.submittedAt.toISOString(),
      };
      await publish(trx, [{ topic: TOPICS.dailyReportSubmitted, key: `${submission.wardCode}:${submission.day}`, payload }]);
      return submission;
    });
  try {
    return await submit();
  } catch (error) {
    if (isUniqueViolation(error, 'ward_report_submission_submitter_key')) {
      const raced = await replay();
      if (raced) return raced;
    }
    // Two first submissions of the same ward and day at once: the second replaces the first.
    if (isUniqueViolation(error, 'ward_report_submission_current')) return submit();
    throw error;
  }
}
