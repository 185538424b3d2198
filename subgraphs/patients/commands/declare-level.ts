/**
 * Declaring the official epidemic level of a ward or district: the decision of the district (for
 * the district or its wards) or of the city (anywhere) that names the level from a date and the
 * measures in force. The computed level is untouched; both are shown side by side.
 *
 * A decision number is declared once per area: the same declaration sent again returns the first
 * (no second event); the same number with anything else is a ConflictError. Each declaration is
 * kept and published (outbox) in one transaction.
 */
import { findDistrict, findWard } from '../../common/admin-units.js';
import { coversDistrict, coversWard, type Viewer } from '../../common/auth/viewer.js';
import { inGroup, outsideJurisdiction } from '../../common/auth/jurisdiction.js';
import { ConflictError, Problems } from '../../common/domain/errors.js';
import { isUniqueViolation } from '../../common/db/errors.js';
import { TOPICS } from '../../common/events/catalog.js';
import { publish } from '../../common/events/publish.js';
import { isValidCalendarDate } from '../../common/graphql/scalars.js';
import { checkId, checkText } from '../../common/domain/input-rules.js';
import {
  declarationByDecision,
  insertDeclaration,
  type Declaration,
  type LevelDeclaredPayload,
} from '../db/declaration.repository.js';
import type { PatientsRuntime } from '../context.js';

/** Who may declare: district officers over their district and its wards, city officers anywhere. */

export const DECLARATION_LIMITS = { decisionNumber: 64, measures: 50, measure: 500, earliest: '2020-01-01', daysAhead: 366 };

export interface DeclareLevelInput {
  areaCode: string;
  level: number;
  decisionNumber: string;
  effectiveFrom: string;
  measures: readonly string[];
}

const sameDeclaration = (d: Declaration, p: { level: number; effectiveFrom: string; measures: string[] }) =>
  d.level === p.level && d.effectiveFrom === p.effectiveFrom && d.measures.length === p.measures.length && d.measures.every((m, i) => m === p.measures[i]);

export async function declareEpidemicLevel(runtime: PatientsRuntime, viewer: Viewer, input: DeclareLevelInput, today: string): Promise<Declaration> {
  const problems = new Problems();
  // Bounded by the input rules before any lookup, so the message never echoes an oversized value.
  const areaCode = checkId(problems, input.areaCode, ['input', 'areaCode'], 'areaCode');
  const ward = problems.empty ? findWard(areaCode) : undefined;
  const district = ward || !problems.empty ? undefined : findDistrict(areaCode);
  if (problems.empty) problems.check(!!ward || !!district, ['input', 'areaCode'], `No ward or district has code ${areaCode}`);
  problems.check(Number.isInteger(input.level) && input.level >= 1 && input.level <= 4, ['input', 'level'], 'level must be 1, 2, 3 or 4');
  const decisionNumber = checkText(problems, input.decisionNumber, ['input', 'decisionNumber'], 'decisionNumber', { max: DECLARATION_LIMITS.decisionNumber });
  const latest = new Date(Date.parse(`${today}T00:00:00Z`) + DECLARATION_LIMITS.daysAhead * 86_400_000).toISOString().slice(0, 10);
  problems.check(
    isValidCalendarDate(input.effectiveFrom) && input.effectiveFrom >= DECLARATION_LIMITS.earliest && input.effectiveFrom <= latest,
    ['input', 'effectiveFrom'],
    `effectiveFrom must be a date from ${DECLARATION_LIMITS.earliest} to ${latest}`,
  );
  problems.check(input.measures.length <= DECLARATION_LIMITS.measures, ['input', 'measures'], `at most ${DECLARATION_LIMITS.measures} measures`);
  const measures = input.measures.map((m, i) => checkText(problems, m, ['input', 'measures', String(i)], 'a measure', { max: DECLARATION_LIMITS.measure }));
  problems.throwIfAny();

  const scope = ward ? ('WARD' as const) : ('DISTRICT' as const);
  const code = ward?.code ?? district!.code;
  const districtCode = ward?.districtCode ?? district!.code;
  const action = 'declare the epidemic level of this area';
  if (!inGroup(viewer, 'officers')) throw outsideJurisdiction(action);
  if (!(ward ? coversWard(viewer, code) : coversDistrict(viewer, code))) throw outsideJurisdiction(action);

  const wanted = { level: input.level, effectiveFrom: input.effectiveFrom, measures };
  const replay = (existing: Declaration) => {
    if (!sameDeclaration(existing, wanted)) {
      throw new ConflictError(`Decision ${decisionNumber} was already declared for this area with another level, date or measures; a new decision needs a new number`);
    }
    return existing;
  };
  const existing = await declarationByDecision(runtime.db, scope, code, decisionNumber);
  if (existing) return replay(existing);
  try {
    return await runtime.db.transaction().execute(async (trx) => {
      const declaration = await insertDeclaration(trx, {
        scope,
        code,
        district_code: districtCode,
        level: input.level,
        decision_number: decisionNumber,
        effective_from: input.effectiveFrom,
        measures,
        declared_by: viewer.subject,
      });
      const payload: LevelDeclaredPayload = {
        declarationId: declaration.id,
        scope,
        code,
        districtCode,
        level: declaration.level,
        decisionNumber,
        effectiveFrom: declaration.effectiveFrom,
        measures,
        at: declaration.declaredAt.toISOString(),
      };
      await publish(trx, [{ topic: TOPICS.epidemicLevelDeclared, key: `${scope}:${code}`, payload }]);
      return declaration;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'epidemic_level_declaration_decision')) {
      const raced = await declarationByDecision(runtime.db, scope, code, decisionNumber);
      if (raced) return replay(raced);
    }
    throw error;
  }
}
