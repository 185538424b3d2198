/**
 * The gateway process: Hive Gateway's runtime over the composed supergraph, served over HTTP and
 * graphql-ws on one port, with authentication in front, the verified viewer forwarded to every
 * subgraph request (HTTP header or WebSocket connection parameter), health and readiness checks.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime, getGraphQLWSOptions, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import httpTransport from '@graphql-mesh/transport-http';
import wsTransport from '@graphql-mesh/transport-ws';
import { WebSocketServer } from 'ws';
import type { OperationDefinitionNode } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Config, SubgraphName } from '../subgraphs/common/config.js';
import { SUBGRAPH_NAMES } from '../subgraphs/common/config.js';
import { slowClientTimeouts } from '../subgraphs/common/http-limits.js';
import { VIEWER_CONNECTION_PARAM, VIEWER_HEADER, VIEWER_TOKEN_WINDOW_SECONDS, signViewer } from '../subgraphs/common/auth/internal-token.js';
import type { Viewer } from '../subgraphs/common/auth/viewer.js';
import type { Logger } from '../subgraphs/common/log.js';
import { AuthenticationError, Authenticator, type Credentials } from './auth.js';
import { readSupergraph, withSubgraphUrls } from './supergraph.js';
import { ClientRateLimiter, armorPlugin } from './limits.js';
import { attachBody, readLimitedBody } from './body-limit.js';
import { limitMessageRate, subscriptionCapRefusal } from './ws-limits.js';
import { createErrorMasker } from './errors.js';
import { endStreamsAtExpiry, type StreamDeadlineContext } from './stream-expiry.js';
import { GatewayMetrics } from './metrics.js';
import { SCRAPE_REFUSED, scrapeAccess } from '../subgraphs/common/metrics.js';
import { dashboard } from './dashboard.js';
import { graphiql } from './graphiql.js';
import { reportExports } from './exports.js';
import { context as otelContext, trace } from '@opentelemetry/api';
import { SpanKind, endSpan, extractContext, injectContext, tracer } from '../subgraphs/common/tracing.js';
import { SharedSubscriptions, subscriptionKey, viewerScope } from './shared-subscriptions.js';
import { TrustedDocuments } from './trusted-documents.js';

export interface GatewayOptions {
  config: Config;
  subgraphUrls: Record<SubgraphName, string>;
  port?: number;
  host?: string;
  log: Logger;
  supergraph?: string;
  /** Events a subscriber may fall behind before it is dropped (default 1,000). */
  subscriberBacklog?: number;
}

export interface RunningGateway {
  url: string;
  port: number;
  metrics: GatewayMetrics;
  close(): Promise<void>;
}

interface ViewerContext {
  viewer?: Viewer;
  viewerToken?: string;
}

const GRAPHQL_PATH = '/graphql';

/**
 * One signed viewer token per client credential and token window, so requests of one client
 * share upstream sockets; the next window brings a fresh token before the old one expires.
 */
export class ViewerTokens {
  private readonly cache = new Map<string, { window: number; token: Promise<string> }>();
  constructor(private readonly secret: string) {}
  tokenFor(credential: string, viewer: Viewer): Promise<string> {
    const window = Math.floor(Date.now() / 1000 / VIEWER_TOKEN_WINDOW_SECONDS);
    let entry = this.cache.get(credential);
    if (!entry || entry.window !== window) {
      if (this.cache.size > 50_000) this.cache.clear();
      entry = { window, token: signViewer(viewer, this.secret) };
      this.cache.set(credential, entry);
    }
    return entry.token;
  }
}

const forwardViewer: GatewayPlugin<ViewerContext> = {
  onFetch({ context, options }) {
    const token = (context as ViewerContext | undefined)?.viewerToken;
    if (token) options.headers = { ...(options.headers as Record<string, string>), [VIEWER_HEADER]: token };
  },
};

