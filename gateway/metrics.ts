/**
 * Prometheus metrics of the gateway: requests, errors and latency per operation and subgraph
 * (Hive's Prometheus plugin), plus active WebSocket subscriptions and connections, and how far
 * subscribers of shared subscriptions are behind.
 *
 * Label values are bounded: an operation name is the client's choice, so only the names of the
 * documents this repository knows (the typed client's, which include the contract operations,
 * and the internal clients') are kept, every other name counts as "other"; a subgraph's URL is
 * replaced by the subgraph's name. Otherwise each new name adds series for good.
 */
import usePrometheus from '@graphql-mesh/plugin-prometheus';
import { Counter, Gauge, Registry, collectDefaultMetrics, type Metric } from 'prom-client';
import type { DocumentNode } from 'graphql';
import * as typedClient from './client/generated/graphql.js';
import { EXPORT_OPERATIONS } from './exports.js';
import { SCRAPE_REFUSED, observedCounter, observedGauge, scrapeAccess } from '../subgraphs/common/metrics.js';
import { refuse, sendJson, type Route } from './respond.js';

/**
 * Operations of internal clients that are not in the typed client: the epidemic-level assessor's,
 * and the spreadsheet exports' (gateway/exports.ts).
 */
const INTERNAL_OPERATIONS = ['Assess', ...EXPORT_OPERATIONS];

export const KNOWN_OPERATIONS: ReadonlySet<string> = new Set([
  ...Object.values(typedClient as Record<string, unknown>).flatMap((value) =>
    (value as Partial<DocumentNode>)?.kind === 'Document'
      ? (value as DocumentNode).definitions.flatMap((d) => (d.kind === 'OperationDefinition' && d.name ? [d.name.value] : []))
      : [],
  ),
  ...INTERNAL_OPERATIONS,
  'Anonymous',
]);

type LabelBounds = Record<string, (value: string) => string>;

/**
 * A registry that rewrites bounded labels before any metric sees them, whoever registers the
 * metric (the Prometheus plugins create theirs with the client's operation name as a label).
 */
class BoundedRegistry extends Registry {
  constructor(private readonly bounds: LabelBounds) {
    super();
  }

  override registerMetric(metric: Metric): void {
    const labelNames: string[] = (metric as unknown as { labelNames?: string[] }).labelNames ?? [];
    if (labelNames.some((name) => name in this.bounds)) boundLabels(metric, labelNames, this.bounds);
    super.registerMetric(metric);
  }
}

function boundLabels(metric: Metric, labelNames: string[], bounds: LabelBounds): void {
  // Only this metric's bounded labels, found once: this runs on every observation.
  const bounded = Object.entries(bounds).filter(([name]) => labelNames.includes(name));
  const fixObject = (labels: Record<string, unknown>) => {
    const fixed = { ...labels };
    for (const [name, bound] of bounded) if (fixed[name] !== undefined) fixed[name] = bound(String(fixed[name]));
    return fixed;
  };
  const fixArgs = (method: string, args: unknown[]) => {
    if (args[0] && typeof args[0] === 'object') return [fixObject(args[0] as Record<string, unknown>), ...args.slice(1)];
    if ((method === 'labels' || method === 'remove') && typeof args[0] === 'string') {
      return args.map((value, i) => (bounds[labelNames[i]!] ? bounds[labelNames[i]!]!(String(value)) : value));
    }
    return args;
  };
  type Fn = (...args: unknown[]) => unknown;
  const wrap = (method: string, fn: Fn | undefined): Fn | undefined =>
    fn &&
    function (this: unknown, ...args: unknown[]) {
      return fn.apply(this, fixArgs(method, args));
    };
  // Metric constructors assign some methods (Histogram's observe, Counter's inc) after they
  // register: an accessor wraps whatever gets assigned, then and later.
  const target = metric as unknown as Record<string, Fn | undefined>;
  for (const method of ['observe', 'inc', 'dec', 'set', 'startTimer', 'labels', 'remove']) {
    let current = wrap(method, target[method]);
    Object.defineProperty(target, method, {
      configurable: true,
      get: () => current,
      set: (fn: Fn | undefined) => void (current = wrap(method, fn)),
    });
  }
}

export class GatewayMetrics {
  readonly registry: Registry;
  readonly activeSubscriptions: Gauge;
  readonly activeConnections: Gauge;
  readonly reportExportsAbandoned: Counter;

