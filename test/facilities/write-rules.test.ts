/**
 * The rules every bed-moving write obeys, found broken by probing the API as an attacker would:
 * - jurisdiction over the patient AND every facility whose beds move, checked before anything is
 *   written, with one answer for "outside your jurisdiction" and "does not exist";
 * - a closed case frees its bed, also when closeCase races admitPatient;
 * - a facility admits only the tiers it serves, never an F0 into a quarantine area, and a bed of
 *   the kind the tier needs unless a clinician records why;
 * - discharges and transfers never wait for a second pool connection inside their transaction.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography, withDb } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, ok, token } from '../support/client.js';
import { pollUntil } from '../support/wait.js';
import { registerPatient } from '../support/patients.js';

const ADMIT = `mutation A($input: AdmitPatientInput!) { admitPatient(input: $input) { __typename
  ... on AdmitPatientSuccess { admission { id bedKind bedKindOverrideReason facility { id } } }
  ... on ValidationError { fields { path message } } ... on Error { code message } } }`;
const DISCHARGE = `mutation D($input: DischargePatientInput!) { dischargePatient(input: $input) { __typename
  ... on DischargePatientSuccess { admission { id outcome } } ... on Error { code message } } }`;
const TRANSFER = `mutation T($input: TransferPatientInput!) { transferPatient(input: $input) { __typename
  ... on TransferPatientSuccess { transfer { from { id outcome facility { id name } patient { id fullName } } to { id bedKind facility { id name } patient { id fullName } } } }
  ... on ValidationError { fields { path message } } ... on Error { code message } } }`;
const CLOSE = `mutation C($input: CloseCaseInput!) { closeCase(input: $input) { __typename ... on Error { code message } } }`;
const ADMISSION = `query A($id: ID!) { admission(id: $id) { id active outcome } }`;

type Errors = { message: string; extensions?: { code?: string } }[] | undefined;
const refusal = (errors: Errors) => (errors ?? []).map((e) => ({ code: e.extensions?.code, message: e.message }));

describe('write rules for admissions, discharges and transfers', () => {
  let db: TestDatabase;
  let stack: Stack;
  let city: string;
  let ward00337: string;
  let ward00001: string;
  let district282: string;
  let district008: string;
  const as = (tokenValue: string) => (query: string, variables: Record<string, unknown>) => gql(stack.gateway.url, query, variables, { token: tokenValue });
  const occupied = async (facilityId: string, kind: string) =>
    withDb<any, number>(db, 'facilities', async (k) =>
      Number((await sql<{ n: number }>`select occupied as n from bed where facility_id = ${facilityId} and kind = ${kind}`.execute(k)).rows[0]!.n),
    );
  const outboxCount = () =>
    withDb<any, number>(db, 'facilities', async (k) => Number((await sql<{ n: number }>`select count(*)::int as n from outbox`.execute(k)).rows[0]!.n));
  const admit = async (patientId: string, facilityId: string, bedKind: string) => {
    const result = ok(await as(city)(ADMIT, { input: { patientId, facilityId, bedKind } })).admitPatient;
    if (result.__typename !== 'AdmitPatientSuccess') throw new Error(JSON.stringify(result));
    return result.admission.id as string;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [
      // District 282 (Mỹ Đức): a hospital far from the ward officer of 00337.
      { id: 'H-282', wardCode: '10441', kind: 'HOSPITAL', servesTiers: ['TIER_1', 'TIER_2', 'TIER_3'], beds: { GENERAL: { total: 10 }, OXYGEN: { total: 10 }, ICU: { total: 4 } } },
      // Ward 00337 (Hoàng Liệt, district 008).
      { id: 'TYT-00337', wardCode: '00337', kind: 'HEALTH_STATION', level: 'WARD', servesTiers: ['TIER_1'], beds: { GENERAL: { total: 10 } } },
      { id: 'QA-00337', wardCode: '00337', kind: 'QUARANTINE_AREA', servesTiers: [], beds: { GENERAL: { total: 50 } } },
      { id: 'CS-00337', wardCode: '00337', kind: 'COLLECTION_SITE', servesTiers: ['TIER_1', 'TIER_2'], beds: { GENERAL: { total: 60 }, OXYGEN: { total: 10 } } },
      { id: 'H-00337', wardCode: '00337', kind: 'HOSPITAL', servesTiers: ['TIER_1', 'TIER_2', 'TIER_3'], beds: { GENERAL: { total: 10 }, OXYGEN: { total: 10 }, ICU: { total: 5 } } },
      // Another hospital of district 008, outside ward 00337.
      { id: 'H-008', wardCode: '00331', kind: 'HOSPITAL', servesTiers: ['TIER_1', 'TIER_2', 'TIER_3'], beds: { GENERAL: { total: 10 }, OXYGEN: { total: 10 }, ICU: { total: 5 } } },
    ]);
    stack = await startStack(db);
    city = await token('CITY_OFFICER');
    ward00337 = await token('WARD_OFFICER', { ward: '00337' });
    ward00001 = await token('WARD_OFFICER', { ward: '00001' });
    district282 = await token('DISTRICT_OFFICER', { district: '282' });
    district008 = await token('DISTRICT_OFFICER', { district: '008' });
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  describe('jurisdiction over the patient and every facility whose beds move', () => {
    it('a ward officer can neither transfer nor discharge a hospital patient of another district, and nothing is written', async () => {
      const patient = await registerPatient(stack.gateway.url, city, { wardCode: '10441' });
      const admissionId = await admit(patient.id, 'H-282', 'GENERAL');
      const before = { h282: await occupied('H-282', 'GENERAL'), station: await occupied('TYT-00337', 'GENERAL'), outbox: await outboxCount() };

      const transfer = await as(ward00337)(TRANSFER, { input: { admissionId, toFacilityId: 'TYT-00337', bedKind: 'GENERAL' } });
      expect(refusal(transfer.errors).map((e) => e.code)).toEqual(['FORBIDDEN']);
      const discharge = await as(ward00337)(DISCHARGE, { input: { admissionId, outcome: 'DECEASED' } });
      expect(refusal(discharge.errors).map((e) => e.code)).toEqual(['FORBIDDEN']);

      expect({ h282: await occupied('H-282', 'GENERAL'), station: await occupied('TYT-00337', 'GENERAL'), outbox: await outboxCount() }).toEqual(before);
      expect(ok(await as(city)(ADMISSION, { id: admissionId })).admission).toEqual({ id: admissionId, active: true, outcome: null });
      expect(ok(await as(city)(`query P($id: ID!) { patient(id: $id) { status } }`, { id: patient.id })).patient.status).toBe('UNDER_TREATMENT');

      // The district officer of 282 covers both the patient and the hospital.
      const allowed = ok(await as(district282)(DISCHARGE, { input: { admissionId, outcome: 'TRANSFERRED_HOME' } })).dischargePatient;
      expect(allowed).toMatchObject({ __typename: 'DischargePatientSuccess', admission: { id: admissionId, outcome: 'TRANSFERRED_HOME' } });
    });

    it('admitting needs both the patient and the facility: neither another ward\'s patient nor a facility outside', async () => {
      const far = await registerPatient(stack.gateway.url, city, { wardCode: '10441' });
      const own = await registerPatient(stack.gateway.url, city, { wardCode: '00337' });
      const before = await outboxCount();
      const farIntoOwn = await as(ward00337)(ADMIT, { input: { patientId: far.id, facilityId: 'CS-00337', bedKind: 'GENERAL' } });
      const ownIntoFar = await as(ward00337)(ADMIT, { input: { patientId: own.id, facilityId: 'H-282', bedKind: 'GENERAL' } });
      const ownIntoDistrict = await as(ward00337)(ADMIT, { input: { patientId: own.id, facilityId: 'H-008', bedKind: 'GENERAL' } });
      for (const res of [farIntoOwn, ownIntoFar, ownIntoDistrict]) expect(refusal(res.errors).map((e) => e.code)).toEqual(['FORBIDDEN']);
      expect(await outboxCount()).toBe(before);
      // The district officer of 008 covers the ward and the district hospital.
      const inside = ok(await as(district008)(ADMIT, { input: { patientId: own.id, facilityId: 'H-008', bedKind: 'GENERAL' } })).admitPatient;
      expect(inside.__typename).toBe('AdmitPatientSuccess');
    });

    it('answers an unknown patient or admission exactly as one outside the jurisdiction (no existence oracle)', async () => {
      const far = await registerPatient(stack.gateway.url, city, { wardCode: '10441' });
      const farAdmission = await admit(far.id, 'H-282', 'GENERAL');
      const unknown = '3f2a0c7e-0000-4000-8000-000000000000';
      const pairs: [Record<string, unknown>, Record<string, unknown>, string][] = [
        [{ patientId: far.id, facilityId: 'CS-00337', bedKind: 'GENERAL' }, { patientId: unknown, facilityId: 'CS-00337', bedKind: 'GENERAL' }, ADMIT],
        // An unknown facility: the patient's jurisdiction is judged first, so the facility's
        // NotFound does not tell a known patient from an unknown one.
        [{ patientId: far.id, facilityId: 'NO-SUCH-FACILITY', bedKind: 'GENERAL' }, { patientId: unknown, facilityId: 'NO-SUCH-FACILITY', bedKind: 'GENERAL' }, ADMIT],
        [{ admissionId: farAdmission, outcome: 'RECOVERED' }, { admissionId: unknown, outcome: 'RECOVERED' }, DISCHARGE],
        [{ admissionId: farAdmission, toFacilityId: 'CS-00337', bedKind: 'GENERAL' }, { admissionId: unknown, toFacilityId: 'CS-00337', bedKind: 'GENERAL' }, TRANSFER],
      ];
      for (const [outside, missing, mutation] of pairs) {
        const a = await as(ward00337)(mutation, { input: outside });
        const b = await as(ward00337)(mutation, { input: missing });
        expect(refusal(a.errors)).toEqual(refusal(b.errors));
        expect(refusal(a.errors)[0]?.code).toBe('FORBIDDEN');
        expect(JSON.stringify(a)).not.toContain(far.id);
        expect(JSON.stringify(a)).not.toContain(farAdmission);
      }
    });

    it('a retried idempotency key is checked after authorization: another ward\'s officer gets FORBIDDEN, not the admission', async () => {
      const patient = await registerPatient(stack.gateway.url, city, { wardCode: '00337' });
      const input = { patientId: patient.id, facilityId: 'CS-00337', bedKind: 'GENERAL', idempotencyKey: `key-${patient.id}` };
      const first = ok(await as(ward00337)(ADMIT, { input })).admitPatient;
      expect(first.__typename).toBe('AdmitPatientSuccess');
      const stolen = await as(ward00001)(ADMIT, { input });
      expect(refusal(stolen.errors).map((e) => e.code)).toEqual(['FORBIDDEN']);
      expect(JSON.stringify(stolen)).not.toContain(first.admission.id);
      const retried = ok(await as(ward00337)(ADMIT, { input })).admitPatient;
      expect(retried.admission.id).toBe(first.admission.id);
    });

    it('a transfer needs the receiving facility too: a district officer cannot send a patient into another district', async () => {
      const patient = await registerPatient(stack.gateway.url, city, { wardCode: '00337' });
      const admissionId = await admit(patient.id, 'CS-00337', 'GENERAL');
      const before = await outboxCount();
      const res = await as(district008)(TRANSFER, { input: { admissionId, toFacilityId: 'H-282', bedKind: 'GENERAL' } });
      expect(refusal(res.errors).map((e) => e.code)).toEqual(['FORBIDDEN']);
      expect(await outboxCount()).toBe(before);
      expect(ok(await as(city)(ADMISSION, { id: admissionId })).admission.active).toBe(true);
    });

    it('a committed transfer answers with its data: the writer may read everything the write touched', async () => {
      const patient = await registerPatient(stack.gateway.url, city, { wardCode: '00337', tier: 'TIER_2' });
      const admissionId = await admit(patient.id, 'CS-00337', 'OXYGEN');
      const res = await as(district008)(TRANSFER, { input: { admissionId, toFacilityId: 'H-008', bedKind: 'OXYGEN' } });
      expect(res.errors).toBeUndefined();
      expect(res.data.transferPatient.transfer).toMatchObject({
        from: { id: admissionId, outcome: 'TRANSFERRED', facility: { id: 'CS-00337' }, patient: { id: patient.id } },
        to: { bedKind: 'OXYGEN', facility: { id: 'H-008' }, patient: { id: patient.id } },
      });
    });
  });

  describe('tier, facility kind and bed kind', () => {
    it('refuses an F0 in a quarantine area, a tier the facility does not serve, and a bed of another kind than the tier needs', async () => {
      const mild = await registerPatient(stack.gateway.url, city, { wardCode: '00337', tier: 'TIER_1' });
      const severe = await registerPatient(stack.gateway.url, city, { wardCode: '00337', tier: 'TIER_3' });
      const before = await outboxCount();
      const cases: [Record<string, unknown>, string][] = [
        [{ patientId: mild.id, facilityId: 'QA-00337', bedKind: 'GENERAL' }, 'NOT_A_TREATMENT_FACILITY'],
        [{ patientId: severe.id, facilityId: 'TYT-00337', bedKind: 'GENERAL' }, 'TIER_NOT_SERVED'],
        [{ patientId: mild.id, facilityId: 'H-00337', bedKind: 'ICU' }, 'BED_KIND_NOT_FOR_TIER'],
        [{ patientId: severe.id, facilityId: 'H-00337', bedKind: 'GENERAL' }, 'BED_KIND_NOT_FOR_TIER'],
      ];
      for (const [input, code] of cases) {
        const result = ok(await as(ward00337)(ADMIT, { input })).admitPatient;
        expect({ input, code: result.code }).toEqual({ input, code });
      }
      expect(await outboxCount()).toBe(before);
      expect(await occupied('QA-00337', 'GENERAL')).toBe(0);
    });

    it('a clinician may put a patient in a bed of another kind with a recorded reason', async () => {
      const severe = await registerPatient(stack.gateway.url, city, { wardCode: '00337', tier: 'TIER_3' });
      const tooShort = ok(await as(ward00337)(ADMIT, { input: { patientId: severe.id, facilityId: 'H-00337', bedKind: 'OXYGEN', bedKindOverrideReason: 'x' } })).admitPatient;
      expect(tooShort.__typename).toBe('ValidationError');
      const reason = 'No ICU bed free in the district; oxygen bed until one frees';
      const result = ok(await as(ward00337)(ADMIT, { input: { patientId: severe.id, facilityId: 'H-00337', bedKind: 'OXYGEN', bedKindOverrideReason: reason } })).admitPatient;
      expect(result).toMatchObject({ __typename: 'AdmitPatientSuccess', admission: { bedKind: 'OXYGEN', bedKindOverrideReason: reason } });
      // Clinical free text: a dashboard sees the admission but not the reason.
      const seenByDashboard = ok(await as(await token('DASHBOARD'))(`query A($id: ID!) { admission(id: $id) { bedKind bedKindOverrideReason } }`, { id: result.admission.id }));
      expect(seenByDashboard.admission).toEqual({ bedKind: 'OXYGEN', bedKindOverrideReason: null });
      // The override never opens a quarantine area or a facility that does not serve the tier.
      const other = await registerPatient(stack.gateway.url, city, { wardCode: '00337', tier: 'TIER_3' });
      const station = ok(await as(ward00337)(ADMIT, { input: { patientId: other.id, facilityId: 'TYT-00337', bedKind: 'GENERAL', bedKindOverrideReason: reason } })).admitPatient;
      expect(station.code).toBe('TIER_NOT_SERVED');
    });

    it('transfers obey the same rules', async () => {
      const mild = await registerPatient(stack.gateway.url, city, { wardCode: '00337', tier: 'TIER_1' });
      const admissionId = await admit(mild.id, 'CS-00337', 'GENERAL');
      for (const [input, code] of [
        [{ admissionId, toFacilityId: 'QA-00337', bedKind: 'GENERAL' }, 'NOT_A_TREATMENT_FACILITY'],
        [{ admissionId, toFacilityId: 'H-00337', bedKind: 'ICU' }, 'BED_KIND_NOT_FOR_TIER'],
      ] as const) {
        const result = ok(await as(ward00337)(TRANSFER, { input })).transferPatient;
        expect({ input, code: result.code }).toEqual({ input, code });
      }
      expect(ok(await as(city)(ADMISSION, { id: admissionId })).admission.active).toBe(true);
    });
  });

  describe('closing a case frees the bed', () => {
    it('closeCase ends the admission with the same outcome and frees the bed; the ended admission cannot be transferred', async () => {
      const patient = await registerPatient(stack.gateway.url, city, { wardCode: '00337' });
      const before = await occupied('CS-00337', 'GENERAL');
      const admissionId = await admit(patient.id, 'CS-00337', 'GENERAL');
      expect(ok(await as(ward00337)(CLOSE, { input: { patientId: patient.id, outcome: 'RECOVERED' } })).closeCase.__typename).toBe('CloseCaseSuccess');
      const ended = await pollUntil(async () => ok(await as(city)(ADMISSION, { id: admissionId })).admission, (a) => a.active === false, { timeoutMs: 20_000 });
      expect(ended).toEqual({ id: admissionId, active: false, outcome: 'RECOVERED' });
      expect(await occupied('CS-00337', 'GENERAL')).toBe(before);
      const transfer = ok(await as(ward00337)(TRANSFER, { input: { admissionId, toFacilityId: 'H-00337', bedKind: 'GENERAL' } })).transferPatient;
      expect(transfer.code).toBe('ADMISSION_ENDED');
    });

    it('closeCase racing admitPatient: no closed case keeps a bed, and the counters equal the active admissions', async () => {
      const patients = await Promise.all(Array.from({ length: 12 }, () => registerPatient(stack.gateway.url, city, { wardCode: '00337' })));
      await Promise.all(
        patients.flatMap((p) => [
          as(ward00337)(ADMIT, { input: { patientId: p.id, facilityId: 'CS-00337', bedKind: 'GENERAL' } }),
          as(ward00337)(CLOSE, { input: { patientId: p.id, outcome: 'RECOVERED' } }),
        ]),
      );
      const ids = patients.map((p) => p.id);
      const state = () =>
        withDb<any, { holding: number; known: number; occupied: number; active: number }>(db, 'facilities', async (k) => {
          const holding = await sql<{ n: number }>`select count(*)::int as n from admission where discharged_at is null and patient_id = any(${ids}::text[])`.execute(k);
          const known = await sql<{ n: number }>`select count(*)::int as n from known_patient where status = 'RECOVERED' and id = any(${ids}::text[])`.execute(k);
          const beds = await sql<{ occupied: number; active: number }>`
            select b.occupied, (select count(*)::int from admission a where a.facility_id = b.facility_id and a.bed_kind = b.kind and a.discharged_at is null) as active
            from bed b where b.facility_id = 'CS-00337' and b.kind = 'GENERAL'`.execute(k);
          return { holding: holding.rows[0]!.n, known: known.rows[0]!.n, occupied: beds.rows[0]!.occupied, active: beds.rows[0]!.active };
        });
      const settled = await pollUntil(state, (s) => s.known === patients.length && s.holding === 0, { timeoutMs: 30_000 });
      expect(settled).toMatchObject({ known: patients.length, holding: 0 });
      expect(settled!.occupied).toBe(settled!.active);
    });
  });

  it('thirty concurrent discharges complete: no transaction waits for a second pool connection', async () => {
    const patients = await Promise.all(Array.from({ length: 30 }, () => registerPatient(stack.gateway.url, city, { wardCode: '00337' })));
    const admissions: string[] = [];
    for (const p of patients) admissions.push(await admit(p.id, 'CS-00337', 'GENERAL'));
    const results = await Promise.all(admissions.map((admissionId) => as(city)(DISCHARGE, { input: { admissionId, outcome: 'TRANSFERRED_HOME' } })));
    expect(results.map((r) => r.data?.dischargePatient?.__typename ?? JSON.stringify(r.errors))).toEqual(admissions.map(() => 'DischargePatientSuccess'));
  });
});
