/**
 * The write matrix: every mutation × every role, inside and outside its jurisdiction, through the
 * gateway. Each write targets fresh records of ward 00337 (district 008). A viewer allowed to make
 * it gets its success; every other viewer gets FORBIDDEN, and nothing is written: no event in the
 * owning subgraph's outbox and no row of its tables changed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography, withDb } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, ok, token } from '../support/client.js';
import { registerPatient } from '../support/patients.js';
import { VIEWERS } from '../support/viewers.js';
import { cityDate } from '../../subgraphs/common/graphql/scalars.js';
import type { SubgraphName } from '../../subgraphs/common/config.js';
import type { ReportCutoffJob } from '../../subgraphs/common/report-cutoff.js';


const CLINICIANS_OF_00337 = ['city officer', 'district officer of 008', 'ward officer of 00337'];
const MANAGERS_OF_008 = ['city officer', 'district officer of 008'];
const VACCINATORS_OF_008 = ['city officer', 'district officer of 008', 'vaccinator of 008'];

interface WriteCase {
  mutation: string;
  /** How the case is named when one mutation has two (e.g. with and without a station's stock). */
  label?: string;
  subgraph: SubgraphName;
  allowed: string[];
  document: string;
  /** Fresh variables for one attempt (made by the city officer). */
  variables: () => Promise<Record<string, unknown>>;
  /** The result's type name on success, when it is not `<Mutation>Success`. */
  success?: string;
}

const result = (field: string, input = 'input', type = `${field[0]!.toUpperCase()}${field.slice(1)}Input!`) =>
  `mutation M($${input}: ${type}) { ${field}(${input}: $${input}) { __typename ... on Error { code message } } }`;

