/**
 * Facilities owns District and Ward; patients contributes their case statistics. Rates per
 * 100,000 need the population, which facilities owns: `@requires(fields: "population")` lets the
 * gateway fetch it first, so no population is copied here.
 */
import { builder } from '../builder.js';
import { TREATMENT_TIERS } from '../../common/domain/enums.js';
import type { CaseStatsRow } from '../db/patient.repository.js';
import type { HelpStatsRow } from '../db/care.repository.js';
import { caseStatsByArea } from '../db/patient.repository.js';
import { TreatmentTierEnum } from './enums.js';
import { DistrictRef, WardRef } from './area-refs.js';
import { epidemicLevelField, epidemicLevelHistoryField } from './epidemic.js';
import { historyField, reportsBetween } from './report.js';

interface AreaCases {
  stats: CaseStatsRow | undefined;
  population: number | null;
}

export const TierCountRef = builder.objectRef<{ tier: (typeof TREATMENT_TIERS)[number]; count: number }>('TierCount').implement({
  description: 'Active cases of one tier.',
  fields: (t) => ({
    tier: t.field({ type: TreatmentTierEnum, description: 'The tier.', resolve: (c) => c.tier }),
    count: t.exposeInt('count', { description: 'Active cases at that tier.' }),
  }),
});

export const CaseStatsRef = builder.objectRef<AreaCases>('CaseStats').implement({
  description: 'COVID-19 cases of an area (ward, district or city): aggregates, no personal data.',
  fields: (t) => {
    const n = (a: AreaCases, pick: (s: CaseStatsRow) => number) => (a.stats ? pick(a.stats) : 0);
    return {
      active: t.int({ description: 'Cases under treatment (F0) now.', resolve: (a) => n(a, (s) => s.active) }),
      atHome: t.int({ description: 'Active cases treated at home.', resolve: (a) => n(a, (s) => s.atHome) }),
      inFacilities: t.int({ description: 'Active cases admitted to a facility.', resolve: (a) => n(a, (s) => s.inFacilities) }),
      byTier: t.field({
        type: [TierCountRef],
        description: 'Active cases per tier, always TIER_1, TIER_2, TIER_3.',
        resolve: (a) => [
          { tier: 'TIER_1' as const, count: n(a, (s) => s.tier1) },
          { tier: 'TIER_2' as const, count: n(a, (s) => s.tier2) },
          { tier: 'TIER_3' as const, count: n(a, (s) => s.tier3) },
        ],
      }),
      newLast7Days: t.int({ description: 'Cases confirmed in the last 7 days (rolling, to now).', resolve: (a) => n(a, (s) => s.newLast7Days) }),
      newPer100kLast7Days: t.float({
        nullable: true,
        description: 'New cases in the last 7 days per 100,000 residents (the first criterion of the epidemic level); null without a population.',
        resolve: (a) => (a.population ? (n(a, (s) => s.newLast7Days) * 100_000) / a.population : null),
      }),
      recovered: t.int({ description: 'Cases closed as recovered, all time.', resolve: (a) => n(a, (s) => s.recovered) }),
      deaths: t.int({ description: 'Deaths, all time.', resolve: (a) => n(a, (s) => s.deaths) }),
    };
  },
});

