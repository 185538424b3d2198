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
 * Per-socket writes are not batched: a profile of 10,000 subscribers had the gateway spend more
 * than half its time in `writev`, one system call per message per socket, but each event reaches
 * a socket in its own turn of the event loop, so corking a socket until the end of the turn
 * merged nothing (tried and measured, then removed).
 */
import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';

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

  /** Wraps a connection's `send` so that a stand-in payload's token becomes the payload's JSON. */
  attach(socket: WebSocket): void {
    const pending = new Map<string, string>();
    this.pending.set(socket, pending);
    const send = socket.send.bind(socket) as (data: unknown, ...rest: unknown[]) => void;
    socket.send = ((data: unknown, ...rest: unknown[]) => send(pending.size > 0 && typeof data === 'string' ? this.expand(pending, data) : data, ...rest)) as WebSocket['send'];
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
