/**
 * What keeps one query or one client from taking the service down: graphql-armor's depth, alias,
 * token, directive and cost limits with field suggestions blocked; a cap on the request body;
 * and a per-client rate limit (rate-limiter-flexible: shared by every replica through Redis when
 * REDIS_URL is set, else in memory per gateway replica; gateway/rate-limit-store.ts).
 */
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { GraphQLError } from 'graphql';
import type { Config } from '../subgraphs/common/config.js';
import type { Logger } from '../subgraphs/common/log.js';
import { createRateLimitStore, type RateLimitStore } from './rate-limit-store.js';

/**
 * Limits sized on the contract's operations (the deepest, LiveTiers, is 5 levels; CityOverview
 * is the largest) with room to spare for the integration team, far below what hurts.
 */
export const ARMOR_LIMITS = {
  maxDepth: 10,
  maxAliases: 15,
  maxTokens: 2_000,
  maxDirectives: 20,
  maxCost: 5_000,
};

/** The code every refusal by these limits carries, whichever limit it was. */
export const QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX';

/**
 * graphql-armor words its refusals as parser errors ("Syntax Error: Query depth limit…") with
 * no code; its onReject hook sees the error before it is thrown, so give it a stable code and
 * drop the misleading prefix there.
 */
const classifyRefusal = [
  (_context: unknown, error: GraphQLError) => {
    error.message = error.message.replace(/^Syntax Error: /, '');
    Object.assign(error.extensions, { code: QUERY_TOO_COMPLEX });
  },
];

export function armorPlugin() {
  const onReject = classifyRefusal;
  return EnvelopArmorPlugin({
    maxDepth: { n: ARMOR_LIMITS.maxDepth, ignoreIntrospection: true, flattenFragments: true, onReject },
    maxAliases: { n: ARMOR_LIMITS.maxAliases, onReject },
    maxTokens: { n: ARMOR_LIMITS.maxTokens, onReject },
    maxDirectives: { n: ARMOR_LIMITS.maxDirectives, onReject },
    costLimit: { maxCost: ARMOR_LIMITS.maxCost, objectCost: 2, scalarCost: 1, depthCostFactor: 1.5, ignoreIntrospection: true, onReject },
    blockFieldSuggestion: { enabled: true },
  });
}

export class ClientRateLimiter {
  private readonly store: RateLimitStore | undefined;

  constructor(config: Config, log?: Logger) {
    this.store = config.rateLimitPerSecond > 0 ? createRateLimitStore(config, { points: config.rateLimitPerSecond * 2, duration: 2 }, log) : undefined;
  }

  /** Resolves with 0 when the request may go on, or with the seconds to wait before retrying. */
  async check(client: string): Promise<number> {
    if (!this.store) return 0;
    try {
      await this.store.limiter.consume(client);
      return 0;
    } catch (result) {
      if (result instanceof RateLimiterRes) return Math.max(1, Math.ceil(result.msBeforeNext / 1000));
      throw result;
    }
  }

  /** Resolves once the shared store is connected or known unreachable (at once without one). */
  async ready(): Promise<void> {
    await this.store?.ready();
  }

  /** Closes the connection to the shared store, if any. */
  async close(): Promise<void> {
    await this.store?.close();
  }
}
