/**
 * The declared (official) epidemic level beside the computed one: district and city officers
 * declare the level of a ward or district by decision, from a date, with the measures in force.
 * Reads show the declaration in force today next to the computed level (EpidemicLevel.declared,
 * EpidemicLevel.disagrees), the declaration in force on any day, and every declaration of an area.
 * Declarations are public decisions: every viewer may read them, like the computed level.
 */
import { builder } from '../builder.js';
import { ConflictError, ValidationError } from '../../common/domain/errors.js';
import { COLOURS, LEVEL_NAMES, type Level } from '../domain/epidemic-level.js';
import { declarationsInForce, declarationsOf, type Declaration } from '../db/declaration.repository.js';
import { DECLARATION_LIMITS, declareEpidemicLevel } from '../commands/declare-level.js';
import { AreaScopeEnum, ColourEnum, EpidemicLevelRef, type LevelResult } from './epidemic.js';
import { DistrictRef, WardRef } from './area-refs.js';
import type { PatientsContext } from '../context.js';

export const DeclaredEpidemicLevelRef = builder.objectRef<Declaration>('DeclaredEpidemicLevel').implement({
  description: 'An epidemic level declared by decision of the district or the city for a ward or district, in force from its effective date until the next declaration of that area takes effect.',
  fields: (t) => ({
    scope: t.field({ type: AreaScopeEnum, description: 'Whether a ward or a district was declared.', resolve: (d) => d.scope }),
    // Plain codes rather than Ward/District entity fields: with those, Hive Gateway's planner could no
    // longer plan `districts { history { … } }` (SATISFIABILITY_ERROR "cannot find field
    // DailyReport.id"), which the city's spreadsheet export reads (test/gateway/exports.test.ts).
    areaCode: t.exposeID('code', { description: 'Code of the ward or district declared.' }),
    districtCode: t.exposeID('districtCode', { description: 'The district declared, or the district of the ward declared.' }),
    level: t.exposeInt('level', { description: 'The declared level, 1 (low) to 4 (very high).' }),
    colour: t.field({ type: ColourEnum, description: 'Map colour of the declared level.', resolve: (d) => COLOURS[d.level as Level] }),
    name: t.string({ description: 'Name of the declared level in Vietnamese.', resolve: (d) => LEVEL_NAMES[d.level as Level] }),
    decisionNumber: t.exposeString('decisionNumber', { description: 'Number of the decision that declared it (e.g. 1234/QĐ-UBND).' }),
    effectiveFrom: t.field({ type: 'Date', description: 'First day (city date) it is in force.', resolve: (d) => d.effectiveFrom }),
    measures: t.exposeStringList('measures', { description: 'The measures in force at this level, as the decision lists them.' }),
    declaredAt: t.field({ type: 'DateTime', description: 'When it was recorded here.', resolve: (d) => d.declaredAt }),
  }),
});

const declaredToday = (r: LevelResult, ctx: PatientsContext) =>
  r.area ? (r.area.scope === 'WARD' ? ctx.loaders.wardDeclaration : ctx.loaders.districtDeclaration).load(r.area.code) : Promise.resolve(undefined);

builder.objectFields(EpidemicLevelRef, (t) => ({
  declared: t.field({
    type: DeclaredEpidemicLevelRef,
    nullable: true,
    description:
      'The official level declared for this area and in force today: show it first, with the computed level (this object’s level) beside it. Null when no declaration is in force.',
    resolve: async (r, _args, ctx) => (await declaredToday(r, ctx)) ?? null,
  }),
  disagrees: t.boolean({
    description: 'True when a declared level is in force and differs from the computed level; false when they agree or nothing is declared.',
    resolve: async (r, _args, ctx) => {
      const declared = await declaredToday(r, ctx);
      return !!declared && declared.level !== r.level;
    },
  }),
}));

function areaFields(scope: 'WARD' | 'DISTRICT') {
  const noun = scope === 'WARD' ? 'ward' : 'district';
  return (t: any) => ({
    declaredEpidemicLevel: t.field({
      type: DeclaredEpidemicLevelRef,
      nullable: true,
      description: `The declared epidemic level of the ${noun} in force on a day (today when absent): the latest declaration effective on or before it; null when none was.`,
      args: { on: t.arg({ type: 'Date', required: false, description: 'The day (city date); today when absent.' }) },
      resolve: async (area: { code: string }, args: { on?: string | null }, ctx: PatientsContext) =>
        (await declarationsInForce(ctx.db, scope, [area.code], args.on ?? ctx.today()))[0] ?? null,
    }),
    epidemicLevelDeclarations: t.field({
      type: [DeclaredEpidemicLevelRef],
      description: `Every declared epidemic level of the ${noun}, in order of effect (each in force until the next takes effect).`,
      resolve: (area: { code: string }, _args: unknown, ctx: PatientsContext) => declarationsOf(ctx.db, scope, area.code),
    }),
  });
}

builder.objectFields(WardRef, areaFields('WARD'));
builder.objectFields(DistrictRef, areaFields('DISTRICT'));

const DeclareEpidemicLevelInput = builder.inputType('DeclareEpidemicLevelInput', {
  description: 'A decision declaring the epidemic level of a ward or district.',
  fields: (t) => ({
    areaCode: t.id({ required: true, description: 'Code of the ward or district declared.' }),
    level: t.int({ required: true, description: 'The declared level, 1 to 4.' }),
    decisionNumber: t.string({
      required: true,
      description: `Number of the decision (1 to ${DECLARATION_LIMITS.decisionNumber} characters). Sending the same decision again returns the first declaration; the same number with another level, date or measures is a ConflictError.`,
    }),
    effectiveFrom: t.field({ type: 'Date', required: true, description: `First day in force (city date), from ${DECLARATION_LIMITS.earliest} to a year ahead.` }),
    measures: t.stringList({ required: true, description: `The measures in force at this level (at most ${DECLARATION_LIMITS.measures}, each 1 to ${DECLARATION_LIMITS.measure} characters).` }),
  }),
});

builder.mutationFields((t) => ({
  declareEpidemicLevel: t.field({
    type: DeclaredEpidemicLevelRef,
    description:
      'Declare the official epidemic level of a ward or district: a district officer for the district or its wards, a city officer anywhere. The computed level is unchanged; the declaration is shown beside it from its effective date until the next one.',
    authScopes: { officers: true },
    errors: { types: [ValidationError, ConflictError], dataField: { name: 'declaration', description: 'The declaration.' } },
    args: { input: t.arg({ type: DeclareEpidemicLevelInput, required: true, description: 'The decision.' }) },
    resolve: (_root, { input }, ctx) =>
      declareEpidemicLevel(
        ctx.runtime,
        ctx.viewer,
        { areaCode: String(input.areaCode), level: input.level, decisionNumber: input.decisionNumber, effectiveFrom: input.effectiveFrom, measures: input.measures },
        ctx.today(),
      ),
  }),
}));
