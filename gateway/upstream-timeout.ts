/**
 * A subgraph that hangs must not hang the client: a query or mutation sent to a subgraph is
 * aborted after `timeoutMs` and fails with `GATEWAY_TIMEOUT` (which gateway/errors.ts turns into
 * UPSTREAM_TIMEOUT on the fields the subgraph owns). Subscriptions, long-lived by design, are
 * left alone.
 *
 * Hive Gateway's own `upstreamTimeout` does the same with `AbortSignal.timeout` and combined
 * signals whose listeners stay on the client's and the timeout's signals until the garbage
 * collector finds them, and whose timers stay armed for the whole timeout after the answer came
 * (15 s by default, with every finished request they hold). Here each subgraph request has one
 * timer and one listener, both gone as soon as its answer is in.
 *
 * An answer that arrives as a stream (incremental delivery) counts as in when the stream starts:
 * neither planner here asks subgraphs for one (the Rust planner has no @defer, and the
 * supergraph uses none), so a stalled stream is not guarded, unlike with the built-in timeout.
 * Nor does a client that disconnects cancel its subgraph requests: the runtime hands executors
 * no client signal unless `upstreamCancellation` is on (it is off, as it was before this plugin).
 */
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError, getOperationAST } from 'graphql';

type Executor = (request: { signal?: AbortSignal; info?: { signal?: AbortSignal } }) => unknown;

export function upstreamTimeout(timeoutMs: number): GatewayPlugin {
  return {
    onSubgraphExecute({ subgraphName, executionRequest, executor, setExecutor }) {
      if (getOperationAST(executionRequest.document)?.operation === 'subscription') return;
      const inner = executor as Executor;
      setExecutor(((request: Parameters<Executor>[0]) => {
        const client = request.signal ?? request.info?.signal;
        if (client?.aborted) return inner(request);
        const controller = new AbortController();
        const onClientAbort = () => controller.abort(client!.reason);
        client?.addEventListener('abort', onClientAbort);
        let timer: NodeJS.Timeout | undefined;
        const release = () => {
          clearTimeout(timer);
          client?.removeEventListener('abort', onClientAbort);
        };
        const timedOut = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            const error = new GraphQLError(`The ${subgraphName} subgraph did not answer within ${timeoutMs} ms`, {
              extensions: { code: 'GATEWAY_TIMEOUT', serviceName: subgraphName, http: { status: 504 } },
            });
            controller.abort(error);
            reject(error);
          }, timeoutMs);
          // A pending subgraph request must not keep a stopping process alive.
          timer.unref();
        });
        let result: unknown;
        try {
          result = inner({ ...request, signal: controller.signal });
        } catch (error) {
          release();
          throw error;
        }
        if (typeof (result as PromiseLike<unknown> | undefined)?.then !== 'function') {
          release();
          return result;
        }
        return Promise.race([result, timedOut]).finally(release);
      }) as typeof executor);
    },
  };
}
