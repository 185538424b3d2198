/**
 * The 07:00 report duty: ward stations submit (or confirm) the computed report of their ward for
 * a day by its cut-off; districts and the city see who submitted on time, late or not at all.
 * And the data-entry lag: how long cases take from confirmation to registration here. All of it
 * aggregates and figures, no personal data: dashboards and health officers read it.
 */
import { builder } from '../builder.js';
import { inGroup } from '../../common/auth/jurisdiction.js';
import { coversWard } from '../../common/auth/viewer.js';
import { DISTRICTS, findDistrict } from '../../common/admin-units.js';
import { ConflictError, ValidationError } from '../../common/domain/errors.js';
import { graphQLError } from '../../common/graphql/errors.js';
import { cityDate, startOfCityDate } from '../../common/graphql/scalars.js';
import type { ReportSubmission } from '../db/report-duty.repository.js';
import { cutoffOf as deadlineOf } from '../../common/report-cutoff.js';
import { CORRECTABLE_FIGURES, dutyStatus, minutesLate, type CorrectableFigure, type DutyStatus } from '../domain/report-duty.js';
import { submitDailyReport } from '../commands/submit-report.js';
import { DistrictRef, WardRef } from './area-refs.js';
import { checkDate } from './report.js';
import type { PatientsContext } from '../context.js';

/** GraphQL names of the figures a ward reports (SCREAMING_CASE of the report's field names). */
const enumName = (figure: string) => figure.replace(/[A-Z0-9]/g, (c) => `_${c}`).toUpperCase();

export const ReportFigureEnum = builder.enumType('ReportFigure', {
  description: 'A figure of the daily report a ward may correct (the fields of DailyReport of the same name).',
  values: Object.fromEntries(CORRECTABLE_FIGURES.map((f) => [enumName(f), { value: f, description: `DailyReport.${f}.` }])) as Record<string, { value: CorrectableFigure; description: string }>,
});

interface FigureValue {
  figure: CorrectableFigure;
  computed: number;
  reported: number;
}

const ReportFigureValueRef = builder.objectRef<FigureValue>('ReportFigureValue').implement({
  description: 'One figure of a submitted ward report: as computed when submitted, and as the ward reported it.',
  fields: (t) => ({
    figure: t.field({ type: ReportFigureEnum, description: 'Which figure.', resolve: (v) => v.figure }),
    computed: t.exposeInt('computed', { description: 'The computed value when the ward submitted.' }),
    reported: t.exposeInt('reported', { description: 'The value the ward reported: its correction, or the computed value it confirmed.' }),
    corrected: t.boolean({ description: 'Whether the ward corrected this figure.', resolve: (v) => v.reported !== v.computed }),
  }),
});

export const WardReportSubmissionRef = builder.objectRef<ReportSubmission>('WardReportSubmission').implement({
  description: "A ward station's submission of its daily report for the 07:00 duty: the computed figures it confirmed and any it corrected.",
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Submission id.' }),
    wardCode: t.exposeID('wardCode', { description: 'The ward whose report it is.' }),
    date: t.field({ type: 'Date', description: 'The day reported (city date).', resolve: (s) => s.day }),
    submittedAt: t.field({ type: 'DateTime', description: 'When it was submitted.', resolve: (s) => s.submittedAt }),
    deadline: t.field({ type: 'DateTime', description: 'When it was due: 07:00 (Hà Nội) the morning after the day, the report’s cut-off.', resolve: (s) => deadlineOf(s.day) }),
    onTime: t.boolean({ description: 'Submitted by the deadline.', resolve: (s) => minutesLate(deadlineOf(s.day), s.submittedAt) === 0 }),
    minutesLate: t.int({ description: 'Whole minutes after the deadline it was submitted; 0 when on time.', resolve: (s) => minutesLate(deadlineOf(s.day), s.submittedAt) }),
    onBehalf: t.exposeBoolean('onBehalf', { description: 'Submitted by a district or city officer on behalf of the ward station.' }),
    confirmedComputed: t.boolean({ description: 'The ward confirmed the computed figures without correcting any.', resolve: (s) => Object.keys(s.corrections).length === 0 }),
    figures: t.field({
      type: [ReportFigureValueRef],
      description: 'Every figure of the report: computed and reported.',
      resolve: (s) => CORRECTABLE_FIGURES.map((figure) => ({ figure, computed: s.computed[figure], reported: s.corrections[figure] ?? s.computed[figure] })),
    }),
    reason: t.string({
      nullable: true,
      description:
        'Why figures were corrected; null when none were. Free text that may be about people (a death at home), so: health officers whose jurisdiction covers the ward only, and reads are audited.',
      authScopes: (s, _args, ctx) => inGroup(ctx.viewer, 'clinical') && coversWard(ctx.viewer, s.wardCode),
      resolve: (s, _args, ctx) => {
        if (s.reason !== null) ctx.audit('WardReportSubmission', s.id, 'reason');
        return s.reason;
      },
    }),
  }),
});

