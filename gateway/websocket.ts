/**
 * GraphQL over WebSocket (graphql-ws) on the HTTP server's /graphql: the client authenticates in
 * its connection parameters (refused: 4403), its connection ends when its credential expires
 * (4401), it may hold so many subscriptions and send so many messages per second, and identical
 * subscriptions (same viewer scope, document and variables) share one execution, whose every
 * result is serialised once and written straight to each subscriber's socket
 * (shared-subscriptions.ts).
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { getGraphQLWSOptions, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import type { Config } from '../subgraphs/common/config.js';
import type { Viewer } from '../subgraphs/common/auth/viewer.js';
import type { Logger } from '../subgraphs/common/log.js';
import { REFUSAL_CLOSE_CODE, credentialRefusal } from './auth.js';
import { setLongTimeout } from './long-timeout.js';
import { ARMOR_LIMITS } from './limits.js';
import type { GatewayMetrics } from './metrics.js';
import { SharedSubscriptions, subscriptionKey, viewerScope, type DirectDelivery } from './shared-subscriptions.js';
import { SlotsPerClient, TOO_MANY_CONNECTIONS_CLOSE_CODE, limitMessageRate, subscriptionCapRefusal } from './ws-limits.js';
import { ConnectionViewer, type Authenticate, type ForwardedViewer, type ViewerContext } from './viewer-forwarding.js';
import type { ClientRateLimiter } from './limits.js';
import type { TrustedDocuments } from './trusted-documents.js';
import { GraphQLError, getOperationAST, parse, type OperationTypeNode } from 'graphql';

export interface GraphQLOverWebSocketOptions {
  server: http.Server;
  path: string;
  config: Config;
  runtime: GatewayRuntime<ViewerContext>;
  authenticate: Authenticate;
  metrics: GatewayMetrics;
  log: Logger;
  /** The per-client rate limit of HTTP: every operation over a socket counts against it too. */
  rateLimiter: Pick<ClientRateLimiter, 'check'>;
  trustedDocuments: Pick<TrustedDocuments, 'webSocketRefusal' | 'documentText'>;
  /** Events a subscriber may fall behind before it is dropped (default 1,000). */
  subscriberBacklog?: number;
}

