/**
 * A subgraph that hangs (stopped, not dead: its socket accepts and never answers) costs only its
 * own fields, and only for the upstream timeout: the other subgraphs' fields still come back.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { spawnSubgraphProcess } from '../support/subgraph-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography } from '../support/builders.js';
import { startSubgraphs, testConfig } from '../support/stack.js';
import { gql, subscribe, token, wsClient } from '../support/client.js';
import { pollUntil } from '../support/wait.js';
import { startGateway, type RunningGateway } from '../../gateway/server.js';
import { createLogger } from '../../subgraphs/common/log.js';
import type { RunningSubgraph } from '../../subgraphs/common/service.js';
import type { SubgraphName } from '../../subgraphs/common/config.js';

const UPSTREAM_TIMEOUT_MS = 2_000;

describe('a subgraph process hangs', () => {
  let db: TestDatabase;
  let inProcess: Record<Exclude<SubgraphName, 'vaccination'>, RunningSubgraph>;
  let gateway: RunningGateway;
  let child: ChildProcess | undefined;
  let port: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [{ id: 'CS-HANG', wardCode: '00337', beds: { GENERAL: { total: 10 } } }]);
    inProcess = (await startSubgraphs(db, ['facilities', 'patients', 'workforce'])) as typeof inProcess;
    ({ child, port } = await spawnSubgraphProcess('vaccination', db.adminUrl));
    const urls = {
      ...(Object.fromEntries(Object.values(inProcess).map((s) => [s.name, s.url])) as Record<SubgraphName, string>),
      vaccination: `http://127.0.0.1:${port}/graphql`,
    };
    gateway = await startGateway({ config: { ...testConfig, upstreamTimeoutMs: UPSTREAM_TIMEOUT_MS }, subgraphUrls: urls, port: 0, host: '127.0.0.1', log: createLogger('gateway') });
  }, 60_000);
  afterAll(async () => {
    child?.kill('SIGCONT');
    child?.kill('SIGKILL');
    await gateway?.close();
    await Promise.all(Object.values(inProcess ?? {}).map((s) => s.close()));
    await db?.drop();
  });

  it('answers the other subgraphs’ fields and times the hung one out, naming it', async () => {
    const auth = await token('CITY_OFFICER');
    const query = `{ named: district(code: "008") { name } covered: district(code: "008") { vaccination { population } } }`;
    const before = await gql(gateway.url, query, {}, { token: auth });
    expect(before.errors).toBeUndefined();
    // Subscriptions are long-lived by design: the upstream timeout leaves them alone.
    const client = wsClient(gateway.url, { authorization: `Bearer ${auth}` });
    const live = subscribe(client, 'subscription { bedOccupancyChanged(districtCode: "008") { total facility { id } } }', {}, { servedBy: inProcess.facilities.runtime });
    await live.ready;

    child!.kill('SIGSTOP');
    try {
      const started = Date.now();
      // A client that gives up after 10 s: without an upstream timeout the answer never comes.
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${auth}` },
        body: JSON.stringify({ query }),
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[] };
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(UPSTREAM_TIMEOUT_MS - 100);
      expect(elapsed).toBeLessThan(UPSTREAM_TIMEOUT_MS + 3_000);
      expect(body.data).toEqual({ named: { name: expect.stringContaining('Hoàng Mai') }, covered: null });
      expect(body.errors).toEqual([
        expect.objectContaining({
          path: ['covered', 'vaccination'],
          message: expect.stringContaining('vaccination service did not answer'),
          extensions: { code: 'UPSTREAM_TIMEOUT', serviceName: 'vaccination' },
        }),
      ]);
      expect(JSON.stringify(body)).not.toContain(String(port)); // no internal URL
    } finally {
      child!.kill('SIGCONT');
    }
    const after = await pollUntil(() => gql(gateway.url, query, {}, { token: auth }), (r) => !r.errors, { timeoutMs: 20_000 });
    expect(after?.data).toEqual(before.data);
    // More than the upstream timeout after it started, the subscription still delivers.
    const update = await gql(gateway.url, 'mutation { updateBedCapacity(input: { facilityId: "CS-HANG", bedKind: GENERAL, total: 20, covidDesignated: 20 }) { __typename } }', {}, { token: auth });
    expect(update.errors).toBeUndefined();
    expect(await live.next(10_000)).toEqual({ data: { bedOccupancyChanged: { total: 20, facility: { id: 'CS-HANG' } } } });
    live.close();
    await client.dispose();
  }, 60_000);
});
