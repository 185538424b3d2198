/** Caseloads that never overload a worker, event-driven coverage, and bad input. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography, withDb } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, ok, token } from '../support/client.js';
import { pollUntil } from '../support/wait.js';
import { ADMIT, registerPatient } from '../support/patients.js';
import { WORKER_ORIGINS } from '../../subgraphs/workforce/domain/workforce.js';

const ASSIGN = `mutation A($input: AssignCareInput!) { assignCare(input: $input) { __typename
  ... on AssignCareSuccess { assignment { id worker { id caseload } } } ... on Error { code message } } }`;
const REGISTER_WORKER = `mutation R($input: RegisterHealthWorkerInput!) { registerHealthWorker(input: $input) { __typename
  ... on RegisterHealthWorkerSuccess { worker { id maxCaseload caseload active } } ... on ValidationError { fields { path message } } ... on Error { code } } }`;
const WARD_STATS = `query W($code: ID!) { ward(code: $code) { workforce { workers homePatients unassignedHomePatients homeCareWorkers homePatientsPerCareWorker overloadedWorkers } } }`;


describe('workforce', () => {
  let db: TestDatabase;
  let stack: Stack;
  let officer: string;
  const call = (query: string, variables: Record<string, unknown> = {}, t = officer) => gql(stack.gateway.url, query, variables, { token: t });
  const worker = async (wardCode: string, maxCaseload: number, role = 'NURSE') => {
    const result = ok(await call(REGISTER_WORKER, { input: { fullName: 'Lê Thị Điều Dưỡng', role, origin: 'MEDICAL_STUDENT', homeWardCode: wardCode, maxCaseload } })).registerHealthWorker;
    expect(result.__typename).toBe('RegisterHealthWorkerSuccess');
    return result.worker.id as string;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [{ id: 'CS-1', wardCode: '00322', beds: { GENERAL: { total: 10 } } }]);
    stack = await startStack(db);
    officer = await token('CITY_OFFICER');
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  it('100 concurrent assignments against caps summing to 60 assign exactly 60 and never pass a cap', async () => {
    const workers = [await worker('00337', 20), await worker('00337', 25), await worker('00337', 15)];
    const patients: string[] = [];
    for (let i = 0; i < 100; i++) patients.push((await registerPatient(stack.gateway.url, officer, { wardCode: '00337', nationalId: null })).id);
    const results = await Promise.all(patients.map((patientId) => call(ASSIGN, { input: { patientId } }).then((r) => ok(r).assignCare.__typename as string)));
    const tally = results.reduce<Record<string, number>>((acc, t) => ({ ...acc, [t]: (acc[t] ?? 0) + 1 }), {});
    expect(tally).toEqual({ AssignCareSuccess: 60, CaseloadFull: 40 });
    const loads = await withDb<any, { id: string; caseload: number; max_caseload: number; open: number }[]>(db, 'workforce', async (k) =>
      (await sql<{ id: string; caseload: number; max_caseload: number; open: number }>`
        select w.id, w.caseload, w.max_caseload, (select count(*)::int from care_assignment c where c.worker_id = w.id and c.ended_at is null) as open
          from health_worker w where w.id = any(${workers}) order by w.id`.execute(k)).rows,
    );
    for (const w of loads) {
      expect(w.caseload).toBe(w.max_caseload);
      expect(w.open).toBe(w.caseload);
    }
  });

  it('waits for a worker another transaction holds instead of answering CaseloadFull while there is room', async () => {
    const only = await worker('00340', 5);
    const patient = await registerPatient(stack.gateway.url, officer, { wardCode: '00340', nationalId: null });
    // Another writer holds the only eligible worker's row, as a concurrent assignment would.
    const holder = new pg.Client({ connectionString: db.roleUrl('workforce'), options: '-c search_path=workforce' });
    await holder.connect();
    let settled = false;
    try {
      await holder.query('begin');
      await holder.query('select id from health_worker where id = $1 for update', [only]);
      const pending = call(ASSIGN, { input: { patientId: patient.id } }).then((r) => {
        settled = true;
        return r;
      });
      const waiting = await pollUntil(
        async () => (await holder.query<{ n: number }>(`select count(*)::int as n from pg_locks l join pg_stat_activity a on a.pid = l.pid where not l.granted and a.datname = current_database()`)).rows[0]!.n,
        (n) => n > 0 || settled,
        { timeoutMs: 15_000, intervalMs: 20 },
      );
      expect({ settledWhileLocked: settled, waiting: (waiting ?? 0) > 0 }).toEqual({ settledWhileLocked: false, waiting: true });
      await holder.query('commit');
      const result = ok(await pending).assignCare;
      expect(result).toMatchObject({ __typename: 'AssignCareSuccess', assignment: { worker: { id: only, caseload: 1 } } });
    } finally {
      await holder.query('rollback').catch(() => {});
      await holder.end();
    }
  });

  it('never puts a worker on duty while their deactivation is committing', async () => {
    const nurse = await worker('00337', 5);
    const DUTY = `mutation D($input: AssignFacilityDutyInput!) { assignFacilityDuty(input: $input) { __typename
      ... on ValidationError { fields { path message } } ... on Error { code } } }`;
    // Another writer is deactivating the worker and has not committed yet.
    const deactivating = new pg.Client({ connectionString: db.roleUrl('workforce'), options: '-c search_path=workforce' });
    await deactivating.connect();
    let settled = false;
    try {
      await deactivating.query('begin');
      await deactivating.query('update health_worker set active = false where id = $1', [nurse]);
      const pending = call(DUTY, { input: { workerId: nurse, facilityId: 'CS-1', startsAt: '2022-01-10T08:00:00+07:00' } }).then((r) => {
        settled = true;
        return r;
      });
      const waiting = await pollUntil(
        async () => (await deactivating.query<{ n: number }>(`select count(*)::int as n from pg_locks l join pg_stat_activity a on a.pid = l.pid where not l.granted and a.datname = current_database()`)).rows[0]!.n,
        (n) => n > 0 || settled,
        { timeoutMs: 15_000, intervalMs: 20 },
      );
      // The duty waits for the worker's row instead of deciding on the state before the change.
      expect({ settledWhileLocked: settled, waiting: (waiting ?? 0) > 0 }).toEqual({ settledWhileLocked: false, waiting: true });
      await deactivating.query('commit');
      const result = ok(await pending).assignFacilityDuty;
      expect(result).toEqual({ __typename: 'ValidationError', code: 'VALIDATION_FAILED', fields: [{ path: ['input', 'workerId'], message: 'The worker is not active' }] });
      const duties = await withDb<any, number>(db, 'workforce', async (k) =>
        (await sql<{ n: number }>`select count(*)::int as n from facility_duty where worker_id = ${nurse}`.execute(k)).rows[0]!.n,
      );
      expect(duties).toBe(0);
    } finally {
      await deactivating.query('rollback').catch(() => {});
      await deactivating.end();
    }
  });

  it('unassignedHomePatients falls to zero after auto-assignment and rises when a new home patient registers', async () => {
    await worker('00322', 30, 'DOCTOR');
    for (let i = 0; i < 5; i++) await registerPatient(stack.gateway.url, officer, { wardCode: '00322', nationalId: null });
    const before = await pollUntil(() => call(WARD_STATS, { code: '00322' }).then((r) => ok(r).ward.workforce), (s) => s.unassignedHomePatients === 5);
    expect(before).toMatchObject({ homePatients: 5, unassignedHomePatients: 5 });
    const done = ok(await call(`mutation { assignUnassignedPatients(wardCode: "00322") { assigned stillUnassigned } }`)).assignUnassignedPatients;
    expect(done).toEqual({ assigned: 5, stillUnassigned: 0 });
    expect(ok(await call(WARD_STATS, { code: '00322' })).ward.workforce.unassignedHomePatients).toBe(0);
    const newcomer = await registerPatient(stack.gateway.url, officer, { wardCode: '00322', nationalId: null });
    const after = await pollUntil(() => call(WARD_STATS, { code: '00322' }).then((r) => ok(r).ward.workforce), (s) => s.unassignedHomePatients === 1);
    expect(after).toMatchObject({ homePatients: 6, unassignedHomePatients: 1 });

    // Care ends by itself when the patient is admitted: the worker's place is freed.
    const assigned = ok(await call(ASSIGN, { input: { patientId: newcomer.id } })).assignCare;
    const load = assigned.assignment.worker.caseload;
    ok(await call(ADMIT, { input: { patientId: newcomer.id, facilityId: 'CS-1', bedKind: 'GENERAL' } }));
    const freed = await pollUntil(
      () => call(`query Q($id: ID!) { healthWorker(id: $id) { caseload } }`, { id: assigned.assignment.worker.id }).then((r) => ok(r).healthWorker.caseload),
      (c) => c === load - 1,
    );
    expect(freed).toBe(load - 1);
    const careWorker = ok(await call(`query P($id: ID!) { patient(id: $id) { careWorker { id } } }`, { id: newcomer.id })).patient.careWorker;
    expect(careWorker).toBeNull();
  });

  it('refuses bad input with typed errors and writes nothing', async () => {
    const count = () => withDb<any, number>(db, 'workforce', async (k) => Number((await sql<{ n: number }>`select count(*)::int as n from care_assignment`.execute(k)).rows[0]!.n));
    const before = await count();
    const patient = await registerPatient(stack.gateway.url, officer, { wardCode: '00001', nationalId: null });
    // The city covers everything, so it is told NotFound; anyone else gets the jurisdiction answer.
    const refusal = (res: { errors?: { message: string; extensions?: { code?: string } }[] }) => res.errors?.map((e) => ({ code: e.extensions?.code, message: e.message }));
    const unknownWorker = ok(await call(ASSIGN, { input: { patientId: patient.id, workerId: 'HW-nope' } })).assignCare;
    expect(unknownWorker).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    const unknownPatient = ok(await call(ASSIGN, { input: { patientId: 'a1b2c3d4-0000-4000-8000-000000000000' } })).assignCare;
    expect(unknownPatient).toMatchObject({ __typename: 'NotFoundError' });
    const elsewhere = await worker('00004', 10);
    const outside = ok(await call(ASSIGN, { input: { patientId: patient.id, workerId: elsewhere } })).assignCare;
    expect(outside).toMatchObject({ __typename: 'WorkerOutsideArea', code: 'WORKER_OUTSIDE_AREA' });
    const local = await worker('00001', 10);
    ok(await call(`mutation U($id: ID!) { updateHealthWorker(input: { workerId: $id, active: false }) { __typename } }`, { id: local }));
    const inactive = ok(await call(ASSIGN, { input: { patientId: patient.id, workerId: local } })).assignCare;
    expect(inactive).toMatchObject({ __typename: 'WorkerInactive', code: 'WORKER_INACTIVE' });
    for (const cap of [0, -3]) {
      const bad = ok(await call(REGISTER_WORKER, { input: { fullName: 'Ngô Văn A', role: 'NURSE', origin: 'VOLUNTEER', homeWardCode: '00001', maxCaseload: cap } })).registerHealthWorker;
      expect(bad).toEqual({ __typename: 'ValidationError', code: 'VALIDATION_FAILED', fields: [{ path: ['input', 'maxCaseload'], message: 'maxCaseload must be a whole number from 1 to 200' }] });
    }
    // To a ward officer, a patient of another ward is answered like an unknown one.
    const foreign = await call(ASSIGN, { input: { patientId: patient.id } }, await token('WARD_OFFICER', { ward: '00337' }));
    const unknownToWard = await call(ASSIGN, { input: { patientId: 'a1b2c3d4-0000-4000-8000-000000000000' } }, await token('WARD_OFFICER', { ward: '00337' }));
    expect(refusal(foreign)).toEqual(refusal(unknownToWard));
    expect(refusal(foreign)?.[0]?.code).toBe('FORBIDDEN');
    expect(await count()).toBe(before);
  });

  it('serves the workforce part of CityOverview', async () => {
    const data = ok(await call(`{ districts { code workforce { workers homeCareWorkers unassignedHomePatients homePatientsPerCareWorker } } }`, {}, await token('DASHBOARD')));
    expect(data.districts).toHaveLength(30);
    const hoangMai = data.districts.find((d: { code: string }) => d.code === '008');
    expect(hoangMai.workforce.workers).toBeGreaterThanOrEqual(4);
  });

  it('counts workers per origin in a ward and its district, every origin listed', async () => {
    await worker('00346', 2);
    await worker('00346', 2);
    const byOrigin = `{ ward(code: "00346") { workforce { workers byOrigin { origin count } } } district(code: "008") { workforce { workers byOrigin { origin count } } } }`;
    const data = ok(await call(byOrigin, {}, await token('DASHBOARD')));
    // Origins counted in the database, by the workers' home ward and district.
    const counted = await withDb<any, { ward: Record<string, number>; district: Record<string, number> }>(db, 'workforce', async (k) => {
      const { rows } = await sql<{ area: string; origin: string; n: number }>`
        select 'ward' as area, origin, count(*)::int as n from health_worker where active and home_ward_code = '00346' group by 2
        union all
        select 'district', origin, count(*)::int from health_worker where active and home_district_code = '008' group by 2`.execute(k);
      const of = (area: string) => Object.fromEntries(rows.filter((r) => r.area === area).map((r) => [r.origin, r.n]));
      return { ward: of('ward'), district: of('district') };
    });
    for (const [area, expected] of [[data.ward.workforce, counted.ward], [data.district.workforce, counted.district]] as const) {
      expect(area.byOrigin.map((o: { origin: string }) => o.origin)).toEqual([...WORKER_ORIGINS]);
      const counts = Object.fromEntries(area.byOrigin.filter((o: { count: number }) => o.count > 0).map((o: { origin: string; count: number }) => [o.origin, o.count]));
      expect(counts).toEqual(expected);
      expect(area.byOrigin.reduce((sum: number, o: { count: number }) => sum + o.count, 0)).toBe(area.workers);
    }
    expect(data.ward.workforce.byOrigin.find((o: { origin: string }) => o.origin === 'MEDICAL_STUDENT').count).toBeGreaterThanOrEqual(2);
  });
});
