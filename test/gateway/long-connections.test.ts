/**
 * A dashboard's WebSocket outlives the viewer token the gateway forwards for it (a token lives the
 * rest of its window and the whole next: 15 to 30 minutes in production, 2 to 4 seconds here).
 * Its subscription's events keep their fields from other subgraphs, and later operations on the
 * same socket keep working, because the connection gets a new token in every window. With the
 * first token kept for the connection's life, the subgraphs refused both once it expired.
 * The same holds for a subscription over HTTP (Server-Sent Events), which has no socket of its
 * own: it kept the token of its request, so its events lost their cross-subgraph fields once that
 * expired, and a partner key withdrawn went on streaming for as long as the client stayed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography } from '../support/builders.js';
import { startStack, testConfig, type Stack } from '../support/stack.js';
import { gql, ok, subscribe, token, wsClient, wsOnce } from '../support/client.js';
import { ADMIT, registerPatient } from '../support/patients.js';
import { waitUntil } from '../support/wait.js';
import { viewerTokenExpiry } from '../../subgraphs/common/auth/internal-token.js';
import { openEventStream } from '../support/raw.js';

const WINDOW_SECONDS = 2;
const LIVE_BEDS = `subscription { bedOccupancyChanged(districtCode: "008") { occupied facility { id district { cases { active } } } } }`;

const once = wsOnce;

describe('connections that outlive their first forwarded token', () => {
  let db: TestDatabase;
  let stack: Stack;
  /** The gateway's partner keys, its own copy: a test withdraws one, and each key's checks are counted. */
  const checks = new Map<string, number>();
  const apiKeys = new (class extends Map<string, string> {
    override get(key: string) {
      checks.set(key, (checks.get(key) ?? 0) + 1);
      return super.get(key);
    }
  })([['partner-key-to-withdraw', 'withdrawn-partner'], ...testConfig.apiKeys]);

  /** Until the token signed when a connection opened at `openedAt` has expired (a second of margin). */
  async function firstTokenExpired(openedAt: number): Promise<void> {
    const firstTokenExpiry = viewerTokenExpiry({ subject: 'any', role: 'DASHBOARD' }, openedAt, WINDOW_SECONDS) * 1000;
    await waitUntil(() => Date.now() > firstTokenExpiry + 1_000, { timeoutMs: 4 * WINDOW_SECONDS * 1000 + 5_000, intervalMs: 50 });
  }

  /** Registers a patient and admits it to CS-LONG; returns the city officer's token that did it. */
  async function admitOne(): Promise<string> {
    const city = await token('CITY_OFFICER');
    const patient = await registerPatient(stack.gateway.url, city, { nationalId: null });
    ok(await gql(stack.gateway.url, ADMIT, { input: { patientId: patient.id, facilityId: 'CS-LONG', bedKind: 'GENERAL' } }, { token: city }));
    return city;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [{ id: 'CS-LONG', wardCode: '00337', beds: { GENERAL: { total: 10 } } }]);
    stack = await startStack(db, { viewerTokenWindowSeconds: WINDOW_SECONDS, apiKeys });
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  it('keeps cross-subgraph fields in events and answers later operations on the socket', async () => {
    const client = wsClient(stack.gateway.url, { authorization: `Bearer ${await token('DASHBOARD', { ttlSeconds: 3_600 })}` });
    const connectedAt = Date.now();
    const live = subscribe(client, LIVE_BEDS, {}, { servedBy: stack.subgraphs.facilities.runtime });
    try {
      await live.ready;
      await firstTokenExpired(connectedAt);
      await admitOne();
      const event = await live.next(10_000);
      expect(event).toEqual({ data: { bedOccupancyChanged: { occupied: 1, facility: { id: 'CS-LONG', district: { cases: { active: 1 } } } } } });

      const later = await once(client, `{ districts { code cases { active } } }`);
      expect(later.errors).toBeUndefined();
      expect(later.data.districts.find((d: { code: string }) => d.code === '008').cases.active).toBe(1);
    } finally {
      live.close();
      await client.dispose();
    }
  });

  it('keeps open the socket of a credential that expires in 30 days (beyond what one timer can wait)', async () => {
    const client = wsClient(stack.gateway.url, { authorization: `Bearer ${await token('DASHBOARD', { ttlSeconds: 30 * 86_400 })}` });
    const closes: number[] = [];
    client.on('closed', (event) => void closes.push((event as { code: number }).code));
    // A subscription holds the socket open (the test client closes an idle one by itself).
    const live = subscribe(client, LIVE_BEDS, {}, { servedBy: stack.subgraphs.facilities.runtime });
    try {
      await live.ready;
      for (let i = 0; i < 2; i++) expect((await once(client, `{ districts { code } }`)).errors).toBeUndefined();
      expect(closes).toEqual([]);
    } finally {
      live.close();
      await client.dispose();
    }
  });

  it('checks the credential again with every new token: a partner key withdrawn ends its socket (4403)', async () => {
    const client = wsClient(stack.gateway.url, { apiKey: 'partner-key-to-withdraw' });
    const closes: number[] = [];
    client.on('closed', (event) => void closes.push((event as { code: number }).code));
    const live = subscribe(client, `subscription { bedOccupancyChanged(districtCode: "008") { occupied } }`, {}, { servedBy: stack.subgraphs.facilities.runtime });
    try {
      await live.ready;
      expect((await once(client, `{ districts { code } }`)).errors).toBeUndefined();
      apiKeys.delete('partner-key-to-withdraw');
      // At the next window's renewal at the latest (two windows and a margin).
      await waitUntil(() => closes.length > 0, { timeoutMs: 3 * WINDOW_SECONDS * 1000 + 2_000, intervalMs: 50 });
      expect(closes).toEqual([4403]);
    } finally {
      live.close();
      await client.dispose();
    }
  });

  it('keeps cross-subgraph fields in the events of a Server-Sent Events stream', async () => {
    const stream = await openEventStream(stack.gateway.url, LIVE_BEDS, { authorization: `Bearer ${await token('DASHBOARD', { ttlSeconds: 3_600 })}` });
    const openedAt = Date.now();
    try {
      expect(stream.status).toBe(200);
      await waitUntil(() => stack.subgraphs.facilities.runtime.bus.stats.subscribers === 1);
      await firstTokenExpired(openedAt);
      const city = await admitOne();
      const event = await stream.next(10_000);
      expect(event?.event).toBe('next');
      // The stream's event and the figures as they are now (the first test admitted one too).
      const occupied = (await gql(stack.gateway.url, `{ facility(id: "CS-LONG") { beds { kind occupied } } }`, {}, { token: city })).data.facility.beds[0].occupied;
      expect(JSON.parse(event!.data)).toEqual({ data: { bedOccupancyChanged: { occupied, facility: { id: 'CS-LONG', district: { cases: { active: occupied } } } } } });
    } finally {
      stream.close();
    }
  });

  it('checks the credential again with every new token: a partner key withdrawn ends its event stream', async () => {
    apiKeys.set('stream-key-to-withdraw', 'withdrawn-streaming-partner');
    const stream = await openEventStream(stack.gateway.url, `subscription { bedOccupancyChanged(districtCode: "008") { occupied } }`, { 'x-api-key': 'stream-key-to-withdraw' });
    try {
      expect(stream.status).toBe(200);
      await waitUntil(() => stack.subgraphs.facilities.runtime.bus.stats.subscribers === 1);
      apiKeys.delete('stream-key-to-withdraw');
      // At the next window's renewal at the latest (two windows and a margin): one last error, then the end.
      const events = await stream.rest(3 * WINDOW_SECONDS * 1000 + 2_000);
      const last = events.filter((e) => e.event === 'next').at(-1);
      expect(JSON.parse(last?.data ?? '{}')).toEqual({ errors: [{ message: 'Credentials no longer valid: the subscription has ended', extensions: { code: 'UNAUTHENTICATED' } }] });
      expect(events.at(-1)?.event).toBe('complete');
      await waitUntil(() => stack.subgraphs.facilities.runtime.bus.stats.subscribers === 0);
    } finally {
      stream.close();
    }
  });

  it('stops renewing the token of an event stream once the stream has ended', async () => {
    apiKeys.set('stream-key-ended', 'ended-streaming-partner');
    apiKeys.set('stream-key-live', 'live-streaming-partner');
    const query = `subscription { bedOccupancyChanged(districtCode: "008") { occupied } }`;
    const ended = await openEventStream(stack.gateway.url, query, { 'x-api-key': 'stream-key-ended' });
    const live = await openEventStream(stack.gateway.url, query, { 'x-api-key': 'stream-key-live' });
    try {
      await waitUntil(() => stack.subgraphs.facilities.runtime.bus.stats.subscribers === 2);
      ended.close();
      await waitUntil(() => stack.subgraphs.facilities.runtime.bus.stats.subscribers === 1);
      const endedChecks = checks.get('stream-key-ended');
      const liveChecks = checks.get('stream-key-live')!;
      // The live stream's credential is checked again at each window's renewal: two of them
      // mean two windows have passed, in which the ended stream's was not checked at all.
      await waitUntil(() => checks.get('stream-key-live')! >= liveChecks + 2, { timeoutMs: 3 * WINDOW_SECONDS * 1000 + 2_000, intervalMs: 50 });
      expect(checks.get('stream-key-ended')).toBe(endedChecks);
    } finally {
      ended.close();
      live.close();
    }
  });
});
