/**
 * A lean GraphQL-over-WebSocket subscriber for the fan-out benchmark: the graphql-transport-ws
 * protocol (connection_init → connection_ack → subscribe → next… → complete) on a bare `ws`
 * socket, one subscription per socket as a dashboard has.
 *
 * Why not graphql-ws's own client: the benchmark runs 10,000 subscribers in one process on the
 * same two cores as the gateway. graphql-ws's client validates and re-dispatches every message
 * through several layers, and with 200,000 messages per burst the load generator itself became
 * the queue that the commit → client delay measured. Here each message is still parsed in full
 * and checked (its type, its subscription id, the event it carries); nothing is skipped that a
 * client needs to receive an event, only the machinery around it.
 */
import WebSocket from 'ws';

const PROTOCOL = 'graphql-transport-ws';
const ID = '1';

export interface LeanSubscription {
  /** Completes the subscription and closes the socket; resolves once closed. */
  close(): Promise<void>;
}

export interface LeanSubscribeOptions {
  url: string;
  connectionParams: Record<string, unknown>;
  query: string;
  variables?: Record<string, unknown>;
  /** Every `next` payload of the subscription, in order. */
  onNext: (payload: { data?: unknown; errors?: unknown[] }) => void;
  /** An `error` message, a close before `complete`, or a protocol violation. */
  onError: (error: Error) => void;
}

/** Opens the socket and subscribes; resolves once the server acknowledged the connection and the subscription was sent. */
export function leanSubscribe(options: LeanSubscribeOptions): Promise<LeanSubscription> {
  const socket = new WebSocket(options.url, PROTOCOL);
  let completed = false;
  return new Promise((resolve, reject) => {
    let subscribed = false;
    const fail = (error: Error) => (subscribed ? options.onError(error) : reject(error));
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: options.connectionParams })));
    socket.on('error', fail);
    socket.on('close', (code, reason) => {
      if (!completed) fail(new Error(`socket closed (${code} ${reason.toString()})`));
    });
    socket.on('message', (data) => {
      let message: { type?: string; id?: string; payload?: unknown };
      try {
        message = JSON.parse(data.toString());
      } catch {
        return fail(new Error('invalid JSON from the server'));
      }
      switch (message.type) {
        case 'next':
          if (message.id !== ID) return fail(new Error(`next for unknown subscription ${message.id}`));
          return options.onNext(message.payload as never);
        case 'connection_ack':
          socket.send(JSON.stringify({ id: ID, type: 'subscribe', payload: { query: options.query, variables: options.variables ?? {} } }));
          subscribed = true;
          return resolve({
            close: () =>
              new Promise<void>((closed) => {
                completed = true;
                if (socket.readyState !== WebSocket.OPEN) return closed();
                socket.once('close', () => closed());
                socket.send(JSON.stringify({ id: ID, type: 'complete' }));
                socket.close(1000, 'done');
              }),
          });
        case 'ping':
          return socket.send(JSON.stringify({ type: 'pong' }));
        case 'pong':
          return;
        case 'error':
          return fail(new Error(`subscription error: ${JSON.stringify(message.payload)}`));
        case 'complete':
          completed = true;
          return fail(new Error('the server completed the subscription'));
        default:
          return fail(new Error(`unexpected message ${message.type}`));
      }
    });
  });
}
