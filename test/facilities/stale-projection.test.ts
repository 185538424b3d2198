/**
 * Facilities judges writes on its projection of the patients subgraph's patients, which an event
 * updates a moment after the patients subgraph changed. A transfer catches the projection up
 * first, and an admission finds in its first statement whether the projection has applied the
 * patient's events (and catches up when not), so a tier raised a moment ago decides where the
 * patient may go, while events about other patients do not hold an admission up; and a case
 * closed here (a discharge as recovered) stays closed when an older-looking patient event arrives
 * from a patients subgraph that has not heard of the discharge yet.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography, withDb } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, ok, token } from '../support/client.js';
import { registerPatient } from '../support/patients.js';
import { waitUntil } from '../support/wait.js';

const ADMIT = `mutation A($input: AdmitPatientInput!) { admitPatient(input: $input) { __typename ... on AdmitPatientSuccess { admission { id } } ... on Error { code } } }`;
const DISCHARGE = `mutation D($input: DischargePatientInput!) { dischargePatient(input: $input) { __typename ... on Error { code } } }`;
const TRANSFER = `mutation T($input: TransferPatientInput!) { transferPatient(input: $input) { __typename ... on Error { code } } }`;
const TIER = `mutation C($input: ChangeTierInput!) { changeTier(input: $input) { __typename ... on Error { code } } }`;

describe('writes judged on the patients projection', () => {
  let db: TestDatabase;
  let stack: Stack;
  let city: string;
  const as = async (query: string, variables: Record<string, unknown>) => ok(await gql(stack.gateway.url, query, variables, { token: city }));

  /** Holds a consumer's lock, as consumer lag or a retry would: its events wait until released. */
  const hold = async (consumer: string) => {
    const client = new pg.Client({ connectionString: db.adminUrl });
    await client.connect();
    await client.query('select pg_advisory_lock(hashtextextended($1, 0))', [`event_consumer:${consumer}`]);
    return async () => {
      await client.query('select pg_advisory_unlock_all()');
      await client.end();
    };
  };
  /** Sessions waiting for an advisory lock (a catch-up queued behind the held consumer). */
  const waitingForAdvisoryLock = async () =>
    withDb(db, 'facilities', async (k) => (await sql<{ n: number }>`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`.execute(k)).rows[0]!.n);

  /** A catch-up of facilities' patients projection is under way (an admission or transfer waiting for it). */
  const catchingUp = () =>
    stack.subgraphs.facilities.runtime
      .consumer('facilities.patient-projection')
      .drainState()
      .steps.some((step) => step.by === 'catch-up');

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [
      { id: 'H-STALE', wardCode: '00337', kind: 'HOSPITAL', servesTiers: ['TIER_1', 'TIER_2', 'TIER_3'], beds: { GENERAL: { total: 10 }, OXYGEN: { total: 10 }, ICU: { total: 5 } } },
      { id: 'TYT-STALE', wardCode: '00337', kind: 'HEALTH_STATION', level: 'WARD', servesTiers: ['TIER_1'], beds: { GENERAL: { total: 10 } } },
    ]);
    stack = await startStack(db);
    city = await token('CITY_OFFICER');
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  it('a transfer waits for the projection to catch up: a patient raised to tier 3 a moment ago cannot go to a tier-1 station', async () => {
    const patient = await registerPatient(stack.gateway.url, city, { wardCode: '00337' });
    await stack.settle();
    const admission = (await as(ADMIT, { input: { patientId: patient.id, facilityId: 'H-STALE', bedKind: 'GENERAL' } })).admitPatient.admission.id;
    await stack.settle();
    const release = await hold('facilities.patient-projection');
    let transfer: Promise<any>;
    try {
      expect((await as(TIER, { input: { patientId: patient.id, to: 'TIER_3', reason: 'SpO2 86 %' } })).changeTier.__typename).toBe('ChangeTierSuccess');
      transfer = as(TRANSFER, { input: { admissionId: admission, toFacilityId: 'TYT-STALE', bedKind: 'GENERAL' } });
      // The transfer queues behind the held projection instead of deciding on the old tier.
      await waitUntil(async () => (await waitingForAdvisoryLock()) > 0, { intervalMs: 20 });
    } finally {
      await release();
    }
    const refused = (await transfer!).transferPatient;
    expect(refused.__typename).not.toBe('TransferPatientSuccess');
    const active = await withDb(db, 'facilities', async (k) =>
      (await sql<{ facility_id: string }>`select facility_id from admission where patient_id = ${patient.id} and discharged_at is null`.execute(k)).rows,
    );
    expect(active).toEqual([{ facility_id: 'H-STALE' }]);
  });

  it('an admission finds the projection behind in its first statement, rolls back and waits for it: a tier raised a moment ago decides the bed', async () => {
    const patient = await registerPatient(stack.gateway.url, city, { wardCode: '00337' });
    await stack.settle();
    const release = await hold('facilities.patient-projection');
    let admitting: Promise<any>;
    try {
      expect((await as(TIER, { input: { patientId: patient.id, to: 'TIER_3', reason: 'SpO2 86 %' } })).changeTier.__typename).toBe('ChangeTierSuccess');
      admitting = as(ADMIT, { input: { patientId: patient.id, facilityId: 'H-STALE', bedKind: 'GENERAL' } });
      // The admission's catch-up queued for the held consumer (the background reader may be
      // queued too, so the advisory lock's waiters alone do not show the admission got there).
      await waitUntil(async () => catchingUp() && (await waitingForAdvisoryLock()) > 0, { intervalMs: 20 });
      // Its transaction ended before it queued: no session holds facilities' patients share-locked
      // (the projection must update the patient's row).
      const open = await withDb(db, 'facilities', async (k) =>
        (
          await sql<{ n: number }>`select count(*)::int as n from pg_locks l join pg_class c on c.oid = l.relation
                                    where c.oid = 'facilities.known_patient'::regclass and l.mode = 'RowShareLock' and l.pid <> pg_backend_pid()`.execute(k)
        ).rows[0]!.n,
      );
      expect(open).toBe(0);
    } finally {
      await release();
    }
    expect((await admitting!).admitPatient).toEqual({ __typename: 'BedKindNotForTier', code: 'BED_KIND_NOT_FOR_TIER' });
    const admitted = (await as(ADMIT, { input: { patientId: patient.id, facilityId: 'H-STALE', bedKind: 'ICU' } })).admitPatient;
    expect(admitted.__typename).toBe('AdmitPatientSuccess');
  });

  it('an admission of a patient registered a moment ago, whom the projection has not seen yet, waits for it instead of answering NotFound', async () => {
    const release = await hold('facilities.patient-projection');
    let admitting: Promise<any>;
    try {
      const patient = await registerPatient(stack.gateway.url, city, { wardCode: '00337' });
      admitting = as(ADMIT, { input: { patientId: patient.id, facilityId: 'H-STALE', bedKind: 'GENERAL' } });
      // The admission's own catch-up queued for the held consumer: the background reader, woken by
      // the registration, may be queued too, and released before the admission got there the
      // patient would be known and this would pass however unknown patients were answered.
      await waitUntil(async () => catchingUp() && (await waitingForAdvisoryLock()) > 0, { intervalMs: 20 });
    } finally {
      await release();
    }
    expect((await admitting!).admitPatient.__typename).toBe('AdmitPatientSuccess');
  });

  it('an admission is not held up by the projection being behind on other patients', async () => {
    const patient = await registerPatient(stack.gateway.url, city, { wardCode: '00337' });
    await stack.settle();
    const release = await hold('facilities.patient-projection');
    try {
      // Another patient's registration waits, unapplied, while the consumer is held.
      const other = await registerPatient(stack.gateway.url, city, { wardCode: '00337' });
      const admitted = (await as(ADMIT, { input: { patientId: patient.id, facilityId: 'H-STALE', bedKind: 'GENERAL' } })).admitPatient;
      expect(admitted.__typename).toBe('AdmitPatientSuccess');
      const applied = await withDb(db, 'facilities', async (k) =>
        (await sql<{ n: number }>`select count(*)::int as n from known_patient where id = ${other.id}`.execute(k)).rows[0]!.n,
      );
      expect({ applied, catchingUp: catchingUp() }).toEqual({ applied: 0, catchingUp: false });
    } finally {
      await release();
    }
  });

  it('a patient discharged as recovered here stays closed when a patient event written before the discharge was known arrives', async () => {
    const patient = await registerPatient(stack.gateway.url, city, { wardCode: '00337' });
    await stack.settle();
    const admission = (await as(ADMIT, { input: { patientId: patient.id, facilityId: 'H-STALE', bedKind: 'GENERAL' } })).admitPatient.admission.id;
    await stack.settle();
    // The patients subgraph has not applied the discharge yet (its consumer of facilities' events is held).
    const release = await hold('patients.care-setting');
    try {
      expect((await as(DISCHARGE, { input: { admissionId: admission, outcome: 'RECOVERED' } })).dischargePatient.__typename).toBe('DischargePatientSuccess');
      // So it still accepts a tier change, whose event facilities then applies.
      expect((await as(TIER, { input: { patientId: patient.id, to: 'TIER_2', reason: 'entered late' } })).changeTier.__typename).toBe('ChangeTierSuccess');
      await stack.subgraphs.facilities.runtime.consumer('facilities.patient-projection').catchUp();
      const known = await withDb(db, 'facilities', async (k) => (await sql<{ status: string }>`select status from known_patient where id = ${patient.id}`.execute(k)).rows[0]!);
      expect(known.status).toBe('RECOVERED');
      const again = (await as(ADMIT, { input: { patientId: patient.id, facilityId: 'H-STALE', bedKind: 'OXYGEN' } })).admitPatient;
      expect(again).toEqual({ __typename: 'PatientNotUnderTreatment', code: 'PATIENT_NOT_UNDER_TREATMENT' });
    } finally {
      await release();
    }
  });
});
