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
  // A tier period [since, until) of a case holds the tier at a day's end t when
  // max(confirmed_at, since) < t <= min(ended_at, until): that is, on the city days from the date
  // of its start up to (not including) the date of its stop. Each period adds one on its first
  // day and takes one away on its stop's day; a running sum per tier gives every day at once,
  // without pairing each period with each day.
  const { rows } = await sql<{ day: string; tier: TreatmentTier | null; active: number; new_cases: number }>`
    with days as (
      select d::date as day from generate_series(${from}::date, ${to}::date, interval '1 day') d
    ),
    scoped as (
      select p.id, p.confirmed_at, p.ended_at, p.tier
        from patient p
       where ${inScope}
         and p.confirmed_at < ((${to}::date + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh')
         and (p.ended_at is null or p.ended_at >= ((${from}::date + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh'))
    ),
    periods as (
      select s.confirmed_at, s.ended_at, coalesce(f.from_tier, s.tier) as tier, '-infinity'::timestamptz as since, coalesce(f.at, 'infinity') as until
        from scoped s
        left join lateral (select t.from_tier, t.at from tier_change t where t.patient_id = s.id order by t.at, t.id limit 1) f on true
      union all
      select s.confirmed_at, s.ended_at, t.to_tier, t.at,
             coalesce(lead(t.at) over (partition by t.patient_id order by t.at, t.id), 'infinity')
        from scoped s join tier_change t on t.patient_id = s.id
    ),
    spans as (
      select tier,
             (greatest(confirmed_at, since) at time zone 'Asia/Ho_Chi_Minh')::date as first_day,
             case when least(coalesce(ended_at, 'infinity'), until) = 'infinity' then null
                  else (least(coalesce(ended_at, 'infinity'), until) at time zone 'Asia/Ho_Chi_Minh')::date end as stop_day
        from periods
       where greatest(confirmed_at, since) < least(coalesce(ended_at, 'infinity'), until)
    ),
    deltas as (
      select tier, greatest(first_day, ${from}::date) as day, 1 as delta
        from spans where first_day <= ${to}::date and (stop_day is null or stop_day > ${from}::date)
      union all
      select tier, stop_day, -1
        from spans where first_day <= ${to}::date and stop_day > ${from}::date and stop_day <= ${to}::date
    ),
    per_day as (select day, tier, sum(delta)::int as delta from deltas group by 1, 2),
    active as (
      select d.day, t.tier, coalesce(sum(pd.delta) over (partition by t.tier order by d.day), 0)::int as n
        from days d
       cross join (values ('TIER_1'), ('TIER_2'), ('TIER_3')) t(tier)
        left join per_day pd on pd.day = d.day and pd.tier = t.tier
    ),
    confirmed as (
      select (p.confirmed_at at time zone 'Asia/Ho_Chi_Minh')::date as day, count(*)::int as n
        from patient p
       where ${inScope}
         and p.confirmed_at >= (${from}::date::timestamp at time zone 'Asia/Ho_Chi_Minh')
         and p.confirmed_at < ((${to}::date + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh')
       group by 1
    )
    select to_char(d.day, 'YYYY-MM-DD') as day, a.tier, a.n as active, coalesce(c.n, 0) as new_cases
      from days d
      join active a on a.day = d.day
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
