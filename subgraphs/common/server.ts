/**
 * Serves a subgraph schema over HTTP (Apollo Server) and WebSocket (graphql-ws) on one port.
 * Every operation must carry a viewer signed by the gateway; anything else is refused (HTTP 401,
 * or close code 4403 on a socket), so clients cannot bypass the gateway's checks.
 */
import { SpanKind, endSpan, extractContext, tracer } from './tracing.js';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { VIEWER_CONNECTION_PARAM, VIEWER_HEADER, ViewerVerifier } from './auth/internal-token.js';
import type { Viewer } from './auth/viewer.js';
import { createErrorFormatter } from './graphql/format-error.js';
import { nulInputRefusal, refuseNulInputs } from './graphql/input-guard.js';
import type { Logger } from './log.js';
import { slowClientTimeouts } from './http-limits.js';
import { SCRAPE_REFUSED, scrapeAccess } from './metrics.js';

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
  const app = express();
  app.disable('x-powered-by');
  // Express hashes every response body for an ETag; GraphQL answers are POSTs marked no-store,
  // so nobody revalidates them and the hash was pure cost (a SHA-1 of each page, per request).
  app.set('etag', false);
  const httpServer = http.createServer(slowClientTimeouts(options), app);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: options.name });
  });
  app.get('/readyz', async (_req, res) => {
    const { ok, details } = await options.ready();
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'unavailable', service: options.name, ...details });
  });

  app.get('/metrics', async (req, res) => {
    const access = options.metrics ? scrapeAccess(req.header('authorization'), options.metricsToken) : 'off';
    if (access === 'off') return void res.status(404).json({ errors: [{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }] });
    if (access === 'refused') return void res.status(401).set('www-authenticate', 'Bearer').json(SCRAPE_REFUSED);
    res.type(options.metrics!.contentType).send(await options.metrics!.metrics());
  });

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
        const requestId = (payload.extensions?.requestId as string | undefined) ?? randomUUID();
        return options.createContext(ctx.extra.viewer!, requestId);
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
    schema,
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

  app.use(
    '/graphql',
    express.json({ limit: options.maxRequestBytes }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const viewer = await verifier.verify(req.header(VIEWER_HEADER));
        if (!viewer) throw unauthenticated();
        return options.createContext(viewer, req.header('x-request-id') ?? randomUUID());
      },
    }),
  );
  // The body parser counts bytes as they arrive (chunked or not) and fails with 413 or 400:
  // answer those as GraphQL errors instead of Express's HTML page.
  app.use((error: { status?: number; type?: string }, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (error.status === 413) {
      res.set('connection', 'close').status(413).json({ errors: [{ message: `Request body too large: at most ${options.maxRequestBytes} bytes`, extensions: { code: 'BAD_USER_INPUT' } }] });
    } else if (error.status === 400) {
      res.status(400).json({ errors: [{ message: 'Malformed JSON body', extensions: { code: 'BAD_REQUEST' } }] });
    } else next(error);
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
