/**
 * Field work of the vaccination teams through the gateway: mobile points and their sessions (a
 * dose given in a session counts in it, and must fall in its hours, be of its vaccine, at a point
 * of the writer's jurisdiction), and home-vaccination requests given to a workforce team, closed
 * by the dose or cancelled with a reason.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { seedGeography, withDb } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, ok, token } from '../support/client.js';
import { REFUSED_PORT } from '../support/wait.js';
import { cityDate } from '../../subgraphs/common/graphql/scalars.js';

const REGISTER_RESIDENT = `mutation R($input: RegisterResidentInput!) { registerResident(input: $input) { __typename ... on Error { code message } } }`;
const DOSE = `mutation D($input: RecordDoseInput!) { recordDose(input: $input) { __typename
  ... on RecordDoseSuccess { record { id session { id dosesGiven } } }
  ... on DoseOutsideSession { startsAt endsAt vaccine } ... on ValidationError { fields { path } } ... on Error { code message } } }`;
const POINT = `mutation P($input: CreateVaccinationPointInput!) { createVaccinationPoint(input: $input) { __typename
  ... on CreateVaccinationPointSuccess { point { id name active } } ... on ValidationError { fields { path } } ... on Error { code message } } }`;
const SESSION = `mutation S($input: ScheduleVaccinationSessionInput!) { scheduleVaccinationSession(input: $input) { __typename
  ... on ScheduleVaccinationSessionSuccess { session { id } } ... on ValidationError { fields { path } } ... on Error { code message } } }`;
const SESSIONS = `query S($filter: VaccinationSessionFilter) { vaccinationSessions(filter: $filter, first: 50) {
  edges { node { id vaccine plannedDoses dosesGiven point { name wardCode } } } } }`;
const REQUEST = `mutation H($input: RequestHomeVaccinationInput!) { requestHomeVaccination(input: $input) { __typename ... on RequestHomeVaccinationSuccess { request { id status } } ... on Error { code message } } }`;
const ASSIGN = `mutation A($input: AssignHomeVaccinationInput!) { assignHomeVaccination(input: $input) { __typename
  ... on AssignHomeVaccinationSuccess { request { status team { id name kind } } } ... on ValidationError { fields { path } } ... on Error { code message } } }`;
const CANCEL = `mutation C($input: CancelHomeVaccinationInput!) { cancelHomeVaccination(input: $input) { __typename
  ... on CancelHomeVaccinationSuccess { request { status cancelReason daysOpen } } ... on Error { code message } } }`;
const OPEN = `query O($filter: HomeVaccinationRequestFilter!) { openHomeVaccinationRequests(filter: $filter, first: 50) {
  edges { node { id status daysOpen reason resident { nationalId } } } } }`;

const hoursFromNow = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
let serial = 0;

describe('vaccination field work', () => {
  let db: TestDatabase;
  let stack: Stack;
  let vaccinator: string;
  let city: string;
  const call = (query: string, variables: Record<string, unknown> = {}, t = vaccinator) => gql(stack.gateway.url, query, variables, { token: t });
  const resident = async (wardCode = '00337', extra: Record<string, unknown> = {}) => {
    const nationalId = `001045${String(++serial).padStart(6, '0')}`;
    const r = ok(await call(REGISTER_RESIDENT, { input: { nationalId, fullName: `Cụ ${serial}`, dateOfBirth: '1945-05-05', wardCode, homebound: true, ...extra } }, city));
    expect(r.registerResident.__typename).toBe('RegisterResidentSuccess');
    return nationalId;
  };
  const point = async (wardCode: string, name: string, t = vaccinator) => {
    const r = ok(await call(POINT, { input: { wardCode, name, address: `Sân ${name}`, latitude: 20.97, longitude: 105.85 } }, t)).createVaccinationPoint;
    expect(r.__typename).toBe('CreateVaccinationPointSuccess');
    return r.point.id as string;
  };
  const session = async (pointId: string, extra: Record<string, unknown> = {}, t = vaccinator) => {
    const r = ok(await call(SESSION, { input: { pointId, startsAt: hoursFromNow(-2), endsAt: hoursFromNow(3), vaccine: 'PFIZER_BIONTECH', plannedDoses: 200, ...extra } }, t)).scheduleVaccinationSession;
    expect(r.__typename).toBe('ScheduleVaccinationSessionSuccess');
    return r.session.id as string;
  };
  const records = () => withDb<any, number>(db, 'vaccination', async (k) => Number((await sql<{ n: number }>`select count(*)::int as n from vaccination_record`.execute(k)).rows[0]!.n));

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    stack = await startStack(db);
    vaccinator = await token('VACCINATOR', { district: '008' });
    city = await token('CITY_OFFICER');
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  it('counts doses given in a session, and refuses doses outside its hours, of another vaccine or at a point outside the jurisdiction', async () => {
    const school = await point('00337', 'Trường THCS Hoàng Liệt');
    const sessionId = await session(school);
    const elsewhere = await session(await point('00001', 'Nhà văn hoá Phúc Xá', city), {}, city);
    const [a, b, c] = [await resident(), await resident(), await resident()];
    const at = hoursFromNow(-1);

    expect(ok(await call(DOSE, { input: { nationalId: a, dose: 'PRIMARY_1', vaccine: 'PFIZER_BIONTECH', administeredAt: at, sessionId } })).recordDose).toMatchObject({
      __typename: 'RecordDoseSuccess',
      record: { session: { id: sessionId, dosesGiven: 1 } },
    });
    ok(await call(DOSE, { input: { nationalId: b, dose: 'PRIMARY_1', vaccine: 'PFIZER_BIONTECH', administeredAt: hoursFromNow(-0.5), sessionId } }));

    const before = await records();
    const early = ok(await call(DOSE, { input: { nationalId: c, dose: 'PRIMARY_1', vaccine: 'PFIZER_BIONTECH', administeredAt: hoursFromNow(-2.5), sessionId } })).recordDose;
    expect(early).toMatchObject({ __typename: 'DoseOutsideSession', code: 'DOSE_OUTSIDE_SESSION', vaccine: 'PFIZER_BIONTECH' });
    const otherVaccine = ok(await call(DOSE, { input: { nationalId: c, dose: 'PRIMARY_1', vaccine: 'MODERNA', administeredAt: at, sessionId } })).recordDose;
    expect(otherVaccine).toMatchObject({ __typename: 'DoseOutsideSession' });
    const outside = ok(await call(DOSE, { input: { nationalId: c, dose: 'PRIMARY_1', vaccine: 'PFIZER_BIONTECH', administeredAt: at, sessionId: elsewhere } })).recordDose;
    expect(outside).toMatchObject({ __typename: 'SessionOutsideJurisdiction', code: 'SESSION_OUTSIDE_JURISDICTION' });
    const unknown = ok(await call(DOSE, { input: { nationalId: c, dose: 'PRIMARY_1', vaccine: 'PFIZER_BIONTECH', administeredAt: at, sessionId: '00000000-0000-4000-8000-000000000000' } })).recordDose;
    expect(unknown).toMatchObject({ __typename: 'NotFoundError' });
    const atHome = ok(await call(DOSE, { input: { nationalId: c, dose: 'PRIMARY_1', vaccine: 'PFIZER_BIONTECH', administeredAt: at, sessionId, atHome: true } })).recordDose;
    expect(atHome).toMatchObject({ __typename: 'ValidationError', fields: [{ path: ['input', 'sessionId'] }] });
    expect(await records()).toBe(before);

    // Public: a partner (the citizen app) and the dashboard read where and when, and the count.
    for (const viewer of [await token('PARTNER'), await token('DASHBOARD'), vaccinator]) {
      const sessions = ok(await call(SESSIONS, { filter: { districtCode: '008' } }, viewer)).vaccinationSessions.edges.map((e: { node: unknown }) => e.node);
      expect(sessions).toEqual([{ id: sessionId, vaccine: 'PFIZER_BIONTECH', plannedDoses: 200, dosesGiven: 2, point: { name: 'Trường THCS Hoàng Liệt', wardCode: '00337' } }]);
    }
    // The counter equals the records that name the session.
    const linked = await withDb<any, number>(db, 'vaccination', async (k) => Number((await sql<{ n: number }>`select count(*)::int as n from vaccination_record where session_id = ${sessionId}`.execute(k)).rows[0]!.n));
    expect(linked).toBe(2);
  });

  it('lists points per ward and district, and schedules sessions only at open points of the jurisdiction', async () => {
    const market = await point('00337', 'Chợ Hoàng Liệt');
    await point('00001', 'Trường Tiểu học Phúc Xá', city);
    const partner = await token('PARTNER');
    const names = async (filter: Record<string, unknown>) =>
      ok(await call(`query P($filter: VaccinationPointFilter) { vaccinationPoints(filter: $filter, first: 100) { edges { node { name } } } }`, { filter }, partner))
        .vaccinationPoints.edges.map((e: { node: { name: string } }) => e.node.name);
    expect(await names({ districtCode: '008' })).toContain('Chợ Hoàng Liệt');
    expect((await names({ wardCode: '00337' })).filter((n: string) => n === 'Sân UBND phường')).toEqual([]);
    expect(await names({ districtCode: '008' })).not.toContain('Trường Tiểu học Phúc Xá');
    expect(await names({ wardCode: '00001' })).toEqual(expect.arrayContaining(['Trường Tiểu học Phúc Xá']));

    // Retries with a key create once; the same key for something else is a conflict.
    const keyedPoint = { wardCode: '00337', name: 'Sân UBND phường', address: 'Số 1 Linh Đường', idempotencyKey: 'point-retry-0001' };
    const firstPoint = ok(await call(POINT, { input: keyedPoint })).createVaccinationPoint;
    expect(ok(await call(POINT, { input: keyedPoint })).createVaccinationPoint).toEqual(firstPoint);
    const keyedSession = { pointId: market, startsAt: hoursFromNow(24), endsAt: hoursFromNow(28), vaccine: 'MODERNA', plannedDoses: 80, idempotencyKey: 'session-retry-0001' };
    const firstSession = ok(await call(SESSION, { input: keyedSession })).scheduleVaccinationSession;
    expect(firstSession.__typename).toBe('ScheduleVaccinationSessionSuccess');
    expect(ok(await call(SESSION, { input: keyedSession })).scheduleVaccinationSession).toEqual(firstSession);
    expect(ok(await call(SESSION, { input: { ...keyedSession, plannedDoses: 90 } })).scheduleVaccinationSession).toMatchObject({ __typename: 'ConflictError' });
    const marketSessions = ok(await call(SESSIONS, { filter: { pointId: market } })).vaccinationSessions.edges;
    expect(marketSessions).toHaveLength(1);

    const closed = ok(await call(`mutation C($input: SetVaccinationPointActiveInput!) { setVaccinationPointActive(input: $input) { __typename ... on SetVaccinationPointActiveSuccess { point { active } } } }`, { input: { pointId: market, active: false } }));
    expect(closed.setVaccinationPointActive).toEqual({ __typename: 'SetVaccinationPointActiveSuccess', point: { active: false } });
    expect(await names({ wardCode: '00337' })).not.toContain('Chợ Hoàng Liệt');
    expect(await names({ wardCode: '00337', activeOnly: false })).toContain('Chợ Hoàng Liệt');
    expect((await names({ wardCode: '00337' })).filter((n: string) => n === 'Sân UBND phường')).toEqual(['Sân UBND phường']);
    const refused = ok(await call(SESSION, { input: { pointId: market, startsAt: hoursFromNow(1), endsAt: hoursFromNow(4), vaccine: 'MODERNA', plannedDoses: 50 } })).scheduleVaccinationSession;
    expect(refused).toMatchObject({ __typename: 'ValidationError', fields: [{ path: ['input', 'pointId'] }] });
    const bad = ok(await call(POINT, { input: { wardCode: '00337', name: 'X', address: 'Ngõ 1', latitude: 10.8 } })).createVaccinationPoint;
    expect(bad).toMatchObject({ __typename: 'ValidationError', fields: [{ path: ['input', 'name'] }, { path: ['input', 'longitude'] }] });
    const otherDistrict = await call(POINT, { input: { wardCode: '00001', name: 'Nhà văn hoá', address: 'Phúc Xá' } });
    expect(otherDistrict.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it('gives a home visit to a home-vaccination team, closes it when the dose is recorded, and cancels another with a reason', async () => {
    const worker = ok(await call(`mutation W($i: RegisterHealthWorkerInput!) { registerHealthWorker(input: $i) { ... on RegisterHealthWorkerSuccess { worker { id } } } }`,
      { i: { fullName: 'Nguyễn Thị Tiêm', role: 'NURSE', origin: 'PUBLIC_STAFF', homeWardCode: '00337', maxCaseload: 10 } }, city)).registerHealthWorker.worker.id;
    const team = async (kind: string, wardCode = '00337') =>
      ok(await call(`mutation T($i: CreateTeamInput!) { createTeam(input: $i) { ... on CreateTeamSuccess { team { id } } } }`, { i: { name: `Tổ ${kind}`, kind, wardCode, memberIds: [worker] } }, city)).createTeam.team.id as string;
    const homeTeam = await team('HOME_VACCINATION');
    const careTeam = await team('HOME_CARE_SUPPORT');
    const farTeam = await team('HOME_VACCINATION', '00001');

    const [elder, other] = [await resident('00337', { comorbidities: true }), await resident('00337', { comorbidities: true })];
    const requestId = ok(await call(REQUEST, { input: { nationalId: elder, reason: 'Nằm liệt giường sau tai biến' } })).requestHomeVaccination.request.id;
    const otherId = ok(await call(REQUEST, { input: { nationalId: other, reason: 'Suy tim, không đi lại được' } })).requestHomeVaccination.request.id;
    const open = async (filter: Record<string, unknown>) => ok(await call(OPEN, { filter })).openHomeVaccinationRequests.edges.map((e: { node: { id: string } }) => e.node);
    expect(await open({ wardCode: '00337' })).toEqual([
      { id: requestId, status: 'WAITING', daysOpen: 0, reason: 'Nằm liệt giường sau tai biến', resident: { nationalId: elder } },
      { id: otherId, status: 'WAITING', daysOpen: 0, reason: 'Suy tim, không đi lại được', resident: { nationalId: other } },
    ]);

    for (const teamId of [careTeam, farTeam, 'T-unknown']) {
      expect(ok(await call(ASSIGN, { input: { requestId, teamId } })).assignHomeVaccination).toMatchObject({ __typename: 'ValidationError', fields: [{ path: ['input', 'teamId'] }] });
    }
    expect(ok(await call(ASSIGN, { input: { requestId, teamId: homeTeam } })).assignHomeVaccination).toEqual({
      __typename: 'AssignHomeVaccinationSuccess',
      request: { status: 'ASSIGNED', team: { id: homeTeam, name: 'Tổ HOME_VACCINATION', kind: 'HOME_VACCINATION' } },
    });

    // Any dose recorded for the resident closes the request, in the dose's transaction.
    ok(await call(DOSE, { input: { nationalId: elder, dose: 'PRIMARY_1', vaccine: 'ASTRAZENECA', administeredAt: hoursFromNow(-1), atHome: true } }));
    expect(ok(await call(CANCEL, { input: { requestId: otherId, reason: 'Gia đình đưa cụ đi tiêm ở trạm' } })).cancelHomeVaccination).toEqual({
      __typename: 'CancelHomeVaccinationSuccess',
      request: { status: 'CANCELLED', cancelReason: 'Gia đình đưa cụ đi tiêm ở trạm', daysOpen: 0 },
    });
    expect(await open({ districtCode: '008' })).toEqual([]);
    const history = ok(await call(`query R($n: String!) { resident(nationalId: $n) { homeVaccinationRequests { status doneAt team { id } } records { id } } }`, { n: elder })).resident;
    expect(history.homeVaccinationRequests).toEqual([{ status: 'DONE', doneAt: expect.any(String), team: { id: homeTeam } }]);
    expect(ok(await call(CANCEL, { input: { requestId, reason: 'Đã tiêm rồi' } })).cancelHomeVaccination).toMatchObject({ __typename: 'ConflictError' });
    expect(ok(await call(ASSIGN, { input: { requestId: otherId, teamId: homeTeam } })).assignHomeVaccination).toMatchObject({ __typename: 'ConflictError' });

    // Another district's vaccinator neither reads the ward's list nor acts on its requests.
    const stranger = await token('VACCINATOR', { district: '001' });
    expect((await call(OPEN, { filter: { wardCode: '00337' } }, stranger)).errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const third = ok(await call(REQUEST, { input: { nationalId: await resident('00337', { comorbidities: true }), reason: 'Bại liệt' } })).requestHomeVaccination.request.id;
    expect((await call(CANCEL, { input: { requestId: third, reason: 'Không rõ' } }, stranger)).errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect((await open({ wardCode: '00337' })).map((r: { id: string }) => r.id)).toEqual([third]);

    // Without an answer from the graph about the team, nothing is taken on trust.
    const runtime = stack.subgraphs.vaccination.runtime;
    runtime.useGateway(`http://127.0.0.1:${REFUSED_PORT}/graphql`);
    try {
      const unconfirmed = await call(ASSIGN, { input: { requestId: third, teamId: homeTeam } });
      expect(unconfirmed.errors?.map((e) => ({ code: e.extensions?.code, message: e.message }))).toEqual([
        { code: 'SERVICE_UNAVAILABLE', message: 'The team could not be confirmed through the graph; nothing was written. Try again shortly.' },
      ]);
    } finally {
      runtime.useGateway(stack.gateway.url);
    }
    expect(await open({ wardCode: '00337' })).toMatchObject([{ id: third, status: 'WAITING' }]);
  });

  it('answers two requests for the same resident sent at once with the one open request', async () => {
    const elder = await resident('00337', { comorbidities: true });
    for (let round = 0; round < 5; round++) {
      const nationalId = round === 0 ? elder : await resident('00337', { comorbidities: true });
      const answers = await Promise.all(Array.from({ length: 4 }, () => call(REQUEST, { input: { nationalId, reason: 'Nằm liệt giường' } })));
      expect(answers.map((a) => a.errors)).toEqual([undefined, undefined, undefined, undefined]);
      const ids = new Set(answers.map((a) => a.data.requestHomeVaccination.request.id));
      expect(ids.size).toBe(1);
    }
  });
});
