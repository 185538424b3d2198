/**
 * The gateway process: Hive Gateway's runtime over the composed supergraph, served over HTTP and
 * graphql-ws on one port. Each concern is a module of its own; this file composes them: the
 * runtime's plugins, the HTTP routes in the order they are tried, the WebSocket server, start and
 * shutdown.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config, SubgraphName } from '../subgraphs/common/config.js';
import { slowClientTimeouts } from '../subgraphs/common/http-limits.js';
import type { Logger } from '../subgraphs/common/log.js';
import { readSupergraph, withSubgraphUrls } from './supergraph.js';
import { gatewayRuntime } from './runtime.js';
import { viewerAuthentication } from './viewer-forwarding.js';
import { traceSubgraphFetches } from './tracing.js';
import { ClientRateLimiter, armorPlugin } from './limits.js';
import { boundEventStreams } from './stream-expiry.js';
import { limitResultSize } from './result-size.js';
import { GatewayMetrics, metricsRoute } from './metrics.js';
import { healthRoutes } from './health.js';
import { dashboard } from './dashboard.js';
import { graphqlOverHttp } from './graphql-http.js';
import { graphqlOverWebSocket } from './websocket.js';
import { refuse, type Route } from './respond.js';
import { graphiql } from './graphiql.js';
import { reportExports } from './exports.js';
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

const GRAPHQL_PATH = '/graphql';

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { config, log, subgraphUrls } = options;
  const metrics = new GatewayMetrics(subgraphUrls);
  const authenticate = viewerAuthentication(config);
  const rateLimiter = new ClientRateLimiter(config, log);
  const trustedDocuments = new TrustedDocuments(config);

  const runtime = gatewayRuntime({
    config,
    supergraph: withSubgraphUrls(options.supergraph ?? readSupergraph(), subgraphUrls),
    graphqlPath: GRAPHQL_PATH,
    persistedDocuments: trustedDocuments.gatewayOption(),
    plugins: () => [traceSubgraphFetches(subgraphUrls), armorPlugin(), limitResultSize(), metrics.plugin(), boundEventStreams(config.maxSubscriptionsPerConnection, config.viewerTokenWindowSeconds), trustedDocuments.plugin()],
  });

  const graphiqlPage = graphiql(config, GRAPHQL_PATH);
  const routes: Route[] = [
    healthRoutes(subgraphUrls),
    metricsRoute(metrics, config.metricsToken),
    dashboard(config),
    { handle: (req, res, pathname) => graphiqlPage.assets(req, res, pathname) },
    reportExports({
      config,
      log,
      authenticate,
      rateLimit: (subject) => rateLimiter.check(subject),
      // The exports' documents are the gateway's own (fixed text, never the caller's), so they may
      // run as text for a partner too: `serverDocument` tells the trusted-documents plugin so.
      execute: async (body, context) =>
        runtime.fetch(
          `http://gateway${GRAPHQL_PATH}`,
          { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' }, body: JSON.stringify(body) },
          { ...context, serverDocument: true },
        ),
      onAbandoned: () => metrics.reportExportsAbandoned.inc(),
    }),
    graphqlOverHttp({ path: GRAPHQL_PATH, config, runtime, authenticate, rateLimiter, log, graphiqlPage }),
  ];
  const server = http.createServer(slowClientTimeouts(config), (req, res) => {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    if (!routes.some((route) => route.handle(req, res, pathname))) {
      refuse(res, 404, 'NOT_FOUND', 'Not found: the API is at /graphql (and a dashboard at /dashboard)');
    }
  });
  const closeWebSockets = graphqlOverWebSocket({
    server,
    path: GRAPHQL_PATH,
    config,
    runtime,
    authenticate,
    metrics,
    log,
    rateLimiter,
    trustedDocuments,
    subscriberBacklog: options.subscriberBacklog,
  });

  // Load the supergraph before accepting connections: the runtime otherwise builds its schema on
  // the first HTTP request, and a subscription that arrives first over WebSocket fails with
  // "Expected null to be a GraphQL schema" (test/gateway/replicas.test.ts).
  await runtime.getSchema();
  await rateLimiter.ready();

  const host = options.host ?? config.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? config.ports.gateway, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}${GRAPHQL_PATH}`;
  log.info({ url }, 'gateway listening');

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    metrics,
    close() {
      closing ??= (async () => {
        await closeWebSockets();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await runtime.dispose();
        await rateLimiter.close();
      })();
      return closing;
    },
  };
}