const HelpDeskRef = builder.objectRef<HelpStatsRow>('HelpDeskStats').implement({
  description: 'How quickly citizens who ask for help are answered in an area.',
  fields: (t) => ({
    open: t.int({ description: 'Requests not yet resolved.', resolve: (h) => h.open }),
    unacknowledged: t.int({ description: 'Requests nobody has answered yet: the ones to act on first.', resolve: (h) => h.unacknowledged }),
    answeredLast24h: t.int({ description: 'Requests first answered in the last 24 hours.', resolve: (h) => h.answeredLast24h }),
    medianFirstResponseSeconds: t.float({
      nullable: true,
      description: 'Median time from request to first answer over the last 7 days, in seconds; null when none were answered.',
      resolve: (h) => h.medianFirstResponseSeconds,
    }),
    p90FirstResponseSeconds: t.float({
      nullable: true,
      description: '90th percentile of the time from request to first answer over the last 7 days, in seconds; null when none were answered.',
      resolve: (h) => h.p90FirstResponseSeconds ?? null,
    }),
    medianCloseSeconds: t.float({
      nullable: true,
      description: 'Median time from request to closing over the last 7 days, in seconds; null when none were closed.',
      resolve: (h) => h.medianCloseSeconds ?? null,
    }),
    p90CloseSeconds: t.float({
      nullable: true,
      description: '90th percentile of the time from request to closing over the last 7 days, in seconds; null when none were closed.',
      resolve: (h) => h.p90CloseSeconds ?? null,
    }),
    escalated: t.int({ description: 'Unanswered requests escalated to the district: past the time limit, still waiting.', resolve: (h) => h.escalated }),
    oldestUnacknowledgedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the longest-waiting unanswered request came in; null when nobody waits.',
      resolve: (h) => h.oldestUnacknowledgedAt ?? null,
    }),
  }),
});

const noHelpYet = (area: string): HelpStatsRow => ({
  area,
  open: 0,
  unacknowledged: 0,
  answeredLast24h: 0,
  medianFirstResponseSeconds: null,
  escalated: 0,
  oldestUnacknowledgedAt: null,
  p90FirstResponseSeconds: null,
  medianCloseSeconds: null,
  p90CloseSeconds: null,
});

/** What patients adds to a ward or a district (facilities owns both): the same fields at either level. */
function implementArea(ref: typeof WardRef, scope: 'WARD' | 'DISTRICT', descriptions: { area: string; cases: string }) {
  const level = scope === 'WARD' ? 'ward' : 'district';
  const loaders = scope === 'WARD' ? ({ cases: 'wardCases', help: 'wardHelp' } as const) : ({ cases: 'districtCases', help: 'districtHelp' } as const);
  ref.implement({
    description: descriptions.area,
    externalFields: (t) => ({
      code: t.id({ description: `Official ${level} code.` }),
      population: t.int({ description: 'Resident population (owned by facilities).' }),
    }),
    fields: (t) => ({
      cases: t.field({
        type: CaseStatsRef,
        description: descriptions.cases,
        requires: builder.selection<{ population?: number }>('population'),
        resolve: async (a, _args, ctx) => ({ stats: await ctx.loaders[loaders.cases].load(a.code), population: a.population ?? null }),
      }),
      helpDesk: t.field({
        type: HelpDeskRef,
        description: `Help requests of the ${level} and how fast they are answered.`,
        // An area nobody has asked for help in has no row: it answers zeros, not null.
        resolve: async (a, _args, ctx) => (await ctx.loaders[loaders.help].load(a.code)) ?? noHelpYet(a.code),
      }),
      epidemicLevel: t.field(epidemicLevelField(scope)),
      epidemicLevelHistory: t.field(epidemicLevelHistoryField(scope)),
    }),
  });
}

implementArea(WardRef, 'WARD', { area: 'A ward, commune or township of Hanoi (owned by the facilities subgraph).', cases: 'Case statistics of the ward.' });
implementArea(DistrictRef, 'DISTRICT', {
  area: 'A district of Hanoi (owned by the facilities subgraph).',
  cases: 'Case statistics of the district (one grouped query for all districts of a request).',
});

builder.objectFields(DistrictRef, (t) => ({
  history: t.field({
    ...historyField,
    args: {
      from: t.arg({ type: 'Date', required: true, description: 'First day.' }),
      to: t.arg({ type: 'Date', required: true, description: 'Last day.' }),
    },
    resolve: (d, args, ctx) => reportsBetween(args.from, args.to, d.code, ctx.today()),
  }),
}));

builder.queryFields((t) => ({
  cityCases: t.field({
    type: CaseStatsRef,
    description: 'Case statistics of the whole city (per-100,000 rate left null: the city population lives in facilities).',
    resolve: async (_root, _args, ctx) => {
      const [stats] = await caseStatsByArea(ctx.db, 'city', undefined, new Date(ctx.now().getTime() - 7 * 86_400_000));
      return { stats, population: null };
    },
  }),
}));
