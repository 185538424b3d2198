/**
 * The wards' submissions of the daily report, and the data-entry lag of cases (registration here
 * minus confirmation) per area.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Transaction } from '../../common/db/database.js';
import type { Corrections } from '../domain/report-duty.js';
import type { DayFigures } from './report.repository.js';
import type { PatientsDB, WardReportSubmissionTable } from './tables.js';

export interface ReportSubmission {
  id: string;
  wardCode: string;
  districtCode: string;
  day: string;
  submittedAt: Date;
  submittedBy: string;
  submittedByRole: string;
  onBehalf: boolean;
  computed: DayFigures;
  corrections: Corrections;
  reason: string | null;
  idempotencyKey: string;
  supersededAt: Date | null;
}

const toSubmission = (r: Selectable<WardReportSubmissionTable>): ReportSubmission => ({
  id: r.id,
  wardCode: r.ward_code,
  districtCode: r.district_code,
  day: r.day,
  submittedAt: r.submitted_at,
  submittedBy: r.submitted_by,
  submittedByRole: r.submitted_by_role,
  onBehalf: r.on_behalf,
  computed: r.computed as DayFigures,
  corrections: r.corrections as Corrections,
  reason: r.reason,
  idempotencyKey: r.idempotency_key,
  supersededAt: r.superseded_at,
});

/** The submission `submittedBy` made with this retry key (keys are per writer). */
export async function submissionByIdempotencyKey(db: Kysely<PatientsDB>, submittedBy: string, key: string): Promise<ReportSubmission | undefined> {
  const row = await db.selectFrom('ward_report_submission').selectAll().where('submitted_by', '=', submittedBy).where('idempotency_key', '=', key).executeTakeFirst();
  return row && toSubmission(row);
}

/** The current submission of a ward and day, locked for the transaction replacing it. */
export async function currentSubmissionForUpdate(trx: Transaction<PatientsDB>, wardCode: string, day: string): Promise<ReportSubmission | undefined> {
  const row = await trx
    .selectFrom('ward_report_submission')
    .selectAll()
    .where('ward_code', '=', wardCode)
    .where('day', '=', day)
    .where('superseded_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
  return row && toSubmission(row);
}

export async function supersedeSubmission(trx: Transaction<PatientsDB>, id: string, at: Date): Promise<void> {
  await trx.updateTable('ward_report_submission').set({ superseded_at: at }).where('id', '=', id).execute();
}

export async function insertSubmission(trx: Transaction<PatientsDB>, values: Omit<WardReportSubmissionTable, 'id' | 'superseded_at'>): Promise<ReportSubmission> {
  return toSubmission(await trx.insertInto('ward_report_submission').values({ ...values, superseded_at: null }).returningAll().executeTakeFirstOrThrow());
}

/** The current submissions of each day asked for, all wards (at most one per ward and day). */
export async function currentSubmissionsOfDays(db: Kysely<PatientsDB>, days: readonly string[]): Promise<ReportSubmission[]> {
  const rows = await db.selectFrom('ward_report_submission').selectAll().where('day', 'in', [...days]).where('superseded_at', 'is', null).execute();
  return rows.map(toSubmission);
}

export interface EntryLag {
  code: string;
  cases: number;
  p50Minutes: number | null;
  p90Minutes: number | null;
}

/**
 * Minutes from confirmation to registration here, p50 and p90, of the cases confirmed from `since`
 * (inclusive) to `until` (exclusive), for every ward or district asked: one grouped query. A
 * confirmation stamped a little after its registration (clock skew) counts as no lag.
 */
export async function entryLagByAreas(db: Kysely<PatientsDB>, column: 'ward_code' | 'district_code', codes: readonly string[], since: Date, until: Date): Promise<EntryLag[]> {
  const lag = sql`greatest(extract(epoch from registered_at - confirmed_at), 0) / 60`;
  const { rows } = await sql<{ code: string; cases: number; p50: number | null; p90: number | null }>`
    select ${sql.ref(column)} as code, count(*)::int as cases,
      percentile_cont(0.5) within group (order by ${lag}) as p50,
      percentile_cont(0.9) within group (order by ${lag}) as p90
    from patient
    where ${sql.ref(column)} = any(${[...codes]}::text[]) and confirmed_at >= ${since} and confirmed_at < ${until}
    group by 1`.execute(db);
  return rows.map((r) => ({ code: r.code, cases: r.cases, p50Minutes: r.p50 == null ? null : Number(r.p50), p90Minutes: r.p90 == null ? null : Number(r.p90) }));
}
