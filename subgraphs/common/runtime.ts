/**
 * What a running subgraph holds besides its schema: its database, the process's event listener,
 * the live stream of its own outbox feeding subscriptions, durable consumers of other
 * subgraphs' events, and the audit writer. Instances, not module singletons, so tests can run
 * several replicas in one process.
 */
import { Kysely, PostgresDialect } from 'kysely';
import type { SubgraphName } from './config.js';
import { connectSubgraphDatabase, type Database } from './db/database.js';
import { Notifier } from './events/notifier.js';
import { LocalBus } from './events/local-bus.js';
import { DEFAULT_RETRY, DurableConsumer, LiveStream, type ConsumerLag, type EventHandler, type RetryPolicy } from './events/streams.js';
import type { EventTables } from './events/types.js';
import { AuditWriter, type AuditLogTable } from './audit.js';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { observedCounter, observedGauge, observedLabeledCounter, observedLabeledGauge } from './metrics.js';
import type { Logger } from './log.js';

export interface RuntimeOptions {
  name: SubgraphName;
  databaseUrl: string;
  log: Logger;
  maxConnections?: number;
  /** Named prepared statements for parameterised queries (HRG_PREPARED_STATEMENTS); default on. */
  preparedStatements?: boolean;
}

export interface ConsumerSpec<DB> {
  name: string;
  source: SubgraphName;
  topics: string[];
  handle: EventHandler<DB>;
  /** Overrides the process's retry policy (tests). */
  retry?: Partial<RetryPolicy>;
  /** When a step counts as stalled (tests); default STALL_REPORT_MS. */
  stallReportMs?: number;
}

/** What /readyz reports besides up or down. */
export interface Readiness {
  ok: boolean;
  details?: { consumers: ConsumerLag[] };
}

export type RuntimeTables = EventTables & { audit_log: AuditLogTable };

/** A background job of a subgraph process, started and stopped with it. */
export interface BackgroundService {
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
  /** Told where the gateway is once it is known (tests start it after the subgraphs). */
  useGateway?(url: string): void;
  /** Resolves once the work handed to the service so far is done (tests wait on it instead of on time). */
  settle?(): Promise<void>;
}

export class SubgraphRuntime<DB extends RuntimeTables> {
  readonly database: Database<DB>;
  readonly notifier: Notifier;
  readonly bus = new LocalBus();
  readonly audit: AuditWriter;
  readonly log: Logger;
  private readonly live: LiveStream;
  private readonly eventsDb: Kysely<any>;
  private readonly consumers = new Map<string, DurableConsumer<DB>>();
  private readonly services = new Map<string, BackgroundService>();
  readonly metrics = new Registry();
  /** Retry policy of this process's consumers (set from the configuration before start). */
  readonly eventRetry: RetryPolicy = { ...DEFAULT_RETRY };
  private lagInFlight: Promise<ConsumerLag[]> | undefined;

  constructor(readonly options: RuntimeOptions) {
    this.log = options.log;
    this.database = connectSubgraphDatabase<DB>(options.name, options.databaseUrl, {
      maxConnections: options.maxConnections,
      preparedStatements: options.preparedStatements,
      // pg-pool attaches the whole client to the error; log what matters, not its internals.
      onError: (error) => this.log.warn({ code: (error as { code?: string }).code, reason: error.message }, 'idle database connection lost'),
    });
    // Background work (event reads, consumers) shares the pool but not the query counter, which
    // counts what request handling sends (tests count statements per request with it); it has
    // a counter of its own.
    const stats = this.database.stats;
    this.eventsDb = new Kysely<any>({
      dialect: new PostgresDialect({ pool: this.database.pool }),
      log: (event) => {
        if (event.level === 'query') stats.background += 1;
      },
    });
    this.notifier = new Notifier({ connectionString: options.databaseUrl, log: (m) => this.log.warn(m) });
    this.live = new LiveStream(options.name, this.eventsDb, this.notifier, this.bus, (error) =>
      this.log.warn({ err: error }, 'live event stream read failed; retrying'),
    );
    // The audit log is written in the background, after the request: not request handling either.
    this.audit = new AuditWriter(this.eventsDb as Kysely<{ audit_log: AuditLogTable }>, this.log);
    this.registerMetrics();
  }

