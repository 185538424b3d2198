/**
 * The context of one request (or one subscription) in any subgraph: who asks, its request id,
 * the runtime and database, the audit of personal-data reads, and per-request loaders that a
 * subscription renews before each event. A subgraph adds what only it needs (`extra`).
 */
import type { Viewer } from '../auth/viewer.js';
import type { RuntimeTables, SubgraphRuntime } from '../runtime.js';

export function requestContext<DB extends RuntimeTables, L, X extends object = {}>(
  runtime: SubgraphRuntime<DB>,
  viewer: Viewer,
  requestId: string,
  createLoaders: () => L,
  extra: X = {} as X,
) {
  const context = {
    viewer,
    requestId,
    runtime,
    db: runtime.db,
    ...extra,
    loaders: createLoaders(),
    audit: (entity: string, id: string, field: string) => runtime.audit.record(viewer, requestId, entity, id, field),
    renewLoaders: () => {
      context.loaders = createLoaders();
    },
  };
  return context;
}
