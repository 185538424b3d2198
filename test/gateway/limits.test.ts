/** No query and no client can take the service down: clear errors, no crash, bounded memory. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { seedGeography } from '../support/builders.js';
import { startSubgraphs, testConfig } from '../support/stack.js';
import { gql, scrapeMetrics, subscribe, token, wsClient } from '../support/client.js';
import { postChunked, slowHeaders, wsCloseCode, wsConnect } from '../support/raw.js';
import { startSubgraph } from '../../subgraphs/common/service.js';
import { SUBGRAPHS } from '../../subgraphs/registry.js';
import { pollUntil } from '../support/wait.js';
import type WebSocket from 'ws';
import { startGateway, type RunningGateway } from '../../gateway/server.js';
import { createLogger } from '../../subgraphs/common/log.js';
import type { RunningSubgraph } from '../../subgraphs/common/service.js';
import type { SubgraphName } from '../../subgraphs/common/config.js';

describe('limits', () => {
  let db: TestDatabase;
  let subgraphs: Record<SubgraphName, RunningSubgraph>;
  let gateway: RunningGateway;
  let strict: RunningGateway;
  let auth: string;
  let urls: Record<SubgraphName, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    subgraphs = await startSubgraphs(db);
    urls = Object.fromEntries(Object.values(subgraphs).map((s) => [s.name, s.url])) as Record<SubgraphName, string>;
    gateway = await startGateway({ config: testConfig, subgraphUrls: urls, port: 0, host: '127.0.0.1', log: createLogger('gateway') });
    strict = await startGateway({
      config: { ...testConfig, rateLimitPerSecond: 3, introspection: false, graphiql: false },
      subgraphUrls: urls,
      port: 0,
      host: '127.0.0.1',
      log: createLogger('gateway'),
    });
    auth = await token('CITY_OFFICER');
  });
  afterAll(async () => {
    await gateway.close();
    await strict.close();
    await Promise.all(Object.values(subgraphs).map((s) => s.close()));
    await db.drop();
  });

  const post = (url: string, body: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${auth}` }, body }).then(async (r) => ({ status: r.status, body: await r.text() }));

  it('refuses deep nesting', async () => {
    const deep = `{ districts { wards { district { wards { district { wards { district { wards { district { wards { district { code } } } } } } } } } } } }`;
    const res = await gql(gateway.url, deep, {}, { token: auth });
    expect(res.errors?.[0]?.message).toMatch(/depth/i);
    expect(res.data).toBeUndefined();
  });

  it('gives every limit refusal a stable code and a plain message', async () => {
    const cases: [string, string, RegExp][] = [
      ['depth', `{ districts { wards { district { wards { district { wards { district { wards { district { wards { district { code } } } } } } } } } } } }`, /depth limit of 10 exceeded/],
      ['aliases', `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: districts { code }`).join(' ')} }`, /Aliases limit of 15 exceeded/],
      ['tokens', `{ districts { ${'code '.repeat(2_100)} } }`, /Token limit of 2000 exceeded/],
      ['directives', `{ districts { code ${'@include(if: true) '.repeat(21)} } }`, /Directives limit of 20 exceeded/],
      // Cheap to write, costly to run: fragments spread 20 times at three levels.
      ['cost', `fragment W on Ward { code } fragment D on District { wards { ${'...W '.repeat(20)}} } fragment X on Ward { district { ${'...D '.repeat(20)}} } { districts { wards { ${'...X '.repeat(20)}} } }`, /Cost limit of 5000 exceeded/i],
      // Within depth and cost, but each level of the district ⇄ ward cycle multiplies the objects:
      // about four million at depth 10 (216,000 wards at depth 8 took 1.95 s and 137 MB).
      ['objects', `{ districts { wards { district { wards { district { wards { district { wards { district { code } } } } } } } } } }`, /too many objects/],
    ];
    for (const [limit, query, message] of cases) {
      const res = await gql(gateway.url, query, {}, { token: auth });
      expect({ limit, errors: res.errors }).toEqual({ limit, errors: [expect.objectContaining({ message: expect.stringMatching(message), extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX' }) })] });
      expect(res.errors?.[0]?.message).not.toMatch(/Syntax Error/);
      expect(res.data).toBeUndefined();
    }
  });

  it('sizes lists by their page size also when it comes in a variable', async () => {
    // Per facility: its district, 30 wards, their 30 districts, 900 wards; 100 facilities ask for 96,100 objects.
    const query = `query M($n: Int) { facilities(first: $n) { edges { node { district { wards { district { wards { code } } } } } } } }`;
    const res = await gql(gateway.url, query, { n: 100 }, { token: auth });
    expect(res.errors?.[0]).toMatchObject({ message: expect.stringMatching(/too many objects/), extensions: { code: 'QUERY_TOO_COMPLEX' } });
    // The same query for two facilities is answered.
    expect((await gql(gateway.url, query, { n: 2 }, { token: auth })).errors).toBeUndefined();
  });

  it('refuses 10,000 aliases quickly, and the process keeps serving', async () => {
    const aliases = Array.from({ length: 10_000 }, (_, i) => `a${i}: districts { code }`).join(' ');
    const before = process.memoryUsage().heapUsed;
    const started = Date.now();
    const res = await post(gateway.url, JSON.stringify({ query: `{ ${aliases} }` }));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(res.body).toMatch(/Token limit|aliases|too large/i);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(200 * 1024 * 1024);
    expect((await gql(gateway.url, '{ districts { code } }', {}, { token: auth })).data.districts).toHaveLength(30);
  });

  it('refuses a huge document before parsing it', async () => {
    const res = await post(gateway.url, JSON.stringify({ query: `{ districts { code } } # ${'x'.repeat(2_000_000)}` }));
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).errors[0].message).toMatch(/too large/);
  });

  it('counts the bytes it reads: a chunked body over the limit gets 413 at the gateway and at subgraphs', async () => {
    const padded = (bytes: number) => JSON.stringify({ query: `{ districts { code } } # ${'x'.repeat(bytes)}` });
    const fits = await postChunked(gateway.url, padded(50_000), { authorization: `Bearer ${auth}` });
    expect(fits.status).toBe(200);
    expect(JSON.parse(fits.body).data.districts).toHaveLength(30);
    const huge = await postChunked(gateway.url, padded(3_000_000), { authorization: `Bearer ${auth}` });
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.body).errors).toEqual([
      { message: `Request body too large: at most ${testConfig.maxRequestBytes} bytes`, extensions: { code: 'BAD_USER_INPUT' } },
    ]);
    const unauthenticated = await postChunked(gateway.url, padded(3_000_000));
    expect(unauthenticated.status).toBe(413);
    const subgraph = await postChunked(subgraphs.facilities.url, padded(testConfig.subgraphMaxRequestBytes + 1_000));
    expect(subgraph.status).toBe(413);
    expect(JSON.parse(subgraph.body).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await gql(gateway.url, '{ districts { code } }', {}, { token: auth })).data.districts).toHaveLength(30);
  });

  it('closes a WebSocket that sends an oversized message (1009), and serves subscriptions of normal size', async () => {
    expect(await wsCloseCode(gateway.url, { authorization: `Bearer ${auth}` }, [testConfig.maxRequestBytes + 1_000])).toBe(1009);
    expect(await wsCloseCode(subgraphs.facilities.url, {}, [testConfig.subgraphMaxRequestBytes + 1_000])).toBe(1009);
    const client = wsClient(gateway.url, { authorization: `Bearer ${auth}` });
    const sub = subscribe(client, 'subscription { bedOccupancyChanged { bedKind } }', {}, { servedBy: subgraphs.facilities.runtime });
    await sub.ready;
    const active = await pollUntil(async () => (await gateway.metrics.activeSubscriptions.get()).values[0]?.value, (n) => n === 1);
    expect(active).toBe(1);
    expect(sub.pending()).toEqual([]); // and no error
    sub.close();
    await client.dispose();
  });

  it('cuts off a client that sends its headers slowly, at the gateway and at subgraphs', async () => {
    const slow = { ...testConfig, headersTimeoutMs: 300, requestTimeoutMs: 600 };
    const impatient = await startGateway({ config: slow, subgraphUrls: urls, port: 0, host: '127.0.0.1', log: createLogger('gateway') });
    const subgraph = await startSubgraph(SUBGRAPHS.facilities, { databaseUrl: db.roleUrl('facilities'), port: 0, config: slow, log: createLogger('facilities') });
    try {
      for (const url of [impatient.url, subgraph.url]) {
        const { closedAfterMs, response } = await slowHeaders(url, 5_000);
        expect(response).toMatch(/^HTTP\/1\.1 408/);
        expect(closedAfterMs).toBeLessThan(3_000);
      }
      expect((await gql(impatient.url, '{ districts { code } }', {}, { token: auth })).data.districts).toHaveLength(30);
    } finally {
      await impatient.close();
      await subgraph.close();
    }
  });

  it('caps the WebSocket connections one client holds open (1013 Try Again Later for the one over), other clients unaffected', async () => {
    const capped = await startGateway({ config: { ...testConfig, maxConnectionsPerClient: 2 }, subgraphUrls: urls, port: 0, host: '127.0.0.1', log: createLogger('gateway') });
    const greedy = { authorization: `Bearer ${await token('DASHBOARD', { subject: 'screen:greedy-sockets' })}` };
    const open: WebSocket[] = [];
    const connect = async (params: Record<string, unknown>) => {
      const result = await wsConnect(capped.url, params);
      if ('socket' in result) open.push(result.socket);
      return 'socket' in result ? 'acknowledged' : result.closed;
    };
    try {
      expect([await connect(greedy), await connect(greedy), await connect(greedy)]).toEqual(['acknowledged', 'acknowledged', 1013]);
      expect(await connect({ authorization: `Bearer ${await token('DASHBOARD', { subject: 'screen:modest' })}` })).toBe('acknowledged');
      // One closed makes room (counted out when the server sees the close).
      const first = open.shift()!;
      first.close();
      expect(await pollUntil(() => connect(greedy), (outcome) => outcome === 'acknowledged')).toBe('acknowledged');
      expect(await connect(greedy)).toBe(1013);
    } finally {
      for (const socket of open) socket.close();
      await capped.close();
    }
  });

  it('caps the subscriptions one WebSocket connection holds, with a clear error for the one over the cap', async () => {
    const capped = await startGateway({ config: { ...testConfig, maxSubscriptionsPerConnection: 3 }, subgraphUrls: urls, port: 0, host: '127.0.0.1', log: createLogger('gateway') });
    const client = wsClient(capped.url, { authorization: `Bearer ${auth}` });
    try {
      const active = () => capped.metrics.activeSubscriptions.get().then((m) => m.values[0]?.value);
      const subs = ['008', '001', '002'].map((d) => subscribe(client, `subscription { bedOccupancyChanged(districtCode: "${d}") { bedKind } }`, {}, { servedBy: subgraphs.facilities.runtime }));
      await subs[0]!.ready;
      expect(await pollUntil(active, (n) => n === 3)).toBe(3);
      const over = subscribe(client, 'subscription { tierChanged { to } }', {}, { refused: true });
      const refused = await over.next();
      expect(refused.errors?.flat()).toEqual([
        expect.objectContaining({ message: expect.stringMatching(/at most 3/), extensions: expect.objectContaining({ code: 'TOO_MANY_SUBSCRIPTIONS' }) }),
      ]);
      expect(await active()).toBe(3); // the refused one never started
      // One completed, there is room again.
      subs[0]!.close();
      expect(await pollUntil(active, (n) => n === 2)).toBe(2);
      const again = subscribe(client, 'subscription { tierChanged { to } }', {}, { servedBy: subgraphs.patients.runtime });
      expect(await pollUntil(active, (n) => n === 3)).toBe(3);
      for (const sub of [...subs, over, again]) sub.close();
      expect(await pollUntil(active, (n) => n === 0)).toBe(0);
    } finally {
      await client.dispose();
      await capped.close();
    }
  });

  it('counts operations over graphql-ws against the same per-client rate limit as HTTP', async () => {
    // Twelve queries over one socket at a limit of 3 a second: some are refused with RATE_LIMITED,
    // as they would be over HTTP; before, a socket bypassed the per-client limit altogether.
    const client = wsClient(strict.url, { authorization: `Bearer ${await token('CITY_OFFICER', { subject: 'ws-rate-limit' })}` });
    try {
      const once = () =>
        new Promise<{ data?: unknown; errors?: readonly { extensions?: { code?: string } }[] }>((resolve, reject) => {
          let result: { data?: unknown; errors?: readonly { extensions?: { code?: string } }[] } = {};
          client.subscribe({ query: '{ districts { code } }' }, {
            next: (value) => (result = value as typeof result),
            error: (error) => (Array.isArray(error) ? resolve({ errors: error }) : reject(error)),
            complete: () => resolve(result),
          });
        });
      const results = [];
      for (let i = 0; i < 12; i++) results.push(await once());
      const codes = results.map((r) => (r.errors ? r.errors[0]?.extensions?.code : 'OK'));
      expect(codes.slice(0, 3)).toEqual(['OK', 'OK', 'OK']);
      expect(codes).toContain('RATE_LIMITED');
      expect(codes.every((c) => c === 'OK' || c === 'RATE_LIMITED')).toBe(true);
    } finally {
      await client.dispose();
    }
  });

  it('closes a WebSocket connection that floods messages (4429)', async () => {
    const limited = await startGateway({ config: { ...testConfig, wsMessagesPerSecond: 5 }, subgraphUrls: urls, port: 0, host: '127.0.0.1', log: createLogger('gateway') });
    try {
      const pings = Array.from({ length: 50 }, () => JSON.stringify({ type: 'ping' }));
      expect(await wsCloseCode(limited.url, { authorization: `Bearer ${auth}` }, pings)).toBe(4429);
      // A client within the rate keeps its connection and its subscriptions.
      const client = wsClient(limited.url, { authorization: `Bearer ${auth}` });
      const sub = subscribe(client, 'subscription { bedOccupancyChanged { bedKind } }', {}, { servedBy: subgraphs.facilities.runtime });
      await sub.ready;
      const active = () => limited.metrics.activeSubscriptions.get().then((m) => m.values[0]?.value);
      expect(await pollUntil(active, (n) => n === 1)).toBe(1);
      sub.close();
      expect(await pollUntil(active, (n) => n === 0)).toBe(0);
      await client.dispose();
    } finally {
      await limited.close();
    }
  });

  it('answers malformed JSON and invalid variables with clear errors', async () => {
    const malformed = await post(gateway.url, '{"query": "{ districts { code } }"');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatch(/JSON/i);
    const badVariables = await gql(gateway.url, 'query F($id: ID!) { facility(id: $id) { id } }', { id: { not: 'an id' } }, { token: auth });
    expect(badVariables.errors?.[0]?.message).toMatch(/\$id/);
    const wrongEnum = await gql(gateway.url, 'query B($t: TreatmentTier!) { bedFinder(wardCode: "00337", tier: $t) { available } }', { t: 'TIER_9' }, { token: auth });
    expect(wrongEnum.errors?.[0]?.message).toMatch(/TIER_9/);
  });

  it('does not suggest field names', async () => {
    const res = await gql(gateway.url, '{ district(code: "008") { nmae } }', {}, { token: auth });
    expect(res.errors?.[0]?.message).toMatch(/nmae/);
    expect(res.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });

  it('limits each client’s rate, switches introspection and GraphiQL off when configured', async () => {
    const statuses = [];
    for (let i = 0; i < 12; i++) statuses.push((await gql(strict.url, '{ districts { code } }', {}, { token: auth })).status);
    expect(statuses.slice(0, 6).every((s) => s === 200)).toBe(true);
    expect(statuses).toContain(429);
    const other = await gql(strict.url, '{ districts { code } }', {}, { token: await token('DASHBOARD') });
    expect(other.status).toBe(200); // another client is not slowed down
    const introspection = await gql(strict.url, '{ __schema { types { name } } }', {}, { token: await token('PARTNER') });
    expect(introspection.errors?.[0]?.message).toMatch(/introspection/i);
    const page = await fetch(strict.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(404);
    const devIntrospection = await gql(gateway.url, '{ __schema { queryType { name } } }', {}, { token: auth });
    expect(devIntrospection.data.__schema.queryType.name).toBe('Query');
  });

  it('counts refused credentials against their address’s rate at every door: a flood of bad tokens gets 429 (1013 for a socket)', async () => {
    const statuses = [];
    for (let i = 0; i < 12; i++) statuses.push((await gql(strict.url, '{ districts { code } }', {}, { token: `not-a-token-${i}` })).status);
    expect(statuses.slice(0, 6).every((s) => s === 401)).toBe(true);
    expect(statuses).toContain(429);
    // The address's count is shared: report downloads and sockets are refused alike.
    const reports = [];
    for (let i = 0; i < 12; i++) reports.push((await fetch(new URL('/reports/facility-capacity.csv', strict.url), { headers: { authorization: `Bearer not-a-token-${i}` } })).status);
    expect(reports).toContain(429);
    const sockets = [];
    for (let i = 0; i < 12; i++) sockets.push(await wsCloseCode(strict.url, { authorization: `Bearer not-a-token-${i}` }));
    expect(sockets).toContain(1013);
    expect(sockets.filter((code) => code !== 4403 && code !== 1013)).toEqual([]);
  });

  it('exposes Prometheus metrics to the scraper that holds the metrics token', async () => {
    const text = await scrapeMetrics(gateway.url);
    expect(text).toMatch(/graphql_envelop_request_duration/);
    expect(text).toMatch(/hrg_gateway_active_subscriptions/);
    const subgraphText = await scrapeMetrics(subgraphs.facilities.url);
    expect(subgraphText).toMatch(/hrg_facilities_events_delivered_total/);
    expect(subgraphText).toMatch(/hrg_facilities_event_listener_connected 1/);
  });

  it('refuses an unauthenticated or wrongly authenticated scrape, at the gateway and at subgraphs', async () => {
    for (const url of [gateway.url, subgraphs.facilities.url, subgraphs.vaccination.url]) {
      const metricsUrl = url.replace(/\/graphql$/, '/metrics');
      const anonymous = await fetch(metricsUrl);
      expect(anonymous.status).toBe(401);
      expect((await anonymous.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect((await fetch(metricsUrl, { headers: { authorization: `Bearer ${auth}` } })).status).toBe(401); // a client token is not the metrics token
      expect((await fetch(metricsUrl, { headers: { authorization: `Bearer ${testConfig.metricsToken}x` } })).status).toBe(401);
    }
    const off = await startGateway({ config: { ...testConfig, metricsToken: undefined }, subgraphUrls: urls, port: 0, host: '127.0.0.1', log: createLogger('gateway') });
    try {
      expect((await fetch(off.url.replace(/\/graphql$/, '/metrics'), { headers: { authorization: `Bearer ${testConfig.metricsToken}` } })).status).toBe(404);
    } finally {
      await off.close();
    }
  });

  it('keeps metric labels bounded: client-chosen operation names become "other", subgraph URLs are not shown', async () => {
    const operationNames = (text: string) => new Set([...text.matchAll(/operationName="([^"]*)"/g)].map((m) => m[1]));
    const seed = Math.random().toString(36).slice(2, 8);
    for (let batch = 0; batch < 15; batch++) {
      await Promise.all(Array.from({ length: 10 }, (_, i) => gql(gateway.url, `query Probe_${seed}_${batch}_${i} { districts { code } }`, {}, { token: auth })));
    }
    await gql(gateway.url, 'query FindBed($w: ID!, $t: TreatmentTier!) { bedFinder(wardCode: $w, tier: $t) { available } }', { w: '00337', t: 'TIER_2' }, { token: auth });
    const text = await scrapeMetrics(gateway.url);
    expect(text).not.toMatch(/Probe_/);
    const names = operationNames(text);
    expect(names).toContain('other');
    expect(names).toContain('FindBed'); // a contract operation keeps its name
    expect(names.size).toBeLessThan(25);
    for (const subgraphUrl of Object.values(urls)) expect(text).not.toContain(subgraphUrl);
    expect(text).toMatch(/url="facilities"/);
  });
});
