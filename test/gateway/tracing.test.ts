/**
 * One trace from the client through the gateway into every subgraph a query touches: the
 * gateway's request span, a client span per subgraph fetch, and each subgraph's request span
 * under it, all in the trace the client started (W3C traceparent).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, token } from '../support/client.js';
import { pollUntil } from '../support/wait.js';
import { setupTracing, shutdownTracing } from '../../subgraphs/common/tracing.js';

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('traces', () => {
  const exporter = new InMemorySpanExporter();
  let db: TestDatabase;
  let stack: Stack;

  beforeAll(async () => {
    await setupTracing({ serviceName: 'hrg-test', exporter, immediate: true });
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [{ id: 'CS-TR', wardCode: '00337', beds: { GENERAL: { total: 10 } } }]);
    stack = await startStack(db);
    // Naming the gateway starts the epidemic assessor's daily run, which reads through the gateway
    // in its own trace: let it finish, so that the only requests in flight are the test's.
    await stack.settle();
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
    await shutdownTracing();
  });

  it('follows a query from the client through the gateway into facilities and workforce', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    exporter.reset();
    const response = await gql(
      stack.gateway.url,
      `{ facility(id: "CS-TR") { id beds { kind occupied } staffOnDuty { count } } }`,
      {},
      { token: await token('DASHBOARD'), headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } },
    );
    expect(response.errors).toBeUndefined();
    // The gateway's span ends once the response is sent, which may be after the client read it.
    const isRequest = (s: ReadableSpan) => s.attributes['hrg.service'] === 'gateway' && s.name === 'graphql.request';
    const spans = (await pollUntil(async () => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId), (found) => found.some(isRequest)))!;
    const by = (service: string, name?: string) =>
      spans.filter((s) => s.attributes['hrg.service'] === service && (name === undefined || s.name === name));
    const [request] = by('gateway', 'graphql.request');
    expect(request).toBeDefined();
    expect(parentOf(request!)).toBe('00f067aa0ba902b7'); // under the client's span

    for (const subgraph of ['facilities', 'workforce']) {
      const [fetchSpan] = spans.filter((s) => s.attributes['hrg.subgraph'] === subgraph);
      expect(fetchSpan).toBeDefined();
      expect(parentOf(fetchSpan!)).toBe(request!.spanContext().spanId);
      const served = by(subgraph);
      expect(served).toHaveLength(1);
      expect(parentOf(served[0]!)).toBe(fetchSpan!.spanContext().spanId);
    }
    // Nothing of this request escaped into another trace.
    expect(exporter.getFinishedSpans().filter((s) => s.spanContext().traceId !== traceId && s.attributes['hrg.service'] === 'facilities')).toEqual([]);
  });
});
