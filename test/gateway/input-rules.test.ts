/**
 * What an attacker sees when probing inputs through the gateway: idempotency keys reused for other
 * payloads, error payloads that name things outside the viewer's jurisdiction, unbounded text,
 * answers that tell "exists elsewhere" from "does not exist", NUL bytes, crafted cursors,
 * impossible dates and references to facilities that do not exist.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography, withDb } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, ok, token, type GraphQLResponse } from '../support/client.js';
import { patientInput, registerPatient } from '../support/patients.js';

const REGISTER_RESIDENT = `mutation R($input: RegisterResidentInput!) { registerResident(input: $input) { __typename
  ... on RegisterResidentSuccess { resident { id } } ... on ValidationError { fields { path } } ... on Error { code message } } }`;
const DOSE = `mutation D($input: RecordDoseInput!) { recordDose(input: $input) { __typename
  ... on RecordDoseSuccess { record { id dose vaccine lot administeredAt } }
  ... on ValidationError { fields { path message } } ... on Error { code message } } }`;
const HOME = `mutation H($input: RequestHomeVaccinationInput!) { requestHomeVaccination(input: $input) { __typename
  ... on RequestHomeVaccinationSuccess { request { id reason } } ... on ValidationError { fields { path } } ... on Error { code message } } }`;
const RESIDENT = `query R($nid: String!) { resident(nationalId: $nid) { id fullName } }`;
const RECORDS = `query R($nid: String!) { resident(nationalId: $nid) { records { id lot } } }`;

const REGISTER = `mutation Register($input: RegisterPatientInput!) { registerPatient(input: $input) { __typename
  ... on RegisterPatientSuccess { patient { id } } ... on DuplicateActiveCase { existingPatientId }
  ... on ValidationError { fields { path } } ... on Error { code message } } }`;
const OPEN_HELP = `mutation O($input: OpenHelpRequestInput!) { openHelpRequest(input: $input) { __typename
  ... on OpenHelpRequestSuccess { helpRequest { id channel callerPhone message } } ... on ValidationError { fields { path } } ... on Error { code message } } }`;
const ACK_HELP = `mutation A($id: ID!) { acknowledgeHelpRequest(id: $id) { __typename ... on Error { code message } } }`;
const HELP = `query H($id: ID!) { helpRequest(id: $id) { id } }`;

const REGISTER_WORKER = `mutation W($input: RegisterHealthWorkerInput!) { registerHealthWorker(input: $input) { __typename
  ... on RegisterHealthWorkerSuccess { worker { id } } ... on ValidationError { fields { path } } ... on Error { code } } }`;
const UPDATE_WORKER = `mutation U($input: UpdateHealthWorkerInput!) { updateHealthWorker(input: $input) { __typename ... on Error { code message } } }`;
const CREATE_TEAM = `mutation T($input: CreateTeamInput!) { createTeam(input: $input) { __typename
  ... on CreateTeamSuccess { team { id name } } ... on ValidationError { fields { path } } ... on Error { code message } } }`;
const ASSIGN_AREA = `mutation A($input: AssignAreaInput!) { assignArea(input: $input) { __typename ... on ValidationError { fields { path } } ... on Error { code } } }`;
const DUTY = `mutation D($input: AssignFacilityDutyInput!) { assignFacilityDuty(input: $input) { __typename
  ... on NotFoundError { entity id } ... on ValidationError { fields { path } } ... on Error { code message } } }`;
const ASSIGN_CARE = `mutation A($input: AssignCareInput!) { assignCare(input: $input) { __typename ... on Error { code message } } }`;
const END_CARE = `mutation E($id: ID!) { endCare(patientId: $id) { __typename ... on Error { code message } } }`;
const WORKER = `query W($id: ID!) { healthWorker(id: $id) { id } }`;

const nid = (n: number, year = 1960) => `001${year >= 2000 ? 2 : 0}${String(year).slice(2)}${String(n).padStart(6, '0')}`;
const at = (date: string) => `${date}T09:00:00+07:00`;
const cursor = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');
const codes = (res: GraphQLResponse) => [...new Set((res.errors ?? []).map((e) => e.extensions?.code))];
/** The part of an answer an outsider can compare: typename, code and top-level error codes, ids and citizen IDs blanked. */
const shape = (res: GraphQLResponse, field: string, sent: string) => ({
  data: JSON.stringify(res.data?.[field] ?? null).split(sent).join('<sent>'),
  errors: codes(res),
});

