/** The patients subgraph through the gateway: registration, tiers, checks, help requests, statistics. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography, withDb } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, ok, subscribe, token, wsClient } from '../support/client.js';
import { ADMIT, REGISTER, patientInput, registerPatient } from '../support/patients.js';
import { contractOperations } from '../support/contract.js';

describe('patients', () => {
  let db: TestDatabase;
  let stack: Stack;
  let city: string;
  let ward: string;
  const ops = contractOperations();
  const call = (query: string, variables: Record<string, unknown> = {}, t = city) => gql(stack.gateway.url, query, variables, { token: t });
  const patientRows = () => withDb<any, number>(db, 'patients', async (k) => Number((await sql<{ n: number }>`select count(*)::int as n from patient`.execute(k)).rows[0]!.n));

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [{ id: 'H-TEST', wardCode: '00337', kind: 'HOSPITAL', servesTiers: ['TIER_1', 'TIER_2', 'TIER_3'], beds: { GENERAL: { total: 10 }, OXYGEN: { total: 10 } } }]);
    stack = await startStack(db);
    city = await token('CITY_OFFICER');
    ward = await token('WARD_OFFICER', { ward: '00337' });
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  it('RegisterPatient registers a case with a case code, derived risk factors and an event', async () => {
    const result = ok(await call(ops.get('RegisterPatient')!, { input: patientInput({ dateOfBirth: '1950-02-01', riskFactors: ['COMORBIDITY'] }) }, ward)).registerPatient;
    expect(result.__typename).toBe('RegisterPatientSuccess');
    expect(result.patient).toMatchObject({ tier: 'TIER_1', status: 'UNDER_TREATMENT', ward: { code: '00337' } });
    expect(result.patient.caseCode).toMatch(/^F0-008-\d{6}$/);
    const detail = ok(await call(`query P($id: ID!) { patient(id: $id) { fullName phone riskFactors careSetting district { code } } }`, { id: result.patient.id }, ward));
    expect(detail.patient).toEqual({
      fullName: expect.stringMatching(/^Nguyễn Văn Thử/),
      phone: '+84912345678',
      riskFactors: ['AGE_50_PLUS', 'AGE_65_PLUS', 'COMORBIDITY'],
      careSetting: 'HOME',
      district: { code: '008' },
    });
  });

  it('refuses malformed input with every problem and its path, writing nothing', async () => {
    const before = await patientRows();
    const future = new Date(Date.now() + 86_400_000 * 3).toISOString();
    const result = ok(
      await call(REGISTER, {
        input: patientInput({
          fullName: ' ',
          nationalId: '12345',
          phone: '0212345678',
          dateOfBirth: future.slice(0, 10),
          wardCode: '00337',
          confirmedAt: future,
        }),
      }),
    ).registerPatient;
    expect(result.__typename).toBe('ValidationError');
    expect(result.code).toBe('VALIDATION_FAILED');
    expect(result.fields.map((f: { path: string[] }) => f.path.join('.')).sort()).toEqual(
      ['input.confirmedAt', 'input.dateOfBirth', 'input.fullName', 'input.nationalId', 'input.phone'].sort(),
    );
    const beforeBirth = ok(await call(REGISTER, { input: patientInput({ dateOfBirth: '2021-06-01', confirmedAt: '2021-05-01T10:00:00+07:00', nationalId: null }) })).registerPatient;
    expect(beforeBirth.fields).toEqual([{ path: ['input', 'confirmedAt'], message: 'confirmedAt cannot be before the date of birth' }]);
    const unknownWard = ok(await call(REGISTER, { input: patientInput({ wardCode: '12345' }) })).registerPatient;
    expect(unknownWard.fields).toEqual([{ path: ['input', 'wardCode'], message: 'No ward has code 12345' }]);
    expect(await patientRows()).toBe(before);
  });

  it('answers retries with the first registration and refuses a second open case for one citizen ID', async () => {
    const input = patientInput({ idempotencyKey: 'register-once-123' });
    const [a, b] = await Promise.all([call(REGISTER, { input }), call(REGISTER, { input })]);
    expect(ok(a).registerPatient.patient.id).toBe(ok(b).registerPatient.patient.id);
    const duplicate = ok(await call(REGISTER, { input: { ...input, idempotencyKey: null } })).registerPatient;
    expect(duplicate).toMatchObject({ __typename: 'DuplicateActiveCase', code: 'DUPLICATE_ACTIVE_CASE' });
  });

  it('refuses registration outside the officer’s ward', async () => {
    const other = await token('WARD_OFFICER', { ward: '00001' });
    const result = await call(REGISTER, { input: patientInput() }, other);
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('ChangeTier records the history; a change to the same tier or of a closed case is a typed error', async () => {
    const patient = await registerPatient(stack.gateway.url, city);
    const changed = ok(await call(ops.get('ChangeTier')!, { input: { patientId: patient.id, to: 'TIER_2', reason: 'SpO2 95 %' } })).changeTier;
    expect(changed.patient.tier).toBe('TIER_2');
    expect(changed.patient.tierHistory).toEqual([{ from: 'TIER_1', to: 'TIER_2', reason: 'SpO2 95 %', at: expect.stringMatching(/\+07:00$/) }]);
    const same = ok(await call(ops.get('ChangeTier')!, { input: { patientId: patient.id, to: 'TIER_2', reason: 'again' } })).changeTier;
    expect(same).toMatchObject({ __typename: 'InvalidTierTransition', code: 'INVALID_TIER_TRANSITION' });
    ok(await call(`mutation C($id: ID!) { closeCase(input: { patientId: $id, outcome: RECOVERED }) { __typename } }`, { id: patient.id }));
    const closed = ok(await call(ops.get('ChangeTier')!, { input: { patientId: patient.id, to: 'TIER_3', reason: 'late' } })).changeTier;
    expect(closed).toMatchObject({ __typename: 'PatientNotUnderTreatment', code: 'PATIENT_NOT_UNDER_TREATMENT' });
  });

  it("gives the clinician's reason for a tier change to clinical roles over the patient's ward only, every read audited", async () => {
    const patient = await registerPatient(stack.gateway.url, city);
    ok(await call(ops.get('ChangeTier')!, { input: { patientId: patient.id, to: 'TIER_2', reason: 'SpO2 95 %' } }));
    const HISTORY = `query H($id: ID!) { patient(id: $id) { caseCode tierHistory { from to reason } } }`;
    // A dashboard sees the case and that its tier changed, not the clinician's words.
    const dashboard = ok(await call(HISTORY, { id: patient.id }, await token('DASHBOARD'))).patient;
    expect(dashboard.tierHistory).toEqual([{ from: 'TIER_1', to: 'TIER_2', reason: null }]);
    const officer = await token('WARD_OFFICER', { ward: '00337', subject: 'officer:tier-reason' });
    expect(ok(await call(HISTORY, { id: patient.id }, officer)).patient.tierHistory).toEqual([{ from: 'TIER_1', to: 'TIER_2', reason: 'SpO2 95 %' }]);
    await stack.subgraphs.patients.runtime.audit.flush();
    const reads = await withDb(db, 'patients', async (k) =>
      (await sql<{ subject: string; role: string }>`select subject, role from audit_log where entity = 'Patient' and entity_id = ${patient.id} and 'tierChangeReason' = any(fields)`.execute(k)).rows,
    );
    // The officer's read, and the city officer's own answer to ChangeTier above; no dashboard's.
    expect(reads.map((r) => r.subject)).toContain('officer:tier-reason');
    expect(reads.map((r) => r.role)).not.toContain('DASHBOARD');
  });

  it('RecordDailyCheck evaluates warning signs and raises an escalation event', async () => {
    const patient = await registerPatient(stack.gateway.url, city);
    const client = wsClient(stack.gateway.url, { authorization: `Bearer ${ward}` });
    const sub = subscribe(client, `subscription { escalationRaised(wardCode: "00337") { patient { id } warningSigns suggestedTier } }`, {}, {
      servedBy: stack.subgraphs.patients.runtime,
    });
    try {
      await sub.ready;
      const at = new Date(Date.now() - 60_000).toISOString();
      const calm = ok(await call(ops.get('RecordDailyCheck')!, { input: { patientId: patient.id, at, spo2: 98, respiratoryRate: 16 } })).recordDailyCheck;
      expect(calm).toEqual({ __typename: 'RecordDailyCheckSuccess', check: { at: expect.any(String), spo2: 98, warningSigns: [], needsEscalation: false } });
      const alarming = ok(
        await call(ops.get('RecordDailyCheck')!, { input: { patientId: patient.id, at, spo2: 93, respiratoryRate: 22, symptoms: ['CHEST_PAIN', 'COUGH'] } }),
      ).recordDailyCheck;
      expect(alarming.check).toMatchObject({ spo2: 93, warningSigns: ['FAST_BREATHING', 'LOW_SPO2', 'CHEST_PAIN'], needsEscalation: true });
      const event = await sub.next(10_000);
      expect(event.data?.escalationRaised).toEqual({ patient: { id: patient.id }, warningSigns: ['FAST_BREATHING', 'LOW_SPO2', 'CHEST_PAIN'], suggestedTier: 'TIER_3' });
    } finally {
      sub.close();
      await client.dispose();
    }
    const bad = ok(await call(ops.get('RecordDailyCheck')!, { input: { patientId: patient.id, at: new Date().toISOString(), spo2: 101 } })).recordDailyCheck;
    expect(bad).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION_FAILED' });
  });

  it('shows home patients whose daily check is overdue', async () => {
    const overdue = await registerPatient(stack.gateway.url, city);
    await withDb<any, void>(db, 'patients', async (k) => {
      await sql`update patient set registered_at = now() - interval '30 hours' where id = ${overdue.id}`.execute(k);
    });
    const data = ok(await call(`{ overdueChecks(wardCode: "00337", first: 100) { totalCount edges { node { id } } } }`, {}, ward));
    expect(data.overdueChecks.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(overdue.id);
    ok(await call(ops.get('RecordDailyCheck')!, { input: { patientId: overdue.id, at: new Date().toISOString(), spo2: 98 } }));
    const after = ok(await call(`{ overdueChecks(wardCode: "00337", first: 100) { edges { node { id } } } }`, {}, ward));
    expect(after.overdueChecks.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(overdue.id);
  });

  it('tracks help requests from opening to first response and resolution', async () => {
    const opened = ok(
      await call(
        `mutation O($input: OpenHelpRequestInput!) { openHelpRequest(input: $input) { __typename ... on OpenHelpRequestSuccess { helpRequest { id acknowledgedAt } } } }`,
        { input: { wardCode: '00337', channel: 'HOTLINE_1022', message: 'Bà tôi khó thở', callerPhone: '0987654321' } },
        ward,
      ),
    ).openHelpRequest.helpRequest;
    expect(opened.acknowledgedAt).toBeNull();
    const stats = ok(await call(`{ ward(code: "00337") { helpDesk { open unacknowledged } } }`, {}, ward)).ward.helpDesk;
    expect(stats).toEqual({ open: 1, unacknowledged: 1 });
    const acked = ok(await call(`mutation A($id: ID!) { acknowledgeHelpRequest(id: $id) { __typename ... on AcknowledgeHelpRequestSuccess { helpRequest { firstResponseSeconds } } } }`, { id: opened.id }, ward));
    expect(acked.acknowledgeHelpRequest.helpRequest.firstResponseSeconds).toBeGreaterThanOrEqual(0);
    const resolved = ok(
      await call(
        `mutation R($id: ID!) { resolveHelpRequest(input: { id: $id, resolution: "Bác sĩ đã đến" }) { __typename ... on ResolveHelpRequestSuccess { helpRequest { resolvedAt resolution callerPhone } } } }`,
        { id: opened.id },
        ward,
      ),
    );
    expect(resolved.resolveHelpRequest.helpRequest).toMatchObject({ resolution: 'Bác sĩ đã đến', callerPhone: '+84987654321' });
    const twice = ok(await call(`mutation A($id: ID!) { acknowledgeHelpRequest(id: $id) { __typename } }`, { id: opened.id }, ward));
    expect(twice.acknowledgeHelpRequest.__typename).toBe('InvalidHelpRequestState');
  });

  it('District.cases for every district comes from one SQL statement, with rates from facilities’ population', async () => {
    const stats = stack.subgraphs.patients.runtime.database.stats;
    await stack.settle(); // the epidemic assessor's own work must not count in this request
    const before = stats.queries;
    const data = ok(await call(`{ districts { code population cases { active atHome inFacilities newLast7Days newPer100kLast7Days byTier { tier count } } } }`));
    expect(stats.queries - before).toBe(1);
    const hoangMai = data.districts.find((d: { code: string }) => d.code === '008');
    const counted = await withDb<any, { active: number; fresh: number }>(db, 'patients', async (k) =>
      (await sql<{ active: number; fresh: number }>`select count(*) filter (where status = 'UNDER_TREATMENT')::int as active,
         count(*) filter (where confirmed_at >= now() - interval '7 days')::int as fresh from patient where district_code = '008'`.execute(k)).rows[0]!,
    );
    expect(hoangMai.cases.active).toBe(counted.active);
    expect(hoangMai.cases.newLast7Days).toBe(counted.fresh);
    expect(hoangMai.cases.newPer100kLast7Days).toBeCloseTo((counted.fresh * 100_000) / hoangMai.population, 6);
    expect(hoangMai.cases.byTier.reduce((s: number, t: { count: number }) => s + t.count, 0)).toBe(counted.active);
  });

  it('LiveTiers events carry the patient’s current admission from facilities, fresh on every event', async () => {
    const client = wsClient(stack.gateway.url, { authorization: `Bearer ${await token('DASHBOARD')}` });
    const sub = subscribe(client, ops.get('LiveTiers')!, { district: '008' }, { servedBy: stack.subgraphs.patients.runtime });
    try {
      await sub.ready;
      const patient = await registerPatient(stack.gateway.url, city);
      ok(await call(ops.get('ChangeTier')!, { input: { patientId: patient.id, to: 'TIER_2', reason: 'SpO2 95 %' } }));
      const first = await sub.next(10_000);
      expect(first.data?.tierChanged).toMatchObject({ patient: { id: patient.id, tier: 'TIER_2', ward: { code: '00337' }, admission: null }, from: 'TIER_1', to: 'TIER_2' });
      const admitted = ok(await call(ADMIT, { input: { patientId: patient.id, facilityId: 'H-TEST', bedKind: 'OXYGEN' } }));
      expect(admitted.admitPatient.__typename).toBe('AdmitPatientSuccess');
      ok(await call(ops.get('ChangeTier')!, { input: { patientId: patient.id, to: 'TIER_3', reason: 'SpO2 92 %' } }));
      const second = await sub.next(10_000);
      expect(second.data?.tierChanged).toMatchObject({
        patient: { id: patient.id, tier: 'TIER_3', admission: { facility: { id: 'H-TEST', name: 'Test facility H-TEST' } } },
        from: 'TIER_2',
        to: 'TIER_3',
        // The clinician's words go to clinical roles of the ward only (see the test above).
        reason: null,
      });
    } finally {
      sub.close();
      await client.dispose();
    }
  });
});
