/**
 * The two kinds of outbox readers.
 *
 * - `LiveStream` starts at "now", keeps its position in memory and hands every event to the
 *   process's LocalBus (subscriptions). Every replica has its own, so every replica's
 *   subscribers see every event.
 * - `DurableConsumer` keeps its position in the consumer's own schema and runs its handler in
 *   the same transaction that advances the position: a projection is updated exactly once per
 *   event even though delivery is at least once, and replicas of one subgraph take turns under
 *   an advisory lock instead of applying an event twice. An event whose handler keeps failing
 *   is retried with backoff and, after `maxAttempts`, set aside in `dead_letter` so that the
 *   events after it still apply; an operator replays it once the handler is fixed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { CompiledQuery, sql, type Kysely, type QueryResult, type RawBuilder, type Transaction } from 'kysely';
import pg from 'pg';
import { quoteIdent } from '../db/postgres.js';
import { transactionWithEnds } from '../db/database.js';
import type { Notifier } from './notifier.js';
import { Drainer, type StepOutcome } from './drain.js';
import type { LocalBus } from './local-bus.js';
import { currentPosition, readOutbox } from './outbox-reader.js';
import { hasPublished } from './publish.js';
import { START_OF_STREAM, notifyChannel, type EventEnvelope, type EventTables, type Position } from './types.js';

const BATCH = 500;

/**
 * The statements a consumer's step sends, as SQL text made once per consumer (built with Kysely's
 * `sql` tag, each was a tree of nodes compiled again on every execution).
 *
 * A step opens its transaction, takes the consumer's lock and sets its first savepoint in one
 * message, and writes its position and commits in another: PostgreSQL's simple query protocol
 * takes several statements at once, with values inlined as escaped literals (it has no
 * parameters). Every round trip costs a socket write and read in both processes (`writev` was
 * 17 % of the facilities process and 27 % of patients under admissions) and a statement in
 * PostgreSQL; a step that applies one event went from eight round trips besides its handler's to
 * four.
 */
/**
 * A consumer's stored position as an SQL expression, the consumer named by `name` (a literal or a
 * parameter): a legacy position (a txid, no position) is -1, before every event, so a consumer
 * still on one never counts as caught up; no row is the start of the stream.
 */
const storedPosition = (name: string) => `coalesce((select case when c.last_position is null and c.last_txid is not null then -1 else c.last_position end
                                from event_consumer c where c.name = ${name}), ${START_OF_STREAM})`;

function consumerStatements(source: string, name: string) {
  const outbox = `${quoteIdent(source)}.outbox`;
  const consumer = pg.escapeLiteral(name);
  /** The consumer's advisory lock: replicas take turns, and a replay waits for a step. */
  const lockKey = `event_consumer:${name}`;
  /** Ends the step's transaction after its last statement (a savepoint may be open; COMMIT keeps what it holds). */
  const upsert = (position: number, failing: string) => `insert into event_consumer (name, last_position, failing_position, attempts, last_error, retry_at)
                values (${consumer}, ${Number(position)}, ${failing})
                on conflict (name) do update set last_position = excluded.last_position, failing_position = excluded.failing_position,
                                                 attempts = excluded.attempts, last_error = excluded.last_error,
                                                 retry_at = excluded.retry_at, updated_at = now();
              commit`;
  return {
    /** caughtUp's read: the head of the outbox at or before the stored position, in one snapshot. */
    caughtUp: `select (select coalesce(max(position), 0) from ${outbox}) <= ${storedPosition('$1')} as current`,
    /** The stored position of this consumer, for caughtUpFor's condition. */
    storedPosition: storedPosition(consumer),
    outbox,
    lockKey,
    lock: 'select pg_advisory_xact_lock(hashtextextended($1, 0))',
    /** BEGIN, the consumer's lock and the savepoint before the first handler. */
    open: `begin; select pg_advisory_xact_lock(hashtextextended(${pg.escapeLiteral(lockKey)}, 0)); savepoint hrg_event`,
    consumer: `select last_position, last_txid::text as last_txid, last_id, failing_position, attempts,
                      coalesce(greatest(ceil(extract(epoch from retry_at - clock_timestamp()) * 1000), 0), 0)::int as wait_ms
                 from event_consumer where name = $1`,
    /** A fresh savepoint for the next handler, once the last one holds writes to keep. */
    next: CompiledQuery.raw('release savepoint hrg_event; savepoint hrg_event'),
    rollback: CompiledQuery.raw('rollback to savepoint hrg_event'),
    /** The end of a step that read nothing to apply, or must wait: it wrote nothing. */
    abandon: 'rollback',
    /** The position after a step that applied or skipped its events, and COMMIT. */
    advance: (position: number) => upsert(position, 'null, 0, null, null'),
    /** The position before a failing event, when to try it again, and COMMIT. */
    fail: (position: number, failing: Failure) =>
      upsert(
        position,
        `${Number(failing.position)}, ${Number(failing.attempts)}, ${pg.escapeLiteral(failing.error)}, clock_timestamp() + ${Number(failing.waitMs)} * interval '1 millisecond'`,
      ),
  };
}

