/**
 * Identical subscriptions share one execution. Ten thousand dashboards watching LiveBeds would
 * otherwise each hold an upstream subscription and each event would be resolved ten thousand
 * times, with one entity request per subscriber to every other subgraph the selection touches.
 * Here the first subscriber of a (viewer scope, document, variables) key starts the execution;
 * later ones attach to it; every event is fanned out to all of them; the last one to leave ends
 * it.
 *
 * Delivery is as cheap as the sharing. A subscriber over a WebSocket gets a `DirectDelivery`: the
 * pump writes each result straight to its socket as a complete graphql-ws `next` message, whose
 * payload JSON is made once per result for all subscribers. graphql-ws still holds the
 * subscription (its iterator is what a client's `complete` or a closed socket ends, and what sends
 * `complete` when the source ends), but no result passes through it: per subscriber and event
 * there is one string concatenation and one socket write, where graphql-ws's own path took an
 * async-iterator step, a hook, a message validation, a JSON.stringify and two promises. A profile
 * of 10,000 subscribers showed that per-subscriber machinery, and the garbage it made, as most of
 * the gateway's time after the socket writes themselves.
 *
 * Each subscriber's backlog is bounded: a subscriber that cannot keep up (a stalled socket) never
 * slows the others; when its backlog is full (results queued here, or written but still waiting in
 * its socket's buffer) it receives one error (SUBSCRIBER_TOO_SLOW: re-subscribe and re-query) and
 * is dropped, so its memory is bounded too.
 *
 * The key must contain everything the result depends on. Subgraphs authorize by role and
 * jurisdiction, and record personal-data reads under the viewer's subject, so the scope is
 * role + jurisdiction for roles that never see personal data (DASHBOARD, PARTNER) and the subject
 * as well for everyone else.
 */
import type { ExecutionResult } from 'graphql';
import type { Viewer } from '../subgraphs/common/auth/viewer.js';

type Result = ExecutionResult<unknown, Record<string, unknown>>;
type Source = AsyncIterable<Result> | Result;

const IMPERSONAL_ROLES = new Set(['DASHBOARD', 'PARTNER']);

export function viewerScope(viewer: Viewer | undefined): string {
  if (!viewer) return 'anonymous';
  const jurisdiction = `${viewer.wardCode ?? ''}/${viewer.districtCode ?? ''}`;
  return IMPERSONAL_ROLES.has(viewer.role) ? `${viewer.role}|${jurisdiction}` : `${viewer.role}|${jurisdiction}|${viewer.subject}`;
}

/** The document (its text, or its trusted-document id), the variables and the scope decide what is shared. */
export function subscriptionKey(
  scope: string,
  params: { query?: unknown; documentId?: unknown; variables?: unknown; operationName?: unknown; extensions?: unknown },
): string {
  return JSON.stringify([scope, params.query ?? null, params.documentId ?? null, params.operationName ?? null, params.variables ?? null, params.extensions ?? null]);
}

export const TOO_SLOW: Result = {
  errors: [
    {
      message: 'This subscriber fell too far behind and was dropped: subscribe again and re-query the current state.',
      extensions: { code: 'SUBSCRIBER_TOO_SLOW' },
    } as never,
  ],
};

const SOURCE_FAILED: Result = {
  errors: [{ message: 'The subscription ended unexpectedly: subscribe again.', extensions: { code: 'INTERNAL_SERVER_ERROR' } } as never],
};

/** Where a subscriber's results are written directly, bypassing its iterator. */
export interface DirectDelivery {
  /** Writes one result, given as its payload's JSON (made once for all the subscribers); false when the connection is closing. */
  write(payloadJson: string): boolean;
  /** Results written and still waiting to leave the process (an estimate from buffered bytes). */
  readonly backlog: number;
}

/**
 * A result's payload JSON as graphql-ws would send it (the result, with its errors' JSON when it
 * has any), made once per result object however many subscribers receive it.
 */
export class PayloadJson {
  private readonly made = new WeakMap<object, string>();
  /** Results serialised, and messages written from them. */
  serialised = 0;
  sent = 0;

  of(result: Result): string {
    let json = this.made.get(result);
    if (json === undefined) {
      const { errors, ...rest } = result;
      json = JSON.stringify(errors ? { ...rest, errors: errors.map(errorJson) } : rest);
      this.made.set(result, json);
      this.serialised += 1;
    }
    return json;
  }
}

const errorJson = (error: unknown) =>
  typeof error === 'object' && error !== null && typeof (error as { toJSON?: unknown }).toJSON === 'function' ? (error as { toJSON(): unknown }).toJSON() : error;

class Subscriber implements AsyncIterableIterator<Result> {
  private readonly queue: Result[] = [];
  private waiting: ((value: IteratorResult<Result>) => void) | undefined;
  private ended = false;

  constructor(
    private readonly capacity: number,
    private readonly leave: (subscriber: Subscriber) => void,
    private readonly payloads: PayloadJson,
    private readonly direct?: DirectDelivery,
  ) {}

  get isDirect(): boolean {
    return this.direct !== undefined;
  }

