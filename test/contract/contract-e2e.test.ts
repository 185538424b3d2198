/**
 * Every contract operation, exactly as written in operations.graphql, run end to end through the
 * gateway in the order a ward's day would send them: the promise to the integration team is that
 * each one validates (contract.test.ts) and answers without errors here.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, subscribe, token, wsClient } from '../support/client.js';
import { contractOperations } from '../support/contract.js';
import { patientInput } from '../support/patients.js';
import { pollUntil } from '../support/wait.js';

describe('every contract operation runs end to end', () => {
  let db: TestDatabase;
  let stack: Stack;
  let city: string;
  const ops = contractOperations();
  const ran = new Set<string>();
  const run = async (name: string, variables: Record<string, unknown>) => {
    const res = await gql(stack.gateway.url, ops.get(name)!, variables, { token: city });
    expect({ name, errors: res.errors }).toEqual({ name, errors: undefined });
    ran.add(name);
    return res.data;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [{ id: 'CS-CONTRACT', wardCode: '00337', servesTiers: ['TIER_1', 'TIER_2'], beds: { GENERAL: { total: 10 }, OXYGEN: { total: 5 } } }]);
    stack = await startStack(db);
    city = await token('CITY_OFFICER');
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  it('queries, mutations and both subscriptions answer without errors', async () => {
    const client = wsClient(stack.gateway.url, { authorization: `Bearer ${city}` });
    const beds = subscribe(client, ops.get('LiveBeds')!, { district: '008' }, { servedBy: stack.subgraphs.facilities.runtime });
    const tiers = subscribe(client, ops.get('LiveTiers')!, { district: '008' }, { servedBy: stack.subgraphs.patients.runtime });
    try {
      await Promise.all([beds.ready, tiers.ready]);
      const capacity = await run('CapacityBoard', { district: '008' });
      expect(capacity.facilities.edges.map((e: { node: { id: string } }) => e.node.id)).toContain('CS-CONTRACT');
      const found = await run('FindBed', { ward: '00337', tier: 'TIER_1' });
      expect(found.bedFinder[0].facility.id).toBe('CS-CONTRACT');
      expect((await run('CityOverview', {})).districts).toHaveLength(30);

      const registered = (await run('RegisterPatient', { input: patientInput({ wardCode: '00337', nationalId: null }) })).registerPatient;
      expect(registered.__typename).toBe('RegisterPatientSuccess');
      const patientId = registered.patient.id;
      const check = (await run('RecordDailyCheck', { input: { patientId, at: new Date(Date.now() - 60_000).toISOString(), spo2: 97, temperatureC: 37.5 } })).recordDailyCheck;
      expect(check.__typename).toBe('RecordDailyCheckSuccess');
      const admitted = (await run('AdmitPatient', { input: { patientId, facilityId: 'CS-CONTRACT', bedKind: 'GENERAL' } })).admitPatient;
      expect(admitted.__typename).toBe('AdmitPatientSuccess');
      const changed = (await run('ChangeTier', { input: { patientId, to: 'TIER_2', reason: 'SpO2 95 %' } })).changeTier;
      expect(changed.__typename).toBe('ChangeTierSuccess');
      // The tier change upward opened a referral between tiers (by facilities' projection of it).
      const waiting = await pollUntil(async () => (await run('OpenReferrals', { hours: 0, district: '008' })).openReferrals, (o) => o.count === 1);
      expect(waiting).toMatchObject({ olderThanHours: 0, count: 1, byStatus: [{ status: 'REQUESTED', count: 1 }], byWard: [{ ward: { code: '00337' }, count: 1 }] });
      const discharged = (await run('DischargePatient', { input: { admissionId: admitted.admission.id, outcome: 'TRANSFERRED_HOME' } })).dischargePatient;
      expect(discharged.__typename).toBe('DischargePatientSuccess');

      const resident = await gql(stack.gateway.url, `mutation { registerResident(input: { nationalId: "001080000777", fullName: "Trần Văn Hợp Đồng", dateOfBirth: "1980-02-02", wardCode: "00337" }) { __typename } }`, {}, { token: city });
      expect(resident.data?.registerResident.__typename).toBe('RegisterResidentSuccess');
      const dose = (await run('RecordDose', { input: { nationalId: '001080000777', dose: 'PRIMARY_1', vaccine: 'PFIZER_BIONTECH', administeredAt: '2021-09-01T09:00:00+07:00' } })).recordDose;
      expect(dose.__typename).toBe('RecordDoseSuccess');
      const point = await gql(stack.gateway.url, `mutation { createVaccinationPoint(input: { wardCode: "00337", name: "Trường THCS Hợp Đồng", address: "Linh Đàm" }) { ... on CreateVaccinationPointSuccess { point { id } } } }`, {}, { token: city });
      const scheduled = await gql(stack.gateway.url, `mutation S($i: ScheduleVaccinationSessionInput!) { scheduleVaccinationSession(input: $i) { __typename } }`, {
        i: { pointId: point.data?.createVaccinationPoint.point.id, startsAt: new Date(Date.now() + 3_600_000).toISOString(), endsAt: new Date(Date.now() + 4 * 3_600_000).toISOString(), vaccine: 'PFIZER_BIONTECH', plannedDoses: 100 },
      }, { token: city });
      expect(scheduled.data?.scheduleVaccinationSession.__typename).toBe('ScheduleVaccinationSessionSuccess');
      const sites = await run('VaccinationSites', { district: '008' });
      expect(sites.vaccinationSessions.edges).toMatchObject([{ node: { vaccine: 'PFIZER_BIONTECH', plannedDoses: 100, dosesGiven: 0, point: { name: 'Trường THCS Hợp Đồng' } } }]);
      const homebound = await gql(stack.gateway.url, `mutation { registerResident(input: { nationalId: "001045000778", fullName: "Lê Thị Tại Nhà", dateOfBirth: "1945-02-02", wardCode: "00337", homebound: true }) { __typename } }`, {}, { token: city });
      expect(homebound.data?.registerResident.__typename).toBe('RegisterResidentSuccess');
      await gql(stack.gateway.url, `mutation { requestHomeVaccination(input: { nationalId: "001045000778", reason: "Nằm liệt giường" }) { __typename } }`, {}, { token: city });
      const visits = await run('OpenHomeVaccinations', { ward: '00337' });
      expect(visits.openHomeVaccinationRequests.edges).toMatchObject([{ node: { status: 'WAITING', daysOpen: 0, team: null, resident: { nationalId: '001045000778' } } }]);

      const snapshot = await pollUntil(async () => (await run('TreatmentSnapshot', { district: '008' })).treatmentSnapshot, (s) => s.underTreatment === 1);
      expect(snapshot).toMatchObject({ underTreatment: 1, atHome: 1 });

      const bedEvent = await beds.next(15_000);
      expect({ errors: bedEvent.errors, facility: bedEvent.data?.bedOccupancyChanged?.facility?.id }).toEqual({ errors: undefined, facility: 'CS-CONTRACT' });
      ran.add('LiveBeds');
      const tierEvent = await tiers.next(15_000);
      expect({ errors: tierEvent.errors, to: tierEvent.data?.tierChanged?.to }).toEqual({ errors: undefined, to: 'TIER_2' });
      ran.add('LiveTiers');
    } finally {
      beds.close();
      tiers.close();
      await client.dispose();
    }
    expect([...ran].sort()).toEqual([...ops.keys()].sort());
  });
});
