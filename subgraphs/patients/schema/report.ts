/**
 * The daily report the city's leaders read before the 07:00 briefing, and the per-day time
 * series dashboards chart. DailyReport is an entity: patients owns the case figures, facilities
 * adds the beds and vaccination the doses given, each from its own tables, frozen for past days.
 */
import { builder } from '../builder.js';
import { findDistrict } from '../../common/admin-units.js';
import { graphQLError } from '../../common/graphql/errors.js';
import { dayFigures, type DayFigures, type ReportFigures } from '../db/report.repository.js';
import { DistrictRef } from './area-refs.js';

export interface DailyReport {
  id: string;
  date: string;
  scope: string;
  figures?: ReportFigures;
}

const figuresOf = async (r: DailyReport, db: Parameters<typeof dayFigures>[0]) => (r.figures ??= await dayFigures(db, r.date, r.scope));

export const reportId = (date: string, scope: string) => `${date}:${scope}`;
export function parseReportId(id: string): { date: string; scope: string } | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}):(city|\d{3})$/.exec(id);
  return m ? { date: m[1]!, scope: m[2]! } : undefined;
}

const MAX_DAYS = 92;

export const DailyReportRef = builder.objectRef<DailyReport>('DailyReport');

DailyReportRef.implement({
  description: 'What happened on one day (city time) in the city or a district, as at the end of that day. Each report is frozen at its cut-off, 07:00 (Hà Nội) the next morning, and never changes afterwards; before its cut-off it is computed from the current data at each read (frozenAt is null). Reading never stores anything.',
  fields: (t) => {
    const figure = (name: keyof DayFigures, description: string) =>
      t.int({
        description,
        resolve: async (r, _args, ctx) => {
          return ((await figuresOf(r, ctx.db)).figures[name] as number | null) ?? 0;
        },
      });
    return {
      id: t.exposeID('id', { description: 'Report id: date and scope, e.g. "2022-01-13:008" or "2022-01-13:city".' }),
      date: t.field({ type: 'Date', description: 'The day.', resolve: (r) => r.date }),
      district: t.field({ type: DistrictRef, nullable: true, description: 'The district; null for the city report.', resolve: (r) => (r.scope === 'city' ? null : { code: r.scope }) }),
      newCases: figure('newCases', 'Cases confirmed that day.'),
      active: figure('active', 'Cases under treatment at the end of the day.'),
      activeTier1: figure('activeTier1', 'Of those, tier 1.'),
      activeTier2: figure('activeTier2', 'Of those, tier 2.'),
      activeTier3: figure('activeTier3', 'Of those, tier 3.'),
      atHome: figure('atHome', 'Active cases treated at home at the end of the day.'),
      inFacilities: figure('inFacilities', 'Active cases in a facility at the end of the day.'),
      tierEscalations: figure('tierEscalations', 'Tier changes upwards that day (transfers to a higher tier).'),
      tierDeescalations: figure('tierDeescalations', 'Tier changes downwards that day.'),
      recoveries: figure('recoveries', 'Cases closed as recovered that day.'),
      deaths: figure('deaths', 'Deaths that day.'),
      helpRequestsOpened: figure('helpRequestsOpened', 'Help requests received that day.'),
      helpRequestsAnswered: figure('helpRequestsAnswered', 'Help requests first answered that day.'),
      epidemicLevel: t.int({
        nullable: true,
        description: 'District epidemic level at the end of the day (null for the city or before the first assessment).',
        resolve: async (r, _args, ctx) => (await figuresOf(r, ctx.db)).figures.epidemicLevel,
      }),
      frozenAt: t.field({
        type: 'DateTime',
        nullable: true,
        description:
          'When the report was frozen: at its cut-off, 07:00 (Hà Nội) the morning after the day. Null before that: the figures are then computed from the current data at each read, and may still change.',
        resolve: async (r, _args, ctx) => (await figuresOf(r, ctx.db)).frozenAt,
      }),
    };
  },
});

builder.asEntity(DailyReportRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: (ref) => {
    const parsed = parseReportId(ref.id);
    return parsed ? { id: ref.id, ...parsed } : null;
  },
});

export function checkDate(date: string, today: string, field: string): void {
  if (date > today) throw graphQLError('BAD_USER_INPUT', `${field} cannot be in the future (today is ${today} in Hà Nội)`);
}

function checkScope(districtCode: string | number | null | undefined): string {
  if (districtCode == null) return 'city';
  if (!findDistrict(String(districtCode))) throw graphQLError('BAD_USER_INPUT', `No district has code ${districtCode}`);
  return String(districtCode);
}

export function reportsBetween(from: string, to: string, scope: string, today: string): DailyReport[] {
  checkDate(to, today, 'to');
  if (from > to) throw graphQLError('BAD_USER_INPUT', 'from must not be after to');
  const days: DailyReport[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    days.push({ id: reportId(date, scope), date, scope });
    if (days.length > MAX_DAYS) throw graphQLError('BAD_USER_INPUT', `At most ${MAX_DAYS} days at once`);
  }
  return days;
}

builder.queryFields((t) => ({
  dailyReport: t.field({
    type: DailyReportRef,
    description: 'The daily report of a day for the city or one district: frozen from its cut-off (07:00 the next morning, city time), computed at each read before that.',
    args: {
      date: t.arg({ type: 'Date', required: true, description: 'The day (city time); not in the future.' }),
      districtCode: t.arg.id({ required: false, description: 'A district; the whole city when absent.' }),
    },
    resolve: (_root, args, ctx) => {
      checkDate(args.date, ctx.today(), 'date');
      const scope = checkScope(args.districtCode);
      return { id: reportId(args.date, scope), date: args.date, scope };
    },
  }),
  cityHistory: t.field({
    type: [DailyReportRef],
    description: 'Daily reports of the city for each day from `from` to `to` (at most 92 days), oldest first.',
    args: {
      from: t.arg({ type: 'Date', required: true, description: 'First day.' }),
      to: t.arg({ type: 'Date', required: true, description: 'Last day.' }),
    },
    resolve: (_root, args, ctx) => reportsBetween(args.from, args.to, 'city', ctx.today()),
  }),
}));

export const historyField = {
  type: [DailyReportRef] as [typeof DailyReportRef],
  description: 'Daily reports of the district for each day from `from` to `to` (at most 92 days), oldest first: the time series of dashboards.',
};
