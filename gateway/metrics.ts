/**
 * Prometheus metrics of the gateway: requests, errors and latency per operation and subgraph
 * (Hive's Prometheus plugin), plus active WebSocket subscriptions and connections, and how far
 * subscribers of shared subscriptions are behind.
 */
import usePrometheus from '@graphql-mesh/plugin-prometheus';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { observedCounter, observedGauge } from '../subgraphs/common/metrics.js';

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly activeSubscriptions: Gauge;
  readonly activeConnections: Gauge;

  /** Reports the shared subscription executions (set once by the server). */
  observeSharedSubscriptions(stats: () => { shared: number; dropped: number; queued: number; maxQueued: number }): void {
    observedGauge(this.registry, 'hrg_gateway_shared_subscriptions', 'Distinct subscription executions shared by identical subscribers.', () => stats().shared);
    observedCounter(this.registry, 'hrg_gateway_subscribers_dropped_total', 'Subscribers dropped for falling too far behind.', () => stats().dropped);
    observedGauge(this.registry, 'hrg_gateway_subscriber_queue_depth', 'Results waiting in subscriber queues, all subscribers together.', () => stats().queued);
    observedGauge(this.registry, 'hrg_gateway_subscriber_queue_depth_max', 'The deepest subscriber queue; a subscriber is dropped when it reaches the backlog limit.', () => stats().maxQueued);
  }

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'hrg_gateway_' });
    this.activeSubscriptions = new Gauge({ name: 'hrg_gateway_active_subscriptions', help: 'Subscriptions open over graphql-ws.', registers: [this.registry] });
    this.activeConnections = new Gauge({ name: 'hrg_gateway_ws_connections', help: 'Open graphql-ws connections.', registers: [this.registry] });
  }

  plugin() {
    return usePrometheus({
      registry: this.registry,
      metrics: {
        graphql_envelop_request: true,
        graphql_envelop_request_duration: true,
        graphql_envelop_request_time_summary: true,
        graphql_envelop_phase_parse: true,
        graphql_envelop_phase_validate: true,
        graphql_envelop_phase_execute: true,
        graphql_envelop_phase_subscribe: true,
        graphql_envelop_error_result: true,
        graphql_gateway_fetch_duration: true,
        graphql_gateway_subgraph_execute_duration: true,
        graphql_gateway_subgraph_execute_errors: true,
      },
      labels: { subgraphName: true },
    } as never);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
