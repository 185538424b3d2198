/**
 * OpenTelemetry traces across the gateway and the subgraphs: W3C trace context (`traceparent`)
 * from the client, through the gateway's request and each of its subgraph fetches, into each
 * subgraph's request span. Exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set; otherwise tracing is not registered and the
 * @opentelemetry/api calls below are no-ops that cost next to nothing.
 */
import { context, propagation, trace, SpanKind, SpanStatusCode, type Context, type Span, type TextMapGetter } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { tracingSettings, type TracingSettings } from './config.js';

export { SpanKind, SpanStatusCode, type Span };

let provider: BasicTracerProvider | undefined;

export interface TracingOptions {
  /** Resource service.name: hrg-gateway, hrg-facilities, … */
  serviceName: string;
  /** Where spans go; default OTLP/HTTP from the OTEL_* environment. */
  exporter?: SpanExporter;
  /** Export each span as it ends (tests) instead of in batches. */
  immediate?: boolean;
}

/** Registers tracing for this process when configured (or when an exporter is given). */
export async function setupTracing(options: TracingOptions, settings: TracingSettings = tracingSettings()): Promise<boolean> {
  if (provider) return true;
  let exporter = options.exporter;
  if (!exporter) {
    if (!settings.otlp) return false;
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    exporter = new OTLPTraceExporter();
  }
  provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName ?? options.serviceName }),
    spanProcessors: [options.immediate ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter)],
  });
  trace.setGlobalTracerProvider(provider);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  return true;
}

export async function shutdownTracing(): Promise<void> {
  await provider?.shutdown();
  provider = undefined;
}

/** A tracer named after the service, so that spans of in-process services stay apart. */
export const tracer = (service: string) => trace.getTracer(`hrg-${service}`);

/** Reads one request header (lower-case name), whatever the server's header type. */
export type HeaderLookup = (name: string) => string | string[] | null | undefined;

const lookupGetter: TextMapGetter<HeaderLookup> = {
  keys: () => ['traceparent', 'tracestate'],
  get: (lookup, key) => lookup(key.toLowerCase()) ?? undefined,
};

/** The trace context a request carries (W3C traceparent/tracestate), or the active one. */
export function extractContext(header: HeaderLookup): Context {
  return propagation.extract(context.active(), header, lookupGetter);
}

/** Adds traceparent/tracestate for the active (or given) context to outgoing headers. */
export function injectContext(headers: Record<string, string>, from: Context = context.active()): Record<string, string> {
  propagation.inject(from, headers);
  return headers;
}

export function endSpan(span: Span, error?: unknown): void {
  if (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  }
  span.end();
}