interface Duty {
  date: string;
  districtCode: string | null;
  status: DutyStatus;
  districts: Duty[];
}

const LateWardReportRef = builder.objectRef<{ wardCode: string; minutesLate: number }>('LateWardReport').implement({
  description: 'A ward that submitted its report after the deadline.',
  fields: (t) => ({
    wardCode: t.exposeID('wardCode', { description: 'The ward.' }),
    minutesLate: t.exposeInt('minutesLate', { description: 'Whole minutes after the deadline.' }),
  }),
});

const ReportDutyRef = builder.objectRef<Duty>('ReportDuty');
ReportDutyRef.implement({
  description: 'Who submitted the daily report of a day by the 07:00 deadline, in a district or the whole city: counts and ward codes, no personal data.',
  fields: (t) => ({
    date: t.field({ type: 'Date', description: 'The day reported (city date).', resolve: (d) => d.date }),
    deadline: t.field({ type: 'DateTime', description: 'When the reports were due: 07:00 (Hà Nội) the morning after the day.', resolve: (d) => deadlineOf(d.date) }),
    districtCode: t.exposeID('districtCode', { nullable: true, description: 'The district; null for the whole city.' }),
    wards: t.int({ description: 'Wards that owe the report.', resolve: (d) => d.status.wards }),
    onTime: t.int({ description: 'Wards that submitted by the deadline.', resolve: (d) => d.status.onTime.length }),
    late: t.int({ description: 'Wards that submitted after the deadline.', resolve: (d) => d.status.late.length }),
    missing: t.int({ description: 'Wards that have not submitted though the deadline has passed.', resolve: (d) => d.status.missing.length }),
    pending: t.int({ description: 'Wards that have not submitted yet, before the deadline.', resolve: (d) => d.status.pending.length }),
    lateWards: t.field({ type: [LateWardReportRef], description: 'The late wards and how late, latest first.', resolve: (d) => [...d.status.late].sort((a, b) => b.minutesLate - a.minutesLate) }),
    missingWardCodes: t.idList({ description: 'Codes of the missing wards.', resolve: (d) => d.status.missing }),
    districts: t.field({ type: [ReportDutyRef], description: 'For the city, the duty of each district; empty for a district.', resolve: (d) => d.districts }),
  }),
});

