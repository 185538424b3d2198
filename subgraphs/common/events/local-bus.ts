/**
 * In-process fan-out of outbox events to subscription resolvers. Every subscriber has its own
 * bounded queue: a slow client never slows the others, and when its queue is full its oldest
 * event is dropped. Events carry absolute state (a bed event says "41 of 50"), so a newer event
 * for the same entity supersedes what was dropped.
 */
import type { EventEnvelope } from './types.js';

export interface SubscribeOptions<P> {
  filter?: (payload: P, event: EventEnvelope<P>) => boolean;
  maxQueue?: number;
  /**
   * Called as each event is handed to the subscriber, before GraphQL resolves it. A subscription
   * keeps one context for its whole life; this is where it drops per-request caches (DataLoaders)
   * so every event shows current data, not what the first event loaded.
   */
  onEach?: () => void;
}

export interface BusStats {
  /** Subscriptions open now. */
  subscribers: number;
  /**
   * Subscriptions ever opened. Never decreases, so a caller can tell that a subscription of its
   * own started even while others are ending at the same time.
   */
  started: number;
  delivered: number;
  dropped: number;
}

interface Subscriber {
  topics: string[];
  filter?: (payload: any, event: EventEnvelope<any>) => boolean;
  onEach?: () => void;
  queue: EventEnvelope[];
  maxQueue: number;
  waiting: ((result: IteratorResult<EventEnvelope>) => void) | undefined;
  done: boolean;
}

export const DEFAULT_SUBSCRIBER_QUEUE = 1_000;

export class LocalBus {
  private readonly byTopic = new Map<string, Set<Subscriber>>();
  readonly stats: BusStats = { subscribers: 0, started: 0, delivered: 0, dropped: 0 };

  deliver(event: EventEnvelope): void {
    const subscribers = this.byTopic.get(event.topic);
    if (!subscribers) return;
    for (const sub of subscribers) {
      if (sub.filter && !sub.filter(event.payload, event)) continue;
      this.stats.delivered += 1;
      if (sub.waiting) {
        const resolve = sub.waiting;
        sub.waiting = undefined;
        resolve({ value: event, done: false });
        continue;
      }
      if (sub.queue.length >= sub.maxQueue) {
        sub.queue.shift();
        this.stats.dropped += 1;
      }
      sub.queue.push(event);
    }
  }

  subscribe<P>(topics: string | string[], options: SubscribeOptions<P> = {}): AsyncIterableIterator<EventEnvelope<P>> {
    const sub: Subscriber = {
      topics: Array.isArray(topics) ? topics : [topics],
      filter: options.filter as Subscriber['filter'],
      onEach: options.onEach,
      queue: [],
      maxQueue: options.maxQueue ?? DEFAULT_SUBSCRIBER_QUEUE,
      waiting: undefined,
      done: false,
    };
    for (const topic of sub.topics) {
      let set = this.byTopic.get(topic);
      if (!set) this.byTopic.set(topic, (set = new Set()));
      set.add(sub);
    }
    this.stats.subscribers += 1;
    this.stats.started += 1;
    const finish = (): IteratorResult<EventEnvelope<P>> => {
      if (!sub.done) {
        sub.done = true;
        this.stats.subscribers -= 1;
        for (const topic of sub.topics) this.byTopic.get(topic)?.delete(sub);
        sub.queue.length = 0;
        sub.waiting?.({ value: undefined, done: true });
        sub.waiting = undefined;
      }
      return { value: undefined, done: true };
    };
    const iterator: AsyncIterableIterator<EventEnvelope<P>> = {
      next: () => {
        if (sub.done) return Promise.resolve({ value: undefined, done: true });
        const queued = sub.queue.shift();
        if (queued) {
          sub.onEach?.();
          return Promise.resolve({ value: queued as EventEnvelope<P>, done: false });
        }
        return new Promise<IteratorResult<EventEnvelope>>((resolve) => (sub.waiting = resolve)).then((result) => {
          if (!result.done) sub.onEach?.();
          return result as IteratorResult<EventEnvelope<P>>;
        });
      },
      return: () => Promise.resolve(finish()),
      throw: (error?: unknown) => {
        finish();
        return Promise.reject(error);
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }
}