  /** Reports the shared subscription executions (set once by the server). */
  observeSharedSubscriptions(stats: () => { shared: number; dropped: number; queued: number; maxQueued: number }): void {
    observedGauge(this.registry, 'hrg_gateway_shared_subscriptions', 'Distinct subscription executions shared by identical subscribers.', () => stats().shared);
    observedCounter(this.registry, 'hrg_gateway_subscribers_dropped_total', 'Subscribers dropped for falling too far behind.', () => stats().dropped);
    observedGauge(this.registry, 'hrg_gateway_subscriber_queue_depth', 'Results waiting in subscriber queues, all subscribers together.', () => stats().queued);
    observedGauge(this.registry, 'hrg_gateway_subscriber_queue_depth_max', 'The deepest subscriber queue; a subscriber is dropped when it reaches the backlog limit.', () => stats().maxQueued);
  }

  observeSharedFrames(stats: () => { serialised: number; sent: number }): void {
    observedCounter(this.registry, 'hrg_gateway_shared_results_serialised_total', 'Subscription results serialised to JSON: once per result, whatever the number of its subscribers.', () => stats().serialised);
    observedCounter(this.registry, 'hrg_gateway_shared_result_messages_total', 'Subscription messages sent with a payload serialised once for all the subscribers of its result.', () => stats().sent);
  }

  /** `subgraphUrls`: the subgraph each upstream URL belongs to, named in labels instead of the URL. */
  constructor(subgraphUrls: Record<string, string> = {}) {
    const subgraphByUrl = new Map(Object.entries(subgraphUrls).map(([name, url]) => [url, name]));
    this.registry = new BoundedRegistry({
      operationName: (name) => (KNOWN_OPERATIONS.has(name) ? name : 'other'),
      url: (url) => subgraphByUrl.get(url) ?? 'other',
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'hrg_gateway_' });
    this.activeSubscriptions = new Gauge({ name: 'hrg_gateway_active_subscriptions', help: 'Subscriptions open over graphql-ws.', registers: [this.registry] });
    this.activeConnections = new Gauge({ name: 'hrg_gateway_ws_connections', help: 'Open graphql-ws connections.', registers: [this.registry] });
    this.reportExportsAbandoned = new Counter({
      name: 'hrg_gateway_report_exports_abandoned_total',
      help: 'Report downloads stopped because the client hung up before they were ready.',
      registers: [this.registry],
    });
  }

  plugin() {
    return usePrometheus({
      registry: this.registry,
      metrics: {
        graphql_envelop_request: true,
        graphql_envelop_request_duration: true,
        // Off: a summary computes its quantiles in the process (a t-digest per series, updated on
        // every request: 1.5 % of the gateway's CPU for an admission). The duration histogram
        // above gives quantiles in Prometheus (to its buckets' resolution), across replicas too.
        graphql_envelop_request_time_summary: false,
        graphql_envelop_phase_parse: true,
        graphql_envelop_phase_validate: true,
        graphql_envelop_phase_execute: true,
        graphql_envelop_phase_subscribe: true,
        graphql_envelop_error_result: true,
        graphql_gateway_fetch_duration: true,
        graphql_gateway_subgraph_execute_duration: true,
        graphql_gateway_subgraph_execute_errors: true,
        // On by default in the plugin, off here: the deprecated-field counter walks every parsed
        // document with a TypeInfo (3 % of the gateway's CPU for CapacityBoard) and the schema
        // deprecates nothing; turn it back on with the first @deprecated field.
        graphql_envelop_deprecated_field: false,
      },
      labels: { subgraphName: true },
    } as never);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}

/** /metrics for a scraper that sends the metrics token; not served at all without a token configured. */
export function metricsRoute(metrics: GatewayMetrics, metricsToken: string | undefined): Route {
  return {
    handle(req, res, pathname) {
      if (pathname !== '/metrics') return false;
      const access = scrapeAccess(req.headers.authorization, metricsToken);
      if (access === 'off') refuse(res, 404, 'NOT_FOUND', 'Not found');
      else if (access === 'refused') sendJson(res, 401, SCRAPE_REFUSED, { 'www-authenticate': 'Bearer' });
      else {
        void metrics.text().then((text) => {
          res.writeHead(200, { 'content-type': metrics.registry.contentType });
          res.end(text);
        });
      }
      return true;
    },
  };
}
