/**
 * Subscriptions over HTTP (Server-Sent Events) end with their client's connection, and one client
 * holds at most HRG_WS_MAX_SUBSCRIPTIONS of them at once. A client that opened streams and went
 * away used to leave each one running at the subgraphs until its credential expired (hours for a
 * token, never for an API key), and nothing capped how many it opened.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { token } from '../support/client.js';
import { waitUntil } from '../support/wait.js';
import { openEventStream } from '../support/raw.js';

const LIVE_BEDS = 'subscription { bedOccupancyChanged(districtCode: "008") { occupied } }';
const MAX = 2;

describe('event streams over HTTP', () => {
  let db: TestDatabase;
  let stack: Stack;
  const upstream = () => stack.subgraphs.facilities.runtime.bus.stats.subscribers;

  const openStream = (bearer: string) => openEventStream(stack.gateway.url, LIVE_BEDS, { authorization: `Bearer ${bearer}` });

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [{ id: 'CS-SSE', wardCode: '00337', beds: { GENERAL: { total: 10 } } }]);
    stack = await startStack(db, { maxSubscriptionsPerConnection: MAX });
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  it('ends the subscription at the subgraph when its client goes away', async () => {
    const stream = await openStream(await token('DASHBOARD', { subject: 'screen:leaving', ttlSeconds: 3_600 }));
    expect(stream.status).toBe(200);
    await waitUntil(() => upstream() === 1);
    stream.close();
    await waitUntil(() => upstream() === 0);
    expect(upstream()).toBe(0);
  });

  it('gives a slot back for a subscription the server never streamed (asked for as JSON: 406)', async () => {
    const bearer = await token('DASHBOARD', { subject: 'screen:json', ttlSeconds: 3_600 });
    for (let i = 0; i < MAX + 2; i++) {
      const res = await fetch(stack.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${bearer}` },
        body: JSON.stringify({ query: LIVE_BEDS }),
      });
      await res.text();
    }
    // The client still gets its streams.
    const stream = await openStream(bearer);
    try {
      await waitUntil(() => upstream() === 1);
    } finally {
      stream.close();
    }
    await waitUntil(() => upstream() === 0);
  });

  it('holds at most the cap of streams per client, and one ended makes room', async () => {
    const bearer = await token('DASHBOARD', { subject: 'screen:greedy', ttlSeconds: 3_600 });
    const streams = [await openStream(bearer), await openStream(bearer)];
    try {
      await waitUntil(() => upstream() === MAX);
      // Over the cap: one error, then the stream ends; nothing starts at the subgraph.
      const refused = await (await openStream(bearer)).rest(10_000);
      expect(refused.map((event) => event.data).join('\n')).toContain('TOO_MANY_SUBSCRIPTIONS');
      expect(upstream()).toBe(MAX);
      // Another client is not held back by this one.
      const other = await openStream(await token('DASHBOARD', { subject: 'screen:other', ttlSeconds: 3_600 }));
      await waitUntil(() => upstream() === MAX + 1);
      other.close();
      await waitUntil(() => upstream() === MAX);
      // One of the two ends: a new one is accepted.
      streams.pop()!.close();
      await waitUntil(() => upstream() === MAX - 1);
      streams.push(await openStream(bearer));
      await waitUntil(() => upstream() === MAX);
    } finally {
      for (const stream of streams) stream.close();
    }
  });
});
