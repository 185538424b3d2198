/** Workforce figures of wards and districts, aggregates only. */
import { sql, type Kysely } from 'kysely';
import { CARE_ROLES, HOME_CARE_TEAM, type WorkerOrigin } from '../domain/workforce.js';
import type { WorkforceDB } from './tables.js';

export interface WorkforceStats {
  area: string;
  workers: number;
  byOrigin: Partial<Record<WorkerOrigin, number>>;
  careWorkers: number;
  homeCareWorkers: number;
  atCapacity: number;
  homePatients: number;
  unassignedHomePatients: number;
}

/**
 * Workforce figures for many wards or districts in one statement per request: workers (by home
 * area), care workers, home-care team members, workers at their cap, home patients and how many
 * of them nobody follows.
 */
export async function workforceStatsByArea(db: Kysely<WorkforceDB>, area: 'ward' | 'district', codes: readonly string[]): Promise<WorkforceStats[]> {
  if (codes.length === 0) return [];
  const workerArea = area === 'ward' ? 'w.home_ward_code' : 'w.home_district_code';
  const patientArea = area === 'ward' ? 'p.ward_code' : 'p.district_code';
  const { rows } = await sql<{
    area: string;
    workers: number;
    by_origin: Partial<Record<WorkerOrigin, number>> | null;
    care_workers: number;
    home_care_workers: number;
    at_capacity: number;
    home_patients: number;
    unassigned: number;
  }>`
    with codes as (select unnest(${sql.val([...codes])}::text[]) as area),
    w as (
      select ${sql.ref(workerArea)} as area,
             count(*) filter (where w.active)::int as workers,
             count(*) filter (where w.active and w.role = any(${sql.val([...CARE_ROLES])}::text[]))::int as care_workers,
             count(*) filter (where w.active and exists (
               select 1 from team_member m join team t on t.id = m.team_id where m.worker_id = w.id and t.kind = ${HOME_CARE_TEAM}))::int as home_care_workers,
             count(*) filter (where w.active and w.caseload >= w.max_caseload)::int as at_capacity
        from health_worker w where ${sql.ref(workerArea)} in (select area from codes) group by 1),
    o as (
      select area, jsonb_object_agg(origin, n) as by_origin from (
        select ${sql.ref(workerArea)} as area, w.origin, count(*)::int as n from health_worker w
         where w.active and ${sql.ref(workerArea)} in (select area from codes) group by 1, 2) x group by area),
    p as (
      select ${sql.ref(patientArea)} as area, count(*)::int as home_patients,
             count(*) filter (where not exists (select 1 from care_assignment c where c.patient_id = p.id and c.ended_at is null))::int as unassigned
        from known_patient p
       where p.status = 'UNDER_TREATMENT' and p.care_setting = 'HOME' and ${sql.ref(patientArea)} in (select area from codes) group by 1)
    select codes.area, coalesce(w.workers, 0) as workers, o.by_origin, coalesce(w.care_workers, 0) as care_workers,
           coalesce(w.home_care_workers, 0) as home_care_workers, coalesce(w.at_capacity, 0) as at_capacity,
           coalesce(p.home_patients, 0) as home_patients, coalesce(p.unassigned, 0) as unassigned
      from codes left join w on w.area = codes.area left join o on o.area = codes.area left join p on p.area = codes.area`.execute(db);
  return rows.map((r) => ({
    area: r.area,
    workers: r.workers,
    byOrigin: r.by_origin ?? {},
    careWorkers: r.care_workers,
    homeCareWorkers: r.home_care_workers,
    atCapacity: r.at_capacity,
    homePatients: r.home_patients,
    unassignedHomePatients: r.unassigned,
  }));
}