type SocketExtra = { viewer?: Viewer; forwarded?: ForwardedViewer; request: http.IncomingMessage; socket: WebSocket } & Record<PropertyKey, unknown>;

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** Serves graphql-ws; the returned function closes every connection. */
export function graphqlOverWebSocket({ server, path, config, runtime, authenticate, metrics, log, rateLimiter, trustedDocuments, subscriberBacklog }: GraphQLOverWebSocketOptions): () => Promise<void> {
  const wss = new WebSocketServer({ server, path, maxPayload: config.maxRequestBytes });
  limitMessageRate(wss, config.wsMessagesPerSecond);
  const wsOptions = getGraphQLWSOptions<ViewerContext, SocketExtra>(runtime, (ctx) => ({
    req: ctx.extra.request,
    socket: ctx.extra.socket,
    viewer: ctx.extra.viewer,
    forwarded: ctx.extra.forwarded,
  }));
  const sharedSubscriptions = new SharedSubscriptions(subscriberBacklog);
  const perClient = new SlotsPerClient(config.maxConnectionsPerClient);
  metrics.observeSharedSubscriptions(() => sharedSubscriptions.stats);
  metrics.observeSharedFrames(() => sharedSubscriptions.stats);
  // The socket and subscription id of each subscription's execution arguments (its context is
  // made per subscription by onSubscribe), for writing its results directly.
  const targets = new WeakMap<object, { socket: WebSocket; tcp: Duplex; id: string }>();

  const wsServer = useServer<Record<string, unknown>, SocketExtra>(
    {
      ...wsOptions,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        try {
          const { viewer, forwarded, renew } = await authenticate({
            authorization: str(params.authorization) ?? str(params.Authorization),
            apiKey: str(params.apiKey) ?? str(params['x-api-key']),
          });
          // Closed while it was being authenticated: nothing to serve, nothing to renew.
          if (ctx.extra.socket.readyState !== ctx.extra.socket.OPEN) return false;
          const leave = perClient.take(viewer.subject);
          if (!leave) {
            ctx.extra.socket.close(TOO_MANY_CONNECTIONS_CLOSE_CODE, `Too many connections for this client: at most ${perClient.max}`);
            return false;
          }
          ctx.extra.socket.once('close', leave);
          // The connection may outlive its first forwarded token: it gets a new one every window
          // (for as long as a subscription it started runs, shared ones included). Its credential
          // is checked again then: one no longer valid ends the connection (4403).
          const connectionViewer = new ConnectionViewer(forwarded.token, renew, config.viewerTokenWindowSeconds, () =>
            ctx.extra.socket.close(4403, 'Credentials no longer valid'),
          );
          Object.assign(ctx.extra, { viewer, forwarded: connectionViewer });
        } catch (error) {
          const refusal = await credentialRefusal(error, ctx.extra.request.socket.remoteAddress, { rateLimit: (key) => rateLimiter.check(key), log });
          // graphql-ws closes with 4403 Forbidden after a false; the other refusals close first.
          if (refusal.status !== 401) ctx.extra.socket.close(REFUSAL_CLOSE_CODE[refusal.status], refusal.message);
          return false;
        }
        const socket = ctx.extra.socket;
        metrics.activeConnections.inc();
        socket.once('close', () => metrics.activeConnections.dec());
        // Credentials that expire end the connection, subscriptions included: 4401 Unauthorized.
        const expiresAt = ctx.extra.viewer?.expiresAt;
        if (expiresAt) {
          const cancel = setLongTimeout(() => socket.close(4401, 'Token expired'), expiresAt * 1000 - Date.now());
          socket.once('close', cancel);
        }
        return true;
      },
      subscribe: (args) => {
        const context = args.contextValue as { params?: Record<string, unknown>; viewer?: Viewer };
        const params = context.params ?? {};
        // graphql-ws hands queries and mutations to this hook too. Only a subscription is shared:
        // a query or a mutation runs for its sender alone, as over HTTP (merged, two partners'
        // identical reads got one answer and their identical requests made one record).
        if (operationType(trustedDocuments.documentText(params), params.operationName) !== 'subscription') return wsOptions.subscribe!(args) as never;
        const key = subscriptionKey(viewerScope(context.viewer), params);
        const target = targets.get(args.contextValue as object);
        const direct = target && socketDelivery(target.socket, target.tcp, target.id);
        return sharedSubscriptions.subscribe(key, () => wsOptions.subscribe!(args) as never, direct) as never;
      },
      onSubscribe: async (ctx, id, payload) => {
        const refusal = subscriptionCapRefusal(Object.keys(ctx.subscriptions).length, config.maxSubscriptionsPerConnection);
        if (refusal) return refusal;
        const untrusted = trustedDocuments.webSocketRefusal(ctx.extra.viewer, payload);
        if (untrusted) return untrusted;
        const wait = await rateLimiter.check(ctx.extra.viewer?.subject ?? 'anonymous');
        if (wait > 0) return [new GraphQLError(`Too many requests: retry in ${wait} s`, { extensions: { code: 'RATE_LIMITED', retryAfter: wait } })];
        metrics.activeSubscriptions.inc();
        const args = await wsOptions.onSubscribe!(ctx as never, id, payload as never);
        const context = args && !Array.isArray(args) ? (args as { contextValue?: unknown }).contextValue : undefined;
        if (typeof context === 'object' && context !== null) targets.set(context, { socket: ctx.extra.socket, tcp: ctx.extra.request.socket, id });
        return args;
      },
      onComplete: () => {
        metrics.activeSubscriptions.dec();
      },
    },
    wss,
  );

  return async () => {
    await wsServer.dispose();
    for (const client of wss.clients) client.terminate();
  };
}

/**
 * Parsed documents' operation types, by text and operation name (bounded: the oldest goes first).
 * Only documents within the token limit are parsed or kept: this runs before graphql-armor's
 * limits see the document, and a longer one is refused by them anyway.
 */
const operationTypes = new Map<string, OperationTypeNode | undefined>();
const OPERATION_TYPES_KEPT = 1_000;
/** Longer texts are not even looked at (the request limit allows 100 kB; 2,000 tokens rarely need 40 kB). */
const MAX_DOCUMENT_CHARS = 40_000;

/**
 * The type of the operation a document text runs (with `operationName` when it has several), or
 * undefined when it does not parse or names none: the runtime then answers with the error.
 */
