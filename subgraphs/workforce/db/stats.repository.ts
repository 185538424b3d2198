/** Workforce figures of wards and districts, aggregates only. */
import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { WorkerOrigin } from '../domain/workforce.js';
import type { WorkforceDB } from './tables.js';

export interface WorkforceStats {
  /** Whether `area` is a ward's code or a district's (which rows a per-origin count sums). */
  level: 'ward' | 'district';
  area: string;
  workers: number;
  careWorkers: number;
  homeCareWorkers: number;
  atCapacity: number;
  homePatients: number;
  unassignedHomePatients: number;
}

/**
 * Workforce figures for many wards or districts in one statement per request, from the counter
 * rows migration 2026-11-28T01-00-00_workforce_counters keeps (recounted per ward when a change
 * commits): workers (by home area), care workers, home-care team members, workers at their cap,
 * home patients and how many of them nobody follows. A district sums the rows of its wards.
 * Workers per origin are summed apart (`workersByOriginByArea`), only when a client asks for them:
 * unnesting each ward's origins was three quarters of this statement's time for the city's
 * 30 districts, and the city overview does not ask.
 */
export async function workforceStatsByArea(db: Kysely<WorkforceDB>, level: 'ward' | 'district', codes: readonly string[]): Promise<WorkforceStats[]> {
  if (codes.length === 0) return [];
  const { rows } = await db.executeQuery<{
    area: string;
    workers: number;
    care_workers: number;
    home_care_workers: number;
    at_capacity: number;
    home_patients: number;
    unassigned: number;
  }>(CompiledQuery.raw(level === 'ward' ? STATS_OF_WARDS : STATS_OF_DISTRICTS, [codes]));
  return rows.map((r) => ({
    level,
    area: r.area,
    workers: r.workers,
    careWorkers: r.care_workers,
    homeCareWorkers: r.home_care_workers,
    atCapacity: r.at_capacity,
    homePatients: r.home_patients,
    unassignedHomePatients: r.unassigned,
  }));
}

/**
 * workforceStatsByArea's statement as SQL text, one per level, the codes as its one parameter:
 * built with Kysely's `sql` tag it was compiled on every CityOverview (0.29 ms of the workforce
 * process per overview under `--profile city`, its largest Kysely frame).
 */
const statsOf = (column: string) => `
    with codes as (select unnest($1::text[]) as area),
    c as (
      select ${column} as area, sum(c.workers)::int as workers, sum(c.care_workers)::int as care_workers,
             sum(c.home_care_workers)::int as home_care_workers, sum(c.at_capacity)::int as at_capacity,
             sum(c.home_patients)::int as home_patients, sum(c.unassigned)::int as unassigned
        from workforce_counter c where ${column} in (select area from codes) group by 1)
    select codes.area, coalesce(c.workers, 0) as workers, coalesce(c.care_workers, 0) as care_workers,
           coalesce(c.home_care_workers, 0) as home_care_workers, coalesce(c.at_capacity, 0) as at_capacity,
           coalesce(c.home_patients, 0) as home_patients, coalesce(c.unassigned, 0) as unassigned
      from codes left join c on c.area = codes.area`;
const STATS_OF_WARDS = statsOf('c.ward_code');
const STATS_OF_DISTRICTS = statsOf('c.district_code');

/** Active workers per origin of many wards or districts, from the same counter rows; origins without workers are left out. */
export async function workersByOriginByArea(
  db: Kysely<WorkforceDB>,
  level: 'ward' | 'district',
  codes: readonly string[],
): Promise<{ area: string; byOrigin: Partial<Record<WorkerOrigin, number>> }[]> {
  if (codes.length === 0) return [];
  const column = areaColumn(level);
  const { rows } = await sql<{ area: string; by_origin: Partial<Record<WorkerOrigin, number>> }>`
    select area, jsonb_object_agg(origin, n) as by_origin from (
      select ${column} as area, e.key as origin, sum(e.value::int)::int as n
        from workforce_counter c cross join jsonb_each_text(c.by_origin) e
       where ${column} = any(${sql.val([...codes])}::text[]) group by 1, 2 having sum(e.value::int) > 0) x
     group by area`.execute(db);
  return rows.map((r) => ({ area: r.area, byOrigin: r.by_origin }));
}

const areaColumn = (level: 'ward' | 'district') => sql.ref(level === 'ward' ? 'c.ward_code' : 'c.district_code');