/** An event whose handler failed, and when to try it again. */
interface Failure {
  position: number;
  attempts: number;
  error: string;
  waitMs: number;
}

function run<R>(db: Kysely<any>, text: string, params: readonly unknown[]): Promise<QueryResult<R>> {
  return db.executeQuery<R>(CompiledQuery.raw(text, [...params]));
}

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
    this.position = await currentPosition(this.db, this.source);
    this.drainer.wake();
  }

  stop(): void {
    this.unlisten?.();
    this.drainer.stop();
  }

  private async step(): Promise<StepOutcome> {
    if (this.position === undefined) return 'idle';
    const events = await readOutbox(this.db, this.source, this.position, BATCH);
    for (const event of events) {
      this.position = event.position;
      this.bus.deliver(event);
    }
    return events.length === BATCH ? 'more' : 'idle';
  }
}

export type EventHandler<DB> = (trx: Transaction<DB>, event: EventEnvelope) => Promise<void>;

export interface RetryPolicy {
  /** Failed attempts at one event before it is dead-lettered. */
  maxAttempts: number;
  /** Wait after the first failure; doubles with every further one. */
  retryBaseMs: number;
  /** Longest wait between two attempts. */
  retryMaxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, retryBaseMs: 500, retryMaxMs: 30_000 };

export interface DeadLettered {
  consumer: string;
  event: EventEnvelope;
  error: string;
  attempts: number;
}

export interface DurableConsumerOptions<DB> {
  /** Unique per consumer, e.g. "patients.care-setting". */
  name: string;
  source: string;
  topics: string[];
  db: Kysely<DB>;
  notifier: Notifier;
  handle: EventHandler<DB>;
  onError: (error: unknown) => void;
  retry?: Partial<RetryPolicy>;
  /** Told once per event set aside. */
  onDeadLetter?: (dead: DeadLettered) => void;
  /**
   * Told once when a step has run longer than `stallReportMs` (default STALL_REPORT_MS), checked
   * whenever the consumer is woken (every NOTIFY, and the notifier's round every few seconds).
   */
  onStall?: (step: StepReport & { consumer: string }) => void;
  stallReportMs?: number;
}

/** How far a consumer is behind its source, for /metrics and /readyz. */
export interface ConsumerLag {
  consumer: string;
  source: string;
  /** Position of the last event applied (or set aside). */
  position: number;
  /** Position of the newest committed event of the source. */
  head: number;
  /** Committed events after `position`, not applied yet. */
  behind: number;
  /** Age of the oldest of those, in seconds (0 when none). */
  oldestUnappliedSeconds: number;
  /** Failed attempts at the event the consumer is stuck on (0 when it is not). */
  failedAttempts: number;
  /** Events set aside and not replayed yet. */
  deadLetters: number;
}

export interface DeadLetter {
  id: number;
  consumer: string;
  source: string;
  eventId: number;
  position: number;
  topic: string;
  key: string;
  payload: unknown;
  eventAt: Date;
  error: string;
  attempts: number;
  failedAt: Date;
  replayedAt: Date | null;
}

/** `superseded`: a later event of the same record (key) was applied since; replaying needs `force`. */
export type ReplayResult = 'replayed' | 'already-replayed' | 'not-found' | 'superseded';

/** Errors that say nothing about the event (lost connection, deadlock, shutdown): retried, never counted. */
function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^(08|40|53|57P)/.test(code);
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 2_000);

interface ConsumerRow {
  last_position: string | null;
  last_txid: string | null;
  last_id: string | null;
  failing_position: string | null;
  attempts: number;
  wait_ms: number;
}

/**
 * Where a step under way is, so that one that hangs says where: waiting for a pool connection,
 * sending BEGIN and waiting for the consumer's lock, reading its position and the outbox, in a
 * handler (with the event's position), or closing (COMMIT, or ROLLBACK when it had nothing to do).
 */