  /** Prometheus metrics of this subgraph process: subscribers, events, database. */
  private registerMetrics(): void {
    const prefix = `hrg_${this.options.name}_`;
    collectDefaultMetrics({ register: this.metrics, prefix });
    const bus = this.bus.stats;
    const pool = this.database.pool;
    const stats = this.database.stats;
    observedGauge(this.metrics, `${prefix}active_subscriptions`, 'Subscriptions served by this process.', () => bus.subscribers);
    observedCounter(this.metrics, `${prefix}events_delivered_total`, 'Events handed to subscribers.', () => bus.delivered);
    observedCounter(this.metrics, `${prefix}events_dropped_total`, 'Events dropped from full subscriber queues (slow clients).', () => bus.dropped);
    observedCounter(this.metrics, `${prefix}db_statements_total`, 'SQL statements sent by request handling.', () => stats.queries);
    const audit = this.audit;
    observedCounter(this.metrics, `${prefix}audit_write_failures_total`, 'Audit log batches that could not be written (kept and tried again).', () => audit.failedWrites);
    observedCounter(this.metrics, `${prefix}audit_entries_lost_total`, 'Audit entries given up after failed writes (more than 100,000 waiting).', () => audit.lostEntries);
    observedGauge(this.metrics, `${prefix}audit_entries_waiting`, 'Audit entries recorded and not yet written.', () => audit.waiting);
    observedGauge(this.metrics, `${prefix}db_pool_connections`, 'Open database connections.', () => pool.totalCount);
    observedGauge(this.metrics, `${prefix}db_pool_waiting`, 'Requests waiting for a database connection.', () => pool.waitingCount);
    const notifier = this.notifier;
    observedGauge(this.metrics, `${prefix}event_listener_connected`, '1 while the LISTEN connection is up.', () => (notifier.connected ? 1 : 0));

    const consumers = () => [...this.consumers.values()];
    const lag = async <K extends keyof ConsumerLag>(key: K) =>
      (await this.consumerLag()).map((l) => ({ labels: { consumer: l.consumer }, value: Number(l[key]) }));
    observedLabeledGauge(this.metrics, `${prefix}event_consumer_lag_events`, 'Committed events a consumer has not applied yet (how far it is behind the head of its source).', ['consumer'], () => lag('behind'));
    observedLabeledGauge(this.metrics, `${prefix}event_consumer_lag_seconds`, 'Age of the oldest event a consumer has not applied yet; 0 when it is caught up.', ['consumer'], () => lag('oldestUnappliedSeconds'));
    observedLabeledGauge(this.metrics, `${prefix}event_consumer_failed_attempts`, 'Failed attempts at the event a consumer is stuck on; 0 when it is not.', ['consumer'], () => lag('failedAttempts'));
    observedLabeledGauge(this.metrics, `${prefix}event_dead_letters`, 'Events a consumer set aside that were not replayed yet (all replicas).', ['consumer'], () => lag('deadLetters'));
    observedLabeledCounter(this.metrics, `${prefix}events_dead_lettered_total`, 'Events this process set aside after their handler kept failing.', ['consumer'], () =>
      consumers().map((c) => ({ labels: { consumer: c.name }, value: c.deadLettered })),
    );
  }

  /** Lag of every consumer; one read in flight serves all the gauges of a scrape. */
  consumerLag(): Promise<ConsumerLag[]> {
    if (!this.lagInFlight) {
      const read = Promise.all([...this.consumers.values()].map((c) => c.lag()));
      this.lagInFlight = read;
      const clear = () => {
        if (this.lagInFlight === read) this.lagInFlight = undefined;
      };
      read.then(clear, clear);
    }
    return this.lagInFlight;
  }

  get name(): SubgraphName {
    return this.options.name;
  }

  get db(): Kysely<DB> {
    return this.database.db;
  }

  addConsumer(spec: ConsumerSpec<DB>): DurableConsumer<DB> {
    const consumer = new DurableConsumer<DB>({
      ...spec,
      db: this.eventsDb as Kysely<DB>,
      notifier: this.notifier,
      retry: spec.retry ? { ...this.eventRetry, ...spec.retry } : this.eventRetry,
      onError: (error) => this.log.warn({ err: error, consumer: spec.name }, 'event consumer failed; retrying'),
      onDeadLetter: ({ consumer, event, error, attempts }) =>
        this.log.error(
          { consumer, source: event.source, eventId: event.id, position: event.position, topic: event.topic, key: event.key, attempts, reason: error },
          'event set aside as a dead letter after repeated failures; later events go on (list and replay with `npm run dead-letters`)',
        ),
      onStall: ({ consumer, by, phase, position, forMs, phaseForMs }) =>
        this.log.error(
          { consumer, by, phase, position, forMs, phaseForMs },
          'an event consumer step has been running far longer than a step takes; the events after it wait (phase: where it is)',
        ),
    });
    this.consumers.set(spec.name, consumer);
    return consumer;
  }

  addService(name: string, service: BackgroundService): void {
    this.services.set(name, service);
  }

  service<T extends BackgroundService>(name: string): T {
    const service = this.services.get(name);
    if (!service) throw new Error(`no service named ${name}`);
    return service as T;
  }

  useGateway(url: string): void {
    for (const service of this.services.values()) service.useGateway?.(url);
  }

  consumer(name: string): DurableConsumer<DB> {
    const consumer = this.consumers.get(name);
    if (!consumer) throw new Error(`no consumer named ${name}`);
    return consumer;
  }

  /**
   * Applies every event each consumer can see now, then waits for the work that gave background
   * services (tests wait on it instead of on time).
   */
  async catchUpAll(): Promise<void> {
    for (const consumer of this.consumers.values()) await consumer.catchUp();
    for (const service of this.services.values()) await service.settle?.();
  }

  async start(): Promise<void> {
    await this.notifier.start();
    await this.live.start();
    for (const consumer of this.consumers.values()) consumer.start();
    for (const service of this.services.values()) await service.start();
  }

  consumerNames(): string[] {
    return [...this.consumers.keys()];
  }

  /**
   * Ready when the database answers. Consumer lag is reported, not judged: a replica is no less
   * able to serve requests because a projection is behind, and taking it out would not help.
   */
  async readiness(): Promise<Readiness> {
    if (!(await this.ping())) return { ok: false };
    try {
      return { ok: true, details: { consumers: await this.consumerLag() } };
    } catch {
      return { ok: true };
    }
  }

  /** Is the database reachable? (readiness) */
  async ping(): Promise<boolean> {
    try {
      await this.database.pool.query('select 1');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    for (const service of this.services.values()) await service.stop();
    this.live.stop();
    for (const consumer of this.consumers.values()) consumer.stop();
    await this.audit.flush();
    await this.notifier.stop();
    await this.database.close();
  }
}
