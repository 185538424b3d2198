/**
 * PostgreSQL restarted under a running stack, on a server of this test's own (an embedded
 * instance in a temporary folder, so other tests never see it go away): the services reconnect
 * by themselves, the same subscriptions receive events again, and what was committed while the
 * event listener was still reconnecting arrives through outbox catch-up.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';
import { setupDatabase } from '../../subgraphs/common/db/setup.js';
import { subgraphDatabaseUrl } from '../../subgraphs/common/db/database.js';
import { MIGRATIONS } from '../../subgraphs/registry.js';
import type { TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, subscribe, token, wsClient } from '../support/client.js';
import { ADMIT, registerPatient } from '../support/patients.js';
import { pollUntil } from '../support/wait.js';
import { MAX_RETRY_DELAY_MS } from '../../subgraphs/common/events/notifier.js';

describe('PostgreSQL restarts', () => {
  let pg: PrivatePostgres;
  let db: TestDatabase;
  let stack: Stack;

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    const { adminUrl } = pg;
    await setupDatabase(adminUrl, { migrations: MIGRATIONS });
    db = { name: 'hanoi', adminUrl, roleUrl: (s) => subgraphDatabaseUrl(adminUrl, s), drop: async () => {} };
    await seedGeography(db);
    await createFacilities(db, [{ id: 'CS-PG', wardCode: '00337', beds: { GENERAL: { total: 10 } } }]);
    stack = await startStack(db);
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    await pg?.dispose();
  });

  it('reconnects, and the same subscription receives every event', async () => {
    const city = await token('CITY_OFFICER');
    const patients: { id: string }[] = [];
    for (let i = 0; i < 3; i++) patients.push(await registerPatient(stack.gateway.url, city, { nationalId: null }));
    const admit = (patientId: string) => gql(stack.gateway.url, ADMIT, { input: { patientId, facilityId: 'CS-PG', bedKind: 'GENERAL' } }, { token: city });

    const client = wsClient(stack.gateway.url, { authorization: `Bearer ${await token('DASHBOARD')}` });
    const sub = subscribe(client, `subscription { bedOccupancyChanged(districtCode: "008") { occupied } }`, {}, { servedBy: stack.subgraphs.facilities.runtime });
    try {
      await sub.ready;
      expect((await admit(patients[0]!.id)).data?.admitPatient.__typename).toBe('AdmitPatientSuccess');
      expect((await sub.next(10_000)).data).toEqual({ bedOccupancyChanged: { occupied: 1 } });

      await pg.server.stop();
      // Down long enough for the listener's reconnect backoff to grow to its maximum.
      const { notifier } = stack.subgraphs.facilities.runtime;
      expect(await pollUntil(async () => notifier.retryDelayMs, (ms) => ms === MAX_RETRY_DELAY_MS, { timeoutMs: 30_000, intervalMs: 100 })).toBe(MAX_RETRY_DELAY_MS);
      const down = await admit(patients[1]!.id);
      expect(down.data?.admitPatient ?? null).toBeNull(); // no write while the database is away…
      expect(down.errors?.length).toBeGreaterThan(0); // …but a clear error, and the gateway lives
      await pg.server.start();

      // The first writes after the restart may meet pooled connections that died with the server.
      const admitted = await pollUntil(async () => (await admit(patients[1]!.id)).data?.admitPatient?.__typename, (t) => t === 'AdmitPatientSuccess', {
        timeoutMs: 30_000,
        intervalMs: 200,
      });
      expect(admitted).toBe('AdmitPatientSuccess');
      expect((await admit(patients[2]!.id)).data?.admitPatient.__typename).toBe('AdmitPatientSuccess');

      const events = [await sub.next(20_000), await sub.next(20_000)];
      expect(events.map((e) => e.data)).toEqual([{ bedOccupancyChanged: { occupied: 2 } }, { bedOccupancyChanged: { occupied: 3 } }]);
      // The listener itself is back too (events may arrive first through the catch-up poll).
      expect(await pollUntil(async () => notifier.connected, (connected) => connected)).toBe(true);
      // Nothing twice: events arrive in order, so once a later admission's event is here, any
      // repeat of the earlier ones would have arrived before it.
      const sentinel = await registerPatient(stack.gateway.url, city, { nationalId: null });
      expect((await admit(sentinel.id)).data?.admitPatient.__typename).toBe('AdmitPatientSuccess');
      expect((await sub.next(20_000)).data).toEqual({ bedOccupancyChanged: { occupied: 4 } });
      expect(sub.pending()).toEqual([]);
    } finally {
      sub.close();
      await client.dispose();
    }
  }, 120_000);
});
