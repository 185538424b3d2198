/** A small GraphQL client for tests: HTTP through fetch, subscriptions through graphql-ws. */
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import type { Role } from '../../subgraphs/common/auth/viewer.js';
import { issueDevToken } from '../../subgraphs/common/auth/dev-tokens.js';
import { testConfig } from './stack.js';

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

export interface Subscription<T> {
  /** Resolves with the next event (or rejects after `timeoutMs`). */
  next(timeoutMs?: number): Promise<{ data?: T; errors?: unknown[] }>;
  /** Everything received so far and not yet taken by next(). */
  pending(): { data?: T; errors?: unknown[] }[];
  close(): void;
  /** Resolves once the server acknowledged the subscription and started it. */
  ready: Promise<void>;
}

export function subscribe<T = any>(client: Client, query: string, variables: Record<string, unknown> = {}): Subscription<T> {
  const queue: { data?: T; errors?: unknown[] }[] = [];
  const waiters: ((value: { data?: T; errors?: unknown[] }) => void)[] = [];
  let failure: unknown;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        const item = value as { data?: T; errors?: unknown[] };
        const waiter = waiters.shift();
        if (waiter) waiter(item);
        else queue.push(item);
      },
      error: (error) => {
        failure = error;
        const waiter = waiters.shift();
        waiter?.({ errors: [error] });
      },
      complete: () => {},
    },
  );
  client.on('connected', () => setTimeout(markReady, 50));
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