export function operationType(text: string | undefined, operationName: unknown): OperationTypeNode | undefined {
  // A document of more tokens than the limit allows takes its tokens' length at least.
  if (text === undefined || text.length > MAX_DOCUMENT_CHARS) return undefined;
  const name = typeof operationName === 'string' ? operationName : null;
  const key = `${name ?? ''}\u0000${text}`;
  if (operationTypes.has(key)) return operationTypes.get(key);
  let type: OperationTypeNode | undefined;
  try {
    type = getOperationAST(parse(text, { noLocation: true, maxTokens: ARMOR_LIMITS.maxTokens }), name)?.operation;
  } catch {
    type = undefined;
  }
  if (operationTypes.size >= OPERATION_TYPES_KEPT) operationTypes.delete(operationTypes.keys().next().value!);
  operationTypes.set(key, type);
  return type;
}

/**
 * Writes a subscription's results to its socket as graphql-ws `next` messages: the envelope with
 * the subscription's own id is made once, the payload's JSON once per result for everyone.
 *
 * Each message goes out as one WebSocket text frame (RFC 6455: FIN, opcode 1, the length, no mask
 * from a server) built here in one buffer and written with one `write` on the connection's TCP
 * socket (the upgrade request's socket, which ws itself writes to). ws's own `send` frames the
 * same bytes but corks the socket and writes header and text as two chunks, which Node turns into
 * a generic `writev` with its per-call bookkeeping; with 10,000 subscribers that was most of what
 * the gateway did per message besides the system call itself. Frames never interleave: JavaScript
 * runs one write at a time and each is a whole frame, and ws writes its own frames (pongs, close,
 * graphql-ws's other messages) synchronously to the same socket, without queueing, as long as no
 * compression was negotiated; when it was, the message goes through ws's `send`.
 */
export function socketDelivery(socket: WebSocket, tcp: Duplex, id: string): DirectDelivery {
  const head = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
  const compressed = socket.extensions !== '';
  const backlog = new WrittenMessages();
  return {
    write(payloadJson) {
      if (socket.readyState !== socket.OPEN) return false;
      const message = `${head}${payloadJson}}`;
      if (compressed) {
        socket.send(message);
        backlog.written(Buffer.byteLength(message), false);
        return true;
      }
      const length = Buffer.byteLength(message);
      const headerBytes = length < 126 ? 2 : length < 65_536 ? 4 : 10;
      const frame = Buffer.allocUnsafe(headerBytes + length);
      frame[0] = 0x81; // FIN + text
      if (headerBytes === 2) frame[1] = length;
      else if (headerBytes === 4) {
        frame[1] = 126;
        frame.writeUInt16BE(length, 2);
      } else {
        frame[1] = 127;
        frame.writeBigUInt64BE(BigInt(length), 2);
      }
      frame.write(message, headerBytes, 'utf8');
      backlog.written(frame.length, tcp.write(frame));
      return true;
    },
    get backlog() {
      return backlog.waiting(() => socket.bufferedAmount);
    },
  };
}

/**
 * How many of the messages written to one socket still wait in its buffer. The sizes of the
 * latest messages are kept; while the socket's buffered bytes are fewer than the newer messages
 * add up to, the oldest one has left and is forgotten. The buffered bytes are read only after a
 * write found the buffer over its high-water mark: until then nothing waits worth counting, and
 * only the sizes of the last messages are kept (enough to cover a buffer at the high-water mark
 * of messages of 32 bytes or more, the least a `next` message takes).
 */
export class WrittenMessages {
  private static readonly KEPT_UNPRESSED = 512;
  private sizes: number[] = [];
  private head = 0;
  private bytes = 0;
  private pressed = false;

  written(size: number, accepted: boolean): void {
    this.sizes.push(size);
    this.bytes += size;
    if (!accepted) this.pressed = true;
    if (!this.pressed && this.sizes.length - this.head > WrittenMessages.KEPT_UNPRESSED) this.forgetOldest();
    if (this.head > 4_096 && this.head * 2 > this.sizes.length) {
      this.sizes = this.sizes.slice(this.head);
      this.head = 0;
    }
  }

  /** Messages still waiting, given the socket's buffered bytes (read only when they may matter). */
  waiting(bufferedBytes: () => number): number {
    if (!this.pressed) return 0;
    const buffered = bufferedBytes();
    if (buffered === 0) {
      this.pressed = false;
      this.sizes = [];
      this.head = 0;
      this.bytes = 0;
      return 0;
    }
    while (this.head < this.sizes.length && this.bytes - this.sizes[this.head]! >= buffered) this.forgetOldest();
    return this.sizes.length - this.head;
  }

  private forgetOldest(): void {
    this.bytes -= this.sizes[this.head]!;
    this.head += 1;
  }
}
