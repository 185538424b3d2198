/**
 * The thin slice through every layer: real PostgreSQL, four subgraphs and the gateway over real
 * HTTP and WebSocket. A subscription through the gateway carries a field another subgraph
 * resolves (district.cases.active from patients) and must show its current value in every
 * event, not the value of the first one.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, ok, subscribe, token, wsClient } from '../support/client.js';
import { ADMIT, registerPatient } from '../support/patients.js';

describe('the slice through every layer', () => {
  let db: TestDatabase;
  let stack: Stack;
  let city: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [{ id: 'CS-TEST-1', wardCode: '00337', beds: { GENERAL: { total: 50 } } }]);
    stack = await startStack(db);
    city = await token('CITY_OFFICER');
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  it('serves districts with their wards through the gateway', async () => {
    const data = ok(await gql(stack.gateway.url, '{ districts { code name wards { code } } }', {}, { token: city }));
    expect(data.districts).toHaveLength(30);
    expect(data.districts.flatMap((d: { wards: unknown[] }) => d.wards)).toHaveLength(579);
    const hoangMai = data.districts.find((d: { code: string }) => d.code === '008');
    expect(hoangMai.name).toBe('Quận Hoàng Mai');
    expect(hoangMai.wards.map((w: { code: string }) => w.code)).toContain('00337');
  });

  it('serves a facility with its beds', async () => {
    const data = ok(await gql(stack.gateway.url, '{ facility(id: "CS-TEST-1") { beds { kind total occupied available } } }', {}, { token: city }));
    expect(data.facility.beds).toEqual([{ kind: 'GENERAL', total: 50, occupied: 0, available: 50 }]);
  });

  it('delivers three admissions as three events with absolute counts and fresh cross-subgraph fields', async () => {
    const client = wsClient(stack.gateway.url, { authorization: `Bearer ${await token('DASHBOARD')}` });
    const sub = subscribe(
      client,
      `subscription { bedOccupancyChanged(districtCode: "008") {
         facility { id district { code cases { active } } } bedKind total occupied available cause } }`,
      {},
      { servedBy: stack.subgraphs.facilities.runtime },
    );
    try {
      await sub.ready;
      const events = [];
      for (let i = 1; i <= 3; i++) {
        // Each registration adds an active case in Hoàng Mai before the admission's event.
        const patient = await registerPatient(stack.gateway.url, city, { wardCode: '00337' });
        const admitted = ok(await gql(stack.gateway.url, ADMIT, { input: { patientId: patient.id, facilityId: 'CS-TEST-1', bedKind: 'GENERAL' } }, { token: city }));
        expect(admitted.admitPatient.__typename).toBe('AdmitPatientSuccess');
        events.push(await sub.next(10_000));
      }
      expect(events.map((e) => e.errors)).toEqual([undefined, undefined, undefined]);
      expect(events.map((e) => e.data!.bedOccupancyChanged)).toEqual(
        [1, 2, 3].map((n) => ({
          facility: { id: 'CS-TEST-1', district: { code: '008', cases: { active: n } } },
          bedKind: 'GENERAL',
          total: 50,
          occupied: n,
          available: 50 - n,
          cause: 'ADMISSION',
        })),
      );
    } finally {
      sub.close();
      await client.dispose();
    }
  });
});