function refuse(res: http.ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

function wantsGraphiQL(req: http.IncomingMessage): boolean {
  return req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { config, log } = options;
  const authenticator = new Authenticator(config);
  const tokens = new ViewerTokens(config.internalSecret);
  const rateLimiter = new ClientRateLimiter(config, log);
  const trustedDocuments = new TrustedDocuments(config);
  const metrics = new GatewayMetrics(options.subgraphUrls);
  const supergraph = withSubgraphUrls(options.supergraph ?? readSupergraph(), options.subgraphUrls);

  // One client span per subgraph fetch, carrying the trace on to the subgraph (traceparent).
  const subgraphByUrl = new Map(Object.entries(options.subgraphUrls).map(([name, url]) => [url, name]));
  const traceSubgraphFetches: GatewayPlugin<ViewerContext> = {
    onFetch({ url, options: init }) {
      const subgraph = subgraphByUrl.get(url) ?? url;
      const span = tracer('gateway').startSpan(`subgraph ${subgraph}`, {
        kind: SpanKind.CLIENT,
        attributes: { 'hrg.service': 'gateway', 'hrg.subgraph': subgraph, 'url.full': url },
      });
      init.headers = injectContext({ ...(init.headers as Record<string, string>) }, trace.setSpan(otelContext.active(), span));
      return ({ response }) => {
        span.setAttribute('http.response.status_code', response.status);
        endSpan(span, response.status >= 500 ? new Error(`HTTP ${response.status}`) : undefined);
      };
    },
  };

  const gateway = createGatewayRuntime<ViewerContext>({
    supergraph,
    transports: { http: httpTransport, ws: wsTransport },
    transportEntries: {
      '*.http': {
        options: {
          subscriptions: {
            kind: 'ws',
            location: GRAPHQL_PATH,
            options: { connectionParams: { [VIEWER_CONNECTION_PARAM]: '{context.viewerToken}' } },
          },
        },
      },
    },
    // Every event of a subscription runs in the same context, and batch-delegation loaders cache
    // per context: a field from another subgraph could then keep its first value in later events
    // (graphql-hive/gateway#2630). test/e2e/slice.test.ts proves fresh values; on 2.12.1 it also
    // passes without this, which we keep as a guard. `cache` reaches the batch loader although
    // the option's type only names maxBatchSize.
    __experimental__batchDelegateOptions: { cache: false } as { maxBatchSize?: number },
    graphqlEndpoint: GRAPHQL_PATH,
    persistedDocuments: trustedDocuments.gatewayOption(),
    maskedErrors: { maskError: createErrorMasker(config) },
    // A subgraph that hangs must not hang the client: queries and mutations wait this long for
    // it; subscriptions (long-lived by design) are left out.
    upstreamTimeout: ({ executionRequest }) => {
      // A subgraph request carries one operation, whatever the client named its own.
      const operation = executionRequest?.document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
      return operation?.operation === 'subscription' ? undefined : config.upstreamTimeoutMs;
    },
    graphiql: false, // served from our own assets by gateway/graphiql.ts
    landingPage: false,
    logging: config.logLevel === 'silent' ? false : config.logLevel,
    disableIntrospection: config.introspection ? undefined : { disableIf: () => true },
    plugins: () => [forwardViewer, traceSubgraphFetches, armorPlugin(), metrics.plugin(), endStreamsAtExpiry(), trustedDocuments.plugin()],
  });

  const credentialsOf = (c: Credentials) => c.apiKey ?? c.authorization ?? '';
  const authenticate = async (credentials: Credentials): Promise<ViewerContext> => {
    const viewer = await authenticator.authenticate(credentials);
    return { viewer, viewerToken: await tokens.tokenFor(credentialsOf(credentials), viewer) };
  };

  const subgraphReady = async (name: SubgraphName): Promise<boolean> => {
    try {
      const res = await fetch(options.subgraphUrls[name].replace(/\/graphql$/, '/readyz'), { signal: AbortSignal.timeout(2_000) });
      return res.ok;
    } catch {
      return false;
    }
  };

  const dashboardPage = dashboard(config);
  const graphiqlPage = graphiql(config, GRAPHQL_PATH);
  const reports = reportExports<ViewerContext>({
    config,
    log,
    authenticate,
    rateLimit: (subject) => rateLimiter.check(subject),
    execute: async (body, context) =>
      gateway.fetch(`http://gateway${GRAPHQL_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' }, body: JSON.stringify(body) }, context),
  });
  const server = http.createServer(slowClientTimeouts(config), (req, res) => {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    if (pathname === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok' }));
      return;
    }
    if (pathname === '/readyz') {
      void Promise.all(SUBGRAPH_NAMES.map(async (name) => [name, await subgraphReady(name)] as const)).then((checks) => {
        const ready = checks.every(([, ok]) => ok);
        res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: ready ? 'ready' : 'unavailable', subgraphs: Object.fromEntries(checks) }));
      });
      return;
    }
    if (pathname === '/metrics') {
      const access = scrapeAccess(req.headers.authorization, config.metricsToken);
      if (access === 'off') refuse(res, 404, 'NOT_FOUND', 'Not found');
      else if (access === 'refused') {
        res.writeHead(401, { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': 'Bearer' });
        res.end(JSON.stringify(SCRAPE_REFUSED));
      } else {
        void metrics.text().then((text) => {
          res.writeHead(200, { 'content-type': metrics.registry.contentType });
          res.end(text);
        });
      }
      return;
    }
    if (dashboardPage.handle(req, res, pathname)) return;
    if (graphiqlPage.assets(req, res, pathname)) return;
    if (reports.handle(req, res, pathname)) return;
    if (pathname !== GRAPHQL_PATH) {
      refuse(res, 404, 'NOT_FOUND', 'Not found: the API is at /graphql (and a dashboard at /dashboard)');
      return;
    }
    if (wantsGraphiQL(req)) {
      graphiqlPage.page(req, res);
      return;
    }
    readLimitedBody(req, config.maxRequestBytes).then(
      (body) => {
        if (!body) {
          // The rest of the body is never read: answer, then close the connection.
          refuse(res, 413, 'BAD_USER_INPUT', `Request body too large: at most ${config.maxRequestBytes} bytes`, { connection: 'close' });
          return;
        }
        attachBody(req, body);
        handleGraphQL(req, res);
      },
      () => req.destroy(),
    );
  });

  const handleGraphQL = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    authenticate({ authorization: header('authorization'), apiKey: header('x-api-key') })
      .then(async (context) => {
        const wait = await rateLimiter.check(context.viewer!.subject);
        if (wait > 0) {
          refuse(res, 429, 'RATE_LIMITED', `Too many requests: retry in ${wait} s`, { 'retry-after': String(wait) });
          return;
        }
        // The request's server span; subgraph fetches become its children (AsyncLocalStorage).
        const parent = extractContext((name) => req.headers[name]);
        const span = tracer('gateway').startSpan(
          'graphql.request',
          { kind: SpanKind.SERVER, attributes: { 'hrg.service': 'gateway', 'hrg.viewer.role': context.viewer!.role } },
          parent,
        );
        res.once('close', () => {
          span.setAttribute('http.response.status_code', res.statusCode);
          endSpan(span, res.statusCode >= 500 ? new Error(`HTTP ${res.statusCode}`) : undefined);
        });
        const expiresAt = context.viewer!.expiresAt;
        const httpContext: ViewerContext & StreamDeadlineContext = expiresAt ? { ...context, streamDeadline: expiresAt * 1000 } : context;
        void otelContext.with(trace.setSpan(parent, span), () => gateway(req, res, httpContext));
      })
      .catch((error: unknown) => {
        if (error instanceof AuthenticationError) refuse(res, 401, 'UNAUTHENTICATED', error.message, { 'www-authenticate': 'Bearer' });
        else {
          log.error({ err: error }, 'authentication failed unexpectedly');
          refuse(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
        }
      });
  };

  const wss = new WebSocketServer({ server, path: GRAPHQL_PATH, maxPayload: config.maxRequestBytes });
  type SocketExtra = { viewer?: Viewer; viewerToken?: string; request: http.IncomingMessage; socket: unknown } & Record<PropertyKey, unknown>;
  const wsOptions = getGraphQLWSOptions<ViewerContext, SocketExtra>(gateway, (ctx) => ({
    req: ctx.extra.request,
    socket: ctx.extra.socket,
    viewer: ctx.extra.viewer,
    viewerToken: ctx.extra.viewerToken,
  }));
  limitMessageRate(wss, config.wsMessagesPerSecond);
  const sharedSubscriptions = new SharedSubscriptions(options.subscriberBacklog);
  metrics.observeSharedSubscriptions(() => sharedSubscriptions.stats);
  const wsServer = useServer<Record<string, unknown>, SocketExtra>(
    {
      ...wsOptions,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
        try {
          const context = await authenticate({
            authorization: str(params.authorization) ?? str(params.Authorization),
            apiKey: str(params.apiKey) ?? str(params['x-api-key']),
          });
          Object.assign(ctx.extra, context);
        } catch (error) {
          if (!(error instanceof AuthenticationError)) log.error({ err: error }, 'authentication failed unexpectedly');
          return false; // graphql-ws closes with 4403 Forbidden
        }
        const socket = ctx.extra.socket as import('ws').WebSocket;
        metrics.activeConnections.inc();
        socket.once('close', () => metrics.activeConnections.dec());
        // Credentials that expire end the connection, subscriptions included: 4401 Unauthorized.
        const expiresAt = ctx.extra.viewer?.expiresAt;
        if (expiresAt) {
          const timer = setTimeout(() => socket.close(4401, 'Token expired'), Math.max(0, expiresAt * 1000 - Date.now()));
          socket.once('close', () => clearTimeout(timer));
        }
        return true;
      },
      // Identical subscriptions (same viewer scope, document and variables) share one execution.
      subscribe: (args) => {
        const context = args.contextValue as { params?: Record<string, unknown>; viewer?: Viewer };
        const key = subscriptionKey(viewerScope(context.viewer), context.params ?? {});
        return sharedSubscriptions.subscribe(key, () => wsOptions.subscribe!(args) as never) as never;
      },
      onSubscribe: (ctx, id, payload) => {
        const refusal = subscriptionCapRefusal(Object.keys(ctx.subscriptions).length, config.maxSubscriptionsPerConnection);
        if (refusal) return refusal;
        const untrusted = trustedDocuments.webSocketRefusal(ctx.extra.viewer, payload);
        if (untrusted) return untrusted;
        metrics.activeSubscriptions.inc();
        return wsOptions.onSubscribe!(ctx as never, id, payload as never);
      },
      onComplete: () => {
        metrics.activeSubscriptions.dec();
      },
    },
    wss,
  );

  // Load the supergraph before accepting connections: the runtime otherwise builds its schema on
  // the first HTTP request, and a subscription that arrives first over WebSocket fails with
  // "Expected null to be a GraphQL schema" (test/gateway/replicas.test.ts).
  await gateway.getSchema();
  await rateLimiter.ready();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? config.ports.gateway, options.host ?? config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host ?? config.host}:${port}${GRAPHQL_PATH}`;
  log.info({ url }, 'gateway listening');

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    metrics,
    close() {
      closing ??= (async () => {
        await wsServer.dispose();
        for (const client of wss.clients) client.terminate();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await gateway.dispose();
        await rateLimiter.close();
      })();
      return closing;
    },
  };
}
