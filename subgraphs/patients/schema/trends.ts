/**
 * Trends: the last days of the city or one district, day by day, for charts. An entity keyed by
 * scope and days: patients owns the case series, facilities adds the bed occupancy series.
 * Aggregates only (counts), so any signed-in role may read them, like the daily report.
 */
import { builder } from '../builder.js';
import { graphQLError } from '../../common/graphql/errors.js';
import { caseTrends, type CaseTrendDay } from '../db/trends.repository.js';
import { DistrictRef } from './area-refs.js';
import { TierCountRef } from './geography.js';

export interface Trends {
  id: string;
  scope: string;
  from: string;
  to: string;
  cases?: Promise<CaseTrendDay[]>;
}

const MAX_DAYS = 92;
const DAY = 86_400_000;

export function parseTrendsId(id: string): Trends | null {
  const m = /^(city|\d{3}):(\d{4}-\d{2}-\d{2}):(\d{4}-\d{2}-\d{2})$/.exec(id);
  return m ? { id, scope: m[1]!, from: m[2]!, to: m[3]! } : null;
}

/** The `days` days up to today (city time), for the city or a district. */
export function trendsOf(scope: string, days: number, today: string): Trends {
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) throw graphQLError('BAD_USER_INPUT', `days must be between 1 and ${MAX_DAYS}, got ${days}`);
  const from = new Date(Date.parse(`${today}T00:00:00Z`) - (days - 1) * DAY).toISOString().slice(0, 10);
  return { id: `${scope}:${from}:${today}`, scope, from, to: today };
}

const CaseTrendDayRef = builder.objectRef<CaseTrendDay>('CaseTrendDay').implement({
  description: 'One day of the case trend: cases confirmed that day, and cases under treatment at its end by tier (so far, for today).',
  fields: (t) => ({
    date: t.field({ type: 'Date', description: 'The day (city time).', resolve: (d) => d.date }),
    newCases: t.exposeInt('newCases', { description: 'Cases confirmed that day.' }),
    active: t.int({ description: 'Cases under treatment at the end of the day (now, for today).', resolve: (d) => d.byTier.reduce((s, x) => s + x.count, 0) }),
    byTier: t.field({ type: [TierCountRef], description: 'Cases under treatment at the end of the day per tier (the tier at that moment, from the tier history).', resolve: (d) => d.byTier }),
  }),
});

export const TrendsRef = builder.objectRef<Trends>('Trends');

TrendsRef.implement({
  description:
    'The city or one district day by day over the last days, for charts: cases here, bed occupancy from facilities. Past days are counted from history as the daily report counts them (a frozen report’s figures when there is one); today is so far. Aggregates only.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Scope and days: e.g. "city:2022-01-01:2022-01-30" or "008:2022-01-01:2022-01-30".' }),
    district: t.field({ type: DistrictRef, nullable: true, description: 'The district; null for the city.', resolve: (r) => (r.scope === 'city' ? null : { code: r.scope }) }),
    from: t.field({ type: 'Date', description: 'First day (city time).', resolve: (r) => r.from }),
    to: t.field({ type: 'Date', description: 'Last day (city time): today when asked.', resolve: (r) => r.to }),
    cases: t.field({
      type: [CaseTrendDayRef],
      description: 'New cases and cases under treatment by tier, one entry per day, oldest first.',
      resolve: (r, _args, ctx) => (r.cases ??= caseTrends(ctx.db, r.from, r.to, r.scope)),
    }),
  }),
});

builder.asEntity(TrendsRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: (ref) => parseTrendsId(ref.id),
});

const DAYS_DESCRIPTION = `How many days, ending today (city time): 1 to ${MAX_DAYS}.`;

builder.queryFields((t) => ({
  cityTrends: t.field({
    type: TrendsRef,
    description: 'The whole city day by day over the last `days` days (today included): new cases, cases under treatment by tier, beds occupied by kind.',
    args: { days: t.arg.int({ required: false, defaultValue: 30, description: DAYS_DESCRIPTION }) },
    resolve: (_root, args, ctx) => trendsOf('city', args.days ?? 30, ctx.today()),
  }),
}));

builder.objectFields(DistrictRef, (t) => ({
  trends: t.field({
    type: TrendsRef,
    description: 'The district day by day over the last `days` days (today included): new cases, cases under treatment by tier, beds occupied by kind.',
    args: { days: t.arg.int({ required: false, defaultValue: 30, description: DAYS_DESCRIPTION }) },
    resolve: (d, args, ctx) => trendsOf(d.code, args.days ?? 30, ctx.today()),
  }),
}));
