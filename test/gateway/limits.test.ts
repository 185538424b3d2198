/** No query and no client can take the service down: clear errors, no crash, bounded memory. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { seedGeography } from '../support/builders.js';
import { startSubgraphs, testConfig } from '../support/stack.js';
import { gql, token } from '../support/client.js';
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

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    subgraphs = await startSubgraphs(db);
    const urls = Object.fromEntries(Object.values(subgraphs).map((s) => [s.name, s.url])) as Record<SubgraphName, string>;
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

  it('exposes Prometheus metrics', async () => {
    const text = await (await fetch(gateway.url.replace('/graphql', '/metrics'))).text();
    expect(text).toMatch(/graphql_envelop_request_duration/);
    expect(text).toMatch(/hrg_gateway_active_subscriptions/);
    const subgraphText = await (await fetch(subgraphs.facilities.url.replace('/graphql', '/metrics'))).text();
    expect(subgraphText).toMatch(/hrg_facilities_events_delivered_total/);
    expect(subgraphText).toMatch(/hrg_facilities_event_listener_connected 1/);
  });
});
