/**
 * The 07:00 report duty, pure: each ward station submits the report of a city day by the day's
 * cut-off, 07:00 (Hà Nội) the next morning, when the computed report is frozen and the city's
 * leaders read it. Late = submitted after the deadline; missing = none submitted and the
 * deadline has passed; pending = none yet, but there is still time.
 */
import type { DayFigures } from '../db/report.repository.js';

/** Whole minutes after the deadline (0 when on time). The deadline of a day is its report's cut-off (common/report-cutoff.ts). */
export const minutesLate = (deadline: Date, submittedAt: Date): number => Math.max(0, Math.ceil((submittedAt.getTime() - deadline.getTime()) / 60_000));

/** The figures a ward may correct: the counts of its day (the epidemic level is computed, not reported). */
export const CORRECTABLE_FIGURES = [
  'newCases',
  'active',
  'activeTier1',
  'activeTier2',
  'activeTier3',
  'atHome',
  'inFacilities',
  'tierEscalations',
  'tierDeescalations',
  'recoveries',
  'deaths',
  'helpRequestsOpened',
  'helpRequestsAnswered',
] as const satisfies readonly (keyof DayFigures)[];

export type CorrectableFigure = (typeof CORRECTABLE_FIGURES)[number];
export type Corrections = Partial<Record<CorrectableFigure, number>>;

export interface SubmissionTiming {
  wardCode: string;
  submittedAt: Date;
}

export interface DutyStatus {
  wards: number;
  onTime: string[];
  late: { wardCode: string; minutesLate: number }[];
  missing: string[];
  pending: string[];
}

/** Where each ward of `wardCodes` stands on a day's duty due at `deadline`, at `now`, from its current submission. */
export function dutyStatus(deadline: Date, wardCodes: readonly string[], submissions: readonly SubmissionTiming[], now: Date): DutyStatus {
  const byWard = new Map(submissions.map((s) => [s.wardCode, s]));
  const overdue = now >= deadline;
  const status: DutyStatus = { wards: wardCodes.length, onTime: [], late: [], missing: [], pending: [] };
  for (const wardCode of wardCodes) {
    const submitted = byWard.get(wardCode);
    if (!submitted) (overdue ? status.missing : status.pending).push(wardCode);
    else {
      const late = minutesLate(deadline, submitted.submittedAt);
      if (late > 0) status.late.push({ wardCode, minutesLate: late });
      else status.onTime.push(wardCode);
    }
  }
  return status;
}
