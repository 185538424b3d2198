/** Writes a seed plan into each subgraph's schema, as that subgraph's own role. */
import { sql, type Kysely } from 'kysely';
import type { FacilitiesDB } from '../../subgraphs/facilities/db/tables.js';
import type { PatientsDB } from '../../subgraphs/patients/db/tables.js';
import type { FacilityPlan, GeographyPlan } from './facilities-plan.js';
import type { PatientPlan } from './patients-plan.js';
import type { WorkforcePlan } from './workforce-plan.js';
import type { WorkforceDB } from '../../subgraphs/workforce/db/tables.js';
import type { SubgraphName } from '../../subgraphs/common/config.js';
import { loadTable, type CopyValue } from './copy.js';

export type Progress = (message: string) => void;

/** Inserts rows in chunks, ignoring rows that exist (deterministic keys make re-runs no-ops). */
/**
 * When a seeded case was entered here: up to six hours after its confirmation (the data-entry lag
 * the report duty measures), never in the future. Taken from the id rather than the seed's random
 * stream, so that no other seeded figure moves.
 */
function registeredAt(p: { id: string; confirmedAt: Date }): Date {
  const lagMinutes = Number.parseInt(p.id.replace(/-/g, '').slice(-6), 16) % 360;
  return new Date(Math.min(Date.now(), p.confirmedAt.getTime() + lagMinutes * 60_000));
}

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

/** Loads a large table with COPY (see copy.ts) and reports it like insertChunks. */
async function copyTable(adminUrl: string, subgraph: SubgraphName, label: string, table: string, columns: string[], rows: (readonly CopyValue[])[], progress: Progress): Promise<void> {
  const started = Date.now();
  if (rows.length === 0) {
    progress(`  ${label.padEnd(18)} nothing to write`);
    return;
  }
  const how = await loadTable(adminUrl, subgraph, { table, columns, rows });
  progress(`  ${label.padEnd(18)} ${String(rows.length).padStart(8)} / ${rows.length}  ${'█'.repeat(20)} 100%`);
  progress(`  ${label.padEnd(18)} done in ${((Date.now() - started) / 1000).toFixed(1)} s (${how === 'copied' ? 'COPY, indexes after' : 'merged into existing rows'})`);
}

export async function writeFacilities(db: Kysely<FacilitiesDB>, adminUrl: string, geo: GeographyPlan, facilities: FacilityPlan[], patients: PatientPlan[], progress: Progress) {
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
  const contactRows = facilities.flatMap((f) =>
    f.contacts
      ? [{ facility_id: f.id, phones: f.contacts.phones, hotline: f.contacts.hotline, zalo_groups: JSON.stringify(f.contacts.zaloGroups) as never, hours: f.contacts.hours, updated_by: 'seed' }]
      : [],
  );
  await insertChunks('contacts', contactRows, 1_000, progress, (part) =>
    db.insertInto('facility_contact').values(part).onConflict((oc) => oc.column('facility_id').doNothing()).execute(),
  );
  const bedRows = facilities.flatMap((f) => f.beds.map((b) => ({ facility_id: f.id, kind: b.kind, total: b.total, covid_designated: b.covidDesignated })));
  await insertChunks('beds', bedRows, 2_000, progress, (part) =>
    db.insertInto('bed').values(part).onConflict((oc) => oc.columns(['facility_id', 'kind']).doNothing()).execute(),
  );
  const admitted = patients.filter((p) => p.admission);
  await copyTable(
    adminUrl,
    'facilities',
    'admissions',
    'admission',
    ['id', 'patient_id', 'facility_id', 'bed_kind', 'admitted_at', 'discharged_at', 'outcome', 'transferred_to', 'transferred_from', 'idempotency_key', 'recorded_by'],
    admitted.map((p) => [p.admission!.id, p.id, p.admission!.facilityId, p.admission!.bedKind, p.admission!.admittedAt, null, null, null, null, null, 'seed']),
    progress,
  );
  await copyTable(
    adminUrl,
    'facilities',
    'known patients',
    'known_patient',
    ['id', 'ward_code', 'status', 'tier', 'updated_at'],
    patients.map((p) => [p.id, p.wardCode, p.status, p.tier, p.endedAt ?? p.confirmedAt]),
    progress,
  );
  // Occupancy is what the admissions say, whatever was there before.
  await sql`
    update bed b set occupied = coalesce(a.n, 0)
      from bed b2 left join (select facility_id, bed_kind, count(*)::int as n from admission where discharged_at is null group by 1, 2) a
        on a.facility_id = b2.facility_id and a.bed_kind = b2.kind
     where b.facility_id = b2.facility_id and b.kind = b2.kind and b.occupied is distinct from coalesce(a.n, 0)`.execute(db);
}