describe('write jurisdiction matrix', () => {
  let db: TestDatabase;
  let stack: Stack;
  let city: string;
  let facilityCounter = 0;
  const tokens = new Map<string, string>();
  const outboxHead = (subgraph: SubgraphName) =>
    withDb<any, number>(db, subgraph, async (k) => Number((await sql<{ n: number }>`select coalesce(max(id), 0)::int as n from outbox`.execute(k)).rows[0]!.n));
  /**
   * Every row of every table the subgraph owns, hashed per table: a refused write must change none
   * (bookkeeping of event consumers and the audit log of reads are not writes of the API).
   */
  const fingerprint = (subgraph: SubgraphName) =>
    withDb<any, Record<string, string>>(db, subgraph, async (k) => {
      const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables
        where table_schema = ${subgraph} and table_type = 'BASE TABLE' and table_name not in ('event_consumer', 'audit_log', 'kysely_migration', 'kysely_migration_lock') order by 1`.execute(k);
      const out: Record<string, string> = {};
      for (const { name } of tables.rows) {
        const row = await sql<{ h: string | null }>`select md5(string_agg(t::text, '|' order by t::text)) as h from ${sql.table(`${subgraph}.${name}`)} t`.execute(k);
        out[name] = row.rows[0]!.h ?? 'empty';
      }
      return out;
    });
  /** Events written after `head`, as topic and key, so a failure shows what was written. */
  const eventsSince = (subgraph: SubgraphName, head: number) =>
    withDb<any, string[]>(db, subgraph, async (k) => (await sql<{ e: string }>`select topic || ' ' || key as e from outbox where id > ${head} order by id`.execute(k)).rows.map((r) => r.e));
  const asCity = async (query: string, variables: Record<string, unknown>) => ok(await gql(stack.gateway.url, query, variables, { token: city }));
  const patient = async (tier = 'TIER_1') => (await registerPatient(stack.gateway.url, city, { wardCode: '00337', nationalId: null, tier })).id;
  const admitted = async () => {
    const id = await patient();
    const data = await asCity(`mutation A($i: AdmitPatientInput!) { admitPatient(input: $i) { ... on AdmitPatientSuccess { admission { id } } ... on Error { message } } }`, {
      i: { patientId: id, facilityId: 'CS-W1', bedKind: 'GENERAL' },
    });
    if (!data.admitPatient.admission) throw new Error(JSON.stringify(data));
    return data.admitPatient.admission.id as string;
  };
  const helpRequest = async () =>
    (await asCity(`mutation O($i: OpenHelpRequestInput!) { openHelpRequest(input: $i) { ... on OpenHelpRequestSuccess { helpRequest { id } } } }`, {
      i: { wardCode: '00337', channel: 'HOTLINE_1022', message: 'Sốt cao, khó thở, cần bác sĩ' },
    })).openHelpRequest.helpRequest.id as string;
  let residentCounter = 0;
  /** A resident of ward 00337 (a valid citizen ID of Hà Nội, province 001), homebound and 70. */
  const resident = async () => {
    const nationalId = `0010${String(Date.now() % 100).padStart(2, '0')}${String(++residentCounter).padStart(6, '0')}`;
    const r = await asCity(`mutation R($i: RegisterResidentInput!) { registerResident(input: $i) { __typename ... on Error { message } } }`, {
      i: { nationalId, fullName: 'Phạm Văn Cư Dân', dateOfBirth: '1952-04-02', wardCode: '00337', homebound: true, comorbidities: true },
    });
    if (r.registerResident.__typename !== 'RegisterResidentSuccess') throw new Error(JSON.stringify(r));
    return nationalId;
  };
  /** A nurse based in ward 00337 who works there. */
  const worker = async () => {
    const r = await asCity(`mutation W($i: RegisterHealthWorkerInput!) { registerHealthWorker(input: $i) { ... on RegisterHealthWorkerSuccess { worker { id } } ... on Error { message } } }`, {
      i: { fullName: 'Đỗ Thị Y Tá', role: 'NURSE', origin: 'VOLUNTEER', homeWardCode: '00337', maxCaseload: 50 },
    });
    const id = r.registerHealthWorker.worker?.id as string;
    if (!id) throw new Error(JSON.stringify(r));
    const area = await asCity(`mutation A($i: AssignAreaInput!) { assignArea(input: $i) { __typename ... on Error { message } } }`, { i: { workerId: id, wardCode: '00337' } });
    if (area.assignArea.__typename !== 'AssignAreaSuccess') throw new Error(JSON.stringify(area));
    return id;
  };
  const caredFor = async () => {
    const [patientId, workerId] = [await patient(), await worker()];
    const r = await asCity(`mutation C($i: AssignCareInput!) { assignCare(input: $i) { __typename ... on Error { message } } }`, { i: { patientId, workerId } });
    if (r.assignCare.__typename !== 'AssignCareSuccess') throw new Error(JSON.stringify(r));
    return patientId;
  };
  /** An open referral of a fresh patient of ward 00337 raised to tier 2, offered a bed in CS-OXY when asked. */
  const referral = async (offered = false) => {
    const patientId = await patient();
    const changed = await asCity(`mutation C($i: ChangeTierInput!) { changeTier(input: $i) { __typename ... on Error { message } } }`, { i: { patientId, to: 'TIER_2', reason: 'SpO2 95 %' } });
    if (changed.changeTier.__typename !== 'ChangeTierSuccess') throw new Error(JSON.stringify(changed));
    await stack.settle();
    const id = (await asCity(`query P($id: ID!) { patient(id: $id) { referral { id } } }`, { id: patientId })).patient.referral?.id as string;
    if (!id) throw new Error(`no referral opened for ${patientId}`);
    if (offered) {
      const o = await asCity(`mutation O($i: OfferReferralInput!) { offerReferral(input: $i) { __typename ... on Error { message } } }`, { i: { referralId: id, facilityId: 'CS-OXY' } });
      if (o.offerReferral.__typename !== 'OfferReferralSuccess') throw new Error(JSON.stringify(o));
    }
    return id;
  };
  /** The health station of ward 00337 with one more package A on hand. */
  const stocked = async () => {
    const r = await asCity(`mutation R($i: ReceiveStockInput!) { receiveStock(input: $i) { __typename ... on Error { message } } }`, {
      i: { facilityId: 'TYT-W1', item: 'MEDICINE_PACKAGE_A', quantity: 1, reason: 'Phiếu nhập kho' },
    });
    if (r.receiveStock.__typename !== 'ReceiveStockSuccess') throw new Error(JSON.stringify(r));
    return 'TYT-W1';
  };
  const emptyFacility = async () => {
    const id = `CS-EMPTY-${++facilityCounter}`;
    await createFacilities(db, [{ id, wardCode: '00337', beds: { GENERAL: { total: 5 } } }]);
    return id;
  };

  /** A mobile vaccination point of ward 00337. */
  const vaccinationPoint = async () => {
    const r = await asCity(`mutation P($i: CreateVaccinationPointInput!) { createVaccinationPoint(input: $i) { ... on CreateVaccinationPointSuccess { point { id } } ... on Error { message } } }`, {
      i: { wardCode: '00337', name: 'Nhà văn hoá tổ 5', address: 'Ngõ 5 Linh Đường' },
    });
    const id = r.createVaccinationPoint.point?.id as string;
    if (!id) throw new Error(JSON.stringify(r));
    return id;
  };
  /** An open home-vaccination request of a fresh resident of ward 00337. */
  const homeRequest = async () => {
    const r = await asCity(`mutation H($i: RequestHomeVaccinationInput!) { requestHomeVaccination(input: $i) { ... on RequestHomeVaccinationSuccess { request { id } } ... on Error { message } } }`, {
      i: { nationalId: await resident(), reason: 'Nằm liệt giường' },
    });
    const id = r.requestHomeVaccination.request?.id as string;
    if (!id) throw new Error(JSON.stringify(r));
    return id;
  };
  let homeTeam: string | undefined;
  /** The home-vaccination team of ward 00337 (workforce), made once. */
  const homeVaccinationTeam = async () => {
    if (homeTeam) return homeTeam;
    const r = await asCity(`mutation T($i: CreateTeamInput!) { createTeam(input: $i) { ... on CreateTeamSuccess { team { id } } ... on Error { message } } }`, {
      i: { name: 'Tổ tiêm tại nhà', kind: 'HOME_VACCINATION', wardCode: '00337', memberIds: [await worker()] },
    });
    homeTeam = r.createTeam.team?.id as string;
    if (!homeTeam) throw new Error(JSON.stringify(r));
    return homeTeam;
  };

  const contact = async () => {
    const r = await asCity(`mutation R($i: RecordContactInput!) { recordContact(input: $i) { ... on RecordContactSuccess { contact { id } } ... on Error { message } } }`, {
      i: { indexPatientId: await patient(), fullName: 'Hồ Thị Tiếp Xúc', dateOfBirth: '1988-08-08', sex: 'FEMALE', wardCode: '00337', address: 'Ngõ 9 Linh Đường', exposure: 'WORKPLACE', exposedOn: new Date().toISOString().slice(0, 10) },
    });
    const id = r.recordContact.contact?.id as string;
    if (!id) throw new Error(JSON.stringify(r));
    return id;
  };
  const quarantined = async () => {
    const contactId = await contact();
    const r = await asCity(`mutation O($i: OrderQuarantineInput!) { orderQuarantine(input: $i) { ... on OrderQuarantineSuccess { order { id } } ... on Error { message } } }`, {
      i: { contactId, place: 'QUARANTINE_AREA', facilityId: 'Q-W1', decisionNumber: `QĐ-${randomUUID().slice(0, 8)}`, startsOn: new Date().toISOString().slice(0, 10), plannedEndOn: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10) },
    });
    const id = r.orderQuarantine.order?.id as string;
    if (!id) throw new Error(JSON.stringify(r));
    return { contactId, orderId: id };
  };

  const CASES: WriteCase[] = [
    { mutation: 'recordContact', subgraph: 'patients', allowed: CLINICIANS_OF_00337, document: result('recordContact'),
      variables: async () => ({ input: { indexPatientId: await patient(), fullName: 'Lý Văn Hàng Xóm', dateOfBirth: '1970-01-02', sex: 'MALE', wardCode: '00337', address: 'Ngõ 3 Linh Đường', exposure: 'HOUSEHOLD', exposedOn: new Date().toISOString().slice(0, 10) } }) },
    { mutation: 'orderQuarantine', subgraph: 'patients', allowed: CLINICIANS_OF_00337, document: result('orderQuarantine'),
      variables: async () => ({ input: { contactId: await contact(), place: 'QUARANTINE_AREA', facilityId: 'Q-W1', decisionNumber: `QĐ-${randomUUID().slice(0, 8)}`, startsOn: new Date().toISOString().slice(0, 10), plannedEndOn: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10) } }) },
    { mutation: 'endQuarantine', subgraph: 'patients', allowed: CLINICIANS_OF_00337, document: result('endQuarantine'),
      variables: async () => ({ input: { orderId: (await quarantined()).orderId, decisionNumber: `QĐ-${randomUUID().slice(0, 8)}`, endedOn: new Date().toISOString().slice(0, 10), reason: 'COMPLETED' } }) },
    { mutation: 'convertContactToCase', subgraph: 'patients', allowed: CLINICIANS_OF_00337, document: result('convertContactToCase'),
      variables: async () => ({ input: { contactId: (await quarantined()).contactId, confirmedAt: new Date(Date.now() - 60_000).toISOString(), confirmation: 'RAPID_ANTIGEN', tier: 'TIER_1', endDecisionNumber: `QĐ-${randomUUID().slice(0, 8)}` } }) },
    { mutation: 'registerPatient', subgraph: 'patients', allowed: CLINICIANS_OF_00337, document: result('registerPatient'),
      variables: async () => ({ input: { fullName: 'Lê Thị Ma Trận', dateOfBirth: '1975-02-03', sex: 'FEMALE', wardCode: '00337', address: 'Ngõ 5 Linh Đường', confirmedAt: new Date(Date.now() - 3_600_000).toISOString(), confirmation: 'PCR', tier: 'TIER_1' } }) },
    { mutation: 'changeTier', subgraph: 'patients', allowed: CLINICIANS_OF_00337, document: result('changeTier'),
      variables: async () => ({ input: { patientId: await patient(), to: 'TIER_2', reason: 'SpO2 95 %' } }) },
    { mutation: 'closeCase', subgraph: 'patients', allowed: CLINICIANS_OF_00337, document: result('closeCase'),
      variables: async () => ({ input: { patientId: await patient(), outcome: 'RECOVERED' } }) },
    { mutation: 'recordDailyCheck', subgraph: 'patients', allowed: CLINICIANS_OF_00337, document: result('recordDailyCheck'),
      variables: async () => ({ input: { patientId: await patient(), at: new Date(Date.now() - 60_000).toISOString(), spo2: 97, temperatureC: 37.8, respiratoryRate: 18 } }) },
    { mutation: 'issueIsolationOrder', subgraph: 'patients', allowed: CLINICIANS_OF_00337, document: result('issueIsolationOrder'),
      variables: async () => ({ input: { patientId: await patient(), documentNumber: `QĐ-${randomUUID().slice(0, 8)}`, startsOn: new Date().toISOString().slice(0, 10), plannedEndOn: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10) } }) },
    { mutation: 'dispenseMedicinePackage', subgraph: 'patients', allowed: CLINICIANS_OF_00337, document: result('dispenseMedicinePackage', 'input', 'DispenseMedicineInput!'),
      // No station named: the package comes from the one place of the ward that keeps it.
      variables: async () => {
        await stocked();
        return { input: { patientId: await patient(), package: 'A' } };
      } },
    { mutation: 'dispenseMedicinePackage', label: 'dispenseMedicinePackage from a station', subgraph: 'patients', allowed: CLINICIANS_OF_00337,
      document: result('dispenseMedicinePackage', 'input', 'DispenseMedicineInput!'),
      variables: async () => ({ input: { patientId: await patient(), package: 'A', stationId: await stocked() } }) },
    { mutation: 'receiveStock', subgraph: 'patients', allowed: CLINICIANS_OF_00337, document: result('receiveStock'),
      variables: async () => ({ input: { facilityId: 'TYT-W1', item: 'OXYGEN_CYLINDER', quantity: 4, reason: 'Sở Y tế cấp' } }) },
    { mutation: 'adjustStock', subgraph: 'patients', allowed: CLINICIANS_OF_00337, document: result('adjustStock'),
      variables: async () => ({ input: { facilityId: 'TYT-W1', item: 'RAPID_TEST_KIT', quantity: 2, reason: 'Kiểm kê: thừa 2 hộp' } }) },
    { mutation: 'setStockThreshold', subgraph: 'patients', allowed: CLINICIANS_OF_00337, document: result('setStockThreshold'),
      variables: async () => ({ input: { facilityId: 'TYT-W1', item: 'OXYGEN_CONCENTRATOR', threshold: ++facilityCounter } }) },
    { mutation: 'openHelpRequest', subgraph: 'patients', allowed: CLINICIANS_OF_00337, document: result('openHelpRequest'),
      variables: async () => ({ input: { wardCode: '00337', channel: 'HOTLINE_1022', message: 'Người nhà sốt cao ba ngày' } }) },
    { mutation: 'acknowledgeHelpRequest', subgraph: 'patients', allowed: CLINICIANS_OF_00337, document: result('acknowledgeHelpRequest', 'id', 'ID!'),
      variables: async () => ({ id: await helpRequest() }) },
    { mutation: 'resolveHelpRequest', subgraph: 'patients', allowed: CLINICIANS_OF_00337, document: result('resolveHelpRequest'),
      variables: async () => ({ input: { id: await helpRequest(), resolution: 'Bác sĩ đã gọi lại và hướng dẫn' } }) },
    { mutation: 'requestHelp', subgraph: 'patients', allowed: ['partner'], document: result('requestHelp'),
      variables: async () => ({ input: { wardCode: '00337', citizenName: 'Đào Thị Gọi Hộ', phone: '0987111222', need: 'MEDICAL', message: 'Sốt cao ba ngày, cần bác sĩ gọi lại',
        consent: { given: true, text: 'Tôi đồng ý chia sẻ với trạm y tế phường', version: 'v1', at: new Date(Date.now() - 60_000).toISOString() }, idempotencyKey: randomUUID() } }) },
    { mutation: 'declareEpidemicLevel', subgraph: 'patients', allowed: MANAGERS_OF_008, document: result('declareEpidemicLevel'),
      variables: async () => ({ input: { areaCode: '00337', level: 3, decisionNumber: `${randomUUID().slice(0, 8)}/QĐ-UBND`, effectiveFrom: new Date().toISOString().slice(0, 10), measures: ['Hạn chế tụ tập đông người'] } }) },
    { mutation: 'submitDailyReport', subgraph: 'patients', allowed: CLINICIANS_OF_00337, document: result('submitDailyReport'),
      variables: async () => ({ input: { wardCode: '00337', date: cityDate(new Date()), idempotencyKey: `report-${randomUUID()}` } }) },
    { mutation: 'admitPatient', subgraph: 'facilities', allowed: CLINICIANS_OF_00337, document: result('admitPatient'),
      variables: async () => ({ input: { patientId: await patient(), facilityId: 'CS-W1', bedKind: 'GENERAL' } }) },
    { mutation: 'dischargePatient', subgraph: 'facilities', allowed: CLINICIANS_OF_00337, document: result('dischargePatient'),
      variables: async () => ({ input: { admissionId: await admitted(), outcome: 'TRANSFERRED_HOME' } }) },
    { mutation: 'transferPatient', subgraph: 'facilities', allowed: CLINICIANS_OF_00337, document: result('transferPatient'),
      variables: async () => ({ input: { admissionId: await admitted(), toFacilityId: 'CS-W2', bedKind: 'GENERAL' } }) },
    { mutation: 'offerReferral', subgraph: 'facilities', allowed: CLINICIANS_OF_00337, document: result('offerReferral'),
      variables: async () => ({ input: { referralId: await referral(), facilityId: 'CS-OXY' } }) },
    { mutation: 'acceptReferral', subgraph: 'facilities', allowed: CLINICIANS_OF_00337, document: result('acceptReferral', 'referralId', 'ID!'),
      variables: async () => ({ referralId: await referral(true) }) },
    { mutation: 'cancelReferral', subgraph: 'facilities', allowed: CLINICIANS_OF_00337, document: result('cancelReferral'),
      variables: async () => ({ input: { referralId: await referral(true), reason: 'Gia đình xin điều trị tại nhà' } }) },
    { mutation: 'updateBedCapacity', subgraph: 'facilities', allowed: MANAGERS_OF_008, document: result('updateBedCapacity'),
      variables: async () => ({ input: { facilityId: await emptyFacility(), bedKind: 'GENERAL', total: 8, covidDesignated: 6 } }) },
    { mutation: 'setFacilityContacts', subgraph: 'facilities', allowed: CLINICIANS_OF_00337, document: result('setFacilityContacts'),
      variables: async () => ({ input: { facilityId: 'CS-W1', phones: [`0243${String(++facilityCounter).padStart(7, '0')}`], zaloGroups: [{ name: 'Hỗ trợ F0', link: 'https://zalo.me/g/hrg-w1' }] } }) },
    { mutation: 'setFacilityStatus', subgraph: 'facilities', allowed: MANAGERS_OF_008, document: result('setFacilityStatus'),
      variables: async () => ({ input: { facilityId: await emptyFacility(), status: 'STANDBY' } }) },
    { mutation: 'registerResident', subgraph: 'vaccination', allowed: VACCINATORS_OF_008, document: result('registerResident'),
      variables: async () => ({ input: { nationalId: `0010${String(Date.now() % 100).padStart(2, '0')}${String(++residentCounter).padStart(6, '0')}`, fullName: 'Vũ Thị Đăng Ký', dateOfBirth: '1990-01-01', wardCode: '00337' } }) },
    { mutation: 'recordDose', subgraph: 'vaccination', allowed: VACCINATORS_OF_008, document: result('recordDose'),
      variables: async () => ({ input: { nationalId: await resident(), dose: 'PRIMARY_1', vaccine: 'PFIZER_BIONTECH', administeredAt: '2021-09-01T09:00:00+07:00' } }) },
    { mutation: 'requestHomeVaccination', subgraph: 'vaccination', allowed: VACCINATORS_OF_008, document: result('requestHomeVaccination'),
      variables: async () => ({ input: { nationalId: await resident(), reason: 'Nằm liệt giường, bệnh nền tim mạch' } }) },
    { mutation: 'recordRefusal', subgraph: 'vaccination', allowed: VACCINATORS_OF_008, document: result('recordRefusal'),
      variables: async () => ({ input: { nationalId: await resident(), reason: 'Không muốn tiêm, sợ phản ứng' } }) },
    { mutation: 'createVaccinationPoint', subgraph: 'vaccination', allowed: VACCINATORS_OF_008, document: result('createVaccinationPoint'),
      variables: async () => ({ input: { wardCode: '00337', name: 'Trường THCS Hoàng Liệt', address: 'Khu đô thị Linh Đàm', latitude: 20.965, longitude: 105.83 } }) },
    { mutation: 'setVaccinationPointActive', subgraph: 'vaccination', allowed: VACCINATORS_OF_008, document: result('setVaccinationPointActive'),
      variables: async () => ({ input: { pointId: await vaccinationPoint(), active: false } }) },
    { mutation: 'scheduleVaccinationSession', subgraph: 'vaccination', allowed: VACCINATORS_OF_008, document: result('scheduleVaccinationSession'),
      variables: async () => ({ input: { pointId: await vaccinationPoint(), startsAt: new Date(Date.now() + 3_600_000).toISOString(), endsAt: new Date(Date.now() + 5 * 3_600_000).toISOString(), vaccine: 'PFIZER_BIONTECH', plannedDoses: 300 } }) },
    { mutation: 'assignHomeVaccination', subgraph: 'vaccination', allowed: VACCINATORS_OF_008, document: result('assignHomeVaccination'),
      variables: async () => ({ input: { requestId: await homeRequest(), teamId: await homeVaccinationTeam() } }) },
    { mutation: 'cancelHomeVaccination', subgraph: 'vaccination', allowed: VACCINATORS_OF_008, document: result('cancelHomeVaccination'),
      variables: async () => ({ input: { requestId: await homeRequest(), reason: 'Đã chuyển đi nơi khác' } }) },
    { mutation: 'registerHealthWorker', subgraph: 'workforce', allowed: CLINICIANS_OF_00337, document: result('registerHealthWorker'),
      variables: async () => ({ input: { fullName: 'Bùi Văn Bác Sĩ', role: 'DOCTOR', origin: 'RETIRED', homeWardCode: '00337', maxCaseload: 30 } }) },
    { mutation: 'updateHealthWorker', subgraph: 'workforce', allowed: CLINICIANS_OF_00337, document: result('updateHealthWorker'),
      variables: async () => ({ input: { workerId: await worker(), maxCaseload: 20 } }) },
    { mutation: 'assignArea', subgraph: 'workforce', allowed: CLINICIANS_OF_00337, document: result('assignArea'),
      variables: async () => ({ input: { workerId: await worker(), wardCode: '00337', residentialGroup: 'Tổ dân phố 7' } }) },
    { mutation: 'assignFacilityDuty', subgraph: 'workforce', allowed: CLINICIANS_OF_00337, document: result('assignFacilityDuty'),
      variables: async () => ({ input: { workerId: await worker(), facilityId: 'CS-W1', startsAt: new Date(Date.now() + 3_600_000).toISOString() } }) },
    { mutation: 'createTeam', subgraph: 'workforce', allowed: CLINICIANS_OF_00337, document: result('createTeam'),
      variables: async () => ({ input: { name: 'Tổ chăm sóc tại nhà 3', kind: 'HOME_CARE_SUPPORT', wardCode: '00337', memberIds: [await worker()] } }) },
    { mutation: 'assignCare', subgraph: 'workforce', allowed: CLINICIANS_OF_00337, document: result('assignCare'),
      variables: async () => ({ input: { patientId: await patient(), workerId: await worker() } }) },
    { mutation: 'endCare', subgraph: 'workforce', allowed: CLINICIANS_OF_00337, document: result('endCare', 'patientId', 'ID!'),
      variables: async () => ({ patientId: await caredFor() }) },
    { mutation: 'assignUnassignedPatients', subgraph: 'workforce', allowed: CLINICIANS_OF_00337, success: 'AutoAssignResult',
      document: `mutation M($wardCode: ID!) { assignUnassignedPatients(wardCode: $wardCode) { __typename } }`,
      variables: async () => {
        await patient();
        await worker();
        return { wardCode: '00337' };
      } },
  ];

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [
      { id: 'CS-W1', wardCode: '00337', beds: { GENERAL: { total: 500 } } },
      { id: 'CS-W2', wardCode: '00337', beds: { GENERAL: { total: 500 } } },
      { id: 'CS-OXY', wardCode: '00337', servesTiers: ['TIER_2', 'TIER_3'], beds: { OXYGEN: { total: 500 } } },
      { id: 'Q-W1', wardCode: '00337', kind: 'QUARANTINE_AREA', servesTiers: [], beds: { GENERAL: { total: 500 } } },
      { id: 'TYT-W1', wardCode: '00337', kind: 'HEALTH_STATION', servesTiers: ['TIER_1'] },
    ]);
    stack = await startStack(db);
    // The daily report's start-up freeze writes a row per district, one by one: a refused write is
    // fingerprinted against tables nothing else is writing.
    for (const name of ['patients', 'facilities'] as const) await stack.subgraphs[name].runtime.service<ReportCutoffJob>('report-cutoff').settle();
    city = await token('CITY_OFFICER');
    for (const [label, role, scope] of VIEWERS) tokens.set(label, await token(role, scope));
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  describe.each(CASES.map((c) => [c.label ?? c.mutation, c] as const))('%s', (_name, write) => {
    const refused = VIEWERS.map(([label]) => label).filter((label) => !write.allowed.includes(label));

    it.each(write.allowed)('%s may make it', async (label) => {
      const res = await gql(stack.gateway.url, write.document, await write.variables(), { token: tokens.get(label)! });
      expect({ errors: res.errors, typename: res.data?.[write.mutation]?.__typename }).toEqual({
        errors: undefined,
        typename: write.success ?? `${write.mutation[0]!.toUpperCase()}${write.mutation.slice(1)}Success`,
      });
    });

    it(`is refused to ${refused.join(', ')}, and writes nothing`, async () => {
      // Each refused viewer aims at records of its own, made first; then nothing may change.
      const attempts: [string, Record<string, unknown>][] = [];
      for (const label of refused) attempts.push([label, await write.variables()]);
      await stack.settle(); // the set-up's own events have been applied and published
      const before = await outboxHead(write.subgraph);
      const rows = await fingerprint(write.subgraph);
      for (const [label, variables] of attempts) {
        const res = await gql(stack.gateway.url, write.document, variables, { token: tokens.get(label)! });
        expect({ label, codes: (res.errors ?? []).map((e) => e.extensions?.code), data: res.data?.[write.mutation] ?? null }).toEqual({ label, codes: ['FORBIDDEN'], data: null });
      }
      expect(await eventsSince(write.subgraph, before)).toEqual([]);
      expect(await fingerprint(write.subgraph)).toEqual(rows);
    });
  });
});
