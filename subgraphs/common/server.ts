/**
 * Serves a subgraph schema over HTTP (Apollo Server) and WebSocket (graphql-ws) on one port.
 * Every operation must carry a viewer signed by the gateway; anything else is refused (HTTP 401,
 * or close code 4403 on a socket), so clients cannot bypass the gateway's checks.
 *
 * The HTTP side is Node's own server with Apollo's `executeHTTPGraphQLRequest` behind a few lines of
 * routing: a subgraph serves four paths to one client (the gateway), and Express's router, body
 * parser and response helpers were a profiled ~8 % of a capacity board's CPU.
 */
import { SpanKind, endSpan, extractContext, tracer } from './tracing.js';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { VIEWER_CONNECTION_PARAM, VIEWER_HEADER, ViewerVerifier } from './auth/internal-token.js';
import type { Viewer } from './auth/viewer.js';
import { createErrorFormatter } from './graphql/format-error.js';
import { noteNulFreeVariables, nulInputRefusal, refuseNulInputs } from './graphql/input-guard.js';
import type { Logger } from './log.js';
import { slowClientTimeouts } from './http-limits.js';
import { SCRAPE_REFUSED, scrapeAccess } from './metrics.js';
import { jitGateway } from './graphql/jit-executor.js';
import type { SubgraphExecutor } from './config.js';

