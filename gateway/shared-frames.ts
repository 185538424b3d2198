/**
 * A shared subscription's result is serialised once, however many subscribers receive it.
 *
 * graphql-ws builds each `next` message per socket and runs `JSON.stringify` over the whole
 * message, payload included: with 10,000 subscribers of one shared execution, every event was
 * serialised 10,000 times. Here the server's `onNext` hook hands graphql-ws a stand-in payload
 * whose JSON is a short, unguessable token; graphql-ws stringifies only the envelope
 * (`{"id":…,"type":"next","payload":"<token>"}`), and the socket's `send`, wrapped when the
 * connection opens, puts the payload's JSON, made once per result object, in the token's place.
 * Every subscriber still receives a complete message with its own subscription id.
 *
 * The payload is what graphql-ws itself would send: the result without `errors`, plus the errors'
 * JSON when there are any.
 *
 * Writes are batched too. A CPU profile of 10,000 subscribers during a burst of admissions had
 * the gateway spend 57 % of its time in `writev`, one system call per message per socket. A
 * socket's writes are now corked until the end of the event-loop turn (one `setImmediate` for
 * all sockets), and graphql-ws is told a message was sent as soon as it is queued while the
 * socket holds less than EARLY_ACK_BYTES unsent: a subscriber that fell behind by several events
 * then gets them all in one system call instead of one each. A socket that does not drain keeps
 * graphql-ws waiting as before, so its subscriber's bounded queue still fills and drops it.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/** Unsent bytes below which graphql-ws is told at once that a message went out. */
const EARLY_ACK_BYTES = 64 * 1024;

type SendCallback = (error?: Error) => void;

/** What the server's JSON for a stand-in payload is: a token, replaced before the frame leaves. */
class StandIn {
  constructor(readonly token: string) {}
  toJSON(): string {
    return this.token;
  }
}

export interface SharedFrameStats {
  /** Results serialised (once each, whatever the number of subscribers). */
  serialised: number;
  /** Messages written with a payload serialised once for all. */
  sent: number;
}

type Result = { errors?: readonly unknown[] } & Record<string, unknown>;

const errorJson = (error: unknown) =>
  typeof error === 'object' && error !== null && typeof (error as { toJSON?: unknown }).toJSON === 'function' ? (error as { toJSON(): unknown }).toJSON() : error;

export class SharedFrames {
  /** A result object's payload JSON: made on the first subscriber's message, reused by the rest. */
  private readonly payloads = new WeakMap<object, string>();
  /** Per socket: tokens handed to graphql-ws and not yet sent, with their payload JSON. */
  private readonly pending = new WeakMap<WebSocket, Map<string, string>>();
  /** Unguessable per process: a client cannot forge a token in a subscription id. */
  private readonly prefix = `hrg-shared-${randomBytes(9).toString('base64url')}-`;
  private counter = 0;
  private readonly counts: SharedFrameStats = { serialised: 0, sent: 0 };

  get stats(): SharedFrameStats {
    return { ...this.counts };
  }

  /** TCP sockets corked in this turn of the event loop, uncorked together at its end. */
  private readonly corked = new Set<Socket>();
  private flushScheduled = false;

  /**
   * Wraps a connection's `send`: a stand-in payload's token becomes the payload's JSON, and the
   * write is batched with the socket's other writes of this turn.
   */
  attach(socket: WebSocket): void {
    const pending = new Map<string, string>();
    this.pending.set(socket, pending);
    const send = socket.send.bind(socket) as (data: unknown, options: object, cb?: SendCallback) => void;
    // ws has no public cork; its connection's TCP socket is `_socket` (ws 8).
    const tcp = (socket as unknown as { _socket?: Socket })._socket;
    socket.send = ((data: unknown, optionsOrCb?: object | SendCallback, maybeCb?: SendCallback) => {
      const [options, cb]: [object, SendCallback | undefined] = typeof optionsOrCb === 'function' ? [{}, optionsOrCb as SendCallback] : [optionsOrCb ?? {}, maybeCb];
      const frame = pending.size > 0 && typeof data === 'string' ? this.expand(pending, data) : data;
      if (tcp && !tcp.destroyed) this.cork(tcp);
      if (!cb || socket.bufferedAmount >= EARLY_ACK_BYTES) return send(frame, options, cb);
      send(frame, options, (error) => {
        if (error) socket.terminate();
      });
      queueMicrotask(() => cb());
    }) as WebSocket['send'];
  }

  private cork(tcp: Socket): void {
    if (this.corked.has(tcp)) return;
    tcp.cork();
    this.corked.add(tcp);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      const sockets = [...this.corked];
      this.corked.clear();
      for (const corked of sockets) corked.uncork();
    });
  }

  /**
   * graphql-ws's `onNext`: a stand-in for the payload of `result` on `socket`. Returns undefined
   * (graphql-ws then serialises as usual) for a socket that was not attached.
   */
  standIn(socket: WebSocket, result: Result): StandIn | undefined {
    const pending = this.pending.get(socket);
    if (!pending) return undefined;
    const token = `${this.prefix}${(this.counter = (this.counter + 1) % Number.MAX_SAFE_INTEGER)}`;
    pending.set(token, this.payloadJson(result));
    return new StandIn(token);
  }

  private payloadJson(result: Result): string {
    let json = this.payloads.get(result);
    if (json === undefined) {
      const { errors, ...rest } = result;
      json = JSON.stringify(errors ? { ...rest, errors: errors.map(errorJson) } : rest);
      this.payloads.set(result, json);
      this.counts.serialised += 1;
    }
    return json;
  }

  /** `{"id":"…","type":"next","payload":"<token>"}` → the same message with the payload's JSON. */
  private expand(pending: Map<string, string>, data: string): string {
    if (!data.endsWith('"}')) return data;
    const at = data.lastIndexOf(`"${this.prefix}`);
    if (at < 0) return data;
    const token = data.slice(at + 1, -2);
    const json = pending.get(token);
    if (json === undefined) return data;
    pending.delete(token);
    this.counts.sent += 1;
    return `${data.slice(0, at)}${json}}`;
  }
}
