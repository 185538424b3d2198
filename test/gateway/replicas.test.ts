/** Two gateways and two replicas of every subgraph on one database behave as one service. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography } from '../support/builders.js';
import { settle, startSubgraphs, testConfig } from '../support/stack.js';
import { gql, ok, subscribe, token, wsClient } from '../support/client.js';
import { ADMIT, registerPatient } from '../support/patients.js';
import { sql } from 'kysely';
import { startGateway, type RunningGateway } from '../../gateway/server.js';
import { createLogger } from '../../subgraphs/common/log.js';
import type { RunningSubgraph } from '../../subgraphs/common/service.js';
import type { SubgraphName } from '../../subgraphs/common/config.js';
import { TOPICS } from '../../subgraphs/common/events/catalog.js';
import { PATIENT_PROJECTION } from '../../subgraphs/workforce/events/consumers.js';

describe('horizontal scale', () => {
  let db: TestDatabase;
  const replicas: Record<SubgraphName, RunningSubgraph>[] = [];
  const gateways: RunningGateway[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [{ id: 'CS-R', wardCode: '00337', beds: { GENERAL: { total: 30 } } }]);
    for (let i = 0; i < 2; i++) {
      const set = await startSubgraphs(db);
      replicas.push(set);
      const urls = Object.fromEntries(Object.values(set).map((s) => [s.name, s.url])) as Record<SubgraphName, string>;
      gateways.push(await startGateway({ config: testConfig, subgraphUrls: urls, port: 0, host: '127.0.0.1', log: createLogger(`gateway-${i}`) }));
      for (const s of Object.values(set)) s.runtime.useGateway(gateways[i]!.url);
    }
  });
  afterAll(async () => {
    for (const g of gateways) await g.close();
    for (const set of replicas) await Promise.all(Object.values(set).map((s) => s.close()));
    await db.drop();
  });

  it('a mutation through gateway A reaches a subscriber on gateway B exactly once', async () => {
    const city = await token('CITY_OFFICER');
    const client = wsClient(gateways[1]!.url, { authorization: `Bearer ${await token('DASHBOARD')}` });
    const sub = subscribe(client, `subscription { bedOccupancyChanged(districtCode: "008") { occupied facility { district { cases { active } } } } }`, {}, {
      servedBy: replicas[1]!.facilities.runtime,
    });
    try {
      await sub.ready;
      // One admission at a time: district.cases is read when each event is delivered, so a
      // registration racing ahead of a delivery would show in it. The fourth admission is the
      // marker: a second copy of any of the first three would arrive before it, in its place.
      const events = [];
      for (let i = 1; i <= 4; i++) {
        const patient = await registerPatient(gateways[0]!.url, city, { nationalId: null });
        const admitted = ok(await gql(gateways[0]!.url, ADMIT, { input: { patientId: patient.id, facilityId: 'CS-R', bedKind: 'GENERAL' } }, { token: city }));
        expect(admitted.admitPatient.__typename).toBe('AdmitPatientSuccess');
        events.push(await sub.next(10_000));
      }
      expect([...events, ...sub.pending()].map((e) => e.data?.bedOccupancyChanged)).toEqual([1, 2, 3, 4].map((n) => ({ occupied: n, facility: { district: { cases: { active: n } } } })));
    } finally {
      sub.close();
      await client.dispose();
    }
  });

  it('projections are applied once although both replicas consume the same events', async () => {
    const city = await token('CITY_OFFICER');
    const read = async () =>
      ok(await gql(gateways[1]!.url, `{ ward(code: "00337") { workforce { homePatients } cases { active inFacilities } } }`, {}, { token: city })).ward;
    // The four admitted patients above are in facilities; two more stay at home.
    for (let i = 0; i < 2; i++) await registerPatient(gateways[0]!.url, city, { nationalId: null });
    for (const set of replicas) await settle(set);
    // Both workforce replicas see every patient event; together they must apply each one once.
    // An upsert hides a second application in the projection, so count the applications.
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from outbox where topic in (${TOPICS.patientRegistered}, ${TOPICS.patientUpdated})`.execute(replicas[0]!.patients.runtime.db);
    const published = rows[0]!.n;
    expect(published).toBeGreaterThanOrEqual(6 + 4); // six registrations, four admissions
    const applied = replicas.reduce((sum, set) => sum + set.workforce.runtime.consumer(PATIENT_PROJECTION).applied, 0);
    expect(applied).toBe(published);
    const ward = await read();
    expect(ward.cases).toEqual({ active: 6, inFacilities: 4 });
    expect(ward.workforce.homePatients).toBe(2);
  });
});
