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
import { cityDate } from '../../subgraphs/common/graphql/scalars.js';

describe('every contract operation runs end to end', () => {
  let db: TestDatabase;
  let stack: Stack;
  let city: string;
  const ops = contractOperations();
  const ran = new Set<string>();
  const run = async (name: string, variables: Record<string, unknown>, as = city) => {
    const res = await gql(stack.gateway.url, ops.get(name)!, variables, { token: as });
    expect({ name, errors: res.errors }).toEqual({ name, errors: undefined });
    ran.add(name);
    return res.data;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [
      { id: 'CS-CONTRACT', wardCode: '00337', servesTiers: ['TIER_1', 'TIER_2'], beds: { GENERAL: { total: 10 }, OXYGEN: { total: 5 } } },
      { id: 'TYT-CONTRACT', wardCode: '00337', kind: 'HEALTH_STATION', servesTiers: ['TIER_1'] },
    ]);
    stack = await startStack(db);
    city = await token('CITY_OFFICER');
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  it('queries, mutations and every subscription answer without errors', async () => {
    const client = wsClient(stack.gateway.url, { authorization: `Bearer ${city}` });
    const beds = subscribe(client, ops.get('LiveBeds')!, { district: '008' }, { servedBy: stack.subgraphs.facilities.runtime });
    const tiers = subscribe(client, ops.get('LiveTiers')!, { district: '008' }, { servedBy: stack.subgraphs.patients.runtime });
    const stockAlerts = subscribe(client, ops.get('LiveStockAlerts')!, { district: '008' }, { servedBy: stack.subgraphs.patients.runtime });
    try {
      await Promise.all([beds.ready, tiers.ready, stockAlerts.ready]);
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

      // The ward's 07:00 report of today, due tomorrow morning: on time; the other wards still have time.
      const today = cityDate(new Date());
      const submitted = (await run('SubmitDailyReport', { input: { wardCode: '00337', date: today, idempotencyKey: 'contract-report-00337' } })).submitDailyReport;
      expect(submitted).toMatchObject({ __typename: 'SubmitDailyReportSuccess', submission: { wardCode: '00337', onTime: true, confirmedComputed: true } });
      const duty = (await run('ReportDuty', { date: today })).cityReportDuty;
      expect(duty).toMatchObject({ onTime: 1, late: 0, missing: 0, pending: duty.wards - 1 });
      const lag = await run('DataEntryLag', { wards: ['00337'], district: '008' });
      expect([lag.wards[0].dataEntryLag.cases, lag.district.dataEntryLag.cases]).toEqual([1, 1]);
      // A partner app: where to call, then a help request and its status.
      const partner = await token('PARTNER', { subject: 'partner:contract-app' });
      expect((await run('HelpContacts', { ward: '00337' }, partner)).ward.code).toBe('00337');
      const help = (await run('RequestHelp', {
        input: { wardCode: '00337', citizenName: 'Phan Văn Gọi', phone: '0911222333', need: 'MEDICAL', message: 'Sốt 39 độ', channel: 'HOTLINE_1022',
          consent: { given: true, text: 'Đồng ý chia sẻ với trạm y tế phường', version: 'v1', at: new Date(Date.now() - 60_000).toISOString() }, idempotencyKey: 'contract-help-0001' },
      }, partner)).requestHelp;
      expect(help.__typename).toBe('RequestHelpSuccess');
      expect((await run('HelpRequestStatus', { id: help.receipt.id }, partner)).helpRequestStatus).toMatchObject({ id: help.receipt.id, status: 'OPEN' });
      const received = (await run('ReceiveStock', { input: { facilityId: 'TYT-CONTRACT', item: 'MEDICINE_PACKAGE_A', quantity: 1, reason: 'Phiếu nhập kho 01' } })).receiveStock;
      expect(received).toMatchObject({ __typename: 'ReceiveStockSuccess', movement: { quantity: 1, onHandAfter: 1 } });
      const given = (await run('DispenseMedicinePackage', { input: { patientId, package: 'A', stationId: 'TYT-CONTRACT' } })).dispenseMedicinePackage;
      expect(given).toMatchObject({ __typename: 'DispenseMedicinePackageSuccess', dispensed: { package: 'A', station: { id: 'TYT-CONTRACT' } } });
      const supplies = (await run('DistrictSupplies', { district: '008' }));
      expect(supplies.districts[0].supplies.items).toEqual([{ item: 'MEDICINE_PACKAGE_A', received: 1, dispensed: 1, onHand: 0, placesLow: 1 }]);
      expect(supplies.facilities.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(['TYT-CONTRACT']);

      const snapshot = await pollUntil(async () => (await run('TreatmentSnapshot', { district: '008' })).treatmentSnapshot, (s) => s.underTreatment === 1);
      expect(snapshot).toMatchObject({ underTreatment: 1, atHome: 1 });

      const bedEvent = await beds.next(15_000);
      expect({ errors: bedEvent.errors, facility: bedEvent.data?.bedOccupancyChanged?.facility?.id }).toEqual({ errors: undefined, facility: 'CS-CONTRACT' });
      ran.add('LiveBeds');
      const tierEvent = await tiers.next(15_000);
      expect({ errors: tierEvent.errors, to: tierEvent.data?.tierChanged?.to }).toEqual({ errors: undefined, to: 'TIER_2' });
      ran.add('LiveTiers');
      const alert = await stockAlerts.next(15_000);
      expect({ errors: alert.errors, stock: alert.data?.stockLow?.stock }).toMatchObject({ errors: undefined, stock: { item: 'MEDICINE_PACKAGE_A', onHand: 0, facility: { id: 'TYT-CONTRACT' } } });
      ran.add('LiveStockAlerts');
    } finally {
      beds.close();
      tiers.close();
      stockAlerts.close();
      await client.dispose();
    }
    expect([...ran].sort()).toEqual([...ops.keys()].sort());
  });
});
