/**
 * Identical subscriptions through the gateway share one execution: one upstream subscription at
 * the subgraph however many dashboards listen, and every one of them gets every event. Viewers
 * whose results may differ (another role, another officer) get their own.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, ok, scrapeMetrics, subscribe, token, wsClient, type Subscription } from '../support/client.js';
import { metricValue } from '../support/metrics.js';
import { ADMIT, registerPatient } from '../support/patients.js';
import { pollUntil } from '../support/wait.js';

const LIVE_BEDS = `subscription { bedOccupancyChanged(districtCode: "008") { occupied facility { id district { cases { active } } } } }`;

async function metric(stack: Stack, name: string): Promise<number> {
  return Number(metricValue(await scrapeMetrics(stack.gateway.url), name));
}

describe('shared subscriptions', () => {
  let db: TestDatabase;
  let stack: Stack;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [{ id: 'CS-SH', wardCode: '00337', beds: { GENERAL: { total: 10 } } }]);
    stack = await startStack(db);
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  it('runs one execution for 40 dashboards, and one more for an officer', async () => {
    const clients = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => wsClient(stack.gateway.url, { authorization: `Bearer ${await token('DASHBOARD', { subject: `screen-${i}` })}` })),
    );
    const officer = wsClient(stack.gateway.url, { authorization: `Bearer ${await token('DISTRICT_OFFICER', { district: '008' })}` });
    const servedBy = stack.subgraphs.facilities.runtime;
    // The dashboards share one execution in the subgraph and the officer has another: two start.
    const subs: Subscription<any>[] = [...clients, officer].map((c, i) => subscribe(c, LIVE_BEDS, {}, { servedBy, joins: i > 0 && i < clients.length }));
    try {
      await Promise.all(subs.map((s) => s.ready));
      // Both executions run; wait until the gateway has taken every subscriber in as well.
      expect(await pollUntil(() => metric(stack, 'hrg_gateway_active_subscriptions'), (n) => n === 41)).toBe(41);
      expect(await metric(stack, 'hrg_gateway_shared_subscriptions')).toBe(2);
      expect(stack.subgraphs.facilities.runtime.bus.stats.subscribers).toBe(2);

      const city = await token('CITY_OFFICER');
      const patient = await registerPatient(stack.gateway.url, city, { nationalId: null });
      ok(await gql(stack.gateway.url, ADMIT, { input: { patientId: patient.id, facilityId: 'CS-SH', bedKind: 'GENERAL' } }, { token: city }));
      const events = await Promise.all(subs.map((s) => s.next(10_000)));
      for (const event of events) {
        expect(event).toEqual({ data: { bedOccupancyChanged: { occupied: 1, facility: { id: 'CS-SH', district: { cases: { active: 1 } } } } } });
      }
      // The subgraph handed the event to its two upstream subscriptions, and says so in /metrics.
      const subgraphMetrics = await scrapeMetrics(stack.urls.facilities);
      expect(subgraphMetrics).toMatch(/^hrg_facilities_events_delivered_total 2$/m);
      // Every subscriber read its event: no queue holds anything.
      expect(await metric(stack, 'hrg_gateway_subscriber_queue_depth')).toBe(0);
      expect(await metric(stack, 'hrg_gateway_subscriber_queue_depth_max')).toBe(0);
    } finally {
      for (const s of subs) s.close();
      await Promise.all([...clients, officer].map((c) => c.dispose()));
    }
    // The last subscriber gone, the shared execution ends and the subgraph forgets it.
    expect(await pollUntil(() => metric(stack, 'hrg_gateway_shared_subscriptions'), (n) => n === 0, { timeoutMs: 5_000 })).toBe(0);
  });

  it('serialises a shared event once, and every subscription still receives it under its own id', async () => {
    // 12 sockets with two identical subscriptions each: 24 subscription ids, one shared execution.
    const clients = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => wsClient(stack.gateway.url, { authorization: `Bearer ${await token('DASHBOARD', { subject: `wall-${i}` })}` })),
    );
    const servedBy = stack.subgraphs.facilities.runtime;
    const subs: Subscription<any>[] = clients.flatMap((c, i) => [0, 1].map((j) => subscribe(c, LIVE_BEDS, {}, { servedBy, joins: i > 0 || j > 0 })));
    try {
      await Promise.all(subs.map((s) => s.ready));
      expect(await pollUntil(() => metric(stack, 'hrg_gateway_active_subscriptions'), (n) => n === 24)).toBe(24);
      expect(await metric(stack, 'hrg_gateway_shared_subscriptions')).toBe(1);
      const serialisedBefore = await metric(stack, 'hrg_gateway_shared_results_serialised_total');
      const sentBefore = await metric(stack, 'hrg_gateway_shared_result_messages_total');
      expect([serialisedBefore, sentBefore].every(Number.isInteger)).toBe(true);

      const city = await token('CITY_OFFICER');
      const patient = await registerPatient(stack.gateway.url, city, { nationalId: null });
      ok(await gql(stack.gateway.url, ADMIT, { input: { patientId: patient.id, facilityId: 'CS-SH', bedKind: 'GENERAL' } }, { token: city }));
      const events = await Promise.all(subs.map((s) => s.next(10_000)));
      for (const event of events) {
        expect(event).toEqual({ data: { bedOccupancyChanged: { occupied: 2, facility: { id: 'CS-SH', district: { cases: { active: 2 } } } } } });
      }
      // One serialisation for the event, 24 messages written from it (each with its own id).
      expect(await pollUntil(() => metric(stack, 'hrg_gateway_shared_result_messages_total'), (n) => n - sentBefore === 24)).toBe(sentBefore + 24);
      expect((await metric(stack, 'hrg_gateway_shared_results_serialised_total')) - serialisedBefore).toBe(1);
    } finally {
      for (const s of subs) s.close();
      await Promise.all(clients.map((c) => c.dispose()));
    }
  });
});
