/**
 * The epidemic level of wards and districts, assessed here from fields three subgraphs own:
 * cases (here), bed capacity (facilities) and vaccination coverage (vaccination), the latter two
 * fetched by the gateway through @requires. Every assessment that changes an area's level is
 * recorded and published (epidemicLevelChanged); the assessor (events/assessor.ts) asks the
 * gateway for a fresh assessment whenever cases change.
 */
import { builder } from '../builder.js';
import { findDistrict, findWard } from '../../common/admin-units.js';
import { graphQLError } from '../../common/graphql/errors.js';
import { describedValues } from '../../common/graphql/enums.js';
import type { EventEnvelope } from '../../common/events/types.js';
import { assessLevel, COLOURS, LEVEL_NAMES, type Assessment, type AssessmentInput, type Level } from '../domain/epidemic-level.js';
import { EPIDEMIC_LEVEL_CHANGED, levelHistory, recordAssessment, type LevelChangedPayload } from '../db/epidemic.repository.js';
import type { ExternalCapacity, ExternalCoverage } from './area-inputs.js';
import { LEVEL_REQUIRES } from './area-inputs.js';
import { DistrictRef, WardRef } from './geography.js';
import type { PatientsContext } from '../context.js';

const ColourEnum = builder.enumType('EpidemicLevelColour', {
  description: 'Colour of a level on the city’s maps.',
  values: describedValues(['GREEN', 'YELLOW', 'ORANGE', 'RED'] as const, {
    GREEN: 'Level 1: low risk (new normal).',
    YELLOW: 'Level 2: medium risk.',
    ORANGE: 'Level 3: high risk.',
    RED: 'Level 4: very high risk.',
  }),
});

interface LevelResult extends Assessment {
  input: AssessmentInput;
  assessedAt: Date;
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

const EpidemicLevelRef = builder.objectRef<LevelResult>('EpidemicLevel').implement({
  description: 'Epidemic level under Resolution 128/NQ-CP and Decision 4800/QĐ-BYT (with its January 2022 revision), assessed now.',
  fields: (t) => ({
    level: t.int({ description: '1 (low) to 4 (very high).', resolve: (r) => r.level }),
    colour: t.field({ type: ColourEnum, description: 'Map colour.', resolve: (r) => r.colour }),
    name: t.string({ description: 'Name of the level in Vietnamese.', resolve: (r) => LEVEL_NAMES[r.level] }),
    inputs: t.field({ type: InputsRef, description: 'The criteria it was computed from.', resolve: (r) => r }),
    assessedAt: t.field({ type: 'DateTime', description: 'When it was assessed.', resolve: (r) => r.assessedAt }),
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

interface AreaInputs {
  code: string;
  population?: number;
  capacity?: ExternalCapacity | null;
  vaccination?: ExternalCoverage | null;
}

function toInput(area: AreaInputs, newLast7Days: number): AssessmentInput {
  const critical = (area.capacity?.byKind ?? []).filter((b) => b.kind === 'OXYGEN' || b.kind === 'ICU');
  return {
    newCasesPer100kLast7Days: area.population ? (newLast7Days * 100_000) / area.population : 0,
    adults18PlusDose1Coverage: area.vaccination?.adults18PlusDose1Coverage ?? 0,
    over50FullyVaccinatedCoverage: area.vaccination?.over50FullyVaccinatedCoverage ?? 0,
    capacity: {
      covidDesignated: area.capacity?.covidDesignated ?? 0,
      occupied: area.capacity?.occupied ?? 0,
      criticalDesignated: critical.reduce((s, b) => s + b.covidDesignated, 0),
      criticalOccupied: critical.reduce((s, b) => s + b.occupied, 0),
    },
  };
}

async function assess(
  ctx: { db: Parameters<typeof recordAssessment>[0]; log?: unknown },
  scope: 'WARD' | 'DISTRICT',
  area: AreaInputs,
  newLast7Days: number,
  districtCode: string,
): Promise<LevelResult> {
  const input = toInput(area, newLast7Days);
  const result: LevelResult = { ...assessLevel(input), input, assessedAt: new Date() };
  // Each assessment that changes the level is recorded and published.
  await recordAssessment(ctx.db, { scope, code: area.code, districtCode, level: result.level, inputs: input });
  return result;
}

/** The epidemicLevel field of District and Ward (declared in geography.ts, where @requires is possible). */
export function epidemicLevelField(scope: 'WARD' | 'DISTRICT') {
  return {
    type: EpidemicLevelRef,
    description: `Epidemic level of the ${scope === 'WARD' ? 'ward' : 'district'} now, from its cases, bed capacity and vaccination coverage.`,
    requires: builder.selection<AreaInputs>(LEVEL_REQUIRES as never),
    resolve: async (area: AreaInputs, _args: unknown, ctx: PatientsContext) => {
      const stats = await (scope === 'WARD' ? ctx.loaders.wardCases : ctx.loaders.districtCases).load(area.code);
      const districtCode = scope === 'WARD' ? (findWard(area.code)?.districtCode ?? '') : area.code;
      return assess(ctx, scope, area, stats?.newLast7Days ?? 0, districtCode);
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

const AreaScopeEnum = builder.enumType('AreaScope', {
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
      return ctx.runtime.bus.subscribe<LevelChangedPayload>(EPIDEMIC_LEVEL_CHANGED, {
        onEach: ctx.renewLoaders,
        filter: (e) => !district || e.districtCode === district,
      });
    },
    resolve: (event: EventEnvelope<LevelChangedPayload>) => event.payload,
  }),
}));