export type StepPhase = 'connection' | 'lock' | 'reading' | 'handling' | 'closing';

export interface StepProgress {
  /** Who runs the step: the background reader, or a write path catching up. */
  by: 'reader' | 'catch-up';
  phase: StepPhase;
  /** The event being handled (phase `handling` only). */
  position?: number;
  /** When the step started, and when it entered its phase (epoch ms). */
  since: number;
  phaseSince: number;
  /** Whether it was reported as stalled. */
  reported?: boolean;
}

/** A step under way as told to a reader: how long it has run, and how long in its phase. */
export type StepReport = StepProgress & { forMs: number; phaseForMs: number };

const report = (step: StepProgress, now: number): StepReport => ({ ...step, forMs: now - step.since, phaseForMs: now - step.phaseSince });

function enter(progress: StepProgress, phase: StepPhase, position?: number): void {
  progress.phase = phase;
  progress.phaseSince = Date.now();
  progress.position = position;
}

/** A step running longer than this is reported (logged once) when the consumer is next woken. */
export const STALL_REPORT_MS = 30_000;

/** A batch read earlier, the events from `from` on not yet applied, following position `after`. */
interface Tail {
  after: Position;
  events: EventEnvelope[];
  from: number;
}

export class DurableConsumer<DB extends EventTables> {
  private readonly drainer: Drainer;
  private unlisten: (() => void) | undefined;
  private readonly statements: ReturnType<typeof consumerStatements>;
  /** Events this process set aside, since start. */
  deadLettered = 0;
  /** Events this process applied (handler committed), since start: one replica's share of the work. */
  applied = 0;
  /**
   * The events of the last batch that a publishing handler's early commit left unapplied, and the
   * position they follow. A reader that has seen a position never later finds a row at or below
   * it, so while the stored position is still `after` these are exactly the next events of the
   * outbox: the next step applies them without reading (and parsing) the batch again. Without
   * this a backlog of n events costs O(n²) rows read when every event publishes.
   */
  private tail: Tail | undefined;
  /** The catch-up run under way, and the one that callers arriving meanwhile wait for. */
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  /** The steps under way in this process, the reader's and catch-ups', each with where it is. */
  private readonly steps = new Set<StepProgress>();
  /** Steps this process reported as stalled, since start. */
  stalls = 0;

  constructor(private readonly options: DurableConsumerOptions<DB>) {
    this.drainer = new Drainer(() => this.stepOnce('reader'), options.onError);
    this.statements = consumerStatements(options.source, options.name);
  }

  /**
   * What this process's reader is doing, for diagnosing a stall (not exposed over HTTP: the
   * error may name internals): how long its background drain and a write path's catch-up have
   * been running, if they are, where each step under way is, and the last error a background
   * step threw.
   */
  drainState(): { drainingForMs: number | null; catchingUp: boolean; steps: StepReport[]; lastError: string | null } {
    const since = this.drainer.runningSince;
    const now = Date.now();
    return {
      drainingForMs: since === undefined ? null : now - since,
      catchingUp: this.running !== undefined,
      steps: [...this.steps].map((step) => report(step, now)),
      lastError: this.drainer.lastError ?? null,
    };
  }

  /** Wakes the reader, first reporting (once each) steps that have run too long. */
  private readonly wake = (): void => {
    if (this.steps.size > 0) this.reportStalls();
    this.drainer.wake();
  };

  private reportStalls(): void {
    const now = Date.now();
    const limit = this.options.stallReportMs ?? STALL_REPORT_MS;
    for (const step of this.steps) {
      if (step.reported || now - step.since <= limit) continue;
      step.reported = true;
      this.stalls += 1;
      this.options.onStall?.({ ...report(step, now), consumer: this.options.name });
    }
  }

  /** Read at each failure: the process may set its policy after consumers were registered. */
  private get retry(): RetryPolicy {
    return { ...DEFAULT_RETRY, ...this.options.retry };
  }

  get name(): string {
    return this.options.name;
  }

  get source(): string {
    return this.options.source;
  }

  start(): void {
    this.unlisten = this.options.notifier.on(notifyChannel(this.options.source), this.wake);
    this.drainer.wake();
  }

  stop(): void {
    this.unlisten?.();
    this.drainer.stop();
  }

