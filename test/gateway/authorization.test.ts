/**
 * The authorization matrix: role × operation × jurisdiction, over HTTP and WebSocket, with the
 * ways people try to reach personal data: aliases, fragments, subscriptions and _entities.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography, withDb } from '../support/builders.js';
import { startStack, testConfig, type Stack } from '../support/stack.js';
import { gql, ok, subscribe, token, wsClient } from '../support/client.js';
import { ADMIT, REGISTER, patientInput, registerPatient } from '../support/patients.js';
import { signViewer } from '../../subgraphs/common/auth/internal-token.js';
import { VIEWERS } from '../support/viewers.js';
import { cityDate } from '../../subgraphs/common/graphql/scalars.js';


/** What each viewer may see of a patient of ward 00337 (district 008). */
const EXPECTED: Record<string, { caseVisible: boolean; personal: boolean }> = {
  'city officer': { caseVisible: true, personal: true },
  'district officer of 008': { caseVisible: true, personal: true },
  'district officer of 001': { caseVisible: false, personal: false },
  'ward officer of 00337': { caseVisible: true, personal: true },
  'ward officer of 00001': { caseVisible: false, personal: false },
  dashboard: { caseVisible: true, personal: false },
  partner: { caseVisible: false, personal: false },
  'vaccinator of 008': { caseVisible: false, personal: false },
};

const codes = (errors: { extensions?: { code?: string } }[] | undefined) => [...new Set((errors ?? []).map((e) => e.extensions?.code))];

