/**
 * Where the patients under treatment were at one moment, from history: the tier from the tier
 * changes, the place from the care setting changes (with the facility's report category that the
 * admission event carried), critical from the critical-status changes. Nothing here reads the
 * patient's current columns except to know who was under treatment, so any past moment answers.
 */
import { sql, type Kysely } from 'kysely';
import type { CarePlace, TreatmentTier } from '../../common/domain/enums.js';
import type { PatientsDB } from './tables.js';

export interface TreatmentGroup {
  tier: TreatmentTier;
  place: CarePlace | 'FACILITY_UNKNOWN';
  critical: boolean;
  count: number;
}

/** Patients under treatment at `at` grouped by tier, place and critical, for the city or one district. */
export async function treatmentGroups(db: Kysely<PatientsDB>, at: Date, districtCode: string | null): Promise<TreatmentGroup[]> {
  const inScope = districtCode === null ? sql`true` : sql`p.district_code = ${districtCode}`;
  const { rows } = await sql<TreatmentGroup>`
    with treated as (
      select
        coalesce(
          (select t.to_tier from tier_change t where t.patient_id = p.id and t.at <= ${at} order by t.at desc, t.id desc limit 1),
          (select t.from_tier from tier_change t where t.patient_id = p.id order by t.at, t.id limit 1),
          p.tier
        ) as tier,
        coalesce(
          (select case when c.care_setting = 'HOME' then 'HOME' else coalesce(c.care_place, 'FACILITY_UNKNOWN') end
             from care_setting_change c where c.patient_id = p.id and c.at <= ${at} order by c.at desc, c.id desc limit 1),
          'HOME'
        ) as place,
        coalesce((select s.critical from critical_status_change s where s.patient_id = p.id and s.at <= ${at} order by s.at desc, s.id desc limit 1), false) as critical
      from patient p
      where ${inScope} and p.confirmed_at <= ${at} and (p.ended_at is null or p.ended_at > ${at})
    )
    select tier, place, (critical and tier = 'TIER_3') as critical, count(*)::int as count
    from treated group by 1, 2, 3`.execute(db);
  return rows;
}

export async function recordCriticalStatus(
  db: Kysely<PatientsDB>,
  values: { patientId: string; critical: boolean; at: Date; recordedBy: string },
): Promise<void> {
  await db.insertInto('critical_status_change').values({ patient_id: values.patientId, critical: values.critical, at: values.at, recorded_by: values.recordedBy }).execute();
}

/** Is the patient recorded critical now (the last record says so)? */
export async function isCritical(db: Kysely<PatientsDB>, patientId: string): Promise<boolean> {
  const row = await db.selectFrom('critical_status_change').select('critical').where('patient_id', '=', patientId).orderBy('at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row?.critical ?? false;
}
