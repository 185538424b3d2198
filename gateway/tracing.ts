/**
 * Traces through the gateway: a server span per client request (continuing the client's
 * `traceparent`), and a client span per subgraph fetch that carries the trace on to the subgraph.
 */
import type http from 'node:http';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { context as otelContext, trace, type Context } from '@opentelemetry/api';
import { SpanKind, endSpan, extractContext, injectContext, tracer } from '../subgraphs/common/tracing.js';

/** One client span per subgraph fetch, named after the subgraph, its context sent as traceparent. */
export function traceSubgraphFetches(subgraphUrls: Record<string, string>): GatewayPlugin {
  const subgraphByUrl = new Map(Object.entries(subgraphUrls).map(([name, url]) => [url, name]));
  return {
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
}

/**
 * Starts the request's server span, ended when the response closes. Run the request's work in
 * the returned context: subgraph fetches then become the span's children (AsyncLocalStorage).
 */
export function traceRequest(req: http.IncomingMessage, res: http.ServerResponse, attributes: Record<string, string>): Context {
  const parent = extractContext((name) => req.headers[name]);
  const span = tracer('gateway').startSpan('graphql.request', { kind: SpanKind.SERVER, attributes: { 'hrg.service': 'gateway', ...attributes } }, parent);
  res.once('close', () => {
    span.setAttribute('http.response.status_code', res.statusCode);
    endSpan(span, res.statusCode >= 500 ? new Error(`HTTP ${res.statusCode}`) : undefined);
  });
  return trace.setSpan(parent, span);
}

export const runInContext = <T>(context: Context, fn: () => T): T => otelContext.with(context, fn);
