/**
 * The epidemic level of wards and districts, from fields three subgraphs own: cases (here),
 * treatment beds (facilities) and vaccination coverage (vaccination). The assessor
 * (events/assessor.ts) assesses and records levels when their inputs move and once a day; reads
 * only read the latest assessment, so what anyone sees, and the level history, do not depend on
 * who read when.
 *
 * A read needs nothing from the other two subgraphs, so the field declares no `@requires`. With
 * one, the gateway fetched every area's beds and coverage and waited for vaccination before it
 * could ask patients for a level, on every read: a third stage in each dashboard's CityOverview
 * (about a tenth of its CPU, measured), and no level at all while vaccination was down. Only an
 * area not assessed yet (a new database until the assessor's first pass a few seconds after
 * start; or an assessment recorded before assessments kept their inputs, until the next daily
 * pass) needs those facts: the read takes them from the city's facts the assessor fetches for
 * reads through the gateway (one request every few seconds at most, shared by all), computes the
 * level from the current inputs, and stores nothing.
 */
import { builder } from '../builder.js';
import { findDistrict } from '../../common/admin-units.js';
import { graphQLError } from '../../common/graphql/errors.js';
import { describedValues } from '../../common/graphql/enums.js';
import type { EventEnvelope } from '../../common/events/types.js';
import { assessLevel, assessmentInput, COLOURS, LEVEL_NAMES, type Assessment, type AssessmentInput, type Level } from '../domain/epidemic-level.js';
import { levelHistory, type StoredAssessment } from '../db/epidemic.repository.js';
import { TOPICS, type LevelChangedPayload } from '../../common/events/catalog.js';
import { DistrictRef, WardRef } from './area-refs.js';
import type { PatientsContext } from '../context.js';
import type { BackgroundService } from '../../common/runtime.js';
import { ASSESSOR, type AreaFactsSource } from '../events/area-facts.js';

export const ColourEnum = builder.enumType('EpidemicLevelColour', {
  description: 'Colour of a level on the city’s maps.',
  values: describedValues(['GREEN', 'YELLOW', 'ORANGE', 'RED'] as const, {
    GREEN: 'Level 1: low risk (new normal).',
    YELLOW: 'Level 2: medium risk.',
    ORANGE: 'Level 3: high risk.',
    RED: 'Level 4: very high risk.',
  }),
});

export interface LevelResult extends Assessment {
  input: AssessmentInput;
  assessedAt: Date;
  /** The area assessed: the declared level of the same area is shown beside it. */
  area?: { scope: 'WARD' | 'DISTRICT'; code: string };
}

const InputsRef = builder.objectRef<LevelResult>('EpidemicLevelInputs').implement({
  description: 'The three criteria the level was computed from.',
  fields: (t) => ({
    newCasesPer100kLast7Days: t.float({ description: 'Criterion 1: new cases per 100,000 residents over the last 7 days.', resolve: (r) => r.input.newCasesPer100kLast7Days }),
    caseBand: t.string({ description: 'Band of criterion 1: A (< 20), B (20 to < 50), C (50 to < 150), D (≥ 150).', resolve: (r) => r.caseBand }),
    adults18PlusDose1Coverage: t.float({ description: 'Criterion 2: share of adults with at least one dose.', resolve: (r) => r.input.adults18PlusDose1Coverage }),
    over50FullyVaccinatedCoverage: t.float({ description: 'Criterion 2: share of people 50+ fully vaccinated.', resolve: (r) => r.input.over50FullyVaccinatedCoverage }),
    highCoverage: t.boolean({ description: 'Criterion 2 met (≥ 70 % adults with a dose and ≥ 80 % of 50+ fully vaccinated).', resolve: (r) => r.highCoverage }),
    capacityMeets: t.boolean({ description: 'Criterion 3 met: ≥ 10 % of oxygen and ICU beds free and overall occupancy below 90 %.', resolve: (r) => r.capacityMeets }),
    freeCriticalBeds: t.int({
      description: 'Free COVID-designated oxygen and ICU beds.',
      resolve: (r) => r.input.capacity.criticalDesignated - r.input.capacity.criticalOccupied,
    }),
  }),
});

export const EpidemicLevelRef = builder.objectRef<LevelResult>('EpidemicLevel').implement({
  description: 'Epidemic level under Resolution 128/NQ-CP and Decision 4800/QĐ-BYT (with its January 2022 revision), as last assessed.',
  fields: (t) => ({
    level: t.int({ description: '1 (low) to 4 (very high).', resolve: (r) => r.level }),
    colour: t.field({ type: ColourEnum, description: 'Map colour.', resolve: (r) => r.colour }),
    name: t.string({ description: 'Name of the level in Vietnamese.', resolve: (r) => LEVEL_NAMES[r.level] }),
    inputs: t.field({ type: InputsRef, description: 'The criteria it was computed from.', resolve: (r) => r }),
    assessedAt: t.field({ type: 'DateTime', description: 'When it was assessed (the time of the read when the area has no recorded assessment yet).', resolve: (r) => r.assessedAt }),
  }),
});

const LevelChangeRef = builder.objectRef<{ level: number; previous_level: number | null; at: Date }>('EpidemicLevelChange').implement({
  description: 'A change of an area’s epidemic level.',
  fields: (t) => ({
    level: t.exposeInt('level', { description: 'New level.' }),
    previousLevel: t.exposeInt('previous_level', { nullable: true, description: 'Level before; null for the first assessment.' }),
    at: t.field({ type: 'DateTime', description: 'When the change was assessed.', resolve: (c) => c.at }),
  }),
});