/** The duty of `date` for a district or the city, from one read of the day's submissions. */
async function dutyOf(ctx: PatientsContext, date: string, districtCode: string | null): Promise<Duty> {
  checkDate(date, ctx.today(), 'date');
  const submissions = await ctx.loaders.reportSubmissions.load(date);
  const now = ctx.now();
  const districtDuty = (code: string): Duty => ({
    date,
    districtCode: code,
    status: dutyStatus(deadlineOf(date), findDistrict(code)!.wards.map((w) => w.code), submissions.filter((s) => s.districtCode === code), now),
    districts: [],
  });
  if (districtCode) return districtDuty(districtCode);
  const districts = DISTRICTS.map((d) => districtDuty(d.code));
  const all = districts.map((d) => d.status);
  const status: DutyStatus = {
    wards: all.reduce((n, s) => n + s.wards, 0),
    onTime: all.flatMap((s) => s.onTime),
    late: all.flatMap((s) => s.late),
    missing: all.flatMap((s) => s.missing),
    pending: all.flatMap((s) => s.pending),
  };
  return { date, districtCode: null, status, districts };
}

const dutyDescription = 'Who submitted the daily report of a day by its 07:00 deadline (on time, late, missing); dashboards and health officers.';

builder.objectFields(DistrictRef, (t) => ({
  reportDuty: t.field({
    type: ReportDutyRef,
    nullable: true,
    description: `${dutyDescription} For the wards of the district.`,
    authScopes: { liveFeeds: true },
    args: { date: t.arg({ type: 'Date', required: true, description: 'The day reported (city date); not in the future.' }) },
    resolve: (d, args, ctx) => dutyOf(ctx, args.date, d.code),
  }),
}));

builder.objectFields(WardRef, (t) => ({
  reportSubmission: t.field({
    type: WardReportSubmissionRef,
    nullable: true,
    description: "The ward's current submission of its daily report of a day; null when it has not submitted. Dashboards and health officers.",
    authScopes: { liveFeeds: true },
    args: { date: t.arg({ type: 'Date', required: true, description: 'The day reported (city date).' }) },
    resolve: async (w, args, ctx) => (await ctx.loaders.reportSubmissions.load(args.date)).find((s) => s.wardCode === w.code) ?? null,
  }),
}));

// ---- Data-entry lag: confirmation → registration here.

const MAX_LAG_DAYS = 92;
const DAY = 86_400_000;

interface LagPeriod {
  from: string;
  to: string;
}

const DataEntryLagRef = builder.objectRef<LagPeriod & { cases: number; p50Minutes: number | null; p90Minutes: number | null }>('DataEntryLag').implement({
  description: 'How long cases of an area took from their confirmation (the test result) to their registration here, over the cases confirmed in a period.',
  fields: (t) => ({
    from: t.field({ type: 'Date', description: 'First day of the period (city date, confirmations from 00:00).', resolve: (l) => l.from }),
    to: t.field({ type: 'Date', description: 'Last day of the period (city date, confirmations to 24:00).', resolve: (l) => l.to }),
    cases: t.exposeInt('cases', { description: 'Cases confirmed in the period.' }),
    p50Minutes: t.float({ nullable: true, description: 'Median minutes from confirmation to registration; null without cases.', resolve: (l) => l.p50Minutes }),
    p90Minutes: t.float({ nullable: true, description: '90th percentile of minutes from confirmation to registration; null without cases.', resolve: (l) => l.p90Minutes }),
  }),
});

function lagPeriod(args: { from?: string | null; to?: string | null }, today: string): LagPeriod {
  const to = args.to ?? today;
  const from = args.from ?? cityDate(new Date(startOfCityDate(to).getTime() - 6 * DAY));
  checkDate(to, today, 'to');
  if (from > to) throw graphQLError('BAD_USER_INPUT', 'from must not be after to');
  if (startOfCityDate(to).getTime() - startOfCityDate(from).getTime() >= MAX_LAG_DAYS * DAY) throw graphQLError('BAD_USER_INPUT', `At most ${MAX_LAG_DAYS} days at once`);
  return { from, to };
}

