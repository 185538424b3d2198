/**
 * Cases per day over a run of days, for the dashboard's trend charts: new cases confirmed each
 * city day and the cases under treatment at the end of it by tier, from the tier history (as the
 * daily report counts them). All days come from one grouped query; a day whose report is frozen
 * gives the frozen figures, so a chart and the 07:00 report never disagree.
 */
import { sql, type Kysely } from 'kysely';
import { TREATMENT_TIERS, type TreatmentTier } from '../../common/domain/enums.js';
import type { DayFigures } from './report.repository.js';
import type { PatientsDB } from './tables.js';

export interface CaseTrendDay {
  date: string;
  newCases: number;
  byTier: { tier: TreatmentTier; count: number }[];
}

const DAY = 86_400_000;

/** The city days from `from` to `to`, inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

export async function caseTrends(db: Kysely<PatientsDB>, from: string, to: string, scope: string): Promise<CaseTrendDay[]> {
  const inScope = scope === 'city' ? sql`true` : sql`p.district_code = ${scope}`;
  // Day ends in the city's time zone (UTC+7, no daylight saving); a tier period [since, until)
  // holds the tier at a day's end when since < end <= until.
  const { rows } = await sql<{ day: string; tier: TreatmentTier | null; active: number; new_cases: number }>`
    with days as (
      select d::date as day,
             (d::date::timestamp at time zone 'Asia/Ho_Chi_Minh') as day_start,
             ((d::date + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh') as day_end
        from generate_series(${from}::date, ${to}::date, interval '1 day') d
    ),
    scoped as (
      select p.id, p.confirmed_at, p.ended_at, p.tier
        from patient p
       where ${inScope}
         and p.confirmed_at < (select max(day_end) from days)
         and (p.ended_at is null or p.ended_at >= (select min(day_end) from days))
    ),
    periods as (
      select s.id, s.confirmed_at, s.ended_at, coalesce(f.from_tier, s.tier) as tier, '-infinity'::timestamptz as since, coalesce(f.at, 'infinity') as until
        from scoped s
        left join lateral (select t.from_tier, t.at from tier_change t where t.patient_id = s.id order by t.at, t.id limit 1) f on true
      union all
      select s.id, s.confirmed_at, s.ended_at, t.to_tier, t.at,
             coalesce(lead(t.at) over (partition by t.patient_id order by t.at, t.id), 'infinity')
        from scoped s join tier_change t on t.patient_id = s.id
    ),
    active as (
      select d.day, pr.tier, count(*)::int as n
        from days d
        join periods pr on pr.confirmed_at < d.day_end and (pr.ended_at is null or pr.ended_at >= d.day_end)
                       and pr.since < d.day_end and pr.until >= d.day_end
       group by 1, 2
    ),
    confirmed as (
      select d.day, count(*)::int as n
        from days d join patient p on p.confirmed_at >= d.day_start and p.confirmed_at < d.day_end
       where ${inScope}
       group by 1
    )
    select to_char(d.day, 'YYYY-MM-DD') as day, a.tier, coalesce(a.n, 0) as active, coalesce(c.n, 0) as new_cases
      from days d
      left join active a on a.day = d.day
      left join confirmed c on c.day = d.day
     order by 1`.execute(db);

  const frozen = new Map<string, DayFigures>();
  const stored = await db.selectFrom('daily_report_snapshot').select(['day', 'figures']).where('scope', '=', scope).where('day', '>=', from).where('day', '<=', to).execute();
  for (const s of stored) frozen.set(String(s.day), s.figures as DayFigures);

  return daysBetween(from, to).map((date) => {
    const figures = frozen.get(date);
    if (figures) {
      return {
        date,
        newCases: figures.newCases,
        byTier: [
          { tier: 'TIER_1', count: figures.activeTier1 },
          { tier: 'TIER_2', count: figures.activeTier2 },
          { tier: 'TIER_3', count: figures.activeTier3 },
        ],
      };
    }
    const own = rows.filter((r) => r.day === date);
    return {
      date,
      newCases: own[0]?.new_cases ?? 0,
      byTier: TREATMENT_TIERS.map((tier) => ({ tier, count: own.find((r) => r.tier === tier)?.active ?? 0 })),
    };
  });
}
