/**
 * Hive Gateway's runtime over the composed supergraph: HTTP to the subgraphs, graphql-ws for
 * upstream subscriptions, errors masked for clients, and an upstream timeout for queries and
 * mutations (gateway/upstream-timeout.ts). The plugins come from the server, which composes them.
 */
import { createGatewayRuntime, type GatewayConfig, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import { unifiedGraphHandler as rustPlanner } from '@graphql-hive/router-runtime';
import httpTransport from '@graphql-mesh/transport-http';
import wsTransport from '@graphql-mesh/transport-ws';
import { SUBGRAPH_NAMES, type Config } from '../subgraphs/common/config.js';
import { createErrorMasker } from './errors.js';
import { subgraphFailuresOnFields } from './subgraph-failures.js';
import { upstreamTimeout } from './upstream-timeout.js';
import { viewerTransport, type ViewerContext } from './viewer-forwarding.js';

export interface RuntimeOptions {
  config: Config;
  /** The supergraph SDL, subgraph URLs already in place. */
  supergraph: string;
  graphqlPath: string;
  plugins: GatewayConfig<ViewerContext>['plugins'];
  /** Trusted documents (gateway/trusted-documents.ts). */
  persistedDocuments: GatewayConfig<ViewerContext>['persistedDocuments'];
}

/**
 * The Rust planner's handler builds the subgraph schemas (graphql-tools' processing of the
 * supergraph, once for all subgraphs) lazily, when the first subgraph request asks for them: the
 * first client request after a start then waited for it, seconds on a loaded machine, past the
 * request timeout of test/gateway/limits.test.ts. Built here instead, while the server awaits
 * `getSchema()` before it listens, as the JS planner builds its schema.
 */
const rustPlannerBuiltAtStart: typeof rustPlanner = async (options) => {
  const handler = await rustPlanner(options);
  handler.getSubgraphSchema(SUBGRAPH_NAMES[0]);
  return handler;
};

export function gatewayRuntime({ config, supergraph, graphqlPath, plugins, persistedDocuments }: RuntimeOptions): GatewayRuntime<ViewerContext> {
  return createGatewayRuntime<ViewerContext>({
    supergraph,
    // The Rust planner plans each operation once and executes the plan without stitching's
    // per-field delegation; it has no batch delegation, so the option below does not apply to it.
    ...(config.queryPlanner === 'rust' ? { unifiedGraphHandler: rustPlannerBuiltAtStart } : {}),
    transports: { http: httpTransport, ws: wsTransport },
    transportEntries: viewerTransport(graphqlPath),
    // Every event of a subscription runs in the same context, and batch-delegation loaders cache
    // per context: a field from another subgraph could then keep its first value in later events
    // (graphql-hive/gateway#2630). test/e2e/slice.test.ts proves fresh values; on 2.12.1 it also
    // passes without this, which we keep as a guard. `cache` reaches the batch loader although
    // the option's type only names maxBatchSize.
    __experimental__batchDelegateOptions: { cache: false } as { maxBatchSize?: number },
    graphqlEndpoint: graphqlPath,
    persistedDocuments,
    maskedErrors: { maskError: createErrorMasker(config) },
    graphiql: false, // served from our own assets by gateway/graphiql.ts
    landingPage: false,
    logging: config.logLevel === 'silent' ? false : config.logLevel,
    disableIntrospection: config.introspection ? undefined : { disableIf: () => true },
    // A subgraph that hangs must not hang the client (gateway/upstream-timeout.ts): first, where
    // the runtime's own upstream timeout would be. The failures on fields last, so that they also
    // see the timeout's failures.
    plugins: (context) => [
      upstreamTimeout(config.upstreamTimeoutMs),
      ...(plugins?.(context) ?? []),
      ...(config.queryPlanner === 'rust' ? [subgraphFailuresOnFields()] : []),
    ],
  });
}