describe('input rules at the gateway', () => {
  let db: TestDatabase;
  let stack: Stack;
  const t: Record<string, string> = {};
  const call = (who: string, query: string, variables: Record<string, unknown> = {}) => gql(stack.gateway.url, query, variables, { token: t[who] });
  const count = (subgraph: 'vaccination' | 'workforce' | 'patients', table: string) =>
    withDb<any, number>(db, subgraph, async (k) => Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(k)).rows[0]!.n));
  const resident = async (n: number, year: number, wardCode = '00337', extra: Record<string, unknown> = {}) => {
    const r = ok(await call('city', REGISTER_RESIDENT, { input: { nationalId: nid(n, year), fullName: `Cư dân ${n}`, dateOfBirth: `${year}-03-15`, wardCode, ...extra } })).registerResident;
    expect(r.__typename).toBe('RegisterResidentSuccess');
    return nid(n, year);
  };
  const worker = async (wardCode: string) => {
    const r = ok(await call('city', REGISTER_WORKER, { input: { fullName: 'Phạm Văn Y Tá', role: 'NURSE', origin: 'PUBLIC_STAFF', homeWardCode: wardCode, maxCaseload: 10 } })).registerHealthWorker;
    expect(r.__typename).toBe('RegisterHealthWorkerSuccess');
    return r.worker.id as string;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [{ id: 'CS-IR', wardCode: '00337' }]);
    stack = await startStack(db);
    const viewers: [string, Parameters<typeof token>[0], Parameters<typeof token>[1]][] = [
      ['city', 'CITY_OFFICER', {}],
      ['district008', 'DISTRICT_OFFICER', { district: '008' }],
      ['ward00337', 'WARD_OFFICER', { ward: '00337' }],
      ['ward00001', 'WARD_OFFICER', { ward: '00001' }],
      ['vaccinator008', 'VACCINATOR', { district: '008' }],
      ['vaccinator001', 'VACCINATOR', { district: '001' }],
      ['partner', 'PARTNER', {}],
    ];
    for (const [name, role, scope] of viewers) t[name] = await token(role, scope);
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  it('recordDose: a reused idempotency key is checked after jurisdiction and never hands out another resident’s record', async () => {
    const a = await resident(1, 1970);
    const b = await resident(2, 1971);
    const c = await resident(3, 1972, '00001');
    const key = 'dose-key-0001';
    const first = ok(await call('vaccinator008', DOSE, { input: { nationalId: a, dose: 'PRIMARY_1', vaccine: 'PFIZER_BIONTECH', administeredAt: at('2021-09-01'), lot: 'LOT-A', idempotencyKey: key } })).recordDose;
    expect(first.__typename).toBe('RecordDoseSuccess');

    // The same key for another resident, another day and lot: a conflict, and B still has no dose.
    const reused = ok(await call('vaccinator008', DOSE, { input: { nationalId: b, dose: 'PRIMARY_1', vaccine: 'PFIZER_BIONTECH', administeredAt: at('2021-10-05'), lot: 'LOT-B', idempotencyKey: key } })).recordDose;
    expect(reused).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    expect(JSON.stringify(reused)).not.toContain(first.record.id);
    expect(ok(await call('vaccinator008', RECORDS, { nid: b })).resident.records).toEqual([]);

    // Any field that differs is a conflict; the identical payload is the first record again.
    for (const change of [{ lot: 'LOT-Z' }, { administeredAt: at('2021-09-02') }, { vaccine: 'MODERNA' }, { atHome: true }, { siteFacilityId: 'CS-IR' }]) {
      const res = ok(await call('vaccinator008', DOSE, { input: { nationalId: a, dose: 'PRIMARY_1', vaccine: 'PFIZER_BIONTECH', administeredAt: at('2021-09-01'), lot: 'LOT-A', idempotencyKey: key, ...change } })).recordDose;
      expect({ change, typename: res.__typename }).toEqual({ change, typename: 'ConflictError' });
    }
    const replay = ok(await call('vaccinator008', DOSE, { input: { nationalId: a, dose: 'PRIMARY_1', vaccine: 'PFIZER_BIONTECH', administeredAt: at('2021-09-01'), lot: 'LOT-A', idempotencyKey: key } })).recordDose;
    expect(replay).toEqual(first);

    // Another district's vaccinator replaying A's exact request learns nothing about A.
    const foreign = await call('vaccinator001', DOSE, { input: { nationalId: a, dose: 'PRIMARY_1', vaccine: 'PFIZER_BIONTECH', administeredAt: at('2021-09-01'), lot: 'LOT-A', idempotencyKey: key } });
    expect(JSON.stringify(foreign)).not.toContain(first.record.id);
    expect(foreign.data?.recordDose?.__typename).not.toBe('RecordDoseSuccess');
    // …and with the key on a resident of their own district it is a conflict, not A's record.
    const own = ok(await call('vaccinator001', DOSE, { input: { nationalId: c, dose: 'PRIMARY_1', vaccine: 'PFIZER_BIONTECH', administeredAt: at('2021-09-01'), lot: 'LOT-A', idempotencyKey: key } })).recordDose;
    expect(own).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    expect(await count('vaccination', 'vaccination_record')).toBe(1);
  });

  it('registerPatient and openHelpRequest compare the whole payload on replay', async () => {
    const input = patientInput({ wardCode: '00337', idempotencyKey: 'patient-key-0001', phone: '0912345678' });
    const first = ok(await call('ward00337', REGISTER, { input })).registerPatient;
    expect(first.__typename).toBe('RegisterPatientSuccess');
    for (const change of [{ phone: '0987654321' }, { address: 'Số 99 phố Khác' }, { sex: 'FEMALE' }, { confirmation: 'PCR' }, { tier: 'TIER_2' }, { nationalId: '001099000777' }, { confirmedAt: new Date(Date.now() - 7_200_000).toISOString() }, { riskFactors: ['COMORBIDITY'] }]) {
      const res = ok(await call('ward00337', REGISTER, { input: { ...input, ...change } })).registerPatient;
      expect({ change, res }).toMatchObject({ change, res: { __typename: 'ConflictError', code: 'CONFLICT' } });
    }
    // A tier changed since does not make the original request look different.
    ok(await call('ward00337', `mutation C($i: ChangeTierInput!) { changeTier(input: $i) { __typename } }`, { i: { patientId: first.patient.id, to: 'TIER_2', reason: 'SpO2 95 %' } }));
    expect(ok(await call('ward00337', REGISTER, { input })).registerPatient).toEqual(first);
    // Someone without the ward is refused before the key is looked at.
    expect(codes(await call('ward00001', REGISTER, { input }))).toEqual(['FORBIDDEN']);

    const help = { wardCode: '00337', channel: 'HOTLINE_1022', message: 'Cần bác sĩ', callerPhone: '0912345678', idempotencyKey: 'help-key-0001' };
    const opened = ok(await call('ward00337', OPEN_HELP, { input: help })).openHelpRequest;
    expect(opened.__typename).toBe('OpenHelpRequestSuccess');
    for (const change of [{ channel: 'ZALO' }, { callerPhone: '0987654321' }, { patientId: first.patient.id }]) {
      const res = ok(await call('ward00337', OPEN_HELP, { input: { ...help, ...change } })).openHelpRequest;
      expect({ change, typename: res.__typename }).toEqual({ change, typename: 'ConflictError' });
    }
    expect(ok(await call('ward00337', OPEN_HELP, { input: help })).openHelpRequest).toEqual(opened);
  });

  it('DuplicateActiveCase names the open case only to viewers who cover its ward', async () => {
    const nationalId = '001085004242';
    const open = await registerPatient(stack.gateway.url, t.city!, { wardCode: '00337', nationalId });
    const outsider = ok(await call('ward00001', REGISTER, { input: patientInput({ wardCode: '00001', nationalId }) })).registerPatient;
    expect(outsider).toMatchObject({ __typename: 'DuplicateActiveCase', code: 'DUPLICATE_ACTIVE_CASE', existingPatientId: null });
    expect(JSON.stringify(outsider)).not.toContain(open.id);
    const insider = ok(await call('district008', REGISTER, { input: patientInput({ wardCode: '00337', nationalId }) })).registerPatient;
    expect(insider).toMatchObject({ __typename: 'DuplicateActiveCase', existingPatientId: open.id });
  });

  it('gives every free-text input a maximum, refused with its path before anything is written', async () => {
    const long = 'x'.repeat(5_000);
    const teams = await count('workforce', 'team');
    const w = await worker('00337');
    const team = ok(await call('city', CREATE_TEAM, { input: { name: long, kind: 'HOME_CARE_SUPPORT', wardCode: '00337', memberIds: [w] } })).createTeam;
    expect(team).toMatchObject({ __typename: 'ValidationError', fields: [{ path: ['input', 'name'] }] });
    expect(await count('workforce', 'team')).toBe(teams);
    const area = ok(await call('city', ASSIGN_AREA, { input: { workerId: w, wardCode: '00337', residentialGroup: long } })).assignArea;
    expect(area).toMatchObject({ __typename: 'ValidationError', fields: [{ path: ['input', 'residentialGroup'] }] });
    const duty = ok(await call('city', DUTY, { input: { workerId: w, facilityId: long, startsAt: at('2022-01-10') } })).assignFacilityDuty;
    expect(duty).toMatchObject({ __typename: 'ValidationError', fields: [{ path: ['input', 'facilityId'] }] });
    const members = ok(await call('city', CREATE_TEAM, { input: { name: 'Tổ 1', kind: 'HOME_CARE_SUPPORT', wardCode: '00337', memberIds: Array.from({ length: 1_000 }, (_, i) => `HW-${i}`) } })).createTeam;
    expect(members).toMatchObject({ __typename: 'ValidationError', fields: [{ path: ['input', 'memberIds'] }] });

    const elder = await resident(50, 1940, '00337', { homebound: true, comorbidities: true });
    const home = ok(await call('vaccinator008', HOME, { input: { nationalId: elder, reason: long } })).requestHomeVaccination;
    expect(home).toMatchObject({ __typename: 'ValidationError', fields: [{ path: ['input', 'reason'] }] });
    expect(await count('vaccination', 'home_vaccination_request')).toBe(0);
    const resolution = ok(await call('ward00337', `mutation R($i: ResolveHelpRequestInput!) { resolveHelpRequest(input: $i) { __typename ... on ValidationError { fields { path } } } }`, { i: { id: '00000000-0000-4000-8000-000000000000', resolution: long } })).resolveHelpRequest;
    expect(resolution).toMatchObject({ __typename: 'ValidationError', fields: [{ path: ['input', 'resolution'] }] });
  });

  it('answers "exists outside my jurisdiction" exactly like "does not exist"', async () => {
    const existing = await resident(60, 1950);
    const unknown = nid(999_999, 1950);
    // resident(nationalId): a partner and another district's vaccinator.
    for (const who of ['partner', 'vaccinator001', 'ward00001']) {
      const seen = await call(who, RESIDENT, { nid: existing });
      const missing = await call(who, RESIDENT, { nid: unknown });
      expect({ who, seen: shape(seen, 'resident', existing) }).toEqual({ who, seen: shape(missing, 'resident', unknown) });
      expect(JSON.stringify(seen)).not.toContain('Cư dân 60');
    }
    // Writes naming a resident of another district.
    for (const [query, field, input] of [
      [DOSE, 'recordDose', (n: string) => ({ nationalId: n, dose: 'PRIMARY_1', vaccine: 'JANSSEN', administeredAt: at('2021-11-01') })],
      [HOME, 'requestHomeVaccination', (n: string) => ({ nationalId: n, reason: 'Liệt giường' })],
    ] as const) {
      const seen = await call('vaccinator001', query, { input: input(existing) });
      const missing = await call('vaccinator001', query, { input: input(unknown) });
      expect({ field, seen: shape(seen, field, existing) }).toEqual({ field, seen: shape(missing, field, unknown) });
    }

    // Health workers: a partner reading one, an officer of another ward changing one.
    const w = await worker('00337');
    const other = 'HW-00000000';
    expect(shape(await call('partner', WORKER, { id: w }), 'healthWorker', w)).toEqual(shape(await call('partner', WORKER, { id: other }), 'healthWorker', other));
    for (const [query, field, vars] of [
      [UPDATE_WORKER, 'updateHealthWorker', (id: string) => ({ input: { workerId: id, maxCaseload: 5 } })],
      [ASSIGN_AREA, 'assignArea', (id: string) => ({ input: { workerId: id, wardCode: '00001' } })],
      [DUTY, 'assignFacilityDuty', (id: string) => ({ input: { workerId: id, facilityId: 'CS-IR', startsAt: at('2022-01-10') } })],
    ] as const) {
      const seen = await call('ward00001', query, vars(w));
      const missing = await call('ward00001', query, vars(other));
      expect({ field, seen: shape(seen, field, w) }).toEqual({ field, seen: shape(missing, field, other) });
    }
    // Naming another ward's worker for one's own patient, or as a team member.
    const mine = await registerPatient(stack.gateway.url, t.ward00001!, { wardCode: '00001', nationalId: null });
    const careSeen = await call('ward00001', ASSIGN_CARE, { input: { patientId: mine.id, workerId: w } });
    const careMissing = await call('ward00001', ASSIGN_CARE, { input: { patientId: mine.id, workerId: other } });
    expect(shape(careSeen, 'assignCare', w)).toEqual(shape(careMissing, 'assignCare', other));
    const teamSeen = await call('ward00001', CREATE_TEAM, { input: { name: 'Tổ Covid', kind: 'COMMUNITY_COVID', wardCode: '00001', memberIds: [w] } });
    const teamMissing = await call('ward00001', CREATE_TEAM, { input: { name: 'Tổ Covid', kind: 'COMMUNITY_COVID', wardCode: '00001', memberIds: [other] } });
    expect(shape(teamSeen, 'createTeam', w)).toEqual(shape(teamMissing, 'createTeam', other));

    // Patients and help requests of ward 00337 seen from ward 00001.
    const theirs = await registerPatient(stack.gateway.url, t.city!, { wardCode: '00337', nationalId: null });
    const nobody = '0f0f0f0f-0000-4000-8000-000000000000';
    for (const [query, field, vars] of [
      [ASSIGN_CARE, 'assignCare', (id: string) => ({ input: { patientId: id } })],
      [END_CARE, 'endCare', (id: string) => ({ id })],
      [OPEN_HELP, 'openHelpRequest', (id: string) => ({ input: { wardCode: '00001', channel: 'PHONE', message: 'Hỏi thăm', patientId: id } })],
    ] as const) {
      const seen = await call('ward00001', query, vars(theirs.id));
      const missing = await call('ward00001', query, vars(nobody));
      expect({ field, seen: shape(seen, field, theirs.id) }).toEqual({ field, seen: shape(missing, field, nobody) });
    }
    const request = ok(await call('ward00337', OPEN_HELP, { input: { wardCode: '00337', channel: 'PHONE', message: 'Sốt cao' } })).openHelpRequest.helpRequest.id as string;
    expect(shape(await call('ward00001', ACK_HELP, { id: request }), 'acknowledgeHelpRequest', request)).toEqual(shape(await call('ward00001', ACK_HELP, { id: nobody }), 'acknowledgeHelpRequest', nobody));
    expect(shape(await call('ward00001', HELP, { id: request }), 'helpRequest', request)).toEqual(shape(await call('ward00001', HELP, { id: nobody }), 'helpRequest', nobody));
  });

  it('refuses NUL bytes and crafted cursors as bad input, never an internal error', async () => {
    const w = await worker('00337');
    const teams = await count('workforce', 'team');
    const attempts: [string, string, Record<string, unknown>][] = [
      ['city', CREATE_TEAM, { input: { name: 'Tổ\u0000 1', kind: 'HOME_CARE_SUPPORT', wardCode: '00337', memberIds: [w] } }],
      ['city', REGISTER, { input: patientInput({ fullName: 'Nguyễn\u0000Văn A' }) }],
      ['city', REGISTER_RESIDENT, { input: { nationalId: nid(70, 1980), fullName: 'Cư\u0000dân', dateOfBirth: '1980-01-01', wardCode: '00337' } }],
      ['city', RESIDENT, { nid: '001080\u0000000001' }],
      ['city', WORKER, { id: 'HW-\u0000' }],
      ['city', `query { healthWorkers(wardCode: "00337", after: "${cursor(['HW-\u0000'])}") { edges { node { id } } } }`, {}],
      ['city', `query { vaccinationGaps(wardCode: "00337", kind: OVER_50_WITHOUT_DOSE_1, after: "${cursor(['R-\u0000'])}") { edges { node { id } } } }`, {}],
      ['city', `query { helpRequests(after: "${cursor(['yesterday', 'x'])}") { edges { node { id } } } }`, {}],
      ['city', `query { helpRequests(after: "${cursor(['2022-01-01T00:00:00.000Z', 'not-a-uuid'])}") { edges { node { id } } } }`, {}],
      ['city', `query { patients(after: "${cursor(['+275760-09-13T00:00:00.000Z', 'x'])}") { edges { node { id } } } }`, {}],
      ['city', `query { facilities(after: "${cursor(['a\u0000', 'b'])}") { edges { node { id } } } }`, {}],
    ];
    for (const [who, query, variables] of attempts) {
      const res = await call(who, query, variables);
      const field = res.data && Object.values(res.data)[0];
      const refusedInBand = (field as { __typename?: string } | null)?.__typename === 'ValidationError';
      expect({ query: query.slice(0, 60), refused: refusedInBand ? ['VALIDATION_FAILED'] : codes(res) }).toEqual({
        query: query.slice(0, 60),
        refused: refusedInBand ? ['VALIDATION_FAILED'] : ['BAD_USER_INPUT'],
      });
    }
    expect(await count('workforce', 'team')).toBe(teams);
  });

  it('refuses impossible dates and years outside 1900..2100 in Date and DateTime', async () => {
    const person = await resident(80, 1945, '00337', { homebound: true, comorbidities: true });
    const w = await worker('00337');
    const before = [await count('vaccination', 'vaccination_record'), await count('vaccination', 'home_vaccination_request'), await count('workforce', 'facility_duty')];
    const attempts: [string, string, Record<string, unknown>][] = [
      ['vaccinator008', DOSE, { input: { nationalId: person, dose: 'PRIMARY_1', vaccine: 'JANSSEN', administeredAt: '2022-02-30T09:00:00+07:00' } }],
      ['vaccinator008', DOSE, { input: { nationalId: person, dose: 'PRIMARY_1', vaccine: 'JANSSEN', administeredAt: '2022-01-10T25:00:00+07:00' } }],
      ['vaccinator008', HOME, { input: { nationalId: person, reason: 'Liệt giường', scheduledFor: '9999-12-31' } }],
      ['vaccinator008', HOME, { input: { nationalId: person, reason: 'Liệt giường', scheduledFor: '2026-02-30' } }],
      ['city', REGISTER_RESIDENT, { input: { nationalId: nid(81, 1980), fullName: 'Cư dân cổ', dateOfBirth: '0100-01-01', wardCode: '00337' } }],
      ['city', DUTY, { input: { workerId: w, facilityId: 'CS-IR', startsAt: '9999-01-01T00:00:00+07:00' } }],
      ['city', DUTY, { input: { workerId: w, facilityId: 'CS-IR', startsAt: '1800-01-01T00:00:00+07:00' } }],
    ];
    for (const [who, query, variables] of attempts) {
      const res = await call(who, query, variables);
      expect({ variables, codes: codes(res), message: res.errors?.[0]?.message }).toEqual({ variables, codes: ['BAD_USER_INPUT'], message: expect.stringMatching(/date|Date/) });
    }
    expect([await count('vaccination', 'vaccination_record'), await count('vaccination', 'home_vaccination_request'), await count('workforce', 'facility_duty')]).toEqual(before);
  });

  it('bounds the ids and codes read arguments name before any lookup, and never echoes an oversized one', async () => {
    const long = '0'.repeat(5_000);
    const reads: [string, Record<string, unknown>][] = [
      [RESIDENT, { nid: long }],
      [`query T($w: ID!) { teams(wardCode: $w) { id } }`, { w: long }],
      [WORKER, { id: long }],
    ];
    for (const [query, variables] of reads) {
      const res = await call('city', query, variables);
      expect({ query, codes: codes(res), echoed: JSON.stringify(res).includes(long) }).toEqual({ query, codes: ['BAD_USER_INPUT'], echoed: false });
    }
    const DECLARE = `mutation D($input: DeclareEpidemicLevelInput!) { declareEpidemicLevel(input: $input) { __typename ... on ValidationError { fields { path message } } } }`;
    const declared = await call('city', DECLARE, { input: { areaCode: long, level: 2, decisionNumber: '12/QĐ-UBND', effectiveFrom: '2021-08-01', measures: [] } });
    expect(declared.data?.declareEpidemicLevel).toMatchObject({ __typename: 'ValidationError', fields: [{ path: ['input', 'areaCode'] }] });
    expect(JSON.stringify(declared)).not.toContain(long);
  });

  it('assignFacilityDuty refuses a facility that does not exist', async () => {
    const w = await worker('00337');
    const before = await count('workforce', 'facility_duty');
    const missing = ok(await call('city', DUTY, { input: { workerId: w, facilityId: 'CS-NOPE', startsAt: at('2022-01-10') } })).assignFacilityDuty;
    expect(missing).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND', entity: 'Facility', id: 'CS-NOPE' });
    expect(await count('workforce', 'facility_duty')).toBe(before);
    const real = ok(await call('city', DUTY, { input: { workerId: w, facilityId: 'CS-IR', startsAt: at('2022-01-10') } })).assignFacilityDuty;
    expect(real.__typename).toBe('AssignFacilityDutySuccess');
    expect(await count('workforce', 'facility_duty')).toBe(before + 1);
  });
});
