/**
 * With REDIS_URL set, the per-client rate limit is shared by every gateway replica: a client
 * alternating between two gateways is refused after the limit once, not twice. When Redis does
 * not answer, each replica limits in its own memory (fail open to the local limiter).
 *
 * The limit is checked before the gateway asks any subgraph, and `{ __typename }` is answered by
 * the gateway itself: these gateways need no subgraphs (their addresses lead nowhere).
 */
import { afterAll, beforeAll, describe, expect, it, test } from '@jest/globals';
import { Redis } from 'ioredis';
import { testConfig } from '../support/stack.js';
import { gql, token } from '../support/client.js';
import { REFUSED_PORT } from '../support/wait.js';
import { loadConfig, SUBGRAPH_NAMES, type Config, type SubgraphName } from '../../subgraphs/common/config.js';
import { createLogger } from '../../subgraphs/common/log.js';
import { startGateway, type RunningGateway } from '../../gateway/server.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const PER_SECOND = 3; // bursts of 6 requests per 2 s window (gateway/limits.ts)
const BURST = PER_SECOND * 2;

async function redisAnswers(): Promise<string | undefined> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 1_000, retryStrategy: () => null });
  let cause: string | undefined;
  probe.on('error', (error: Error) => (cause ??= error.message));
  try {
    await probe.connect();
    const pong = await probe.ping();
    return pong === 'PONG' ? undefined : `PING answered ${pong}`;
  } catch (error) {
    return cause ?? (error as Error).message;
  } finally {
    probe.disconnect();
  }
}

const redisDown = await redisAnswers();
if (redisDown) {
  console.warn(`SKIPPED the shared rate-limit tests: no Redis answers on ${REDIS_URL} (${redisDown}); start one (redis-server) to run them`);
}
const withRedis = redisDown ? test.skip : test;

const nowhere = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, `http://127.0.0.1:9/${name}/graphql`])) as Record<SubgraphName, string>;

function limitedConfig(env: Record<string, string>): Config {
  return { ...loadConfig({ ...env, NODE_ENV: 'test', HRG_RATE_LIMIT: String(PER_SECOND) }), jwtSecret: testConfig.jwtSecret, internalSecret: testConfig.internalSecret };
}

/**
 * Statuses of requests alternating between the gateways, one client, until the first refusal.
 * A 2 s window must hold the whole burst: on a machine so loaded that it did not, the round
 * says so (undefined) and the caller tries again with a fresh client.
 */
async function alternate(gateways: RunningGateway[], requests: number): Promise<number[] | undefined> {
  const auth = await token('DASHBOARD', { subject: `rate-${process.pid}-${Date.now()}-${Math.random()}` });
  const started = Date.now();
  const statuses: number[] = [];
  for (let i = 0; i < requests; i++) {
    const response = await gql(gateways[i % gateways.length]!.url, '{ __typename }', {}, { token: auth });
    statuses.push(response.status);
    if (response.status === 429) break;
  }
  return Date.now() - started < 1_500 ? statuses : undefined;
}

async function withinOneWindow(gateways: RunningGateway[], requests: number): Promise<number[]> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const statuses = await alternate(gateways, requests);
    if (statuses) return statuses;
  }
  throw new Error('three rounds of requests each took longer than the rate-limit window: the machine is too loaded to tell');
}

describe('per-client rate limit across gateway replicas', () => {
  const prefix = `hrg-test:rate:${process.pid}:${Date.now()}`;
  const gateways: RunningGateway[] = [];

  beforeAll(async () => {
    if (redisDown) return;
    for (let i = 0; i < 2; i++) {
      const config = limitedConfig({ REDIS_URL, HRG_RATE_LIMIT_PREFIX: prefix });
      gateways.push(await startGateway({ config, subgraphUrls: nowhere, port: 0, host: '127.0.0.1', log: createLogger(`gateway-${i}`) }));
    }
  });
  afterAll(async () => {
    for (const g of gateways) await g.close();
    if (redisDown) return;
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  withRedis('refuses a client after the shared limit, wherever its requests land, and counts in Redis', async () => {
    const statuses = await withinOneWindow(gateways, BURST * 2);
    expect(statuses).toEqual([...Array<number>(BURST).fill(200), 429]);
    const redis = new Redis(REDIS_URL);
    try {
      expect((await redis.keys(`${prefix}:*`)).length).toBeGreaterThan(0);
    } finally {
      redis.disconnect();
    }
  });

  it('without Redis each replica counts on its own, so alternating clients get the limit twice', async () => {
    const local: RunningGateway[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        local.push(await startGateway({ config: limitedConfig({}), subgraphUrls: nowhere, port: 0, host: '127.0.0.1', log: createLogger(`gateway-${i}`) }));
      }
      const statuses = await withinOneWindow(local, BURST * 2 + 1);
      expect(statuses).toEqual([...Array<number>(BURST * 2).fill(200), 429]);
    } finally {
      for (const g of local) await g.close();
    }
  });

  it('fails open to the local limiter when Redis does not answer: still limited, never refused for Redis', async () => {
    const deadRedis = `redis://127.0.0.1:${REFUSED_PORT}`;
    const lonely = await startGateway({ config: limitedConfig({ REDIS_URL: deadRedis }), subgraphUrls: nowhere, port: 0, host: '127.0.0.1', log: createLogger('gateway') });
    try {
      const statuses = await withinOneWindow([lonely], BURST * 2);
      expect(statuses).toEqual([...Array<number>(BURST).fill(200), 429]);
    } finally {
      await lonely.close();
    }
  });
});
