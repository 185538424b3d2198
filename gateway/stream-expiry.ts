/**
 * What bounds a subscription over HTTP (Server-Sent Events). It lives no longer than the
 * credential that opened it: over graphql-ws the socket closes at expiry (4401), but an event
 * stream has no socket of its own to close, so it ends instead, with one last result carrying an
 * UNAUTHENTICATED error, then completion. It lives no longer than its client's connection
 * either: when the client goes, the stream is ended here, and with it the subscription at the
 * subgraphs (they were kept until the credential expired, hours for a token and forever for an
 * API key). And one client holds at most so many at once, as on a WebSocket connection.
 *
 * A stream may outlive the viewer token forwarded for its request (15 to 30 minutes), as a
 * WebSocket connection may: it gets a new one every window (ConnectionViewer), so the
 * cross-subgraph fields of its events keep being answered, and its credential is checked again
 * then; one no longer valid (a partner key withdrawn, a signing key gone from the JWKS) ends the
 * stream with an UNAUTHENTICATED error, as expiry does.
 *
 * The HTTP handler puts the deadline, the connection's end, the viewer and its renewal in the context.
 */
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError, type ExecutionResult } from 'graphql';
import type { Viewer } from '../subgraphs/common/auth/viewer.js';
import { setLongTimeout } from './long-timeout.js';
import { ConnectionViewer, type ForwardedViewer } from './viewer-forwarding.js';
import { SlotsPerClient, tooManySubscriptions } from './ws-limits.js';

export interface StreamDeadlineContext {
  /** Milliseconds since the epoch when the client's credential expires. */
  streamDeadline?: number;
  /** Settles when the client's HTTP connection closes (set for requests over HTTP only). */
  streamClosed?: Promise<void>;
  viewer?: Viewer;
  /** The signed viewer sent to the subgraphs; a stream's is replaced by one renewed every window. */
  forwarded?: ForwardedViewer;
  /** Signs the next forwarded token after checking the credential again (AuthenticationError when it no longer holds). */
  renew?: () => Promise<string>;
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<ExecutionResult> =>
  typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function';

/**
 * @param maxPerClient event streams one client (a credential's subject) may hold at once
 * @param viewerTokenWindowSeconds how long a forwarded viewer token's window lasts
 */
export function boundEventStreams<Ctx extends StreamDeadlineContext>(maxPerClient: number, viewerTokenWindowSeconds: number): GatewayPlugin<Ctx> {
  const slots = new SlotsPerClient(maxPerClient);
  return {
    onSubscribe({ args }) {
      const context = args.contextValue as StreamDeadlineContext;
      // Over graphql-ws the socket bounds its subscriptions (ws-limits.ts, websocket.ts).
      if (!context.streamClosed) return undefined;
      const closed = context.streamClosed;
      const deadline = context.streamDeadline;
      const client = context.viewer?.subject ?? 'anonymous';
      return {
        onSubscribeResult({ result, setResult }) {
          if (!isAsyncIterable(result)) return;
          const giveBack = slots.take(client);
          if (!giveBack) {
            void result[Symbol.asyncIterator]().return?.();
            setResult(refused(maxPerClient));
            return;
          }
          // The slot is given back once: when the stream ends, or when the connection closes
          // (a stream the server never started, e.g. answered 406, never reaches its `finally`).
          let viewer: ConnectionViewer | undefined;
          const release = () => {
            viewer?.stop();
            giveBack();
          };
          const source = result[Symbol.asyncIterator]();
          // Events resolve their fields from other subgraphs with the token read at each request:
          // from here on, the one renewed every window, until the stream ends (release).
          let revoke: () => void = () => {};
          const revoked = new Promise<void>((resolve) => (revoke = resolve));
          if (context.forwarded && context.renew) {
            context.forwarded = viewer = new ConnectionViewer(context.forwarded.token, context.renew, viewerTokenWindowSeconds, () => revoke());
          }
          // The connection closed: the source ends too, whether or not it was ever streamed (its
          // subscription at the subgraphs is running either way).
          void closed.then(() => {
            release();
            void source.return?.();
          });
          setResult(bounded(source, { deadline, closed, revoked }, release));
        },
      };
    },
  };
}

async function* refused(max: number): AsyncGenerator<ExecutionResult> {
  yield { errors: [tooManySubscriptions(max, 'for this client', 'end an event stream first')] };
}

const EXPIRED = Symbol('expired');
const REVOKED = Symbol('revoked');
const GONE = Symbol('gone');
type Stop = typeof EXPIRED | typeof REVOKED | typeof GONE;

/** Why a stream ends early, with the last result its client gets (none when the client left). */
const LAST_WORD: Record<typeof EXPIRED | typeof REVOKED, string> = {
  [EXPIRED]: 'Token expired: the subscription has ended',
  [REVOKED]: 'Credentials no longer valid: the subscription has ended',
};

interface StreamEnds {
  /** Milliseconds since the epoch when the credential expires. */
  deadline: number | undefined;
  /** The client's connection closed. */
  closed: Promise<void>;
  /** The credential no longer holds. */
  revoked: Promise<void>;
}

async function* bounded(iterator: AsyncIterator<ExecutionResult>, { deadline, closed, revoked }: StreamEnds, ended: () => void): AsyncGenerator<ExecutionResult> {
  // How the stream ends early, told to whichever wait is pending: one listener per wait, removed
  // after it (racing the long-lived promises themselves left a reaction on them per event).
  let stop: Stop | undefined;
  let wake: (() => void) | undefined;
  const end = (why: Stop) => {
    stop ??= why;
    wake?.();
  };
  const cancel = deadline === undefined ? undefined : setLongTimeout(() => end(EXPIRED), deadline - Date.now());
  void closed.then(() => end(GONE));
  void revoked.then(() => end(REVOKED));
  const nextOrStop = () =>
    new Promise<IteratorResult<ExecutionResult> | Stop>((resolve, reject) => {
      if (stop) return resolve(stop);
      const mine = () => resolve(stop!);
      wake = mine;
      iterator.next().then(resolve, reject).finally(() => {
        if (wake === mine) wake = undefined;
      });
    });
  try {
    for (;;) {
      const next = await nextOrStop();
      if (next === GONE) return;
      if (next === EXPIRED || next === REVOKED) {
        yield { errors: [new GraphQLError(LAST_WORD[next], { extensions: { code: 'UNAUTHENTICATED' } })] };
        return;
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    cancel?.();
    ended();
    void iterator.return?.();
  }
}