function lagField(column: 'ward_code' | 'district_code') {
  const noun = column === 'ward_code' ? 'ward' : 'district';
  return (t: any) => ({
    dataEntryLag: t.field({
      type: DataEntryLagRef,
      nullable: true,
      description: `Minutes from confirmation to registration of the ${noun}'s cases confirmed in a period, p50 and p90 (one grouped query for every ${noun} of a request); dashboards and health officers.`,
      authScopes: { liveFeeds: true },
      args: {
        from: t.arg({ type: 'Date', required: false, description: 'First day (city date); by default 6 days before `to`.' }),
        to: t.arg({ type: 'Date', required: false, description: 'Last day (city date), not in the future; by default today.' }),
      },
      resolve: async (area: { code: string }, args: { from?: string | null; to?: string | null }, ctx: PatientsContext) => {
        const period = lagPeriod(args, ctx.today());
        const since = startOfCityDate(period.from);
        const until = new Date(startOfCityDate(period.to).getTime() + DAY);
        const lag = await ctx.loaders.entryLag(column, since, until).load(area.code);
        return { ...period, cases: lag?.cases ?? 0, p50Minutes: lag?.p50Minutes ?? null, p90Minutes: lag?.p90Minutes ?? null };
      },
    }),
  });
}

builder.objectFields(WardRef, lagField('ward_code'));
builder.objectFields(DistrictRef, lagField('district_code'));

builder.queryFields((t) => ({
  cityReportDuty: t.field({
    type: ReportDutyRef,
    nullable: true,
    description: `${dutyDescription} For the whole city, with each district's.`,
    authScopes: { liveFeeds: true },
    args: { date: t.arg({ type: 'Date', required: true, description: 'The day reported (city date); not in the future.' }) },
    resolve: (_root, args, ctx) => dutyOf(ctx, args.date, null),
  }),
}));

// ---- Submitting.

const ReportCorrectionInput = builder.inputType('ReportCorrectionInput', {
  description: 'A figure of the computed report the ward corrects.',
  fields: (t) => ({
    figure: t.field({ type: ReportFigureEnum, required: true, description: 'Which figure.' }),
    value: t.int({ required: true, description: 'The value the ward reports (0 or more).' }),
  }),
});

const SubmitDailyReportInput = builder.inputType('SubmitDailyReportInput', {
  description: "A ward station's daily report: the computed report of its ward confirmed as it is (no corrections), or with corrected figures and a reason.",
  fields: (t) => ({
    wardCode: t.id({ required: true, description: 'The ward whose report it is.' }),
    date: t.field({ type: 'Date', required: true, description: 'The day reported (city date), not in the future; due by 07:00 (Hà Nội) the next morning.' }),
    corrections: t.field({ type: [ReportCorrectionInput], required: false, description: 'Figures the ward corrects, each at most once; none (the default) confirms the computed report.' }),
    reason: t.string({ required: false, description: 'Why the figures were corrected (required with corrections; at most 1000 characters).' }),
    idempotencyKey: t.string({
      required: true,
      description: 'Chosen by the client for this submission (8 to 128 characters): sending it again returns the same submission; with other input it is a ConflictError.',
    }),
  }),
});

builder.mutationFields((t) => ({
  submitDailyReport: t.field({
    type: WardReportSubmissionRef,
    description:
      "Submit the ward's daily report of a day for the 07:00 duty: confirms the computed figures of the ward (stored with the submission) or corrects some with a reason. The ward officer submits; a district or city officer may submit on the ward's behalf. Until the deadline a resubmission replaces the previous one (which is kept); after it, a submitted report stands (ConflictError), and a first submission is recorded as late.",
    authScopes: { clinical: true },
    errors: { types: [ValidationError, ConflictError], dataField: { name: 'submission', description: 'The submission now current for the ward and day.' } },
    args: { input: t.arg({ type: SubmitDailyReportInput, required: true, description: 'The report.' }) },
    resolve: (_root, { input }, ctx) =>
      submitDailyReport(
        ctx.runtime,
        ctx.viewer,
        { wardCode: String(input.wardCode), date: input.date, corrections: input.corrections, reason: input.reason, idempotencyKey: input.idempotencyKey },
        ctx.now(),
      ),
  }),
}));