  /** Delivers or queues a result; returns false when the subscriber was dropped for falling behind. */
  push(result: Result, payloadJson?: string): boolean {
    if (this.ended) return false;
    if (this.direct) {
      if (this.direct.backlog >= this.capacity) {
        if (this.direct.write(this.payloads.of(TOO_SLOW))) this.payloads.sent += 1;
        this.finish();
        return false;
      }
      if (this.direct.write(payloadJson ?? this.payloads.of(result))) this.payloads.sent += 1;
      return true;
    }
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: result, done: false });
      return true;
    }
    if (this.queue.length >= this.capacity) {
      this.queue.length = 0;
      this.queue.push(TOO_SLOW);
      this.finish();
      return false;
    }
    this.queue.push(result);
    return true;
  }

  /** No more results (the shared source ended); queued ones are still delivered. */
  finish(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: undefined, done: true });
    }
  }

  get backlog(): number {
    return this.direct ? this.direct.backlog : this.queue.length;
  }

  next(): Promise<IteratorResult<Result>> {
    const value = this.queue.shift();
    if (value) return Promise.resolve({ value, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<Result>> {
    this.queue.length = 0;
    this.finish();
    this.leave(this);
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Result> {
    return this;
  }
}

interface Shared {
  subscribers: Set<Subscriber>;
  source: Promise<Source>;
  iterator?: AsyncIterator<Result>;
  /** The source was told to stop (return() called once). */
  closed?: boolean;
}

export interface SharedSubscriptionStats {
  /** Distinct executions running. */
  shared: number;
  /** Subscribers attached to them. */
  subscribers: number;
  /** Subscribers dropped for falling behind, since start. */
  dropped: number;
  /** Results waiting in subscriber queues, all subscribers together. */
  queued: number;
  /** The deepest subscriber queue (the one closest to being dropped). */
  maxQueued: number;
  /** Results serialised for direct delivery (once each, whatever the number of subscribers). */
  serialised: number;
  /** Messages written directly to subscribers' connections. */
  sent: number;
}

export class SharedSubscriptions {
  private readonly running = new Map<string, Shared>();
  private droppedCount = 0;
  private readonly payloads = new PayloadJson();

  /** @param capacity events a subscriber may fall behind before it is dropped */
  constructor(private readonly capacity = 1_000) {}

  get stats(): SharedSubscriptionStats {
    let subscribers = 0;
    let queued = 0;
    let maxQueued = 0;
    for (const shared of this.running.values()) {
      subscribers += shared.subscribers.size;
      for (const subscriber of shared.subscribers) {
        queued += subscriber.backlog;
        maxQueued = Math.max(maxQueued, subscriber.backlog);
      }
    }
    return { shared: this.running.size, subscribers, dropped: this.droppedCount, queued, maxQueued, serialised: this.payloads.serialised, sent: this.payloads.sent };
  }

  /**
   * The results of the execution for `key`, started with `start` if none runs. A single result
   * (a validation or authorization error) is handed to every subscriber waiting for it and
   * nothing is kept. With `direct`, results are written there and the returned iterator yields
   * nothing until it ends.
   */
  async subscribe(key: string, start: () => Promise<Source> | Source, direct?: DirectDelivery): Promise<Source> {
    let shared = this.running.get(key);
    if (!shared) {
      const created: Shared = { subscribers: new Set(), source: Promise.resolve().then(start) };
      shared = created;
      this.running.set(key, created);
      created.source.then(
        (source) => {
          if (isAsyncIterable(source)) this.pump(key, created, source);
          else if (this.running.get(key) === created) this.running.delete(key);
        },
        () => {
          if (this.running.get(key) === created) this.running.delete(key);
        },
      );
    }
    const current = shared;
    const source = await current.source;
    if (!isAsyncIterable(source)) return source;
    if (this.running.get(key) !== current) {
      // It ended between our lookup and now: start afresh.
      return this.subscribe(key, start, direct);
    }
    const subscriber = new Subscriber(this.capacity, (s) => this.leave(key, current, s), this.payloads, direct);
    current.subscribers.add(subscriber);
    return subscriber;
  }

  private pump(key: string, shared: Shared, source: AsyncIterable<Result>): void {
    const iterator = source[Symbol.asyncIterator]();
    shared.iterator = iterator;
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await iterator.next();
          if (done) break;
          // Serialised once for every direct subscriber, on the first one's turn.
          let json: string | undefined;
          for (const subscriber of shared.subscribers) {
            if (subscriber.isDirect) json ??= this.payloads.of(value);
            if (!subscriber.push(value, json)) {
              shared.subscribers.delete(subscriber);
              this.droppedCount += 1;
            }
          }
          if (shared.subscribers.size === 0) break;
        }
      } catch {
        // The runtime yields GraphQL errors as results; a throw is internal and stays masked.
        for (const subscriber of shared.subscribers) subscriber.push(SOURCE_FAILED);
      } finally {
        if (this.running.get(key) === shared) this.running.delete(key);
        for (const subscriber of shared.subscribers) subscriber.finish();
        shared.subscribers.clear();
        await close(shared);
      }
    })();
  }

  private leave(key: string, shared: Shared, subscriber: Subscriber): void {
    shared.subscribers.delete(subscriber);
    if (shared.subscribers.size === 0 && this.running.get(key) === shared) {
      this.running.delete(key);
      void close(shared);
    }
  }
}

/** Tells the source to stop, once (the pump and the last leaving subscriber may both ask). */
async function close(shared: Shared): Promise<void> {
  if (!shared.iterator || shared.closed) return;
  shared.closed = true;
  await shared.iterator.return?.().catch(() => {});
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Result> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