/** The latest recorded assessment as a result; undefined when it lacks its inputs. */
function fromStored(stored: StoredAssessment | undefined): LevelResult | undefined {
  if (!stored?.inputs) return undefined;
  const input = stored.inputs as AssessmentInput;
  const level = stored.level as Level;
  return { ...assessLevel(input), level, colour: COLOURS[level], input, assessedAt: stored.assessedAt };
}

/** The epidemicLevel field of District and Ward (declared in geography.ts with the rest patients adds to them). */
export function epidemicLevelField(scope: 'WARD' | 'DISTRICT') {
  return {
    type: EpidemicLevelRef,
    description: [
      `Latest epidemic level of the ${scope === 'WARD' ? 'ward' : 'district'}, from its cases, treatment beds and vaccination coverage.`,
      'Levels are assessed when new cases, tier or care changes and bed changes move the inputs, and every city day shortly after',
      'midnight (00:05 Hà Nội; this also picks up coverage); reading never assesses or records anything. Before an area’s first',
      'assessment the level is computed for the read from the current inputs and not stored (assessedAt is then the time of the read).',
    ].join(' '),
    resolve: async (area: { code: string }, _args: unknown, ctx: PatientsContext): Promise<LevelResult> => {
      const stored = fromStored(await (scope === 'WARD' ? ctx.loaders.wardAssessment : ctx.loaders.districtAssessment).load(area.code));
      if (stored) return { ...stored, area: { scope, code: area.code } };
      const [cityFacts, stats] = await Promise.all([
        // Shared by every read for a moment; a failure was logged once where they were fetched.
        ctx.runtime
          .service<AreaFactsSource & BackgroundService>(ASSESSOR)
          .factsForReads()
          .catch(() => {
            throw graphQLError('SERVICE_UNAVAILABLE', 'This area has not been assessed yet and its beds and coverage could not be read now. Try again shortly.');
          }),
        (scope === 'WARD' ? ctx.loaders.wardCases : ctx.loaders.districtCases).load(area.code),
      ]);
      const facts = cityFacts.get(`${scope}:${area.code}`);
      if (!facts) throw graphQLError('NOT_FOUND', `No ${scope === 'WARD' ? 'ward' : 'district'} has code ${area.code}`);
      const input = assessmentInput(facts, stats?.newLast7Days ?? 0);
      return { ...assessLevel(input), input, assessedAt: ctx.now(), area: { scope, code: area.code } };
    },
  };
}

export function epidemicLevelHistoryField(scope: 'WARD' | 'DISTRICT') {
  return {
    type: [LevelChangeRef] as [typeof LevelChangeRef],
    description: `Every change of the ${scope === 'WARD' ? 'ward' : 'district'}’s epidemic level, oldest first.`,
    resolve: (area: { code: string }, _args: unknown, ctx: PatientsContext) => levelHistory(ctx.db, scope, [area.code]),
  };
}

export const AreaScopeEnum = builder.enumType('AreaScope', {
  description: 'Ward or district.',
  values: { WARD: { description: 'A ward, commune or township.' }, DISTRICT: { description: 'A district.' } },
});

const LevelChangedEventRef = builder.objectRef<LevelChangedPayload>('EpidemicLevelChangedEvent').implement({
  description: 'An area moved to another epidemic level.',
  fields: (t) => ({
    scope: t.field({ type: AreaScopeEnum, description: 'Ward or district.', resolve: (e) => e.scope }),
    ward: t.field({ type: WardRef, nullable: true, description: 'The ward, when the scope is WARD.', resolve: (e) => (e.scope === 'WARD' ? { code: e.code } : null) }),
    district: t.field({ type: DistrictRef, description: 'The district (of the ward, when the scope is WARD).', resolve: (e) => ({ code: e.districtCode }) }),
    level: t.exposeInt('level', { description: 'New level.' }),
    colour: t.field({ type: ColourEnum, description: 'New colour.', resolve: (e) => COLOURS[e.level as Level] }),
    previousLevel: t.exposeInt('previousLevel', { nullable: true, description: 'Level before; null for the first assessment.' }),
    at: t.field({ type: 'DateTime', description: 'When.', resolve: (e) => new Date(e.at) }),
  }),
});

builder.subscriptionFields((t) => ({
  epidemicLevelChanged: t.field({
    type: LevelChangedEventRef,
    description: 'Changes of the epidemic level of a district and of its wards (all districts when absent).',
    args: { districtCode: t.arg.id({ required: false, description: 'Only this district and its wards.' }) },
    subscribe: (_root, args, ctx) => {
      const district = args.districtCode == null ? undefined : String(args.districtCode);
      if (district && !findDistrict(district)) throw graphQLError('BAD_USER_INPUT', `No district has code ${district}`);
      return ctx.runtime.bus.subscribe<LevelChangedPayload>(TOPICS.epidemicLevelChanged, {
        onEach: ctx.renewLoaders,
        filter: (e) => !district || e.districtCode === district,
      });
    },
    resolve: (event: EventEnvelope<LevelChangedPayload>) => event.payload,
  }),
}));

