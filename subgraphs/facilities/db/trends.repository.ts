/**
 * Beds occupied per day over a run of days, by bed kind, for the dashboard's trend charts: the
 * admissions open at the end of each city day (admissions keep their history), counted as the
 * daily report counts them (treatment facilities active now). All days come from one grouped
 * query; a day whose beds are frozen gives the frozen figures, as the report does.
 */
import { sql, type Kysely } from 'kysely';
import { BED_KINDS, type BedKind } from '../../common/domain/enums.js';
import { NON_TREATMENT_KINDS } from '../domain/capacity.js';
import type { FacilitiesDB } from './tables.js';

export interface OccupancyTrendDay {
  date: string;
  byKind: { kind: BedKind; occupied: number }[];
}

const DAY = 86_400_000;

function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

export async function occupancyTrends(db: Kysely<FacilitiesDB>, from: string, to: string, scope: string): Promise<OccupancyTrendDay[]> {
  const inScope = scope === 'city' ? sql`true` : sql`f.district_code = ${scope}`;
  const { rows } = await sql<{ day: string; kind: BedKind; occupied: number }>`
    with days as (
      select d::date as day, ((d::date + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh') as day_end
        from generate_series(${from}::date, ${to}::date, interval '1 day') d
    )
    select to_char(d.day, 'YYYY-MM-DD') as day, a.bed_kind as kind, count(*)::int as occupied
      from days d
      join admission a on a.admitted_at < d.day_end and (a.discharged_at is null or a.discharged_at >= d.day_end)
      join facility f on f.id = a.facility_id
     where f.status = 'ACTIVE' and f.kind <> all(${[...NON_TREATMENT_KINDS]}::text[]) and ${inScope}
       and a.admitted_at < (select max(day_end) from days)
       and (a.discharged_at is null or a.discharged_at >= (select min(day_end) from days))
     group by 1, 2`.execute(db);

  const stored = await db.selectFrom('bed_snapshot').select(['day', 'kind', 'occupied']).where('scope', '=', scope).where('day', '>=', from).where('day', '<=', to).execute();
  const frozenDays = new Set(stored.map((s) => String(s.day)));

  return daysBetween(from, to).map((date) => {
    const source = frozenDays.has(date) ? stored.filter((s) => String(s.day) === date) : rows.filter((r) => r.day === date);
    return { date, byKind: BED_KINDS.map((kind) => ({ kind, occupied: source.find((r) => r.kind === kind)?.occupied ?? 0 })) };
  });
}
