/**
 * A subscription event whose fields fail in the database: subscribers get the masked
 * INTERNAL_SERVER_ERROR, never the database's own words, whether they subscribe at the subgraph
 * itself (as the gateway does) or through the gateway.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { seedGeography } from '../support/builders.js';
import { startStack, testConfig, type Stack } from '../support/stack.js';
import { subscribe, token, wsClient } from '../support/client.js';
import { signViewer, VIEWER_CONNECTION_PARAM } from '../../subgraphs/common/auth/internal-token.js';
import { publish } from '../../subgraphs/common/events/publish.js';
import { TOPICS } from '../../subgraphs/common/events/catalog.js';

describe('errors in subscription events', () => {
  let db: TestDatabase;
  let stack: Stack;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    stack = await startStack(db);
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  it('are masked at the subgraph and at the gateway: no database message reaches a subscriber', async () => {
    const runtime = stack.subgraphs.patients.runtime;
    const direct = wsClient(stack.urls.patients, { [VIEWER_CONNECTION_PARAM]: await signViewer({ subject: 'city', role: 'CITY_OFFICER' }, testConfig.internalSecret) });
    const viaGateway = wsClient(stack.gateway.url, { authorization: `Bearer ${await token('CITY_OFFICER')}` });
    const query = `subscription { helpRequested(wardCode: "00337") { id message } }`;
    const subscriptions = [subscribe(direct, query, {}, { servedBy: runtime }), subscribe(viaGateway, query, {}, { servedBy: runtime })];
    try {
      await Promise.all(subscriptions.map((s) => s.ready));
      // An event naming a help request by an id that is no UUID: loading it fails in PostgreSQL
      // ("invalid input syntax for type uuid").
      await runtime.db.transaction().execute((trx) =>
        publish(trx, [
          {
            topic: TOPICS.helpRequested,
            key: 'not-a-uuid',
            payload: { helpRequestId: 'not-a-uuid', wardCode: '00337', districtCode: '008', patientId: null, channel: 'PHONE', at: new Date().toISOString() },
          },
        ]),
      );
      for (const subscription of subscriptions) {
        const event = await subscription.next(15_000);
        const errors = (event.errors ?? []) as { message: string; extensions?: { code?: string } }[];
        expect(errors.map((e) => e.extensions?.code)).toContain('INTERNAL_SERVER_ERROR');
        expect(JSON.stringify(event)).not.toMatch(/uuid|syntax|postgres|relation/i);
      }
    } finally {
      for (const s of subscriptions) s.close();
      await Promise.all([direct.dispose(), viaGateway.dispose()]);
    }
  }, 60_000);
});
