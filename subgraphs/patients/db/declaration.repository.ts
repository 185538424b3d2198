import { sql, type Kysely, type Selectable } from 'kysely';
import type { Transaction } from '../../common/db/database.js';
import type { EpidemicLevelDeclarationTable, PatientsDB } from './tables.js';

export interface Declaration {
  id: number;
  scope: 'WARD' | 'DISTRICT';
  code: string;
  districtCode: string;
  level: number;
  decisionNumber: string;
  effectiveFrom: string;
  measures: string[];
  declaredBy: string;
  declaredAt: Date;
}

export interface LevelDeclaredPayload {
  declarationId: number;
  scope: 'WARD' | 'DISTRICT';
  code: string;
  districtCode: string;
  level: number;
  decisionNumber: string;
  effectiveFrom: string;
  measures: string[];
  at: string;
}

const toDeclaration = (r: Selectable<EpidemicLevelDeclarationTable>): Declaration => ({
  id: r.id,
  scope: r.scope,
  code: r.code,
  districtCode: r.district_code,
  level: r.level,
  decisionNumber: r.decision_number,
  effectiveFrom: r.effective_from,
  measures: r.measures,
  declaredBy: r.declared_by,
  declaredAt: r.declared_at,
});

export async function declarationByDecision(db: Kysely<PatientsDB>, scope: 'WARD' | 'DISTRICT', code: string, decisionNumber: string): Promise<Declaration | undefined> {
  const row = await db
    .selectFrom('epidemic_level_declaration')
    .selectAll()
    .where('scope', '=', scope)
    .where('code', '=', code)
    .where('decision_number', '=', decisionNumber)
    .executeTakeFirst();
  return row && toDeclaration(row);
}

export async function insertDeclaration(trx: Transaction<PatientsDB>, values: Omit<EpidemicLevelDeclarationTable, 'id' | 'declared_at'>): Promise<Declaration> {
  return toDeclaration(await trx.insertInto('epidemic_level_declaration').values(values).returningAll().executeTakeFirstOrThrow());
}

/**
 * The declaration in force on `day` (YYYY-MM-DD) for each area asked for: the latest effective on
 * or before that day (among declarations effective the same day, the last declared).
 */
export async function declarationsInForce(db: Kysely<PatientsDB>, scope: 'WARD' | 'DISTRICT', codes: readonly string[], day: string): Promise<Declaration[]> {
  if (codes.length === 0) return [];
  const rows = await db
    .selectFrom('epidemic_level_declaration')
    .selectAll()
    .distinctOn('code')
    .where('scope', '=', scope)
    .where('code', 'in', codes)
    .where('effective_from', '<=', sql<string>`${day}::date`)
    .orderBy('code')
    .orderBy('effective_from', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toDeclaration);
}

/** Every declaration of an area, in order of effect. */
export async function declarationsOf(db: Kysely<PatientsDB>, scope: 'WARD' | 'DISTRICT', code: string): Promise<Declaration[]> {
  const rows = await db
    .selectFrom('epidemic_level_declaration')
    .selectAll()
    .where('scope', '=', scope)
    .where('code', '=', code)
    .orderBy('effective_from')
    .orderBy('id')
    .execute();
  return rows.map(toDeclaration);
}