export interface SubgraphServerOptions<Ctx> {
  name: string;
  schema: GraphQLSchema;
  port: number;
  host: string;
  log: Logger;
  internalSecret: string;
  introspection: boolean;
  createContext(viewer: Viewer, requestId: string): Ctx;
  /** Up or down, and details (consumer lag) for operators. */
  ready(): Promise<{ ok: boolean; details?: object }>;
  /** Largest request body or WebSocket message, counted on the bytes read. */
  maxRequestBytes: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** Bearer token /metrics requires; unset: /metrics is not served. */
  metricsToken: string | undefined;
  metrics?: { contentType: string; metrics(): Promise<string> };
  /** What runs queries: graphql-jit (default; see jit-executor.ts) or graphql-js's interpreter. */
  executor: SubgraphExecutor;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const unauthenticated = () =>
  new GraphQLError('This service only answers requests forwarded by the gateway', {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });

export async function startSubgraphServer<Ctx extends object>(options: SubgraphServerOptions<Ctx>): Promise<RunningServer> {
  const { schema, log } = options;
  const verifier = new ViewerVerifier(options.internalSecret);
  const httpServer = http.createServer(slowClientTimeouts(options));
  const formatError = createErrorFormatter((error) => log.error({ err: error }, 'unexpected error'));
  const wss = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: options.maxRequestBytes });
  const wsServer = useServer<Record<string, unknown>, { viewer?: Viewer }>(
    {
      schema,
      onConnect: async (ctx) => {
        const viewer = await verifier.verify(ctx.connectionParams?.[VIEWER_CONNECTION_PARAM] as string | undefined);
        if (!viewer) return false;
        ctx.extra.viewer = viewer;
        return true;
      },
      onSubscribe: (_ctx, _id, payload) => {
        const refusal = nulInputRefusal(payload.variables, undefined);
        return refusal ? [refusal] : undefined;
      },
      context: (ctx, _id, payload) => {
        return options.createContext(ctx.extra.viewer!, requestIdOf(payload.extensions?.requestId));
      },
      // Errors in subscription events get the same mask as HTTP answers: a database or driver
      // message never leaves the subgraph.
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!result.errors?.length) return undefined;
        return { ...result, errors: result.errors.map((error) => formatError(error.toJSON(), error)) };
      },
      onError: (_ctx, _id, _payload, errors) => {
        log.warn({ errors: errors.map((e) => e.message) }, 'subscription error');
      },
    },
    wss,
  );

  const apollo = new ApolloServer<Ctx>({
    ...(options.executor === 'graphql-js' ? { schema } : { gateway: jitGateway(schema) }),
    introspection: options.introspection,
    formatError,
    includeStacktraceInErrorResponses: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      // The schema has no cache hints, yet the cache-control plugin wraps every field resolution
      // (a profiled 3-6 % of a CapacityBoard page); answers are never cacheable, said once below.
      ApolloServerPluginCacheControlDisabled(),
      refuseNulInputs<Ctx>(),
      { serverWillStart: async () => ({ drainServer: async () => void (await wsServer.dispose()) }) },
      {
        // One structured line per request, keyed by the gateway's x-request-id so that a request
        // can be followed from the gateway's log into every subgraph it touched.
        async requestDidStart({ contextValue, request }) {
          const started = performance.now();
          const requestId = (contextValue as { requestId?: string }).requestId;
          // A server span under the gateway's fetch span (W3C traceparent), when tracing is on.
          const span = tracer(options.name).startSpan(
            'graphql.request',
            { kind: SpanKind.SERVER, attributes: { 'hrg.service': options.name, 'hrg.request_id': requestId ?? '' } },
            extractContext((name) => request.http?.headers.get(name)),
          );
          let failure: unknown;
          return {
            async didResolveOperation({ operationName, operation }) {
              const type = operation?.operation ?? 'query';
              span.updateName(`${type} ${operationName ?? 'anonymous'}`);
              span.setAttribute('graphql.operation.name', operationName ?? '');
              span.setAttribute('graphql.operation.type', type);
            },
            async didEncounterErrors({ errors, operationName }) {
              failure = errors[0];
              log.warn({ requestId, operationName, errors: errors.map((e) => e.message) }, 'request failed');
            },
            async willSendResponse({ operationName, response }) {
              if (!response.http.headers.has('cache-control')) response.http.headers.set('cache-control', 'no-store');
              endSpan(span, failure);
              log.debug({ requestId, operationName, ms: Math.round(performance.now() - started) }, 'request');
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  const graphqlContext = async (req: http.IncomingMessage) => {
    const viewer = await verifier.verify(header(req, VIEWER_HEADER));
    if (!viewer) throw unauthenticated();
    return options.createContext(viewer, requestIdOf(header(req, 'x-request-id')));
  };

  const serveGraphQL = async (req: http.IncomingMessage, res: http.ServerResponse, search: string) => {
    let body: unknown;
    if (req.method === 'POST') {
      const read = await readJsonBody(req, options.maxRequestBytes);
      if (read.refused) return send(res, read.refused.status, JSON.stringify({ errors: [read.refused.error] }), read.refused.headers);
      body = read.body;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method!.toUpperCase(), headers, search, body },
      context: () => graphqlContext(req),
    });
    const responseHeaders: Record<string, string> = {};
    for (const [key, value] of response.headers) responseHeaders[key] = value;
    if (response.body.kind === 'complete') return send(res, response.status ?? 200, response.body.string, responseHeaders);
    res.writeHead(response.status ?? 200, responseHeaders);
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };

  const json = { 'content-type': 'application/json; charset=utf-8' };
  httpServer.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const search = q === -1 ? '' : url.slice(q);
    const reading = req.method === 'GET' || req.method === 'HEAD';
    let answer: Promise<void> | void;
    if (path === '/graphql' || path === '/graphql/') answer = serveGraphQL(req, res, search);
    else if (reading && path === '/healthz') answer = send(res, 200, JSON.stringify({ status: 'ok', service: options.name }), json);
    else if (reading && path === '/readyz') {
      answer = options.ready().then(({ ok, details }) =>
        send(res, ok ? 200 : 503, JSON.stringify({ status: ok ? 'ready' : 'unavailable', service: options.name, ...details }), json),
      );
    } else if (reading && path === '/metrics') {
      const access = options.metrics ? scrapeAccess(header(req, 'authorization'), options.metricsToken) : 'off';
      if (access === 'off') answer = send(res, 404, JSON.stringify(NOT_FOUND), json);
      else if (access === 'refused') answer = send(res, 401, JSON.stringify(SCRAPE_REFUSED), { ...json, 'www-authenticate': 'Bearer' });
      else answer = options.metrics!.metrics().then((text) => send(res, 200, text, { 'content-type': options.metrics!.contentType }));
    } else answer = send(res, 404, JSON.stringify(NOT_FOUND), json);
    void Promise.resolve(answer).catch((error: unknown) => {
      log.error({ err: error, path }, 'request failed');
      if (!res.headersSent) send(res, 500, JSON.stringify({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }), json);
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${options.host}:${port}/graphql`;
  log.info({ url }, `${options.name} subgraph listening`);

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    close() {
      closing ??= (async () => {
        for (const client of wss.clients) client.terminate();
        await apollo.stop();
        httpServer.closeAllConnections();
      })();
      return closing;
    },
  };
}

const NOT_FOUND = { errors: [{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }] };

const header = (req: http.IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** Writes a whole answer with its length (HEAD gets the headers only). */
function send(res: http.ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, { ...headers, 'content-length': String(bytes.length) });
  res.end(res.req.method === 'HEAD' ? undefined : bytes);
}

interface Refusal {
  status: number;
  error: { message: string; extensions: { code: string } };
  headers: Record<string, string>;
}

/**
 * Reads a request body as JSON, counting bytes as they arrive (a chunked body has no length to
 * trust) and stopping at `limit`: 413 for too large (the connection is closed rather than drained),
 * 400 for malformed JSON, 415 for a compressed body (the gateway never compresses its requests).
 * A body that is not declared as JSON is handed to Apollo Server undefined, which refuses it.
 */
function readJsonBody(req: http.IncomingMessage, limit: number): Promise<{ body?: unknown; refused?: Refusal }> {
  const refuse = (status: number, code: string, message: string, headers: Record<string, string> = {}) => ({
    refused: { status, error: { message, extensions: { code } }, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } },
  });
  const tooLarge = () => refuse(413, 'BAD_USER_INPUT', `Request body too large: at most ${limit} bytes`, { connection: 'close' });
  const encoding = header(req, 'content-encoding');
  if (encoding && encoding.toLowerCase() !== 'identity') return Promise.resolve(refuse(415, 'BAD_REQUEST', `Unsupported content encoding: ${encoding}`, { connection: 'close' }));
  if (Number(header(req, 'content-length') ?? 0) > limit) return Promise.resolve(tooLarge());
  const isJson = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(header(req, 'content-type') ?? '');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (length > limit) {
        req.off('data', onData);
        req.pause();
        resolve(tooLarge());
      } else chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('error', () => resolve(refuse(400, 'BAD_REQUEST', 'The request body could not be read', { connection: 'close' })));
    req.on('end', () => {
      if (!isJson) return resolve({ body: undefined });
      const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8');
      if (text.trim() === '') return resolve({ body: {} });
      try {
        const body: unknown = JSON.parse(text);
        noteNulFreeVariables(body, text);
        resolve({ body });
      } catch {
        resolve(refuse(400, 'BAD_REQUEST', 'Malformed JSON body'));
      }
    });
  });
}

/** A request id as sent (letters, digits and `._:-`, at most 128 of them). */
const PLAIN_REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * The request's id: the one it came with (the gateway passes on a client's x-request-id, so that
 * the client can find its request in our logs and traces) when that is a plain, short id, else a
 * new one. It is stored with every audit entry of personal data the request read: taken as sent,
 * a client wrote kilobytes of anything it liked into the audit log.
 */
export function requestIdOf(sent: unknown): string {
  return typeof sent === 'string' && PLAIN_REQUEST_ID.test(sent) ? sent : randomUUID();
}