export async function writePatients(db: Kysely<PatientsDB>, adminUrl: string, patients: PatientPlan[], progress: Progress) {
  await copyTable(
    adminUrl,
    'patients',
    'patients',
    'patient',
    [
      'id', 'case_code', 'full_name', 'date_of_birth', 'sex', 'national_id', 'phone', 'ward_code', 'district_code', 'address', 'confirmed_at', 'confirmation',
      'risk_factors', 'tier', 'status', 'care_setting', 'facility_id', 'admission_id', 'last_check_at', 'ended_at', 'registered_at', 'registered_by', 'idempotency_key',
    ],
    patients.map((p) => [
      p.id,
      p.caseCode,
      p.fullName,
      p.dateOfBirth,
      p.sex,
      p.nationalId,
      p.phone,
      p.wardCode,
      p.districtCode,
      p.address,
      p.confirmedAt,
      p.confirmation,
      p.riskFactors,
      p.tier,
      p.status,
      p.admission ? 'FACILITY' : 'HOME',
      p.admission?.facilityId ?? null,
      p.admission?.id ?? null,
      p.checks.at(-1)?.at ?? null,
      p.endedAt,
      registeredAt(p),
      'seed',
      null,
    ]),
    progress,
  );
  const seeded = await db.selectFrom('tier_change').select((eb) => eb.fn.countAll<number>().as('n')).where('recorded_by', '=', 'seed').executeTakeFirstOrThrow();
  if (Number(seeded.n) === 0) {
    const changes = patients.flatMap((p) => p.tierChanges.map((c) => [p.id, c.from, c.to, c.reason, c.at, 'seed'] as const));
    await copyTable(adminUrl, 'patients', 'tier changes', 'tier_change', ['patient_id', 'from_tier', 'to_tier', 'reason', 'at', 'recorded_by'], changes, progress);
    const checks = patients.flatMap((p) =>
      p.checks.map((c) => [
        p.id,
        c.at,
        c.spo2,
        c.temperatureC,
        c.respiratoryRate,
        c.heartRate,
        null,
        null,
        c.symptoms,
        c.warningSigns,
        c.needsEscalation,
        c.suggestedTier,
        'seed',
      ]),
    );
    await copyTable(
      adminUrl,
      'patients',
      'daily checks',
      'daily_check',
      ['patient_id', 'at', 'spo2', 'temperature_c', 'respiratory_rate', 'heart_rate', 'systolic', 'diastolic', 'symptoms', 'warning_signs', 'needs_escalation', 'suggested_tier', 'recorded_by'],
      checks,
      progress,
    );
    const settings = patients.filter((p) => p.admission).map((p) => [p.id, 'FACILITY', p.admission!.carePlace, p.admission!.admittedAt]);
    await copyTable(adminUrl, 'patients', 'care settings', 'care_setting_change', ['patient_id', 'care_setting', 'care_place', 'at'], settings, progress);
    const critical = patients
      .filter((p) => p.criticalSince)
      .map((p) => ({ patient_id: p.id, critical: true, at: p.criticalSince!, recorded_by: 'seed' }));
    if (critical.length) await db.insertInto('critical_status_change').values(critical).execute();
  }
  const last = Math.max(0, ...patients.map((p) => p.caseNumber));
  await sql`select setval('case_code_seq', greatest(${last}, (select coalesce(max(substring(case_code from '\\d+$')::bigint), 1) from patient)))`.execute(db);
}

export async function writeWorkforce(db: Kysely<WorkforceDB>, adminUrl: string, plan: WorkforcePlan, patients: PatientPlan[], progress: Progress) {
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
  // The members and fresh statistics in one transaction: the workforce counters are recounted for
  // every touched ward when it commits, and planned from statistics that still said the workers,
  // teams and members just loaded were none, each ward's recount read its whole district's workers
  // and scanned the teams for each (3.2 to 6.3 s at --scale small; ANALYZE counts this
  // transaction's own rows).
  await db.transaction().execute(async (trx) => {
    await insertChunks('team members', members, 5_000, progress, (part) =>
      trx.insertInto('team_member').values(part).onConflict((oc) => oc.doNothing()).execute(),
    );
    await sql`analyze health_worker, team, team_member`.execute(trx);
  });
  await copyTable(
    adminUrl,
    'workforce',
    'known patients',
    'known_patient',
    ['id', 'ward_code', 'district_code', 'status', 'care_setting', 'updated_at'],
    patients.map((p) => [p.id, p.wardCode, p.districtCode, p.status, p.admission ? 'FACILITY' : 'HOME', p.endedAt ?? p.confirmedAt]),
    progress,
  );
  const existing = await db.selectFrom('care_assignment').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(existing.n) === 0) {
    await copyTable(
      adminUrl,
      'workforce',
      'care assignments',
      'care_assignment',
      ['patient_id', 'worker_id', 'assigned_at', 'ended_at', 'end_reason', 'assigned_by'],
      plan.assignments.map((a) => [a.patientId, a.workerId, a.assignedAt, null, null, 'seed']),
      progress,
    );
    await insertChunks('facility duty', plan.duties, 5_000, progress, (part) =>
      db.insertInto('facility_duty').values(part.map((d) => ({ worker_id: d.workerId, facility_id: d.facilityId, starts_at: d.startsAt, ends_at: null }))).execute(),
    );
  }
}
