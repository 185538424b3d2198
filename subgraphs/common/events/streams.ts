/**
 * The two kinds of outbox readers.
 *
 * - `LiveStream` starts at "now", keeps its position in memory and hands every event to the
 *   process's LocalBus (subscriptions). Every replica has its own, so every replica's
 *   subscribers see every event.
 * - `DurableConsumer` keeps its position in the consumer's own schema and runs its handler in
 *   the same transaction that advances the position: a projection is updated exactly once per
 *   event even though delivery is at least once, and replicas of one subgraph take turns under
 *   an advisory lock instead of applying an event twice.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Notifier } from './notifier.js';
import { Drainer } from './drain.js';
import type { LocalBus } from './local-bus.js';
import { currentPosition, positionOf, readOutbox } from './outbox-reader.js';
import { START_OF_STREAM, notifyChannel, type EventEnvelope, type EventTables, type Position } from './types.js';

const BATCH = 500;

export class LiveStream {
  private position: Position | undefined;
  private readonly drainer: Drainer;
  private unlisten: (() => void) | undefined;

  constructor(
    private readonly source: string,
    /** A Kysely over the subgraph's pool, without query counting. */
    private readonly db: Kysely<any>,
    private readonly notifier: Notifier,
    private readonly bus: LocalBus,
    onError: (error: unknown) => void,
  ) {
    this.drainer = new Drainer(() => this.step(), onError);
  }

  async start(): Promise<void> {
    this.unlisten = this.notifier.on(notifyChannel(this.source), this.drainer.wake);
    this.position = await currentPosition(this.db);
    this.drainer.wake();
  }

  stop(): void {
    this.unlisten?.();
    this.drainer.stop();
  }

  private async step(): Promise<'more' | 'idle' | 'pending'> {
    if (!this.position) return 'idle';
    const { events, pending } = await readOutbox(this.db, this.source, this.position, BATCH);
    for (const event of events) {
      this.position = positionOf(event);
      this.bus.deliver(event);
    }
    if (events.length === BATCH) return 'more';
    return pending ? 'pending' : 'idle';
  }
}

export type EventHandler<DB> = (trx: Transaction<DB>, event: EventEnvelope) => Promise<void>;

export interface DurableConsumerOptions<DB> {
  /** Unique per consumer, e.g. "patients.care-setting". */
  name: string;
  source: string;
  topics: string[];
  db: Kysely<DB>;
  notifier: Notifier;
  handle: EventHandler<DB>;
  onError: (error: unknown) => void;
}

export class DurableConsumer<DB extends EventTables> {
  private readonly drainer: Drainer;
  private unlisten: (() => void) | undefined;
  private readonly lockKey: string;

  constructor(private readonly options: DurableConsumerOptions<DB>) {
    this.drainer = new Drainer(() => this.step(), options.onError);
    this.lockKey = `event_consumer:${options.name}`;
  }

  start(): void {
    this.unlisten = this.options.notifier.on(notifyChannel(this.options.source), this.drainer.wake);
    this.drainer.wake();
  }

  stop(): void {
    this.unlisten?.();
    this.drainer.stop();
  }

  /**
   * Applies everything committed so far, now, so that a write path can wait for its own
   * projection. Events behind a transaction that is still open
   * somewhere on the server are not readable yet ('pending'); wait for them up to `timeoutMs`.
   */
  async catchUp(timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
      const outcome = await this.stepOnce();
      if (outcome === 'idle' || Date.now() > deadline) return;
      if (outcome === 'pending') await new Promise((r) => setTimeout(r, wait));
    }
  }

  private step(): Promise<'more' | 'idle' | 'pending'> {
    return this.stepOnce();
  }

  private async stepOnce(): Promise<'more' | 'idle' | 'pending'> {
    const { db, name, source, topics, handle } = this.options;
    return db.transaction().execute(async (trx) => {
      const t = trx as unknown as Transaction<EventTables>;
      // An advisory lock rather than SELECT ... FOR UPDATE: a row lock would give this
      // transaction an xid before the outbox read, and an in-flight xid of our own would
      // hold back the very snapshot horizon the read waits for.
      await sql`select pg_advisory_xact_lock(hashtextextended(${this.lockKey}, 0))`.execute(t);
      const row = await t.selectFrom('event_consumer').select(['last_txid', 'last_id']).where('name', '=', name).executeTakeFirst();
      const position: Position = row ? { txid: String(row.last_txid), id: Number(row.last_id) } : START_OF_STREAM;
      const { events, pending } = await readOutbox(trx, source, position, BATCH);
      if (events.length === 0) return pending ? 'pending' : 'idle';
      for (const event of events) {
        if (topics.includes(event.topic)) await handle(trx, event);
      }
      const last = positionOf(events[events.length - 1]!);
      await t
        .insertInto('event_consumer')
        .values({ name, last_txid: last.txid, last_id: last.id })
        .onConflict((oc) => oc.column('name').doUpdateSet({ last_txid: last.txid, last_id: last.id, updated_at: sql`now()` }))
        .execute();
      return events.length === BATCH || pending ? 'more' : 'idle';
    });
  }
}
