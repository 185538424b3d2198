/**
 * A typed client for the Hanoi Response Graph, for the browser and Node alike: queries and
 * mutations over HTTP, subscriptions over graphql-ws, every operation typed by the documents that
 * `npm run codegen` generates (gateway/client/generated) from schema/supergraph.graphql.
 *
 *   const client = createHrgClient({ url: 'http://localhost:4000/graphql', token });
 *   const { bedFinder } = await client.request(FindBedDocument, { ward: '00337', tier: 'TIER_2' });
 *   for await (const event of client.subscribe(LiveBedsDocument, { district: '008' })) { … }
 *
 * Every generated document carries its registered id (`__meta__.hash`, sha256 of its text): the
 * client sends that `documentId` instead of the text, which is all a partner key may send in
 * production (gateway/trusted-documents.ts). A document without an id is sent as text.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';

export * from './generated/graphql.js';

export interface HrgClientOptions {
  /** The gateway's GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  url: string;
  /** A JWT (sent as Authorization: Bearer) … */
  token?: string;
  /** … or a partner API key (sent as X-API-Key). */
  apiKey?: string;
  /** WebSocket implementation outside the browser (Node: `import WebSocket from 'ws'`). */
  webSocketImpl?: unknown;
  /** Connection state of the subscription socket, for a status indicator. */
  onConnection?: (state: 'connecting' | 'connected' | 'closed') => void;
  /** Send registered documents by id rather than text (default true). */
  documentIds?: boolean;
}

/** The registered id codegen embeds in each generated document, if any. */
export function documentIdOf(document: object): string | undefined {
  const hash = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  return typeof hash === 'string' ? hash : undefined;
}

/** An answer with errors (GraphQL or HTTP), with the errors as the server sent them. */
export class HrgRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errors: readonly { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[],
  ) {
    super(message);
    this.name = 'HrgRequestError';
  }
}

/** WebSocket close codes after which reconnecting with the same credentials cannot succeed. */
const CREDENTIALS_REFUSED = new Set([4401, 4403]);

function closeCode(event: unknown): number | undefined {
  const code = (event as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

export interface HrgClient {
  request<R, V extends Record<string, unknown>>(document: TypedDocumentNode<R, V>, ...variables: keyof V extends never ? [V?] : [V]): Promise<R>;
  subscribe<R, V extends Record<string, unknown>>(document: TypedDocumentNode<R, V>, ...variables: keyof V extends never ? [V?] : [V]): AsyncIterableIterator<R>;
  /** Closes the subscription socket (ending every subscription). */
  dispose(): Promise<void>;
}

export function createHrgClient(options: HrgClientOptions): HrgClient {
  const credentials: Record<string, string> = {};
  if (options.token) credentials.authorization = `Bearer ${options.token}`;
  if (options.apiKey) credentials['x-api-key'] = options.apiKey;
  const texts = new WeakMap<object, string>();
  const text = (document: TypedDocumentNode<unknown, never>) => {
    let source = texts.get(document);
    if (!source) texts.set(document, (source = print(document)));
    return source;
  };
  /** The document part of a request: its id when it has one (graphql-ws requires a query string: empty), else its text. */
  const documentPart = (document: TypedDocumentNode<unknown, never>, over: 'http' | 'ws'): { query?: string; documentId?: string } => {
    const documentId = options.documentIds === false ? undefined : documentIdOf(document);
    if (!documentId) return { query: text(document) };
    return over === 'ws' ? { query: '', documentId } : { documentId };
  };

  let socket: Client | undefined;
  const ws = () =>
    (socket ??= createClient({
      url: options.url.replace(/^http/, 'ws'),
      connectionParams: options.apiKey ? { apiKey: options.apiKey } : { authorization: credentials.authorization },
      webSocketImpl: options.webSocketImpl,
      // Reconnect for ever with backoff, and subscriptions resume on the new socket; but not
      // after the gateway refused or expired the credentials (4403, 4401): that cannot succeed.
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: (event) => closeCode(event) === undefined || !CREDENTIALS_REFUSED.has(closeCode(event)!),
      keepAlive: 15_000,
      on: {
        connecting: () => options.onConnection?.('connecting'),
        connected: () => options.onConnection?.('connected'),
        closed: () => options.onConnection?.('closed'),
      },
    }));

  return {
    async request(document, ...[variables]) {
      const response = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...credentials },
        body: JSON.stringify({ ...documentPart(document as TypedDocumentNode<unknown, never>, 'http'), variables: variables ?? {} }),
      });
      const body = (await response.json().catch(() => ({ errors: [{ message: `HTTP ${response.status}` }] }))) as {
        data?: unknown;
        errors?: HrgRequestError['errors'];
      };
      if (body.errors?.length || !response.ok) {
        const errors = body.errors ?? [{ message: `HTTP ${response.status}` }];
        throw new HrgRequestError(errors.map((e) => e.message).join('; '), response.status, errors);
      }
      return body.data as never;
    },
    subscribe(document, ...[variables]) {
      const payload = { ...documentPart(document as TypedDocumentNode<unknown, never>, 'ws'), variables: variables ?? {} };
      const iterator = ws().iterate(payload as { query: string; variables: Record<string, unknown> });
      const typed: AsyncIterableIterator<never> = {
        async next() {
          const result = await iterator.next().catch((error: unknown) => {
            const code = closeCode(error);
            if (code !== undefined && CREDENTIALS_REFUSED.has(code)) {
              const message = (error as { reason?: string }).reason || 'Credentials refused';
              throw new HrgRequestError(message, 401, [{ message, extensions: { code: 'UNAUTHENTICATED' } }]);
            }
            throw error;
          });
          if (result.done) return { done: true, value: undefined };
          if (result.value.errors?.length) {
            throw new HrgRequestError(result.value.errors.map((e) => e.message).join('; '), 200, result.value.errors as HrgRequestError['errors']);
          }
          return { done: false, value: result.value.data as never };
        },
        async return() {
          await iterator.return?.();
          return { done: true, value: undefined };
        },
        [Symbol.asyncIterator]() {
          return typed;
        },
      };
      return typed;
    },
    async dispose() {
      await socket?.dispose();
      socket = undefined;
    },
  };
}
