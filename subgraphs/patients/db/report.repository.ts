/**
 * Figures of the daily report, computed from the raw tables for one city day (00:00 to 24:00
 * Asia/Ho_Chi_Minh): what was true at the end of that day. A day's report is frozen (stored) at
 * its cut-off, 07:00 the next morning, by the cut-off job, and never changes afterwards; until
 * then a read computes it from the raw tables and stores nothing.
 */
import { sql, type Kysely } from 'kysely';
import { startOfCityDate } from '../../common/graphql/scalars.js';
import { DISTRICTS, findWard } from '../../common/admin-units.js';
import type { PatientsDB } from './tables.js';

export interface DayFigures {
  newCases: number;
  active: number;
  activeTier1: number;
  activeTier2: number;
  activeTier3: number;
  atHome: number;
  inFacilities: number;
  tierEscalations: number;
  tierDeescalations: number;
  recoveries: number;
  deaths: number;
  helpRequestsOpened: number;
  helpRequestsAnswered: number;
  epidemicLevel: number | null;
}

const nextDay = (day: string) => new Date(startOfCityDate(day).getTime() + 86_400_000);

/** Whether the scope names a ward (else a district, or the city). */
const isWardScope = (scope: string) => findWard(scope) !== undefined;

/**
 * Computes one day's figures for the city (scope "city"), a district or a ward (its code; a
 * ward's report is what its station submits for the 07:00 duty).
 */
export async function computeDayFigures(db: Kysely<PatientsDB>, day: string, scope: string): Promise<DayFigures> {
  const from = startOfCityDate(day);
  const to = nextDay(day);
  const inScope = scope === 'city' ? sql`true` : isWardScope(scope) ? sql`ward_code = ${scope}` : sql`district_code = ${scope}`;
  const levelScope = isWardScope(scope) ? 'WARD' : 'DISTRICT';
  // Tier at the end of the day: the last change before midnight, else the tier at registration
  // (the `from` of the first change, or the current tier when there was none).
  const { rows } = await sql<DayFigures>`
    with cases as (
      select p.id, p.confirmed_at, p.ended_at, p.status,
             coalesce((select c.care_setting from care_setting_change c where c.patient_id = p.id and c.at < ${to} order by c.at desc, c.id desc limit 1), 'HOME') as care_setting,
             coalesce(
               (select t.to_tier from tier_change t where t.patient_id = p.id and t.at < ${to} order by t.at desc, t.id desc limit 1),
               (select t.from_tier from tier_change t where t.patient_id = p.id order by t.at, t.id limit 1),
               p.tier) as tier_then
        from patient p
       where ${inScope} and p.confirmed_at < ${to}),
    open_then as (select * from cases where ended_at is null or ended_at >= ${to})
    select
      (select count(*)::int from cases where confirmed_at >= ${from}) as "newCases",
      (select count(*)::int from open_then) as "active",
      (select count(*)::int from open_then where tier_then = 'TIER_1') as "activeTier1",
      (select count(*)::int from open_then where tier_then = 'TIER_2') as "activeTier2",
      (select count(*)::int from open_then where tier_then = 'TIER_3') as "activeTier3",
      (select count(*)::int from open_then where care_setting = 'HOME') as "atHome",
      (select count(*)::int from open_then where care_setting = 'FACILITY') as "inFacilities",
      (select count(*)::int from tier_change t join patient p on p.id = t.patient_id
        where ${inScope} and t.at >= ${from} and t.at < ${to} and t.to_tier > t.from_tier) as "tierEscalations",
      (select count(*)::int from tier_change t join patient p on p.id = t.patient_id
        where ${inScope} and t.at >= ${from} and t.at < ${to} and t.to_tier < t.from_tier) as "tierDeescalations",
      (select count(*)::int from cases where status = 'RECOVERED' and ended_at >= ${from} and ended_at < ${to}) as "recoveries",
      (select count(*)::int from cases where status = 'DECEASED' and ended_at >= ${from} and ended_at < ${to}) as "deaths",
      (select count(*)::int from help_request where ${inScope} and opened_at >= ${from} and opened_at < ${to}) as "helpRequestsOpened",
      (select count(*)::int from help_request where ${inScope} and acknowledged_at >= ${from} and acknowledged_at < ${to}) as "helpRequestsAnswered",
      (select level from epidemic_level_change where scope = ${levelScope} and code = ${scope} and at < ${to} order by at desc, id desc limit 1)::int as "epidemicLevel"
  `.execute(db);
  return rows[0]!;
}

export interface ReportFigures {
  figures: DayFigures;
  /** When the report was frozen; null while it is computed for each read. */
  frozenAt: Date | null;
}

/** The figures of a day: the frozen ones once frozen, otherwise computed for this read (nothing is written). */
export async function dayFigures(db: Kysely<PatientsDB>, day: string, scope: string): Promise<ReportFigures> {
  const stored = await db.selectFrom('daily_report_snapshot').select(['figures', 'created_at']).where('day', '=', day).where('scope', '=', scope).executeTakeFirst();
  if (stored) return { figures: stored.figures as DayFigures, frozenAt: stored.created_at };
  return { figures: await computeDayFigures(db, day, scope), frozenAt: null };
}

/** Freezes the reports of a day, for the city and every district; a report already frozen is kept as it is. */
export async function freezeReports(db: Kysely<PatientsDB>, day: string): Promise<void> {
  for (const scope of ['city', ...DISTRICTS.map((d) => d.code)]) {
    const figures = await computeDayFigures(db, day, scope);
    await db
      .insertInto('daily_report_snapshot')
      .values({ day, scope, figures: JSON.stringify(figures) })
      .onConflict((oc) => oc.columns(['day', 'scope']).doNothing())
      .execute();
  }
}
