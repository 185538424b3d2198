/**
 * Coverage of an area's registered population, from counters kept with every dose: the
 * VaccinationCoverage type, District.vaccination, Ward.vaccination and cityVaccination.
 */
import { builder } from '../builder.js';
import { coverageByArea } from '../db/coverage.repository.js';
import type { AreaDoseDay } from '../db/mappers.js';
import { byAgeBand, dailyProgress, share, total, type BandCounter, type DailyDoses, type DoseCount, type Totals } from '../domain/coverage.js';
import { yearOf, type AgeBand } from '../domain/schedule.js';
import { AgeBandEnum, DoseKindEnum } from './enums.js';

interface AreaCoverage {
  /** Counters per age band this year. */
  rows: BandCounter[];
  /** The last 14 days' doses, read only when `dailyProgress` is asked for. */
  progress: () => Promise<AreaDoseDay[]>;
}

const AgeBandCoverageRef = builder.objectRef<Totals & { band: AgeBand }>('AgeBandCoverage').implement({
  description: 'Vaccination of one age band.',
  fields: (t) => ({
    band: t.field({ type: AgeBandEnum, description: 'The band.', resolve: (b) => b.band }),
    population: t.exposeInt('population', { description: 'Registered residents in the band.' }),
    dose1: t.exposeInt('dose1', { description: 'With at least one dose.' }),
    fullyVaccinated: t.exposeInt('fully', { description: 'With the primary series complete.' }),
    boosted: t.exposeInt('boosted', { description: 'With a booster.' }),
  }),
});

const DoseCountRef = builder.objectRef<DoseCount>('DoseCount').implement({
  description: 'Doses of one kind.',
  fields: (t) => ({
    dose: t.field({ type: DoseKindEnum, description: 'Which dose.', resolve: (c) => c.dose }),
    count: t.exposeInt('count', { description: 'How many.' }),
  }),
});

const DailyDosesRef = builder.objectRef<DailyDoses>('DailyDoses').implement({
  description: 'Doses given on one day.',
  fields: (t) => ({
    date: t.field({ type: 'Date', description: 'The day (city time).', resolve: (d) => d.date }),
    doses: t.exposeInt('doses', { description: 'All doses given that day.' }),
    byDose: t.field({ type: [DoseCountRef], description: 'Per dose kind (only kinds given that day).', resolve: (d) => d.byDose }),
  }),
});

const CoverageRef = builder.objectRef<AreaCoverage>('VaccinationCoverage').implement({
  description: 'Vaccination of an area’s registered population, from counters kept with every dose (no record scans). Ages by year of birth.',
  fields: (t) => {
    const all = (c: AreaCoverage) => total(c.rows);
    const aged = (c: AreaCoverage, from: number, to?: number) => total(c.rows, from, to);
    return {
      population: t.int({ description: 'Registered residents (the managed population).', resolve: (c) => all(c).population }),
      dose1: t.int({ description: 'Residents with at least one dose.', resolve: (c) => all(c).dose1 }),
      fullyVaccinated: t.int({ description: 'Residents with the primary series complete.', resolve: (c) => all(c).fully }),
      boosted: t.int({ description: 'Residents with a booster.', resolve: (c) => all(c).boosted }),
      dose1Coverage: t.float({ description: 'Share of residents with at least one dose (0–1).', resolve: (c) => share(all(c).dose1, all(c).population) }),
      dose2Coverage: t.float({ description: 'Share of residents with the primary series complete (0–1).', resolve: (c) => share(all(c).fully, all(c).population) }),
      boosterCoverage: t.float({ description: 'Share of residents with a booster (0–1).', resolve: (c) => share(all(c).boosted, all(c).population) }),
      adults18PlusDose1Coverage: t.float({
        description: 'Share of adults (18+) with at least one dose: criterion 2 of the epidemic level.',
        resolve: (c) => share(aged(c, 18).dose1, aged(c, 18).population),
      }),
      over50FullyVaccinatedCoverage: t.float({
        description: 'Share of people aged 50+ with the primary series complete: part of criterion 2 of the epidemic level.',
        resolve: (c) => share(aged(c, 50).fully, aged(c, 50).population),
      }),
      over50WithoutDose1: t.int({
        description: 'People aged 50+ without a first dose: the list to chase.',
        resolve: (c) => aged(c, 50).population - aged(c, 50).dose1,
      }),
      children5to11Dose1: t.int({ description: 'Children 5–11 with a first dose.', resolve: (c) => aged(c, 5, 11).dose1 }),
      byAgeBand: t.field({ type: [AgeBandCoverageRef], description: 'The same per age band.', resolve: (c) => byAgeBand(c.rows) }),
      dailyProgress: t.field({
        type: [DailyDosesRef],
        description: 'Doses given per day over the last 14 days, oldest first (days without doses are omitted).',
        resolve: async (c) => dailyProgress(await c.progress()),
      }),
    };
  },
});


/** Adds `vaccination` to District or Ward (entities of the facilities subgraph), read through the per-request loaders. */
function addAreaCoverage(area: { type: 'District' | 'Ward'; description: string; codeDescription: string; fieldDescription: string; loaders: 'district' | 'ward' }) {
  builder.externalRef(area.type, builder.selection<{ code: string }>('code')).implement({
    description: area.description,
    externalFields: (t) => ({ code: t.id({ description: area.codeDescription }) }),
    fields: (t) => ({
      vaccination: t.field({
        type: CoverageRef,
        description: area.fieldDescription,
        resolve: async ({ code }, _args, ctx) => ({
          rows: await ctx.loaders[`${area.loaders}Coverage`].load(code),
          progress: () => ctx.loaders[`${area.loaders}Progress`].load(code),
        }),
      }),
    }),
  });
}

addAreaCoverage({
  type: 'District',
  description: 'A district of Hanoi (owned by the facilities subgraph).',
  codeDescription: 'Official district code.',
  fieldDescription: 'Vaccination coverage of the district (one grouped query for all districts of a request).',
  loaders: 'district',
});

addAreaCoverage({
  type: 'Ward',
  description: 'A ward, commune or township of Hanoi (owned by the facilities subgraph).',
  codeDescription: 'Official ward code.',
  fieldDescription: 'Vaccination coverage of the ward.',
  loaders: 'ward',
});

builder.queryFields((t) => ({
  cityVaccination: t.field({
    type: CoverageRef,
    description: 'Vaccination coverage of the whole city.',
    resolve: async (_root, _args, ctx) => ({ rows: await coverageByArea(ctx.db, 'city', yearOf(ctx.today())), progress: async () => [] }),
  }),
}));