describe('authorization matrix', () => {
  let db: TestDatabase;
  let stack: Stack;
  let patientId: string;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [{ id: 'CS-AUTH', wardCode: '00337', beds: { GENERAL: { total: 10 }, OXYGEN: { total: 5 } } }]);
    stack = await startStack(db);
    for (const [label, role, scope] of VIEWERS) tokens.set(label, await token(role, scope));
    patientId = (await registerPatient(stack.gateway.url, tokens.get('city officer')!, { wardCode: '00337', fullName: 'Trần Thị Riêng Tư' })).id;
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  const PLAIN = `query P($id: ID!) { patient(id: $id) { id tier fullName phone nationalId address dateOfBirth } }`;
  const ALIASED = `query P($id: ID!) { a: patient(id: $id) { id x: fullName y: phone } b: patient(id: $id) { z: nationalId } }`;
  const FRAGMENTS = `query P($id: ID!) { patient(id: $id) { ...Case ... on Patient { address } } } fragment Case on Patient { id n: fullName }`;

  describe.each(VIEWERS.map(([label]) => label))('%s', (label) => {
    const expected = EXPECTED[label]!;

    it(`${expected.caseVisible ? 'sees' : 'does not see'} the case and ${expected.personal ? 'sees' : 'never sees'} personal data (plain, aliases, fragments)`, async () => {
      for (const query of [PLAIN, ALIASED, FRAGMENTS]) {
        const res = await gql(stack.gateway.url, query, { id: patientId }, { token: tokens.get(label)! });
        const body = JSON.stringify(res.data ?? {});
        if (expected.personal) {
          expect(body).toContain('Trần Thị Riêng Tư');
          expect(res.errors).toBeUndefined();
        } else {
          expect(body).not.toContain('Trần Thị Riêng Tư');
          expect(body).not.toContain('+84912345678');
          expect(codes(res.errors)).toEqual(['FORBIDDEN']);
        }
        if (!expected.caseVisible) expect(res.data?.patient ?? res.data?.a ?? null).toBeNull();
      }
    });

    it(`${expected.personal ? 'may' : 'may not'} register a patient in ward 00337`, async () => {
      const res = await gql(stack.gateway.url, REGISTER, { input: patientInput({ wardCode: '00337', nationalId: null }) }, { token: tokens.get(label)! });
      if (expected.personal) expect(res.data?.registerPatient?.__typename).toBe('RegisterPatientSuccess');
      else expect(codes(res.errors)).toEqual(['FORBIDDEN']);
    });

    it('reads capacity and aggregates', async () => {
      const res = await gql(stack.gateway.url, '{ districts { code capacity { available } cases { active } vaccination { dose1Coverage } } }', {}, { token: tokens.get(label)! });
      expect(res.errors).toBeUndefined();
      expect(res.data.districts).toHaveLength(30);
    });
  });

  describe('personal data of health workers and vaccination residents', () => {
    /** Who may read the name and phone of a health worker, and the name, citizen ID and birth date of a resident, both of ward 00337. */
    const PEOPLE: Record<string, { worker: boolean; resident: boolean }> = {
      'city officer': { worker: true, resident: true },
      'district officer of 008': { worker: true, resident: true },
      'district officer of 001': { worker: false, resident: false },
      'ward officer of 00337': { worker: true, resident: true },
      'ward officer of 00001': { worker: false, resident: false },
      dashboard: { worker: false, resident: false },
      partner: { worker: false, resident: false },
      'vaccinator of 008': { worker: false, resident: true },
    };
    const WORKER_NAME = 'Đỗ Thị Nhân Viên';
    const WORKER_PHONE = '+84987000111';
    const RESIDENT_NAME = 'Lý Văn Cư Dân';
    const RESIDENT_NID = '001075123456';
    let workerId: string;

    beforeAll(async () => {
      const city = tokens.get('city officer')!;
      const w = ok(await gql(stack.gateway.url, `mutation W($i: RegisterHealthWorkerInput!) { registerHealthWorker(input: $i) { ... on RegisterHealthWorkerSuccess { worker { id } } } }`,
        { i: { fullName: WORKER_NAME, phone: '0987000111', role: 'DOCTOR', origin: 'RETIRED', homeWardCode: '00337', maxCaseload: 10 } }, { token: city }));
      workerId = w.registerHealthWorker.worker.id;
      ok(await gql(stack.gateway.url, `mutation T($i: CreateTeamInput!) { createTeam(input: $i) { __typename } }`, { i: { name: 'Tổ hỗ trợ F0 số 1', kind: 'HOME_CARE_SUPPORT', wardCode: '00337', memberIds: [workerId] } }, { token: city }));
      const r = ok(await gql(stack.gateway.url, `mutation R($i: RegisterResidentInput!) { registerResident(input: $i) { __typename } }`,
        { i: { nationalId: RESIDENT_NID, fullName: RESIDENT_NAME, dateOfBirth: '1945-06-01', wardCode: '00337' } }, { token: city }));
      expect(r.registerResident.__typename).toBe('RegisterResidentSuccess');
    });

    const WORKER_QUERIES = [
      `query Q($id: ID!) { healthWorker(id: $id) { id fullName phone } }`,
      `query Q($id: ID!) { a: healthWorker(id: $id) { x: fullName } b: healthWorker(id: $id) { ...W } } fragment W on HealthWorker { y: phone }`,
      `query Q { healthWorkers(wardCode: "00337") { edges { node { id fullName phone } } } }`,
      `query Q { teams(wardCode: "00337") { name members { fullName phone } lead { fullName } } }`,
    ];
    const RESIDENT_QUERIES = [
      `query Q($nid: String!) { resident(nationalId: $nid) { id fullName nationalId dateOfBirth } }`,
      `query Q($nid: String!) { a: resident(nationalId: $nid) { x: fullName } b: resident(nationalId: $nid) { ...R } } fragment R on Resident { y: nationalId z: dateOfBirth }`,
      `query Q { vaccinationGaps(wardCode: "00337", kind: OVER_50_WITHOUT_DOSE_1, first: 100) { edges { node { fullName nationalId } } } }`,
    ];

    describe.each(VIEWERS.map(([label]) => label))('%s', (label) => {
      const expected = PEOPLE[label]!;
      it(`${expected.worker ? 'reads' : 'never reads'} a health worker's name and phone`, async () => {
        for (const query of WORKER_QUERIES) {
          const res = await gql(stack.gateway.url, query, { id: workerId }, { token: tokens.get(label)! });
          const body = JSON.stringify(res.data ?? {});
          if (expected.worker) {
            expect({ query, errors: res.errors }).toEqual({ query, errors: undefined });
            expect(body).toContain(WORKER_NAME);
            if (!query.includes('teams')) expect(body).toContain(WORKER_PHONE);
          } else {
            expect({ query, leaked: body.includes(WORKER_NAME) || body.includes(WORKER_PHONE) }).toEqual({ query, leaked: false });
          }
        }
      });
      it(`${expected.resident ? 'reads' : 'never reads'} a resident's name, citizen ID and date of birth`, async () => {
        for (const query of RESIDENT_QUERIES) {
          const res = await gql(stack.gateway.url, query, { nid: RESIDENT_NID }, { token: tokens.get(label)! });
          const body = JSON.stringify(res.data ?? {});
          if (expected.resident) {
            expect({ query, errors: res.errors }).toEqual({ query, errors: undefined });
            expect(body).toContain(RESIDENT_NAME);
            expect(body).toContain(RESIDENT_NID);
          } else {
            expect({ query, leaked: body.includes(RESIDENT_NAME) || body.includes('1945-06-01') || (query.includes('vaccinationGaps') && body.includes(RESIDENT_NID)) }).toEqual({ query, leaked: false });
          }
        }
      });
    });

    it('keeps a client’s request id in the audit log only when it is a plain, short id', async () => {
      const ids = { plain: 'trace-me-123', long: 'x'.repeat(2_000), forged: 'a b\t"; drop' };
      for (const id of Object.values(ids)) {
        const res = await gql(stack.gateway.url, WORKER_QUERIES[0]!, { id: workerId }, { token: tokens.get('city officer')!, headers: { 'x-request-id': id } });
        expect(res.errors).toBeUndefined();
      }
      await stack.subgraphs.workforce.runtime.audit.flush();
      const stored = await withDb<any, string[]>(db, 'workforce', async (k) =>
        (await sql<{ request_id: string }>`select request_id from audit_log where entity = 'HealthWorker' and entity_id = ${workerId} and role = 'CITY_OFFICER'`.execute(k)).rows.map((r) => r.request_id),
      );
      expect(stored).toContain(ids.plain);
      expect(stored).not.toContain(ids.long);
      expect(stored).not.toContain(ids.forged);
      expect(stored.every((id) => id.length <= 128)).toBe(true);
    });

    it('writes every read of a worker’s or a resident’s personal data to the audit log', async () => {
      await gql(stack.gateway.url, WORKER_QUERIES[0]!, { id: workerId }, { token: tokens.get('ward officer of 00337')! });
      await gql(stack.gateway.url, RESIDENT_QUERIES[0]!, { nid: RESIDENT_NID }, { token: tokens.get('vaccinator of 008')! });
      await stack.subgraphs.workforce.runtime.audit.flush();
      await stack.subgraphs.vaccination.runtime.audit.flush();
      const workerRows = await withDb<any, { subject: string; role: string; fields: string[] }[]>(db, 'workforce', async (k) =>
        (await sql<{ subject: string; role: string; fields: string[] }>`select subject, role, fields from audit_log where entity = 'HealthWorker' and entity_id = ${workerId} and role = 'WARD_OFFICER'`.execute(k)).rows,
      );
      expect(workerRows).toContainEqual({ subject: 'dev:ward_officer:00337', role: 'WARD_OFFICER', fields: ['fullName', 'phone'] });
      const residentRows = await withDb<any, { role: string; fields: string[] }[]>(db, 'vaccination', async (k) =>
        (await sql<{ role: string; fields: string[] }>`select role, fields from audit_log where entity = 'Resident' and role = 'VACCINATOR'`.execute(k)).rows,
      );
      expect(residentRows).toContainEqual({ role: 'VACCINATOR', fields: ['dateOfBirth', 'fullName', 'nationalId'] });
    });
  });

  describe('vaccination field work: public points and sessions, personal home-visit requests', () => {
    /** Who reads the open home-vaccination requests of ward 00337 (a resident's health): vaccination readers covering the ward. */
    const HOME_VISITS: Record<string, boolean> = {
      'city officer': true,
      'district officer of 008': true,
      'district officer of 001': false,
      'ward officer of 00337': true,
      'ward officer of 00001': false,
      dashboard: false,
      partner: false,
      'vaccinator of 008': true,
    };
    const POINT_NAME = 'Nhà văn hoá khu đô thị Linh Đàm';
    const VISIT_REASON = 'Liệt hai chân sau tai biến';
    const VISITED_NAME = 'Hà Thị Tại Gia';
    const VISITED_NID = '001150000331';

    beforeAll(async () => {
      const city = tokens.get('city officer')!;
      const point = ok(await gql(stack.gateway.url, `mutation P($i: CreateVaccinationPointInput!) { createVaccinationPoint(input: $i) { ... on CreateVaccinationPointSuccess { point { id } } } }`,
        { i: { wardCode: '00337', name: POINT_NAME, address: 'Bán đảo Linh Đàm' } }, { token: city }));
      ok(await gql(stack.gateway.url, `mutation S($i: ScheduleVaccinationSessionInput!) { scheduleVaccinationSession(input: $i) { __typename } }`,
        { i: { pointId: point.createVaccinationPoint.point.id, startsAt: new Date(Date.now() + 3_600_000).toISOString(), endsAt: new Date(Date.now() + 4 * 3_600_000).toISOString(), vaccine: 'MODERNA', plannedDoses: 120 } }, { token: city }));
      ok(await gql(stack.gateway.url, `mutation R($i: RegisterResidentInput!) { registerResident(input: $i) { __typename } }`,
        { i: { nationalId: VISITED_NID, fullName: VISITED_NAME, dateOfBirth: '1950-03-03', wardCode: '00337', homebound: true } }, { token: city }));
      ok(await gql(stack.gateway.url, `mutation H($i: RequestHomeVaccinationInput!) { requestHomeVaccination(input: $i) { __typename } }`, { i: { nationalId: VISITED_NID, reason: VISIT_REASON } }, { token: city }));
    });

    const VISIT_QUERIES = [
      `query Q { openHomeVaccinationRequests(filter: { wardCode: "00337" }) { edges { node { id reason daysOpen resident { fullName nationalId } } } } }`,
      `query Q { a: openHomeVaccinationRequests(filter: { wardCode: "00337" }) { edges { node { ...V } } } } fragment V on HomeVaccinationRequest { x: reason resident { y: fullName } }`,
      `query Q($nid: String!) { resident(nationalId: $nid) { homeVaccinationRequests { reason } } }`,
    ];

    describe.each(VIEWERS.map(([label]) => label))('%s', (label) => {
      it('reads the mobile vaccination points and sessions (public, no personal data)', async () => {
        const res = await gql(stack.gateway.url, `{ vaccinationPoints(filter: { wardCode: "00337" }) { edges { node { name address } } }
          vaccinationSessions(filter: { districtCode: "008" }) { edges { node { vaccine plannedDoses dosesGiven point { name } } } } }`, {}, { token: tokens.get(label)! });
        expect(res.errors).toBeUndefined();
        expect(JSON.stringify(res.data)).toContain(POINT_NAME);
        expect(res.data.vaccinationSessions.edges).toEqual([{ node: { vaccine: 'MODERNA', plannedDoses: 120, dosesGiven: 0, point: { name: POINT_NAME } } }]);
      });
      it(`${HOME_VISITS[label] ? 'reads' : 'never reads'} the home-vaccination requests of ward 00337`, async () => {
        for (const query of VISIT_QUERIES) {
          const res = await gql(stack.gateway.url, query, { nid: VISITED_NID }, { token: tokens.get(label)! });
          const body = JSON.stringify(res.data ?? {});
          if (HOME_VISITS[label]) {
            expect({ query, errors: res.errors }).toEqual({ query, errors: undefined });
            expect(body).toContain(VISIT_REASON);
            if (!query.includes('resident(')) expect(body).toContain(VISITED_NAME);
          } else {
            expect({ query, leaked: [VISIT_REASON, VISITED_NAME].some((s) => body.includes(s)) }).toEqual({ query, leaked: false });
            // The resident query answers null outside the jurisdiction, as for an unknown citizen ID.
            if (query.includes('openHome')) expect(codes(res.errors)).toEqual(['FORBIDDEN']);
          }
        }
        // The district's list needs the district: a ward officer is refused it even for their own ward's requests.
        const district = await gql(stack.gateway.url, `{ openHomeVaccinationRequests(filter: { districtCode: "008" }) { edges { node { reason } } } }`, {}, { token: tokens.get(label)! });
        const mayReadDistrict = ['city officer', 'district officer of 008', 'vaccinator of 008'].includes(label);
        expect(codes(district.errors)).toEqual(mayReadDistrict ? [] : ['FORBIDDEN']);
        expect(JSON.stringify(district.data ?? {}).includes(VISIT_REASON)).toBe(mayReadDistrict);
      });
    });

    it('writes every read of a home-visit request’s reason to the audit log', async () => {
      await gql(stack.gateway.url, VISIT_QUERIES[0]!, {}, { token: tokens.get('vaccinator of 008')! });
      await stack.subgraphs.vaccination.runtime.audit.flush();
      const rows = await withDb<any, { role: string; fields: string[] }[]>(db, 'vaccination', async (k) =>
        (await sql<{ role: string; fields: string[] }>`select role, fields from audit_log where entity = 'HomeVaccinationRequest' and role = 'VACCINATOR'`.execute(k)).rows,
      );
      expect(rows).toContainEqual({ role: 'VACCINATOR', fields: ['reason'] });
    });
  });

  describe('personal data of F1 contacts', () => {
    /** A contact of ward 00337 is personal data exactly as a patient is: clinical roles covering the ward. */
    const CONTACT_NAME = 'Vương Thị Tiếp Xúc';
    const CONTACT_NID = '001092654321';
    const CONVERTED_NAME = 'Quách Văn Dương Tính';
    let contactId: string;
    let convertedPatientId: string;

    beforeAll(async () => {
      const city = tokens.get('city officer')!;
      const record = async (fullName: string, nationalId: string | null) => {
        const r = ok(await gql(stack.gateway.url, `mutation R($i: RecordContactInput!) { recordContact(input: $i) { ... on RecordContactSuccess { contact { id } } ... on Error { message } } }`, {
          i: { indexPatientId: patientId, fullName, dateOfBirth: '1992-09-02', sex: 'FEMALE', nationalId, phone: '0966111222', wardCode: '00337', address: 'Ngõ 77 Linh Đường', exposure: 'HOUSEHOLD', exposedOn: '2022-01-10' },
        }, { token: city }));
        return r.recordContact.contact.id as string;
      };
      contactId = await record(CONTACT_NAME, CONTACT_NID);
      const converted = ok(await gql(stack.gateway.url, `mutation C($i: ConvertContactToCaseInput!) { convertContactToCase(input: $i) { ... on ConvertContactToCaseSuccess { patient { id } } ... on Error { message } } }`, {
        i: { contactId: await record(CONVERTED_NAME, null), confirmedAt: '2022-01-12T09:00:00+07:00', confirmation: 'PCR', tier: 'TIER_1' },
      }, { token: city }));
      convertedPatientId = converted.convertContactToCase.patient.id;
    });

    const CONTACT_QUERIES = [
      `query Q($id: ID!) { contact(id: $id) { id fullName nationalId phone address dateOfBirth } }`,
      `query Q($id: ID!) { a: contact(id: $id) { x: fullName } b: contact(id: $id) { ...C } } fragment C on Contact { y: nationalId z: dateOfBirth }`,
      `query Q { contacts(filter: { wardCode: "00337" }, first: 50) { edges { node { fullName nationalId } } } }`,
      `query Q($p: ID!) { patient(id: $p) { id fullName contactHistory { fullName nationalId phone } } }`,
    ];

    describe.each(VIEWERS.map(([label]) => label))('%s', (label) => {
      const personal = EXPECTED[label]!.personal;
      it(`${personal ? 'reads' : 'never reads'} a contact’s name, citizen ID, phone, address and date of birth`, async () => {
        for (const query of CONTACT_QUERIES) {
          const res = await gql(stack.gateway.url, query, { id: contactId, p: convertedPatientId }, { token: tokens.get(label)! });
          const body = JSON.stringify(res.data ?? {});
          const secret = query.includes('patient(') ? CONVERTED_NAME : CONTACT_NAME;
          if (personal) {
            expect({ query, errors: res.errors }).toEqual({ query, errors: undefined });
            expect(body).toContain(secret);
            if (!query.includes('patient(')) expect(body).toContain(CONTACT_NID);
          } else {
            expect({ query, leaked: [CONTACT_NAME, CONTACT_NID, CONVERTED_NAME, '+84966111222', '1992-09-02'].some((s) => body.includes(s)) }).toEqual({ query, leaked: false });
          }
        }
      });
      it(`${personal ? 'may' : 'may not'} record a contact in ward 00337`, async () => {
        const res = await gql(stack.gateway.url, `mutation R($i: RecordContactInput!) { recordContact(input: $i) { __typename } }`, {
          i: { indexPatientId: patientId, fullName: 'Mai Văn Mới', dateOfBirth: '1980-01-01', sex: 'MALE', wardCode: '00337', address: 'Ngõ 1 Linh Đường', exposure: 'OTHER', exposedOn: '2022-01-11' },
        }, { token: tokens.get(label)! });
        if (personal) expect(res.data?.recordContact?.__typename).toBe('RecordContactSuccess');
        else expect(codes(res.errors)).toEqual(['FORBIDDEN']);
      });
      it('reads the F1 aggregates', async () => {
        const res = await gql(stack.gateway.url, '{ districts(codes: ["008"]) { quarantine { underQuarantine atHome inQuarantineAreas } quarantineCapacity { available } } cityQuarantine { underQuarantine } }', {}, { token: tokens.get(label)! });
        expect(res.errors).toBeUndefined();
        expect(res.data.districts[0].quarantine).toEqual({ underQuarantine: 0, atHome: 0, inQuarantineAreas: 0 });
      });
    });

    it('writes every read of a contact’s personal data to the audit log', async () => {
      await gql(stack.gateway.url, CONTACT_QUERIES[0]!, { id: contactId, p: convertedPatientId }, { token: tokens.get('district officer of 008')! });
      await stack.subgraphs.patients.runtime.audit.flush();
      const rows = await withDb<any, { subject: string; role: string; fields: string[] }[]>(db, 'patients', async (k) =>
        (await sql<{ subject: string; role: string; fields: string[] }>`select subject, role, fields from audit_log where entity = 'Contact' and entity_id = ${contactId} and role = 'DISTRICT_OFFICER'`.execute(k)).rows,
      );
      expect(rows).toContainEqual({ subject: 'dev:district_officer:008', role: 'DISTRICT_OFFICER', fields: ['address', 'dateOfBirth', 'fullName', 'nationalId', 'phone'] });
    });
  });

  describe('help requests and help contacts', () => {
    /**
     * A request a partner opened for a citizen of ward 00337: its caller's name, phone and words are
     * personal data (clinical roles covering the ward, audited); its status is for the partner who
     * opened it and for those who may read the ward's cases (no personal data); where to call for
     * help is public to every signed-in client.
     */
    const CALLER = 'Hà Thị Gọi Đường Dây';
    const STATUS_READERS = ['city officer', 'district officer of 008', 'ward officer of 00337', 'dashboard', 'partner'];
    let requestId: string;

    beforeAll(async () => {
      const opened = ok(await gql(stack.gateway.url, `mutation H($i: RequestHelpInput!) { requestHelp(input: $i) { ... on RequestHelpSuccess { receipt { id } } ... on Error { message } } }`, {
        i: { wardCode: '00337', citizenName: CALLER, phone: '0977333444', need: 'BREATHING', message: 'Khó thở về đêm', channel: 'HOTLINE_1022',
          consent: { given: true, text: 'Đồng ý chia sẻ với trạm y tế phường', version: 'v1', at: new Date(Date.now() - 60_000).toISOString() }, idempotencyKey: 'authz-help-0001' },
      }, { token: tokens.get('partner')! }));
      requestId = opened.requestHelp.receipt.id;
      ok(await gql(stack.gateway.url, `mutation C($i: SetFacilityContactsInput!) { setFacilityContacts(input: $i) { __typename } }`, { i: { facilityId: 'CS-AUTH', phones: ['02438641234'] } }, { token: tokens.get('city officer')! }));
    });

    const HELP_QUERIES = [
      `query Q($id: ID!) { helpRequest(id: $id) { id citizenName callerPhone message } }`,
      `query Q($id: ID!) { a: helpRequest(id: $id) { x: citizenName } b: helpRequest(id: $id) { ...H } } fragment H on HelpRequest { y: callerPhone }`,
      `query Q { helpRequests(wardCode: "00337", first: 50) { edges { node { citizenName callerPhone message } } } }`,
    ];

    describe.each(VIEWERS.map(([label]) => label))('%s', (label) => {
      const personal = EXPECTED[label]!.personal;
      it(`${personal ? 'reads' : 'never reads'} the caller’s name, phone and message`, async () => {
        for (const query of HELP_QUERIES) {
          const res = await gql(stack.gateway.url, query, { id: requestId }, { token: tokens.get(label)! });
          const body = JSON.stringify(res.data ?? {});
          if (personal) {
            expect({ query, errors: res.errors }).toEqual({ query, errors: undefined });
            expect(body).toContain(CALLER);
          } else {
            expect({ query, leaked: [CALLER, '+84977333444', 'Khó thở về đêm'].some((x) => body.includes(x)) }).toEqual({ query, leaked: false });
          }
        }
      });
      it(`${STATUS_READERS.includes(label) ? 'reads' : 'does not read'} the request’s status, never anything personal`, async () => {
        const res = ok(await gql(stack.gateway.url, `query S($id: ID!) { helpRequestStatus(id: $id) { id status need } }`, { id: requestId }, { token: tokens.get(label)! }));
        expect(res.helpRequestStatus).toEqual(STATUS_READERS.includes(label) ? { id: requestId, status: 'OPEN', need: 'BREATHING' } : null);
      });
      it('reads where to call for help', async () => {
        const res = ok(await gql(stack.gateway.url, `{ ward(code: "00337") { helpContacts { id contacts { phones } } helpDesk { open escalated } } }`, {}, { token: tokens.get(label)! }));
        expect(res.ward.helpContacts).toEqual([{ id: 'CS-AUTH', contacts: { phones: ['+842438641234'] } }]);
      });
    });

    it('writes every read of a caller’s personal data to the audit log', async () => {
      await gql(stack.gateway.url, HELP_QUERIES[0]!, { id: requestId }, { token: tokens.get('ward officer of 00337')! });
      await stack.subgraphs.patients.runtime.audit.flush();
      const rows = await withDb<any, { subject: string; fields: string[] }[]>(db, 'patients', async (k) =>
        (await sql<{ subject: string; fields: string[] }>`select subject, fields from audit_log where entity = 'HelpRequest' and entity_id = ${requestId}`.execute(k)).rows,
      );
      expect(rows).toContainEqual({ subject: 'dev:ward_officer:00337', fields: ['callerPhone', 'citizenName', 'message'] });
    });
  });

  describe('supplies', () => {
    /** Stock is no personal data; movements name patients and staff: clinical roles over the place only. */
    const MOVEMENTS = ['city officer', 'district officer of 008', 'ward officer of 00337'];
    const LIVE_FEEDS = ['city officer', 'district officer of 008', 'district officer of 001', 'ward officer of 00337', 'ward officer of 00001', 'dashboard'];
    beforeAll(async () => {
      const city = tokens.get('city officer')!;
      const received = ok(await gql(stack.gateway.url, `mutation { receiveStock(input: { facilityId: "CS-AUTH", item: MEDICINE_PACKAGE_A, quantity: 3, reason: "Phiếu nhập kho" }) { __typename } }`, {}, { token: city }));
      expect(received.receiveStock.__typename).toBe('ReceiveStockSuccess');
      const given = ok(await gql(stack.gateway.url, `mutation D($p: ID!) { dispenseMedicinePackage(input: { patientId: $p, package: A, stationId: "CS-AUTH" }) { __typename } }`, { p: patientId }, { token: city }));
      expect(given.dispenseMedicinePackage.__typename).toBe('DispenseMedicinePackageSuccess');
    });

    describe.each(VIEWERS.map(([label]) => label))('%s', (label) => {
      it('reads stock levels and the area supplies', async () => {
        const res = await gql(stack.gateway.url, `{ facility(id: "CS-AUTH") { stock { item onHand low } } districts(codes: ["008"]) { supplies { items { item onHand } medicinePackageCoverage { share } } } }`, {}, { token: tokens.get(label)! });
        expect(res.errors).toBeUndefined();
        expect(res.data.facility.stock).toEqual([{ item: 'MEDICINE_PACKAGE_A', onHand: 2, low: false }]);
      });

      const mayReadMovements = MOVEMENTS.includes(label);
      it(`${mayReadMovements ? 'reads' : 'never reads'} the stock movements and the patient they name`, async () => {
        const res = await gql(stack.gateway.url, `{ facility(id: "CS-AUTH") { id stockMovements(first: 10) { edges { node { kind recordedBy patient { id fullName } } } } } }`, {}, { token: tokens.get(label)! });
        if (mayReadMovements) {
          expect(res.errors).toBeUndefined();
          const dispensed = res.data.facility.stockMovements.edges.map((e: any) => e.node).find((m: any) => m.kind === 'DISPENSED');
          expect(dispensed.patient).toEqual({ id: patientId, fullName: 'Trần Thị Riêng Tư' });
        } else {
          expect(codes(res.errors)).toEqual(['FORBIDDEN']);
          expect(res.data?.facility?.stockMovements ?? null).toBeNull();
          expect(JSON.stringify(res.data ?? {})).not.toContain('Trần Thị Riêng Tư');
        }
      });

      const mayListen = LIVE_FEEDS.includes(label);
      it(`${mayListen ? 'may' : 'may not'} subscribe to low-stock alerts`, async () => {
        const client = wsClient(stack.gateway.url, { authorization: `Bearer ${tokens.get(label)}` });
        const query = `subscription { stockLow { becameLow } }`;
        const alerts = subscribe(client, query, {}, mayListen ? { servedBy: stack.subgraphs.patients.runtime } : { refused: true });
        try {
          await alerts.ready;
          if (!mayListen) expect(JSON.stringify(await alerts.next(5_000))).toMatch(/FORBIDDEN|Not authorized/);
        } finally {
          alerts.close();
          await client.dispose();
        }
      });
    });

    it('writes every read of personal data through a movement to the audit log', async () => {
      const audited = async () => {
        await stack.subgraphs.patients.runtime.audit.flush();
        return withDb<any, number>(db, 'patients', async (k) =>
          (await sql<{ n: number }>`select count(*)::int as n from audit_log where entity = 'Patient' and entity_id = ${patientId} and role = 'WARD_OFFICER' and 'fullName' = any(fields)`.execute(k)).rows[0]!.n);
      };
      const before = await audited();
      const res = await gql(stack.gateway.url, `{ facility(id: "CS-AUTH") { stockMovements(first: 10) { edges { node { patient { fullName } } } } } }`, {}, { token: tokens.get('ward officer of 00337')! });
      expect(res.errors).toBeUndefined();
      expect(await audited()).toBe(before + 1);
    });
  });

  it('never sends personal data in subscription events to those who may not read it', async () => {
    const query = `subscription { tierChanged(districtCode: "008") { patient { id fullName phone } to } }`;
    const dashboardClient = wsClient(stack.gateway.url, { authorization: `Bearer ${tokens.get('dashboard')}` });
    const wardClient = wsClient(stack.gateway.url, { authorization: `Bearer ${tokens.get('ward officer of 00337')}` });
    const otherWardClient = wsClient(stack.gateway.url, { authorization: `Bearer ${tokens.get('ward officer of 00001')}` });
    const partnerClient = wsClient(stack.gateway.url, { authorization: `Bearer ${tokens.get('partner')}` });
    // A patient of the other ward: its tier change is the marker that ward's officer must hear.
    const neighbourId = (await registerPatient(stack.gateway.url, tokens.get('city officer')!, { wardCode: '00001', nationalId: null })).id;
    const servedBy = stack.subgraphs.patients.runtime;
    const dashboard = subscribe(dashboardClient, query, {}, { servedBy });
    const ward = subscribe(wardClient, query, {}, { servedBy });
    const otherWard = subscribe(otherWardClient, `subscription { tierChanged { patient { id } to } }`, {}, { servedBy });
    const partner = subscribe(partnerClient, query, {}, { refused: true });
    try {
      await Promise.all([dashboard.ready, ward.ready, otherWard.ready]);
      ok(await gql(stack.gateway.url, `mutation C($i: ChangeTierInput!) { changeTier(input: $i) { __typename } }`, { i: { patientId, to: 'TIER_2', reason: 'SpO2 95 %' } }, { token: tokens.get('city officer')! }));
      const seenByDashboard = await dashboard.next(10_000);
      expect(seenByDashboard.data?.tierChanged).toEqual({ patient: { id: patientId, fullName: null, phone: null }, to: 'TIER_2' });
      expect(codes(seenByDashboard.errors as never)).toEqual(['FORBIDDEN']);
      const seenByWard = await ward.next(10_000);
      expect(seenByWard.data?.tierChanged).toEqual({ patient: { id: patientId, fullName: 'Trần Thị Riêng Tư', phone: '+84912345678' }, to: 'TIER_2' });
      const refused = await partner.next(5_000);
      expect(JSON.stringify(refused)).toMatch(/FORBIDDEN|Not authorized/);
      // Another ward's officer hears nothing of this patient: the first event that reaches them is
      // the later change in their own ward (events arrive in commit order).
      ok(await gql(stack.gateway.url, `mutation C($i: ChangeTierInput!) { changeTier(input: $i) { __typename } }`, { i: { patientId: neighbourId, to: 'TIER_2', reason: 'SpO2 95 %' } }, { token: tokens.get('city officer')! }));
      expect((await otherWard.next(10_000)).data?.tierChanged).toEqual({ patient: { id: neighbourId }, to: 'TIER_2' });
      expect(otherWard.pending()).toEqual([]);
    } finally {
      for (const s of [dashboard, ward, otherWard, partner]) s.close();
      for (const c of [dashboardClient, wardClient, otherWardClient, partnerClient]) await c.dispose();
    }
  });

  it('never answers one viewer with the subgraph request of another sent in the same instant', async () => {
    // The gateway may send identical queries in flight to a subgraph once; the answer depends on
    // who asks, so only requests of one viewer may share it. Many at once, interleaved, so that
    // the requests of the two viewers overlap at the subgraph.
    const asking = Array.from({ length: 24 }, (_, i) => (i % 2 ? 'partner' : 'city officer'));
    const answers = await Promise.all(asking.map((label) => gql(stack.gateway.url, PLAIN, { id: patientId }, { token: tokens.get(label)! })));
    answers.forEach((res, i) => {
      const body = JSON.stringify(res.data ?? {});
      if (asking[i] === 'partner') {
        expect(body).not.toContain('Trần Thị Riêng Tư');
        expect(codes(res.errors)).toEqual(['FORBIDDEN']);
      } else {
        expect(body).toContain('Trần Thị Riêng Tư');
        expect(res.errors).toBeUndefined();
      }
    });
  });

  it('guards _entities: not exposed by the gateway, and authorized in the subgraph itself', async () => {
    const viaGateway = await gql(stack.gateway.url, `query E($r: [_Any!]!) { _entities(representations: $r) { ... on Patient { fullName } } }`, { r: [{ __typename: 'Patient', id: patientId }] }, { token: tokens.get('dashboard')! });
    expect(viaGateway.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const dashboardViewer = await signViewer({ subject: 'dashboard', role: 'DASHBOARD' }, testConfig.internalSecret);
    const direct = await gql(stack.urls.patients, `query E($r: [_Any!]!) { _entities(representations: $r) { ... on Patient { id fullName nationalId } } }`, { r: [{ __typename: 'Patient', id: patientId }] }, { headers: { 'x-hrg-viewer': dashboardViewer } });
    expect(direct.data?._entities).toEqual([{ id: patientId, fullName: null, nationalId: null }]);
    expect(codes(direct.errors)).toEqual(['FORBIDDEN']);
  });

  describe('the 07:00 report duty and data-entry lag (aggregates: dashboards and health officers, not partners)', () => {
    const READERS = ['city officer', 'district officer of 008', 'district officer of 001', 'ward officer of 00337', 'ward officer of 00001', 'dashboard'];
    const SUBMITTERS = ['city officer', 'district officer of 008', 'ward officer of 00337'];
    const DUTY = `query D($date: Date!) {
      cityReportDuty(date: $date) { late missing }
      district(code: "008") { reportDuty(date: $date) { late missingWardCodes } dataEntryLag { cases p50Minutes } }
      wards(codes: ["00337"]) { reportSubmission(date: $date) { id minutesLate } dataEntryLag { cases p90Minutes } }
    }`;
    const SUBMIT = `mutation S($i: SubmitDailyReportInput!) { submitDailyReport(input: $i) { __typename } }`;
    const today = cityDate(new Date());

    describe.each(VIEWERS.map(([label]) => label))('%s', (label) => {
      const reads = READERS.includes(label);
      it(`${reads ? 'reads' : 'may not read'} the duty, a ward's submission and the lag`, async () => {
        const res = await gql(stack.gateway.url, DUTY, { date: today }, { token: tokens.get(label)! });
        if (reads) {
          expect(res.errors).toBeUndefined();
          expect(res.data.district.reportDuty.missingWardCodes).toEqual([]);
          expect(res.data.wards[0].dataEntryLag.cases).toBeGreaterThanOrEqual(1);
        } else {
          expect(codes(res.errors)).toEqual(['FORBIDDEN']);
          expect([res.data?.cityReportDuty, res.data?.district?.reportDuty, res.data?.district?.dataEntryLag, res.data?.wards?.[0]?.reportSubmission, res.data?.wards?.[0]?.dataEntryLag]).toEqual([null, null, null, null, null]);
        }
      });

      const submits = SUBMITTERS.includes(label);
      it(`${submits ? 'may' : 'may not'} submit the report of ward 00337`, async () => {
        const res = await gql(stack.gateway.url, SUBMIT, { i: { wardCode: '00337', date: today, idempotencyKey: `authz-${label.replace(/\W/g, '-')}` } }, { token: tokens.get(label)! });
        if (submits) expect(res.data?.submitDailyReport?.__typename).toBe('SubmitDailyReportSuccess');
        else expect(codes(res.errors)).toEqual(['FORBIDDEN']);
      });
    });

    it("shows a correction's reason (free text, possibly about a person) only to health officers over the ward, audited", async () => {
      const day = cityDate(new Date(Date.now() - 3 * 86_400_000));
      const REASON = 'Cụ ông N.V.A. mất tại nhà đêm qua';
      const submitted = ok(await gql(stack.gateway.url, `mutation S($i: SubmitDailyReportInput!) { submitDailyReport(input: $i) { __typename } }`, {
        i: { wardCode: '00337', date: day, corrections: [{ figure: 'DEATHS', value: 1 }], reason: REASON, idempotencyKey: 'authz-report-reason' },
      }, { token: tokens.get('ward officer of 00337')! }));
      expect(submitted.submitDailyReport.__typename).toBe('SubmitDailyReportSuccess');
      const mayRead = ['city officer', 'district officer of 008', 'ward officer of 00337'];
      for (const label of READERS) {
        const res = await gql(stack.gateway.url, `query R($d: Date!) { wards(codes: ["00337"]) { reportSubmission(date: $d) { minutesLate reason } } }`, { d: day }, { token: tokens.get(label)! });
        const submission = res.data?.wards?.[0]?.reportSubmission;
        expect({ label, minutesLate: submission?.minutesLate > 0 }).toEqual({ label, minutesLate: true });
        if (mayRead.includes(label)) expect({ label, reason: submission.reason, errors: res.errors }).toEqual({ label, reason: REASON, errors: undefined });
        else expect({ label, reason: submission.reason, codes: codes(res.errors) }).toEqual({ label, reason: null, codes: ['FORBIDDEN'] });
      }
      await stack.subgraphs.patients.runtime.audit.flush();
      const audited = await withDb<any, number>(db, 'patients', async (k) =>
        (await sql<{ n: number }>`select count(*)::int as n from audit_log where entity = 'WardReportSubmission' and 'reason' = any(fields)`.execute(k)).rows[0]!.n);
      expect(audited).toBe(mayRead.length);
    });
  });

  it('refuses writes to roles and places that may not make them', async () => {
    const cases: [string, string, Record<string, unknown>][] = [
      ['dashboard', ADMIT, { input: { patientId, facilityId: 'CS-AUTH', bedKind: 'GENERAL' } }],
      ['partner', ADMIT, { input: { patientId, facilityId: 'CS-AUTH', bedKind: 'GENERAL' } }],
      ['ward officer of 00001', ADMIT, { input: { patientId, facilityId: 'CS-AUTH', bedKind: 'GENERAL' } }],
      ['ward officer of 00337', `mutation { updateBedCapacity(input: { facilityId: "CS-AUTH", bedKind: GENERAL, total: 20, covidDesignated: 20 }) { __typename } }`, {}],
      ['district officer of 001', `mutation { updateBedCapacity(input: { facilityId: "CS-AUTH", bedKind: GENERAL, total: 20, covidDesignated: 20 }) { __typename } }`, {}],
      ['ward officer of 00337', `mutation { recordDose(input: { nationalId: "001080012345", dose: PRIMARY_1, vaccine: PFIZER_BIONTECH, administeredAt: "2021-09-01T09:00:00+07:00" }) { __typename } }`, {}],
      ['partner', `mutation { assignUnassignedPatients(wardCode: "00337") { assigned } }`, {}],
    ];
    for (const [label, query, variables] of cases) {
      const res = await gql(stack.gateway.url, query, variables, { token: tokens.get(label)! });
      expect({ label, query: query.slice(0, 40), codes: codes(res.errors) }).toEqual({ label, query: query.slice(0, 40), codes: ['FORBIDDEN'] });
    }
    const district008 = await gql(stack.gateway.url, `mutation { updateBedCapacity(input: { facilityId: "CS-AUTH", bedKind: GENERAL, total: 20, covidDesignated: 20 }) { __typename } }`, {}, { token: tokens.get('district officer of 008')! });
    expect(district008.data?.updateBedCapacity.__typename).toBe('UpdateBedCapacitySuccess');
  });

  it('audits each of a viewer\'s identical reads sent in the same instant (the gateway does not merge them into one)', async () => {
    const officer = await token('DISTRICT_OFFICER', { district: '008', subject: 'audit:twelve-at-once' });
    const answers = await Promise.all(Array.from({ length: 12 }, () => gql(stack.gateway.url, PLAIN, { id: patientId }, { token: officer })));
    for (const res of answers) expect(res.data?.patient?.fullName).toBe('Trần Thị Riêng Tư');
    await stack.subgraphs.patients.runtime.audit.flush();
    const [row] = await withDb<any, { reads: string }[]>(db, 'patients', async (k) =>
      (await sql<{ reads: string }>`select count(*) as reads from audit_log where entity = 'Patient' and entity_id = ${patientId} and subject = 'audit:twelve-at-once'`.execute(k)).rows,
    );
    expect(Number(row!.reads)).toBe(12);
  });

  it('writes every read of personal data to the audit log', async () => {
    await gql(stack.gateway.url, PLAIN, { id: patientId }, { token: tokens.get('ward officer of 00337')! });
    await stack.subgraphs.patients.runtime.audit.flush();
    const rows = await withDb<any, { subject: string; role: string; fields: string[] }[]>(db, 'patients', async (k) =>
      (await sql<{ subject: string; role: string; fields: string[] }>`select subject, role, fields from audit_log where entity = 'Patient' and entity_id = ${patientId} and role = 'WARD_OFFICER'`.execute(k)).rows,
    );
    expect(rows).toContainEqual({ subject: 'dev:ward_officer:00337', role: 'WARD_OFFICER', fields: ['address', 'dateOfBirth', 'fullName', 'nationalId', 'phone'] });
  });
});
