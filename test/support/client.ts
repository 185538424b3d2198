/** A small GraphQL client for tests: HTTP through fetch, subscriptions through graphql-ws. */
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import type { Role } from '../../subgraphs/common/auth/viewer.js';
import { issueDevToken } from '../../subgraphs/common/auth/dev-tokens.js';
import { testConfig } from './stack.js';
import { pollUntil } from './wait.js';

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } & Record<string, unknown> }[];
}

export function token(role: Role, scope: { ward?: string; district?: string; ttlSeconds?: number; subject?: string } = {}): Promise<string> {
  return issueDevToken(testConfig, { role, ...scope });
}

export async function gql<T = any>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  auth: { token?: string; apiKey?: string; headers?: Record<string, string> } = {},
): Promise<GraphQLResponse<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...auth.headers };
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.apiKey) headers['x-api-key'] = auth.apiKey;
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const text = await res.text();
  let body: { data?: T; errors?: GraphQLResponse['errors'] } = {};
  try {
    body = JSON.parse(text);
  } catch {
    body = { errors: [{ message: text }] };
  }
  return { status: res.status, data: body.data ?? undefined, errors: body.errors };
}

/** Fails the test with the errors when a response has any. */
export function ok<T>(response: GraphQLResponse<T>): T {
  if (response.errors?.length || !response.data) {
    throw new Error(`GraphQL errors (HTTP ${response.status}): ${JSON.stringify(response.errors)}`);
  }
  return response.data;
}

export function wsClient(httpUrl: string, connectionParams: Record<string, unknown>): Client {
  return createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
  });
}

/** One query or mutation over a graphql-ws client: its single result. */
export function wsOnce(client: Client, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  return new Promise((resolve, reject) => {
    let result: unknown;
    client.subscribe({ query, variables }, { next: (value) => (result = value), error: reject, complete: () => resolve(result) });
  });
}

export interface Subscription<T> {
  /** Resolves with the next event (or rejects after `timeoutMs`). */
  next(timeoutMs?: number): Promise<{ data?: T; errors?: unknown[] }>;
  /** Everything received so far and not yet taken by next(). */
  pending(): { data?: T; errors?: unknown[] }[];
  close(): void;
  /**
   * Resolves once the subscription is live end to end: the subgraph that serves it has started
   * it, so every event committed from now on reaches this subscriber. Rejects when that does not
   * happen in time.
   */
  ready: Promise<void>;
}

/** The subgraph process that serves a subscription, as far as a test sees it (a SubgraphRuntime). */
export interface SubscriptionOwner {
  readonly bus: { readonly stats: { readonly started: number } };
}

export type SubscribeOptions = Served | { /** The server is expected to refuse it: `ready` resolves once the refusal arrived. */ refused: true };

interface Served {
  /** The subgraph process whose resolver serves this subscription. */
  servedBy: SubscriptionOwner;
  /**
   * The gateway shares this subscription's execution with an identical one already opened (same
   * viewer scope, document and variables), so it starts nothing in the subgraph.
   */
  joins?: boolean;
  timeoutMs?: number;
}

/**
 * Subscriptions opened one after another, before any of them was seen to start, are waited for
 * together: the subgraph counts started subscriptions, not whose they are, so a group is live
 * when the count has grown by the group's size.
 */
interface StartGroup {
  base: number;
  size: number;
  live: Promise<void>;
}
const startGroups = new Map<SubscriptionOwner, StartGroup>();

function startedTogether(owner: SubscriptionOwner, adds: boolean, timeoutMs: number): Promise<void> {
  let group = startGroups.get(owner);
  if (!group) {
    const created: StartGroup = { base: owner.bus.stats.started, size: 0, live: Promise.resolve() };
    created.live = pollUntil(
      async () => owner.bus.stats.started,
      (started) => {
        if (started < created.base + created.size) return false;
        // Closed in the same tick as the check: a later subscription starts a new group.
        if (startGroups.get(owner) === created) startGroups.delete(owner);
        return true;
      },
      { timeoutMs, intervalMs: 10 },
    ).then((started) => {
      if (started === undefined || started < created.base + created.size) {
        if (startGroups.get(owner) === created) startGroups.delete(owner);
        throw new Error(`${created.size} subscription(s) did not start in the subgraph within ${timeoutMs} ms (started ${started ?? '?'} of ${created.base + created.size})`);
      }
    });
    startGroups.set(owner, (group = created));
  }
  if (adds) group.size += 1;
  return group.live;
}

export function subscribe<T = any>(client: Client, query: string, variables: Record<string, unknown>, options: SubscribeOptions): Subscription<T> {
  const queue: { data?: T; errors?: unknown[] }[] = [];
  const waiters: ((value: { data?: T; errors?: unknown[] }) => void)[] = [];
  let failure: unknown;
  let refusal: (() => void) | undefined;
  const ready =
    'refused' in options
      ? new Promise<void>((resolve) => (refusal = resolve))
      : startedTogether(options.servedBy, !options.joins, options.timeoutMs ?? 10_000);
  // Awaited by the test that needs it; an unawaited rejection must not end the run.
  ready.catch(() => {});
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        const item = value as { data?: T; errors?: unknown[] };
        refusal?.();
        const waiter = waiters.shift();
        if (waiter) waiter(item);
        else queue.push(item);
      },
      error: (error) => {
        failure = error;
        refusal?.();
        const waiter = waiters.shift();
        waiter?.({ errors: [error] });
      },
      complete: () => {},
    },
  );
  return {
    ready,
    next(timeoutMs = 5_000) {
      const queued = queue.shift();
      if (queued) return Promise.resolve(queued);
      if (failure) return Promise.resolve({ errors: [failure] });
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no subscription event within ${timeoutMs} ms`)), timeoutMs);
        waiters.push((v) => {
          clearTimeout(timer);
          resolve(v);
        });
      });
    },
    pending: () => queue.splice(0),
    close: () => dispose(),
  };
}

/** The Prometheus text of a service (given its /graphql URL), scraped with the metrics token. */
export async function scrapeMetrics(graphqlUrl: string, metricsToken = testConfig.metricsToken): Promise<string> {
  const res = await fetch(graphqlUrl.replace(/\/graphql$/, '/metrics'), { headers: { authorization: `Bearer ${metricsToken}` } });
  if (!res.ok) throw new Error(`scraping ${graphqlUrl}: HTTP ${res.status}`);
  return res.text();
}
