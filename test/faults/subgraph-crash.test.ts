/**
 * A subgraph process killed mid-run (SIGKILL, no goodbye) costs only its own fields: the gateway
 * answers with partial data and an error for them, and recovers when a new process comes up on
 * the same address, without a gateway restart.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { spawnSubgraphProcess } from '../support/subgraph-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { seedGeography } from '../support/builders.js';
import { startSubgraphs, testConfig } from '../support/stack.js';
import { gql, token } from '../support/client.js';
import { pollUntil } from '../support/wait.js';
import { startGateway, type RunningGateway } from '../../gateway/server.js';
import { createLogger } from '../../subgraphs/common/log.js';
import type { RunningSubgraph } from '../../subgraphs/common/service.js';
import type { SubgraphName } from '../../subgraphs/common/config.js';


describe('a subgraph process dies', () => {
  let db: TestDatabase;
  let inProcess: Record<Exclude<SubgraphName, 'vaccination'>, RunningSubgraph>;
  let gateway: RunningGateway;
  let child: ChildProcess | undefined;
  let port: number;

  // The first start takes a port the kernel picks; the restart takes the same one, so that the
  // gateway finds it where it was.
  const startVaccination = async (): Promise<ChildProcess> => {
    const started = await spawnSubgraphProcess('vaccination', db.adminUrl, port);
    port = started.port;
    return started.child;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    inProcess = (await startSubgraphs(db, ['facilities', 'patients', 'workforce'])) as typeof inProcess;
    port = 0;
    child = await startVaccination();
    const urls = {
      ...(Object.fromEntries(Object.values(inProcess).map((s) => [s.name, s.url])) as Record<SubgraphName, string>),
      vaccination: `http://127.0.0.1:${port}/graphql`,
    };
    gateway = await startGateway({ config: testConfig, subgraphUrls: urls, port: 0, host: '127.0.0.1', log: createLogger('gateway') });
  }, 60_000);
  afterAll(async () => {
    child?.kill('SIGKILL');
    await gateway?.close();
    await Promise.all(Object.values(inProcess ?? {}).map((s) => s.close()));
    await db?.drop();
  });

  it('answers with partial data while it is down and recovers when it returns', async () => {
    const auth = await token('CITY_OFFICER');
    const query = `{ district(code: "008") { name vaccination { population } } }`;

    const before = await gql(gateway.url, query, {}, { token: auth, headers: { "x-request-id": "trace-me-123" } });
    expect(before.errors).toBeUndefined();
    expect(before.data?.district).toEqual({ name: expect.stringContaining('Hoàng Mai'), vaccination: { population: expect.any(Number) } });

    child!.kill('SIGKILL');
    await new Promise<void>((resolve) => child!.once('exit', () => resolve()));
    child = undefined;

    const during = await gql(gateway.url, query, {}, { token: auth });
    // The facilities half is there; the vaccination half is null (the district is nullable, so
    // null bubbles to it only if the field is non-null) with an error pointing at it.
    // VaccinationCoverage is non-null, so its absence nulls its district; the other root field,
    // answered by facilities alone, is still there.
    const partial = await gql(gateway.url, `{ named: district(code: "008") { name } covered: district(code: "008") { vaccination { population } } }`, {}, { token: auth });
    expect(partial.data).toEqual({ named: { name: before.data?.district.name }, covered: null });
    expect(partial.errors).toEqual([
      expect.objectContaining({
        path: ['covered', 'vaccination'],
        message: expect.stringContaining('vaccination service is unavailable'),
        extensions: { code: 'SERVICE_UNAVAILABLE', serviceName: 'vaccination' },
      }),
    ]);
    expect(JSON.stringify(partial.errors)).not.toMatch(/ECONNREFUSED|representations|stack/); // no internals leak
    expect(during.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');

    child = await startVaccination();
    const after = await pollUntil(() => gql(gateway.url, query, {}, { token: auth }), (r) => !r.errors, { timeoutMs: 30_000 });
    expect(after?.data).toEqual(before.data);
  }, 60_000);
});
