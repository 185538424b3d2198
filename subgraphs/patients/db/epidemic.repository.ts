import { CompiledQuery, sql, type Kysely } from 'kysely';
import { publish } from '../../common/events/publish.js';
import { TOPICS, type LevelChangedPayload } from '../../common/events/catalog.js';
import type { EpidemicLevelChangeTable, EpidemicLevelCurrentTable, PatientsDB } from './tables.js';
import type { Selectable } from 'kysely';

export interface NewAssessment {
  scope: 'WARD' | 'DISTRICT';
  code: string;
  districtCode: string;
  level: number;
  inputs: unknown;
}

/**
 * Records assessments: each area's current level and the inputs it came from are replaced, and
 * where the level differs from the last one the change is stored and published, all in one
 * transaction (a city-wide run is a handful of statements, not thousands). Concurrent
 * assessments of an area serialise on its row, locked in a fixed order, so a change is recorded
 * once. Only the assessor calls this; reads never do.
 */
export async function recordAssessments(db: Kysely<PatientsDB>, assessments: readonly NewAssessment[]): Promise<LevelChangedPayload[]> {
  if (assessments.length === 0) return [];
  return db.transaction().execute(async (trx) => {
    const keys = assessments.map((a) => `${a.scope}:${a.code}`);
    // Rows that do not exist yet cannot be locked: two first assessments of an area would both
    // see no previous level. An advisory lock per area closes that gap.
    await sql`select pg_advisory_xact_lock(hashtextextended('epidemic-level:' || k, 0)) from unnest(${[...keys].sort()}::text[]) k order by k`.execute(trx);
    const current = await trx
      .selectFrom('epidemic_level_current')
      .select(['scope', 'code', 'level'])
      .where(sql<boolean>`scope || ':' || code = any(${keys}::text[])`)
      .execute();
    const previous = new Map(current.map((c) => [`${c.scope}:${c.code}`, c.level]));
    await trx
      .insertInto('epidemic_level_current')
      .values(assessments.map((a) => ({ scope: a.scope, code: a.code, level: a.level, inputs: JSON.stringify(a.inputs), assessed_at: sql<Date>`now()` as never })))
      .onConflict((oc) =>
        oc.columns(['scope', 'code']).doUpdateSet({ level: sql`excluded.level`, inputs: sql`excluded.inputs`, assessed_at: sql`excluded.assessed_at` }),
      )
      .execute();
    const changed = assessments.filter((a) => previous.get(`${a.scope}:${a.code}`) !== a.level);
    if (changed.length === 0) return [];
    const rows = await trx
      .insertInto('epidemic_level_change')
      .values(
        changed.map((a) => ({
          scope: a.scope,
          code: a.code,
          district_code: a.districtCode,
          level: a.level,
          previous_level: previous.get(`${a.scope}:${a.code}`) ?? null,
          inputs: JSON.stringify(a.inputs),
        })),
      )
      .returningAll()
      .execute();
    const payloads: LevelChangedPayload[] = rows.map((r) => ({
      scope: r.scope as 'WARD' | 'DISTRICT',
      code: r.code,
      districtCode: r.district_code,
      level: r.level,
      previousLevel: r.previous_level,
      at: r.at.toISOString(),
    }));
    await publish(
      trx,
      payloads.map((payload) => ({ topic: TOPICS.epidemicLevelChanged, key: `${payload.scope}:${payload.code}`, payload })),
    );
    return payloads;
  });
}

export interface StoredAssessment {
  scope: 'WARD' | 'DISTRICT';
  code: string;
  level: number;
  inputs: unknown | null;
  assessedAt: Date;
}

/**
 * The latest assessment of each area asked for (areas never assessed are absent). SQL text with
 * the codes as one array parameter: every CityOverview reads the 30 districts' levels, and
 * Kysely's builder (an `in` list of 30 parameters, compiled per call) was the patients process's
 * largest Kysely frame there (0.27 ms per overview under `--profile city`). The table holds one
 * row per area (609), so the generic plan of a named statement is a probe of its key whatever the
 * list's length.
 */
export async function latestAssessments(db: Kysely<PatientsDB>, scope: 'WARD' | 'DISTRICT', codes: readonly string[]): Promise<StoredAssessment[]> {
  if (codes.length === 0) return [];
  const { rows } = await db.executeQuery<Selectable<EpidemicLevelCurrentTable>>(CompiledQuery.raw(LATEST_ASSESSMENTS, [scope, codes]));
  return rows.map((r) => ({ scope: r.scope, code: r.code, level: r.level, inputs: r.inputs, assessedAt: r.assessed_at }));
}

const LATEST_ASSESSMENTS = 'select scope, code, level, inputs, assessed_at from epidemic_level_current where scope = $1 and code = any($2::text[])';

/**
 * Claims the daily assessment of a city day. True for exactly one caller per day, whichever
 * replica asks first; the others leave it to that one.
 */
export async function claimDailyRun(db: Kysely<PatientsDB>, day: string): Promise<boolean> {
  const row = await db
    .insertInto('epidemic_daily_run')
    .values({ day, claimed_at: sql<Date>`now()` as never })
    .onConflict((oc) => oc.column('day').doNothing())
    .returning('day')
    .executeTakeFirst();
  return row !== undefined;
}

export async function levelHistory(db: Kysely<PatientsDB>, scope: 'WARD' | 'DISTRICT', codes: readonly string[]): Promise<Selectable<EpidemicLevelChangeTable>[]> {
  if (codes.length === 0) return [];
  return db.selectFrom('epidemic_level_change').selectAll().where('scope', '=', scope).where('code', 'in', codes).orderBy('at').orderBy('id').execute();
}
