/**
 * The real thing in one process: subgraphs on port 0 against a test database, and the gateway in
 * front of them, over real HTTP and WebSocket. Each test file starts what it needs.
 */
import { sql } from 'kysely';
import { SUBGRAPH_NAMES, loadConfig, type Config, type SubgraphName } from '../../subgraphs/common/config.js';
import { createLogger } from '../../subgraphs/common/log.js';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/common/service.js';
import { SUBGRAPHS } from '../../subgraphs/registry.js';
import { startGateway, type RunningGateway } from '../../gateway/server.js';
import type { TestDatabase } from './database.js';

// Tests hammer the gateway from one client on purpose (200 concurrent admissions queue on one bed
// row and a pool of ten connections, for many seconds on a loaded two-core machine): the per-client
// rate limit and the upstream timeout have their own tests with their own gateways
// (test/gateway/limits.test.ts, test/faults/subgraph-hang.test.ts).
export const testConfig: Config = loadConfig({ HRG_RATE_LIMIT: '100000', HRG_UPSTREAM_TIMEOUT_MS: '120000', ...process.env, NODE_ENV: 'test' });

export interface Stack {
  gateway: RunningGateway;
  subgraphs: Record<SubgraphName, RunningSubgraph>;
  urls: Record<SubgraphName, string>;
  restartSubgraph(name: SubgraphName): Promise<RunningSubgraph>;
  /**
   * Waits until every consumer of every subgraph has applied every event, including the events
   * those applications published in turn: no outbox grows during a full round of catch-ups.
   * With `services: false` it does not wait for the background services (the debounced epidemic
   * assessment, the report cutoff, the referral sweep): for callers that check only what events
   * project, step after step (the model-based test), and would otherwise wait out a debounce.
   */
  settle(options?: SettleOptions): Promise<void>;
  close(): Promise<void>;
}

async function outboxHeads(subgraphs: Record<SubgraphName, RunningSubgraph>): Promise<string> {
  const heads = await Promise.all(
    Object.values(subgraphs).map(async (s) => (await sql<{ n: string }>`select coalesce(max(id), 0)::text as n from outbox`.execute(s.runtime.db)).rows[0]!.n),
  );
  return heads.join(',');
}

export interface SettleOptions {
  /** Wait for the background services too (default true). */
  services?: boolean;
}

export async function settle(subgraphs: Record<SubgraphName, RunningSubgraph>, options: SettleOptions = {}): Promise<void> {
  if (options.services === false) return settleEvents(subgraphs);
  for (let round = 0; round < 20; round++) {
    const before = await outboxHeads(subgraphs);
    for (const s of Object.values(subgraphs)) await s.runtime.catchUpAll();
    if ((await outboxHeads(subgraphs)) === before) return;
  }
  throw new Error('events kept coming for 20 rounds of catch-up: something publishes in a loop');
}

/** The newest position of each subgraph's outbox (what consumers compare their position with). */
export async function outboxPositions(subgraphs: Record<SubgraphName, RunningSubgraph>): Promise<Map<string, number>> {
  const heads = await Promise.all(
    Object.values(subgraphs).map(
      async (s) => [s.name, Number((await sql<{ p: string }>`select coalesce(max(position), 0)::text as p from outbox`.execute(s.runtime.db)).rows[0]!.p)] as const,
    ),
  );
  return new Map(heads);
}

/**
 * Events only, and only the consumers that are behind: one read of the consumer positions per
 * subgraph instead of a catch-up transaction per consumer, since the consumers' own listeners
 * have usually applied everything by the time a caller asks. Done, as in `settle`, when no
 * outbox grew while the consumers that were behind caught up.
 */
async function settleEvents(subgraphs: Record<SubgraphName, RunningSubgraph>): Promise<void> {
  for (let round = 0; round < 20; round++) {
    const before = await outboxPositions(subgraphs);
    await Promise.all(
      Object.values(subgraphs).map(async (s) => {
        const { rows } = await sql<{ name: string; p: string | null }>`select name, last_position::text as p from event_consumer`.execute(s.runtime.db);
        const at = new Map(rows.map((r) => [r.name, r.p === null ? -1 : Number(r.p)]));
        for (const name of s.runtime.consumerNames()) {
          const consumer = s.runtime.consumer(name);
          if ((at.get(name) ?? -1) < (before.get(consumer.source) ?? 0)) await consumer.catchUp();
        }
      }),
    );
    const after = await outboxPositions(subgraphs);
    if ([...after].every(([name, head]) => before.get(name) === head)) return;
  }
  throw new Error('events kept coming for 20 rounds of catch-up: something publishes in a loop');
}

/** The subgraphs `names` on `db`, with `config` (the tests' settings unless given). */
export async function startSubgraphs(
  db: TestDatabase,
  names: readonly SubgraphName[] = SUBGRAPH_NAMES,
  config: Config = testConfig,
): Promise<Record<SubgraphName, RunningSubgraph>> {
  const running = await Promise.all(
    names.map((name) => startSubgraph(SUBGRAPHS[name], { databaseUrl: db.roleUrl(name), port: 0, config, log: createLogger(name) })),
  );
  return Object.fromEntries(running.map((s) => [s.name, s])) as Record<SubgraphName, RunningSubgraph>;
}

/**
 * The whole graph on `db`; `gatewayConfig` changes the gateway's settings only, `subgraphConfig`
 * the subgraphs' only (a setting both read, such as the upstream timeout, goes in both).
 */
export async function startStack(db: TestDatabase, gatewayConfig: Partial<Config> = {}, subgraphConfig: Partial<Config> = {}): Promise<Stack> {
  const config = { ...testConfig, ...subgraphConfig };
  const subgraphs = await startSubgraphs(db, SUBGRAPH_NAMES, config);
  const urls = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, subgraphs[n].url])) as Record<SubgraphName, string>;
  const gateway = await startGateway({ config: { ...testConfig, ...gatewayConfig }, subgraphUrls: urls, port: 0, host: '127.0.0.1', log: createLogger('gateway') });
  for (const subgraph of Object.values(subgraphs)) subgraph.runtime.useGateway(gateway.url);
  return {
    gateway,
    subgraphs,
    urls,
    async restartSubgraph(name) {
      const port = subgraphs[name].port;
      await subgraphs[name].close().catch(() => {});
      subgraphs[name] = await startSubgraph(SUBGRAPHS[name], { databaseUrl: db.roleUrl(name), port, config, log: createLogger(name) });
      subgraphs[name].runtime.useGateway(gateway.url);
      return subgraphs[name];
    },
    settle: (options) => settle(subgraphs, options),
    async close() {
      await gateway.close();
      await Promise.all(Object.values(subgraphs).map((s) => s.close().catch(() => {})));
    },
  };
}
