/**
 * A subscription lives no longer than the credential that opened it. Over graphql-ws the
 * socket closes at expiry (4401); a subscription over HTTP (Server-Sent Events) has no socket
 * of its own to close, so its event stream ends instead: one last result with an
 * UNAUTHENTICATED error, then completion. The HTTP handler puts the deadline in the context.
 */
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError, type ExecutionResult } from 'graphql';
import { setLongTimeout } from './long-timeout.js';

export interface StreamDeadlineContext {
  /** Milliseconds since the epoch when the client's credential expires. */
  streamDeadline?: number;
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<ExecutionResult> =>
  typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function';

export function endStreamsAtExpiry<Ctx extends StreamDeadlineContext>(): GatewayPlugin<Ctx> {
  return {
    onSubscribe({ args }) {
      const deadline = (args.contextValue as StreamDeadlineContext).streamDeadline;
      if (!deadline) return undefined;
      return {
        onSubscribeResult({ result, setResult }) {
          if (isAsyncIterable(result)) setResult(untilDeadline(result, deadline));
        },
      };
    },
  };
}

const EXPIRED = Symbol('expired');

async function* untilDeadline(source: AsyncIterable<ExecutionResult>, deadline: number): AsyncGenerator<ExecutionResult> {
  const iterator = source[Symbol.asyncIterator]();
  let cancel: (() => void) | undefined;
  const expired = new Promise<typeof EXPIRED>((resolve) => (cancel = setLongTimeout(() => resolve(EXPIRED), deadline - Date.now())));
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), expired]);
      if (next === EXPIRED) {
        yield { errors: [new GraphQLError('Token expired: the subscription has ended', { extensions: { code: 'UNAUTHENTICATED' } })] };
        return;
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    cancel?.();
    void iterator.return?.();
  }
}