  /**
   * Applies everything committed so far, now, so that a write path can wait for its own
   * projection. Returns early when the consumer is backing off from a failing event: the
   * projection then stays behind until that event applies or is dead-lettered.
   */
  async catchUp(timeoutMs = 5_000): Promise<void> {
    // A failed read (a lost connection) is left to the steps below, which retry what is transient.
    if (await this.caughtUp().catch(() => false)) return;
    return this.sharedRun(timeoutMs);
  }

  /**
   * catchUp's question narrowed to one key, as an SQL condition for the first statement of a write
   * path's own transaction (one round trip fewer than catchUp's read before it): true when no event
   * of this consumer's topics with `key` (the id of the entity the write judges) had committed
   * after the stored position when that statement's snapshot was taken. Only that entity's events
   * decide such a write; under a burst of admissions the projection is nearly always behind on
   * other patients' events (958 of 1,200 admissions of the contention bench found it so). When it
   * is false the caller rolls back (its transaction may hold rows the events change), calls
   * catchUp and tries again. The source's outbox needs an index on (key, position) for this to be
   * a probe rather than a scan of its tail (the patients subgraph's has one).
   */
  caughtUpFor(key: string): RawBuilder<boolean> {
    return sql<boolean>`not exists (select 1 from ${sql.raw(this.statements.outbox)} o
                                     where o.key = ${key} and o.topic = any(${this.options.topics}::text[])
                                       and o.position > ${sql.raw(this.statements.storedPosition)})`;
  }

  /**
   * Concurrent callers share runs: a run that started before a caller arrived may have read the
   * outbox before the caller's events committed, so a caller that finds one under way waits for
   * the next, which starts when it ends and serves everyone who arrived meanwhile. Sixty
   * admissions at once thus cost two runs, not sixty queued for the consumer's lock.
   */
  private sharedRun(timeoutMs: number): Promise<void> {
    if (!this.running) {
      const run = this.run(timeoutMs).finally(() => {
        if (this.running === run) this.running = undefined;
      });
      this.running = run;
      return run;
    }
    if (!this.next) {
      const next = this.running
        .catch(() => undefined)
        .then(() => {
          this.next = undefined;
          return this.sharedRun(timeoutMs);
        });
      this.next = next;
    }
    return this.next;
  }

