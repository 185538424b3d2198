/**
 * Admissions through the gateway: capacity enforced in the same transaction as the write, typed
 * failures that write nothing, idempotent retries, atomic transfers, and the events agreeing
 * with the final counts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography, withDb } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, ok, token } from '../support/client.js';
import { ADMIT, registerPatient } from '../support/patients.js';
import { pollUntil } from '../support/wait.js';
import { TOPICS } from '../../subgraphs/common/events/catalog.js';
import { PATIENT_PROJECTION } from '../../subgraphs/facilities/events/consumers.js';

const BEDS = `query Beds($id: ID!) { facility(id: $id) { beds { kind total covidDesignated occupied available } } }`;
const DISCHARGE = `mutation D($input: DischargePatientInput!) { dischargePatient(input: $input) { __typename
  ... on DischargePatientSuccess { admission { id dischargedAt outcome } } ... on Error { code message } } }`;
const TRANSFER = `mutation T($input: TransferPatientInput!) { transferPatient(input: $input) { __typename
  ... on TransferPatientSuccess { transfer { from { id outcome facility { id } } to { id facility { id } bedKind } } }
  ... on ValidationError { fields { path message } } ... on Error { code message } } }`;
const CAPACITY = `mutation C($input: UpdateBedCapacityInput!) { updateBedCapacity(input: $input) { __typename
  ... on UpdateBedCapacitySuccess { beds { kind total covidDesignated occupied available } }
  ... on ValidationError { fields { path message } } ... on Error { code message } } }`;

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

describe('admissions', () => {
  let db: TestDatabase;
  let stack: Stack;
  let city: string;
  const call = (query: string, variables: Record<string, unknown>) => gql(stack.gateway.url, query, variables, { token: city });
  const beds = async (id: string) => ok(await call(BEDS, { id })).facility.beds;
  const outboxCount = () =>
    withDb<any, number>(db, 'facilities', async (k) => Number((await sql<{ n: number }>`select count(*)::int as n from outbox`.execute(k)).rows[0]!.n));

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [
      { id: 'FULL-50', wardCode: '00337', beds: { GENERAL: { total: 80, covidDesignated: 50 } } },
      { id: 'SMALL', wardCode: '00337', beds: { GENERAL: { total: 2 }, OXYGEN: { total: 1 } } },
      { id: 'OTHER', wardCode: '00001', level: 'CITY', beds: { GENERAL: { total: 10 }, OXYGEN: { total: 5 } } },
      { id: 'STANDBY', wardCode: '00337', status: 'STANDBY', kind: 'MOBILE_HEALTH_STATION', level: 'WARD', beds: { GENERAL: { total: 4 } } },
    ]);
    stack = await startStack(db);
    city = await token('CITY_OFFICER');
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  it('200 concurrent admissions at a facility with 50 free beds: exactly 50 in, 150 NoBedAvailable, counts and events agree', async () => {
    const patients: string[] = [];
    await pool(Array.from({ length: 200 }, (_, i) => i), 8, async () => {
      patients.push((await registerPatient(stack.gateway.url, city)).id);
    });
    const outcomes = await Promise.all(
      patients.map(async (patientId) => {
        const data = ok(await call(ADMIT, { input: { patientId, facilityId: 'FULL-50', bedKind: 'GENERAL' } }));
        return data.admitPatient.__typename as string;
      }),
    );
    const tally = outcomes.reduce<Record<string, number>>((acc, t) => ({ ...acc, [t]: (acc[t] ?? 0) + 1 }), {});
    expect(tally).toEqual({ AdmitPatientSuccess: 50, NoBedAvailable: 150 });
    expect(await beds('FULL-50')).toEqual([{ kind: 'GENERAL', total: 80, covidDesignated: 50, occupied: 50, available: 0 }]);

    const events = await withDb<any, { topic: string; payload: any }[]>(db, 'facilities', async (k) =>
      (await sql<{ topic: string; payload: any }>`select topic, payload from outbox where key = 'FULL-50:GENERAL' order by id`.execute(k)).rows,
    );
    const occupancy = events.filter((e) => e.topic === TOPICS.bedOccupancy).map((e) => e.payload.occupied);
    expect(occupancy.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const alerts = events.filter((e) => e.topic === TOPICS.capacityAlert).map((e) => `${e.payload.threshold}${e.payload.direction}`);
    expect(alerts.sort()).toEqual(['100UP', '80UP', '90UP']);
    const admissions = await withDb<any, number>(db, 'facilities', async (k) =>
      Number((await sql<{ n: number }>`select count(*)::int as n from admission where facility_id = 'FULL-50' and discharged_at is null`.execute(k)).rows[0]!.n),
    );
    expect(admissions).toBe(50);
  });

  it('returns the first admission when a retry carries the same idempotency key', async () => {
    const patient = await registerPatient(stack.gateway.url, city);
    const input = { patientId: patient.id, facilityId: 'OTHER', bedKind: 'GENERAL', idempotencyKey: `admit-${patient.id}` };
    const [a, b] = await Promise.all([call(ADMIT, { input }), call(ADMIT, { input })]);
    const c = await call(ADMIT, { input });
    for (const r of [a, b, c]) expect(ok(r).admitPatient).toMatchObject({ __typename: 'AdmitPatientSuccess' });
    const ids = [a, b, c].map((r) => ok(r).admitPatient.admission.id);
    expect(new Set(ids).size).toBe(1);
    expect((await beds('OTHER')).find((b: { kind: string }) => b.kind === 'GENERAL').occupied).toBe(1);
    const reused = ok(await call(ADMIT, { input: { ...input, facilityId: 'SMALL' } }));
    expect(reused.admitPatient).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
  });

  it('refuses bad input with a typed error and writes nothing', async () => {
    const patient = await registerPatient(stack.gateway.url, city);
    const before = { outbox: await outboxCount(), small: await beds('SMALL') };
    const cases: [Record<string, unknown>, string, string][] = [
      [{ patientId: patient.id, facilityId: 'NOPE', bedKind: 'GENERAL' }, 'NotFoundError', 'NOT_FOUND'],
      [{ patientId: '3f2a0c7e-0000-4000-8000-000000000000', facilityId: 'SMALL', bedKind: 'GENERAL' }, 'NotFoundError', 'NOT_FOUND'],
      [{ patientId: patient.id, facilityId: 'SMALL', bedKind: 'ICU', bedKindOverrideReason: 'ICU bed asked for by the clinician on duty' }, 'BedKindNotOffered', 'BED_KIND_NOT_OFFERED'],
      [{ patientId: patient.id, facilityId: 'STANDBY', bedKind: 'GENERAL' }, 'FacilityNotAdmitting', 'FACILITY_NOT_ADMITTING'],
      [{ patientId: patient.id, facilityId: 'SMALL', bedKind: 'GENERAL', idempotencyKey: 'short' }, 'ValidationError', 'VALIDATION_FAILED'],
    ];
    for (const [input, typename, code] of cases) {
      const result = ok(await call(ADMIT, { input })).admitPatient;
      expect({ input, typename: result.__typename, code: result.code }).toEqual({ input, typename, code });
      expect(result.message.length).toBeGreaterThan(10);
    }
    const negative = ok(await call(CAPACITY, { input: { facilityId: 'SMALL', bedKind: 'GENERAL', total: -1, covidDesignated: 0 } })).updateBedCapacity;
    expect(negative).toMatchObject({ __typename: 'ValidationError', fields: [{ path: ['input', 'total'] }] });
    const inconsistent = ok(await call(CAPACITY, { input: { facilityId: 'SMALL', bedKind: 'GENERAL', total: 5, covidDesignated: 6 } })).updateBedCapacity;
    expect(inconsistent).toMatchObject({ __typename: 'ValidationError', fields: [{ path: ['input', 'covidDesignated'] }] });
    expect({ outbox: await outboxCount(), small: await beds('SMALL') }).toEqual(before);
  });

  it('will not set capacity below the beds occupied now', async () => {
    const patient = await registerPatient(stack.gateway.url, city, { tier: 'TIER_2' });
    expect(ok(await call(ADMIT, { input: { patientId: patient.id, facilityId: 'SMALL', bedKind: 'OXYGEN' } })).admitPatient.__typename).toBe('AdmitPatientSuccess');
    const result = ok(await call(CAPACITY, { input: { facilityId: 'SMALL', bedKind: 'OXYGEN', total: 0, covidDesignated: 0 } })).updateBedCapacity;
    expect(result.__typename).toBe('ValidationError');
    expect(result.fields[0].message).toMatch(/below the 1 beds occupied/);
    const grown = ok(await call(CAPACITY, { input: { facilityId: 'SMALL', bedKind: 'OXYGEN', total: 4, covidDesignated: 3 } })).updateBedCapacity;
    expect(grown.beds).toEqual({ kind: 'OXYGEN', total: 4, covidDesignated: 3, occupied: 1, available: 2 });
  });

  it('admits in few statements: a catch-up with nothing pending reads once and locks nothing, and an admission asks it in its first statement', async () => {
    // Every statement is a round trip to PostgreSQL; under contention they are what an admission
    // costs (issue: 500 admissions a second). A catch-up of the patients projection with nothing
    // pending is one read, not a transaction around a lock that every concurrent write would
    // queue for; an admission does not even send that read, but asks its first statement whether
    // the projection has applied the patient's events.
    const stats = stack.subgraphs.facilities.runtime.database.stats;
    const patient = await registerPatient(stack.gateway.url, city);
    await stack.settle();
    const consumer = stack.subgraphs.facilities.runtime.consumer(PATIENT_PROJECTION);
    let before = stats.background;
    await consumer.catchUp();
    expect(stats.background - before).toBe(1);

    await stack.settle();
    before = stats.queries;
    const admitted = ok(await call(ADMIT, { input: { patientId: patient.id, facilityId: 'OTHER', bedKind: 'GENERAL' } })).admitPatient;
    expect(admitted.__typename).toBe('AdmitPatientSuccess');
    // Begin, read and lock the patient and the facility (with the active admission and whether
    // the patients projection is caught up), insert and take the bed (with the open referral),
    // the outbox insert and the commit as one message (its trigger sends the NOTIFY), and the
    // answer's beds. The check, the patient and the facility are not read before the transaction.
    expect(stats.queries - before).toBeLessThanOrEqual(5);
  });

  it('refuses an admission when no bed is free in few statements: the refusal knows the kind is offered without asking again', async () => {
    await createFacilities(db, [{ id: 'ONE-OXYGEN', wardCode: '00337', beds: { OXYGEN: { total: 1 } } }]);
    const patient = await registerPatient(stack.gateway.url, city);
    const other = await registerPatient(stack.gateway.url, city, { tier: 'TIER_2' });
    expect(ok(await call(ADMIT, { input: { patientId: other.id, facilityId: 'ONE-OXYGEN', bedKind: 'OXYGEN' } })).admitPatient.__typename).toBe('AdmitPatientSuccess');
    await stack.settle();
    const stats = stack.subgraphs.facilities.runtime.database.stats;
    const override = 'the only free bed in the ward this hour';
    let before = stats.queries;
    const full = ok(await call(ADMIT, { input: { patientId: patient.id, facilityId: 'ONE-OXYGEN', bedKind: 'OXYGEN', bedKindOverrideReason: override } })).admitPatient;
    expect(full).toMatchObject({ __typename: 'NoBedAvailable', code: 'NO_BED_AVAILABLE', facilityId: 'ONE-OXYGEN', bedKind: 'OXYGEN' });
    // Begin, the locks (and the projection's check), the insert that finds no bed (and whether
    // the facility has beds of the kind at all), and the rollback.
    expect(stats.queries - before).toBeLessThanOrEqual(4);

    before = stats.queries;
    const notOffered = ok(await call(ADMIT, { input: { patientId: patient.id, facilityId: 'ONE-OXYGEN', bedKind: 'ICU', bedKindOverrideReason: override } })).admitPatient;
    expect(notOffered).toMatchObject({ __typename: 'BedKindNotOffered', code: 'BED_KIND_NOT_OFFERED' });
    expect(stats.queries - before).toBeLessThanOrEqual(4);
  });

  it('completes a referral committed with the patient change that the admission waited for', async () => {
    // The patients projection can apply a patient's change and open a referral in one
    // transaction. An admission that queued for the patient's row behind it must see that
    // referral and complete it, as it sees the changed patient.
    const patient = await registerPatient(stack.gateway.url, city);
    await stack.settle();
    const projection = new pg.Client({ connectionString: db.roleUrl('facilities') });
    await projection.connect();
    let admitting: ReturnType<typeof call> | undefined;
    try {
      await projection.query('begin');
      await projection.query(`update known_patient set updated_at = now() where id = $1`, [patient.id]);
      const { rows } = await projection.query<{ id: string }>(
        `insert into referral (patient_id, ward_code, district_code, trigger, from_tier, to_tier, status, requested_at)
         values ($1, '00337', '008', 'ESCALATION', 'TIER_1', 'TIER_1', 'REQUESTED', now()) returning id`,
        [patient.id],
      );
      admitting = call(ADMIT, { input: { patientId: patient.id, facilityId: 'OTHER', bedKind: 'GENERAL' } });
      // A session of this database waiting for a row lock: the admission, queued for the patient's
      // row. (Matched by the wait, not by its text: pg_stat_activity can show a session running a
      // prepared statement with the text of the one before.) Without the wait the test proves nothing.
      const waiting = await pollUntil(
        async () =>
          Number(
            (
              await projection.query(
                `select count(*) from pg_stat_activity
                  where datname = current_database() and wait_event_type = 'Lock' and wait_event in ('transactionid', 'tuple')`,
              )
            ).rows[0].count,
          ),
        (n) => n >= 1,
      );
      expect(waiting).toBeGreaterThanOrEqual(1);
      await projection.query('commit');
      const admitted = ok(await admitting).admitPatient;
      expect(admitted.__typename).toBe('AdmitPatientSuccess');
      const referral = (await projection.query(`select status, admission_id from referral where id = $1`, [rows[0]!.id])).rows[0];
      expect(referral).toEqual({ status: 'ADMITTED', admission_id: admitted.admission.id });
    } finally {
      await projection.end();
    }
  });

  it('holds at most one active admission per patient', async () => {
    const patient = await registerPatient(stack.gateway.url, city);
    const first = ok(await call(ADMIT, { input: { patientId: patient.id, facilityId: 'OTHER', bedKind: 'GENERAL' } })).admitPatient;
    const ADMIT_AGAIN = ADMIT.replace('... on Error { code message }', '... on PatientAlreadyAdmitted { admissionId } ... on Error { code message }');
    const second = ok(await call(ADMIT_AGAIN, { input: { patientId: patient.id, facilityId: 'OTHER', bedKind: 'OXYGEN' } })).admitPatient;
    expect(second).toMatchObject({ __typename: 'PatientAlreadyAdmitted', code: 'PATIENT_ALREADY_ADMITTED', admissionId: first.admission.id });
  });

  it('transfers atomically: one bed freed and one taken, or nothing', async () => {
    const patient = await registerPatient(stack.gateway.url, city);
    const admission = ok(await call(ADMIT, { input: { patientId: patient.id, facilityId: 'SMALL', bedKind: 'GENERAL' } })).admitPatient.admission;
    const filler = await registerPatient(stack.gateway.url, city);
    ok(await call(ADMIT, { input: { patientId: filler.id, facilityId: 'SMALL', bedKind: 'GENERAL' } }));
    const full = await beds('SMALL');

    const same = ok(await call(TRANSFER, { input: { admissionId: admission.id, toFacilityId: 'SMALL', bedKind: 'GENERAL' } })).transferPatient;
    expect(same).toMatchObject({ __typename: 'ValidationError', fields: [{ path: ['input', 'toFacilityId'] }] });

    // Fill OTHER's oxygen beds, then try to move there: refused, and the old bed is still held.
    const others = await Promise.all(Array.from({ length: 5 }, () => registerPatient(stack.gateway.url, city, { tier: 'TIER_2' })));
    for (const o of others) ok(await call(ADMIT, { input: { patientId: o.id, facilityId: 'OTHER', bedKind: 'OXYGEN' } }));
    const toOxygen = { admissionId: admission.id, toFacilityId: 'OTHER', bedKind: 'OXYGEN', bedKindOverrideReason: 'SpO2 falling while the tier is reassessed' };
    const refused = ok(await call(TRANSFER, { input: toOxygen })).transferPatient;
    expect(refused).toMatchObject({ __typename: 'NoBedAvailable', code: 'NO_BED_AVAILABLE' });
    expect(await beds('SMALL')).toEqual(full);

    const moved = ok(await call(TRANSFER, { input: { admissionId: admission.id, toFacilityId: 'OTHER', bedKind: 'GENERAL' } })).transferPatient;
    expect(moved.transfer).toMatchObject({ from: { id: admission.id, outcome: 'TRANSFERRED', facility: { id: 'SMALL' } }, to: { facility: { id: 'OTHER' }, bedKind: 'GENERAL' } });
    expect((await beds('SMALL')).find((b: { kind: string }) => b.kind === 'GENERAL').occupied).toBe(full.find((b: { kind: string }) => b.kind === 'GENERAL').occupied - 1);
    const current = ok(await call(`query P($id: ID!) { patient(id: $id) { careSetting admission { id facility { id } } } }`, { id: patient.id }));
    expect(current.patient.admission).toEqual({ id: moved.transfer.to.id, facility: { id: 'OTHER' } });
  });

  it('discharges: the bed is freed, and the patients subgraph follows (recovered closes the case)', async () => {
    const patient = await registerPatient(stack.gateway.url, city);
    const admission = ok(await call(ADMIT, { input: { patientId: patient.id, facilityId: 'OTHER', bedKind: 'GENERAL' } })).admitPatient.admission;
    const before = (await beds('OTHER')).find((b: { kind: string }) => b.kind === 'GENERAL').occupied;
    const done = ok(await call(DISCHARGE, { input: { admissionId: admission.id, outcome: 'RECOVERED' } })).dischargePatient;
    expect(done.admission.outcome).toBe('RECOVERED');
    expect((await beds('OTHER')).find((b: { kind: string }) => b.kind === 'GENERAL').occupied).toBe(before - 1);
    const again = ok(await call(DISCHARGE, { input: { admissionId: admission.id, outcome: 'RECOVERED' } })).dischargePatient;
    expect(again).toMatchObject({ __typename: 'AdmissionAlreadyEnded', code: 'ADMISSION_ENDED' });

    const query = `query P($id: ID!) { patient(id: $id) { status careSetting admission { id } } }`;
    // The patients subgraph follows through the event bus; allow for a loaded CI machine.
    const state = await pollUntil(async () => ok(await call(query, { id: patient.id })).patient, (p) => p.status === 'RECOVERED', { timeoutMs: 20_000 });
    expect(state).toEqual({ status: 'RECOVERED', careSetting: 'HOME', admission: null });
    const readmit = ok(await call(ADMIT, { input: { patientId: patient.id, facilityId: 'OTHER', bedKind: 'GENERAL' } })).admitPatient;
    expect(readmit).toMatchObject({ __typename: 'PatientNotUnderTreatment', code: 'PATIENT_NOT_UNDER_TREATMENT' });
  });
});
