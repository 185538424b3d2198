import { sql, type Kysely } from 'kysely';
import { publish } from '../../common/events/publish.js';
import type { EpidemicLevelChangeTable, PatientsDB } from './tables.js';
import type { Selectable } from 'kysely';

export const EPIDEMIC_LEVEL_CHANGED = 'patients.epidemic-level-changed';

export interface LevelChangedPayload {
  scope: 'WARD' | 'DISTRICT';
  code: string;
  districtCode: string;
  level: number;
  previousLevel: number | null;
  at: string;
}

/**
 * Records an assessment: when the level differs from the last one recorded for the area, stores
 * the change and publishes it in the same transaction. Concurrent assessments of one area
 * serialise on its row, so a change is recorded once.
 */
export async function recordAssessment(
  db: Kysely<PatientsDB>,
  a: { scope: 'WARD' | 'DISTRICT'; code: string; districtCode: string; level: number; inputs: unknown },
): Promise<LevelChangedPayload | undefined> {
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('epidemic_level_current')
      .select('level')
      .where('scope', '=', a.scope)
      .where('code', '=', a.code)
      .forUpdate()
      .executeTakeFirst();
    if (current && current.level === a.level) return undefined;
    await trx
      .insertInto('epidemic_level_current')
      .values({ scope: a.scope, code: a.code, level: a.level, assessed_at: sql<Date>`now()` as never })
      .onConflict((oc) => oc.columns(['scope', 'code']).doUpdateSet({ level: a.level, assessed_at: sql`now()` }))
      .execute();
    const change = await trx
      .insertInto('epidemic_level_change')
      .values({ scope: a.scope, code: a.code, district_code: a.districtCode, level: a.level, previous_level: current?.level ?? null, inputs: JSON.stringify(a.inputs) })
      .returningAll()
      .executeTakeFirstOrThrow();
    const payload: LevelChangedPayload = {
      scope: a.scope,
      code: a.code,
      districtCode: a.districtCode,
      level: a.level,
      previousLevel: current?.level ?? null,
      at: change.at.toISOString(),
    };
    await publish(trx, 'patients', [{ topic: EPIDEMIC_LEVEL_CHANGED, key: `${a.scope}:${a.code}`, payload }]);
    return payload;
  });
}

export async function levelHistory(db: Kysely<PatientsDB>, scope: 'WARD' | 'DISTRICT', codes: readonly string[]): Promise<Selectable<EpidemicLevelChangeTable>[]> {
  if (codes.length === 0) return [];
  return db.selectFrom('epidemic_level_change').selectAll().where('scope', '=', scope).where('code', 'in', codes).orderBy('at').orderBy('id').execute();
}
