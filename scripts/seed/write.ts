/** Writes a seed plan into each subgraph's schema, as that subgraph's own role. */
import { sql, type Kysely } from 'kysely';
import type { FacilitiesDB } from '../../subgraphs/facilities/db/tables.js';
import type { PatientsDB } from '../../subgraphs/patients/db/tables.js';
import type { FacilityPlan, GeographyPlan } from './facilities-plan.js';
import type { PatientPlan } from './patients-plan.js';
import type { WorkforcePlan } from './workforce-plan.js';
import type { WorkforceDB } from '../../subgraphs/workforce/db/tables.js';

export type Progress = (message: string) => void;

/** Inserts rows in chunks, ignoring rows that exist (deterministic keys make re-runs no-ops). */
async function insertChunks<T>(label: string, rows: T[], chunk: number, progress: Progress, write: (part: T[]) => Promise<unknown>): Promise<void> {
  const started = Date.now();
  let lastReport = 0;
  for (let i = 0; i < rows.length; i += chunk) {
    await write(rows.slice(i, i + chunk));
    const done = Math.min(rows.length, i + chunk);
    if (Date.now() - lastReport > 1_000 || done === rows.length) {
      lastReport = Date.now();
      const pct = rows.length ? Math.round((done / rows.length) * 100) : 100;
      progress(`  ${label.padEnd(18)} ${String(done).padStart(8)} / ${rows.length}  ${'█'.repeat(pct / 5).padEnd(20, '·')} ${pct}%`);
    }
  }
  if (rows.length === 0) progress(`  ${label.padEnd(18)} nothing to write`);
  else progress(`  ${label.padEnd(18)} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export async function writeFacilities(db: Kysely<FacilitiesDB>, geo: GeographyPlan, facilities: FacilityPlan[], patients: PatientPlan[], progress: Progress) {
  await db
    .insertInto('district')
    .values(geo.districts)
    .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), kind: eb.ref('excluded.kind'), population: eb.ref('excluded.population') })))
    .execute();
  await db
    .insertInto('ward')
    .values(geo.wards.map((w) => ({ code: w.code, district_code: w.districtCode, name: w.name, kind: w.kind, population: w.population })))
    .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), kind: eb.ref('excluded.kind'), population: eb.ref('excluded.population') })))
    .execute();
  progress(`  districts, wards   ${geo.districts.length} districts, ${geo.wards.length} wards`);

  await insertChunks('facilities', facilities, 1_000, progress, (part) =>
    db
      .insertInto('facility')
      .values(
        part.map((f) => ({
          id: f.id,
          name: f.name,
          kind: f.kind,
          level: f.level,
          ownership: f.ownership,
          status: f.status,
          ward_code: f.wardCode,
          district_code: f.districtCode,
          serves_tiers: f.servesTiers,
          address: null,
        })),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .execute(),
  );
  const bedRows = facilities.flatMap((f) => f.beds.map((b) => ({ facility_id: f.id, kind: b.kind, total: b.total, covid_designated: b.covidDesignated })));
  await insertChunks('beds', bedRows, 2_000, progress, (part) =>
    db.insertInto('bed').values(part).onConflict((oc) => oc.columns(['facility_id', 'kind']).doNothing()).execute(),
  );
  const admitted = patients.filter((p) => p.admission);
  await insertChunks('admissions', admitted, 2_000, progress, (part) =>
    db
      .insertInto('admission')
      .values(
        part.map((p) => ({
          id: p.admission!.id,
          patient_id: p.id,
          facility_id: p.admission!.facilityId,
          bed_kind: p.admission!.bedKind,
          admitted_at: p.admission!.admittedAt,
          discharged_at: null,
          outcome: null,
          transferred_to: null,
          transferred_from: null,
          idempotency_key: null,
          recorded_by: 'seed',
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute(),
  );
  await insertChunks('known patients', patients, 5_000, progress, (part) =>
    db
      .insertInto('known_patient')
      .values(part.map((p) => ({ id: p.id, ward_code: p.wardCode, status: p.status, tier: p.tier, updated_at: p.endedAt ?? p.confirmedAt })))
      .onConflict((oc) => oc.column('id').doNothing())
      .execute(),
  );
  // Occupancy is what the admissions say, whatever was there before.
  await sql`
    update bed b set occupied = coalesce(a.n, 0)
      from bed b2 left join (select facility_id, bed_kind, count(*)::int as n from admission where discharged_at is null group by 1, 2) a
        on a.facility_id = b2.facility_id and a.bed_kind = b2.kind
     where b.facility_id = b2.facility_id and b.kind = b2.kind and b.occupied is distinct from coalesce(a.n, 0)`.execute(db);
}

export async function writePatients(db: Kysely<PatientsDB>, patients: PatientPlan[], progress: Progress) {
  await insertChunks('patients', patients, 1_500, progress, (part) =>
    db
      .insertInto('patient')
      .values(
        part.map((p) => ({
          id: p.id,
          case_code: p.caseCode,
          full_name: p.fullName,
          date_of_birth: p.dateOfBirth,
          sex: p.sex,
          national_id: p.nationalId,
          phone: p.phone,
          ward_code: p.wardCode,
          district_code: p.districtCode,
          address: p.address,
          confirmed_at: p.confirmedAt,
          confirmation: p.confirmation,
          risk_factors: p.riskFactors as never,
          tier: p.tier,
          status: p.status,
          care_setting: p.admission ? 'FACILITY' : 'HOME',
          facility_id: p.admission?.facilityId ?? null,
          admission_id: p.admission?.id ?? null,
          last_check_at: p.checks.at(-1)?.at ?? null,
          ended_at: p.endedAt,
          registered_at: p.confirmedAt,
          registered_by: 'seed',
          idempotency_key: null,
        })),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .execute(),
  );
  const seeded = await db.selectFrom('tier_change').select((eb) => eb.fn.countAll<number>().as('n')).where('recorded_by', '=', 'seed').executeTakeFirstOrThrow();
  if (Number(seeded.n) === 0) {
    const changes = patients.flatMap((p) => p.tierChanges.map((c) => ({ patient_id: p.id, from_tier: c.from, to_tier: c.to, reason: c.reason, at: c.at, recorded_by: 'seed' })));
    await insertChunks('tier changes', changes, 3_000, progress, (part) => db.insertInto('tier_change').values(part).execute());
    const checks = patients.flatMap((p) =>
      p.checks.map((c) => ({
        patient_id: p.id,
        at: c.at,
        spo2: c.spo2,
        temperature_c: c.temperatureC,
        respiratory_rate: c.respiratoryRate,
        heart_rate: c.heartRate,
        systolic: null,
        diastolic: null,
        symptoms: c.symptoms,
        warning_signs: c.warningSigns,
        needs_escalation: c.needsEscalation,
        suggested_tier: c.suggestedTier,
        recorded_by: 'seed',
      })),
    );
    await insertChunks('daily checks', checks, 4_000, progress, (part) => db.insertInto('daily_check').values(part).execute());
    const settings = patients
      .filter((p) => p.admission)
      .map((p) => ({ patient_id: p.id, care_setting: 'FACILITY' as const, care_place: p.admission!.carePlace, at: p.admission!.admittedAt }));
    await insertChunks('care settings', settings, 5_000, progress, (part) => db.insertInto('care_setting_change').values(part).execute());
    const critical = patients
      .filter((p) => p.criticalSince)
      .map((p) => ({ patient_id: p.id, critical: true, at: p.criticalSince!, recorded_by: 'seed' }));
    if (critical.length) await db.insertInto('critical_status_change').values(critical).execute();
  }
  const last = Math.max(0, ...patients.map((p) => p.caseNumber));
  await sql`select setval('case_code_seq', greatest(${last}, (select coalesce(max(substring(case_code from '\\d+$')::bigint), 1) from patient)))`.execute(db);
}

export async function writeWorkforce(db: Kysely<WorkforceDB>, plan: WorkforcePlan, patients: PatientPlan[], progress: Progress) {
  const caseload = new Map<string, number>();
  for (const a of plan.assignments) caseload.set(a.workerId, (caseload.get(a.workerId) ?? 0) + 1);
  await insertChunks('health workers', plan.workers, 2_000, progress, (part) =>
    db
      .insertInto('health_worker')
      .values(
        part.map((w) => ({
          id: w.id,
          full_name: w.fullName,
          phone: w.phone,
          role: w.role,
          origin: w.origin,
          home_ward_code: w.wardCode,
          home_district_code: w.districtCode,
          max_caseload: w.maxCaseload,
          caseload: caseload.get(w.id) ?? 0,
        })),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .execute(),
  );
  await insertChunks('teams', plan.teams, 2_000, progress, (part) =>
    db
      .insertInto('team')
      .values(part.map((t) => ({ id: t.id, name: t.name, kind: t.kind, ward_code: t.wardCode, district_code: t.districtCode, lead_worker_id: t.leadId })))
      .onConflict((oc) => oc.column('id').doNothing())
      .execute(),
  );
  const members = plan.teams.flatMap((t) => t.memberIds.map((worker_id) => ({ team_id: t.id, worker_id })));
  await insertChunks('team members', members, 5_000, progress, (part) =>
    db.insertInto('team_member').values(part).onConflict((oc) => oc.doNothing()).execute(),
  );
  await insertChunks('known patients', patients, 5_000, progress, (part) =>
    db
      .insertInto('known_patient')
      .values(
        part.map((p) => ({
          id: p.id,
          ward_code: p.wardCode,
          district_code: p.districtCode,
          status: p.status,
          care_setting: p.admission ? ('FACILITY' as const) : ('HOME' as const),
          updated_at: p.endedAt ?? p.confirmedAt,
        })),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .execute(),
  );
  const existing = await db.selectFrom('care_assignment').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(existing.n) === 0) {
    await insertChunks('care assignments', plan.assignments, 5_000, progress, (part) =>
      db
        .insertInto('care_assignment')
        .values(part.map((a) => ({ patient_id: a.patientId, worker_id: a.workerId, assigned_at: a.assignedAt, ended_at: null, end_reason: null, assigned_by: 'seed' })))
        .execute(),
    );
    await insertChunks('facility duty', plan.duties, 5_000, progress, (part) =>
      db.insertInto('facility_duty').values(part.map((d) => ({ worker_id: d.workerId, facility_id: d.facilityId, starts_at: d.startsAt, ends_at: null }))).execute(),
    );
  }
}
