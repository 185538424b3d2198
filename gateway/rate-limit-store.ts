/**
 * Where the per-client rate limit counts. With `REDIS_URL` every gateway replica counts in one
 * Redis (rate-limiter-flexible's RateLimiterRedis), so a client gets the limit once, not once per
 * replica; without it each replica counts in its own memory.
 *
 * When Redis cannot answer (down, unreachable, slower than REDIS_TIMEOUT_MS) the limit fails open
 * to an in-memory limiter of the same size in each replica (the "insurance" limiter): clients are
 * still limited, at worst to the limit times the number of replicas, and nobody is refused
 * because of Redis. Refusing every request while Redis is down would turn a cache outage into an
 * outage of the whole API for the health officials who depend on it; letting everything through
 * would leave the subgraphs unprotected. The gateway logs when it falls back and when Redis is back.
 */
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../subgraphs/common/config.js';
import type { Logger } from '../subgraphs/common/log.js';

/** Longest a rate-limit check waits for Redis before the in-memory limiter decides (ms). */
export const REDIS_TIMEOUT_MS = 250;

export interface RateLimitStore {
  limiter: RateLimiterAbstract;
  /** 'memory', or 'redis' (with the in-memory insurance behind it). */
  kind: 'memory' | 'redis';
  /**
   * Resolves once Redis is connected, or has failed to connect (then the insurance counts until
   * it is back): a gateway that waits for this before listening shares its very first requests.
   */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** `points` requests per `duration` seconds per client key. */
export function createRateLimitStore(
  config: Pick<Config, 'redisUrl' | 'rateLimitKeyPrefix'>,
  limit: { points: number; duration: number },
  log?: Logger,
): RateLimitStore {
  const memory = new RateLimiterMemory(limit);
  if (!config.redisUrl) return { limiter: memory, kind: 'memory', ready: async () => {}, close: async () => {} };

  const redis = new Redis(config.redisUrl, {
    // A check must not wait for a reconnection: fail at once and let the insurance decide.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: REDIS_TIMEOUT_MS,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 200, 5_000),
  });
  let shared = true;
  redis.on('error', (error: Error) => {
    if (shared) log?.warn({ err: error }, 'Redis unreachable: the rate limit falls back to each replica’s memory');
    shared = false;
  });
  redis.on('ready', () => {
    if (!shared) log?.info('Redis reachable again: the rate limit is shared by every replica');
    shared = true;
  });
  const limiter = new RateLimiterRedis({
    ...limit,
    storeClient: redis,
    keyPrefix: config.rateLimitKeyPrefix,
    rejectIfRedisNotReady: true,
    insuranceLimiter: memory,
  });
  const connected = new Promise<void>((resolve) => {
    if (redis.status === 'ready') resolve();
    redis.once('ready', () => resolve());
    redis.once('error', () => resolve());
    redis.once('end', () => resolve());
  });
  return {
    limiter,
    kind: 'redis',
    ready: () => connected,
    async close() {
      redis.disconnect();
    },
  };
}