  private async run(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 1; ; ) {
      let outcome: StepOutcome;
      try {
        outcome = await this.stepOnce('catch-up');
      } catch (error) {
        // A deadlock or a lost connection aborted the step, which applied nothing: a request
        // that asked to catch up must not fail for it (a concurrent writer, a busy server).
        if (!isTransient(error) || Date.now() > deadline) throw error;
        await sleep(Math.random() * 10 * attempt++);
        continue;
      }
      if (outcome !== 'more') return;
      if (Date.now() > deadline) {
        // Out of time with events left: the background reader goes on with them now, not at the
        // next event's NOTIFY or the notifier's next round.
        this.drainer.wake();
        return;
      }
    }
  }

  /**
   * Has this consumer applied everything committed so far? One read, no transaction and no
   * lock: the stored position and the head of the source's outbox come from one snapshot, and
   * a position is stored in the same transaction as the events up to it are applied, so a head
   * at or before it means every event committed before this read is applied. (No event below the
   * head can still be in flight; see outbox-reader.) Writes that judge a projection (transfers,
   * referrals, care assignments) ask this first: without it each one took the consumer's lock, and
   * concurrent writes queued for it. (An admission asks caughtUpFor in its own first statement.)
   */
  private async caughtUp(): Promise<boolean> {
    const { db, name } = this.options;
    const { rows } = await run<{ current: boolean }>(db, this.statements.caughtUp, [name]);
    return rows[0]!.current;
  }

  private lock(trx: Transaction<any>): Promise<unknown> {
    return run(trx, this.statements.lock, [this.statements.lockKey]);
  }

  private async stepOnce(by: StepProgress['by']): Promise<StepOutcome> {
    const now = Date.now();
    const progress: StepProgress = { by, phase: 'connection', since: now, phaseSince: now };
    this.steps.add(progress);
    try {
      return await this.step(progress);
    } finally {
      this.steps.delete(progress);
    }
  }

  private async step(progress: StepProgress): Promise<StepOutcome> {
    const { db, name, source, topics, handle } = this.options;
    const { statements } = this;
    const retry = this.retry;
    const dead: DeadLettered[] = [];
    let applied = 0;
    let tail: Tail | undefined;
    // BEGIN and COMMIT travel with other statements (see consumerStatements). Handlers get the
    // step's transaction, which refuses to open another.
    const apply = async (trx: Transaction<DB>): Promise<{ value: StepOutcome; closing: string }> => {
      enter(progress, 'reading');
      const t = trx as unknown as Transaction<EventTables>;
      const { rows } = await run<ConsumerRow>(trx, statements.consumer, [name]);
      const row = rows[0];
      if (row && row.wait_ms > 0) return { value: { retryInMs: row.wait_ms }, closing: statements.abandon };
      let position = row ? await this.storedPosition(trx, row) : START_OF_STREAM;
      // Another replica (or a rolled-back step) moved the position elsewhere: read afresh.
      const kept = this.tail?.after === position ? this.tail : undefined;
      this.tail = undefined;
      const events = kept?.events ?? (await readOutbox(trx, source, position, BATCH));
      const from = kept?.from ?? 0;
      if (events.length === from) return { value: 'idle', closing: statements.abandon };

      let failure: Failure | undefined;
      // A kept tail ends where its batch ended, not necessarily at the head: look again after it.
      let more = kept !== undefined || events.length === BATCH;
      // Whether the open savepoint holds writes (a handler's, a dead letter) that must be kept
      // when a later handler fails: then the next handler gets a savepoint of its own. Each
      // handler's savepoint undoes only its own writes, and the events before it in this batch
      // still commit with the position.
      let savepointHolds = false;
      for (let index = from; index < events.length; index++) {
        const event = events[index]!;
        if (topics.includes(event.topic)) {
          enter(progress, 'handling', event.position);
          if (savepointHolds) await trx.executeQuery(statements.next);
          savepointHolds = true;
          try {
            await handle(trx, event);
            applied += 1;
          } catch (error) {
            await trx.executeQuery(statements.rollback);
            if (isTransient(error)) throw error;
            const attempts = row && row.failing_position !== null && Number(row.failing_position) === event.position ? row.attempts + 1 : 1;
            if (attempts < retry.maxAttempts) {
              const waitMs = Math.min(retry.retryBaseMs * 2 ** (attempts - 1), retry.retryMaxMs);
              failure = { position: event.position, attempts, error: message(error), waitMs };
              break;
            }
            await t
              .insertInto('dead_letter')
              .values({
                consumer: name,
                source,
                event_id: String(event.id),
                position: String(event.position),
                topic: event.topic,
                key: event.key,
                payload: JSON.stringify(event.payload),
                event_at: event.at,
                error: message(error),
                attempts,
              })
              .onConflict((oc) => oc.constraint('dead_letter_event_key').doNothing())
              .execute();
            dead.push({ consumer: name, event, error: message(error), attempts });
          }
        }
        position = event.position;
        // A handler that published: commit now, so that its events (which get their positions
        // at commit) go out without waiting for the rest of the batch.
        if (hasPublished(trx)) {
          more = true;
          // The batch itself is kept, with where to go on: no copy per early commit.
          if (index + 1 < events.length) tail = { after: position, events, from: index + 1 };
          break;
        }
      }

      if (failure) return { value: { retryInMs: failure.waitMs }, closing: statements.fail(position, failure) };
      return { value: more ? 'more' : 'idle', closing: statements.advance(position) };
    };
    const work = async (trx: Transaction<DB>) => {
      try {
        return await apply(trx);
      } finally {
        // Its closing message next, or the rollback of a handler's error.
        enter(progress, 'closing');
      }
    };
    const outcome = await transactionWithEnds(db, statements.open, work, () => enter(progress, 'lock'));
    // Told after commit: a rolled-back step applied nothing and set nothing aside.
    this.tail = tail;
    this.applied += applied;
    for (const d of dead) {
      this.deadLettered += 1;
      this.options.onDeadLetter?.(d);
    }
    return outcome;
  }

  /** The stored position; rows written before positions existed are converted once. */
  private async storedPosition(trx: Transaction<any>, row: ConsumerRow): Promise<Position> {
    if (row.last_position !== null) return Number(row.last_position);
    if (row.last_txid === null || row.last_id === null) return START_OF_STREAM;
    const { rows } = await sql<{ position: string }>`
      select coalesce(max(position), 0) as position from ${sql.table(`${this.options.source}.outbox`)}
       where (txid, id) <= (${row.last_txid}::xid8, ${row.last_id}::bigint)`.execute(trx);
    return Number(rows[0]!.position);
  }

  async lag(): Promise<ConsumerLag> {
    const { db, name, source } = this.options;
    const outbox = sql.table(`${source}.outbox`);
    const { rows } = await sql<{ position: string; head: string; behind: string; oldest: number | null; attempts: number; dead: string }>`
      with c as (
        select coalesce(max(last_position), 0) as position, coalesce(max(attempts), 0) as attempts
          from event_consumer where name = ${name}
      )
      select c.position, c.attempts,
             (select coalesce(max(position), 0) from ${outbox}) as head,
             (select count(*) from ${outbox} o where o.position > c.position) as behind,
             (select extract(epoch from now() - min(o.created_at))::float8 from ${outbox} o where o.position > c.position) as oldest,
             (select count(*) from dead_letter where consumer = ${name} and replayed_at is null) as dead
        from c`.execute(db);
    const r = rows[0]!;
    return {
      consumer: name,
      source,
      position: Number(r.position),
      head: Number(r.head),
      behind: Number(r.behind),
      oldestUnappliedSeconds: Math.max(0, r.oldest ?? 0),
      failedAttempts: r.attempts,
      deadLetters: Number(r.dead),
    };
  }

  /** Events this consumer set aside, oldest first; replayed ones only when asked. */
  async deadLetters(options: { includeReplayed?: boolean } = {}): Promise<DeadLetter[]> {
    return listDeadLetters(this.options.db as Kysely<any>, { consumer: this.options.name, ...options });
  }

  /**
   * Applies a dead-lettered event with the (fixed) handler, exactly once: the handler and the
   * mark that it was replayed commit together, under the row lock and the consumer's lock, so a
   * second replay (or two at once) finds it replayed and applies nothing. A handler that still
   * fails rolls back and leaves the dead letter as it was.
   *
   * A replay applies the event after the ones that followed it. When one of those was about the
   * same record (its key) and was applied, replaying could put the record back to an older state
   * (an ended quarantine order occupying its place again, a discharged patient back in a
   * facility), so it is refused as `superseded` unless `force` says the operator checked that
   * the handler takes the event out of order.
   */
  async replay(id: number, options: { force?: boolean } = {}): Promise<ReplayResult> {
    const { db, name, handle, source, topics } = this.options;
    return db.transaction().execute(async (trx) => {
      const t = trx as unknown as Transaction<EventTables>;
      await this.lock(trx);
      const row = await t.selectFrom('dead_letter').selectAll().where('id', '=', String(id)).where('consumer', '=', name).forUpdate().executeTakeFirst();
      if (!row) return 'not-found';
      if (row.replayed_at) return 'already-replayed';
      if (!options.force) {
        const consumerRow = await t.selectFrom('event_consumer').select('last_position').where('name', '=', name).executeTakeFirst();
        const later = await sql<{ position: string }>`
          select position from ${sql.table(`${source}.outbox`)}
           where key = ${row.key} and position > ${row.position} and position <= ${consumerRow?.last_position ?? '0'}
             and topic = any(${topics}::text[])
             -- set aside too and not replayed yet: not applied
             and position not in (select d.position::bigint from dead_letter d where d.consumer = ${name} and d.replayed_at is null)
           limit 1`.execute(trx);
        if (later.rows.length > 0) return 'superseded';
      }
      const event: EventEnvelope = {
        source: row.source,
        id: Number(row.event_id),
        position: Number(row.position),
        topic: row.topic,
        key: row.key,
        payload: row.payload,
        at: row.event_at,
      };
      await handle(trx, event);
      await t.updateTable('dead_letter').set({ replayed_at: sql`now()` as never }).where('id', '=', String(id)).execute();
      return 'replayed';
    });
  }
}

/** Dead letters of a subgraph schema (through a connection whose search path is that schema). */
export async function listDeadLetters(db: Kysely<any>, options: { consumer?: string; includeReplayed?: boolean } = {}): Promise<DeadLetter[]> {
  let query = (db as Kysely<EventTables>).selectFrom('dead_letter').selectAll().orderBy('id');
  if (options.consumer) query = query.where('consumer', '=', options.consumer);
  if (!options.includeReplayed) query = query.where('replayed_at', 'is', null);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: Number(r.id),
    consumer: r.consumer,
    source: r.source,
    eventId: Number(r.event_id),
    position: Number(r.position),
    topic: r.topic,
    key: r.key,
    payload: r.payload,
    eventAt: r.event_at,
    error: r.error,
    attempts: r.attempts,
    failedAt: r.failed_at,
    replayedAt: r.replayed_at,
  }));
}
