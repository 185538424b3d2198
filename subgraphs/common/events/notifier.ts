/**
 * One LISTEN connection per process. It wakes the readers of a channel on every NOTIFY, and all
 * readers whenever it (re)connects, so events committed while PostgreSQL was away are caught up
 * from the outbox as soon as it is back.
 */
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { quoteIdent } from '../db/postgres.js';

type Wake = () => void;

const FIRST_RETRY_DELAY_MS = 100;
export const MAX_RETRY_DELAY_MS = 2_000;

export interface NotifierOptions {
  connectionString: string;
  log?: (message: string) => void;
  /** Safety net: wake every reader this often even without a NOTIFY. */
  pollIntervalMs?: number;
}

export class Notifier {
  private client: pg.Client | undefined;
  private readonly listeners = new Map<string, Set<Wake>>();
  private stopped = false;
  private connecting: Promise<void> | undefined;
  private poll: NodeJS.Timeout | undefined;
  /** Resolves once the first connection is listening. */
  readonly ready: Promise<void>;
  private markReady!: () => void;
  connected = false;
  /** How long the listener waits before its next attempt; doubles up to MAX_RETRY_DELAY_MS. */
  retryDelayMs = FIRST_RETRY_DELAY_MS;

  constructor(private readonly options: NotifierOptions) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  start(): Promise<void> {
    this.connecting ??= this.connectLoop();
    const every = this.options.pollIntervalMs ?? 5_000;
    this.poll ??= setInterval(() => this.wakeAll(), every).unref();
    return this.ready;
  }

  /** Registers a reader for a channel; returns a function that removes it. */
  on(channel: string, wake: Wake): () => void {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      if (this.client && this.connected) this.client.query(`listen ${quoteIdent(channel)}`).catch(() => this.client?.end());
    }
    set.add(wake);
    return () => set.delete(wake);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poll) clearInterval(this.poll);
    await this.client?.end().catch(() => {});
  }

  private wakeAll(): void {
    for (const set of this.listeners.values()) for (const wake of set) wake();
  }

  private async connectLoop(): Promise<void> {
    while (!this.stopped) {
      const client = new pg.Client({ connectionString: this.options.connectionString, application_name: 'hrg-notifier' });
      const lost = new Promise<void>((resolve) => {
        client.on('error', () => resolve());
        client.on('end', () => resolve());
      });
      try {
        await client.connect();
        client.on('notification', (msg) => {
          for (const wake of this.listeners.get(msg.channel) ?? []) wake();
        });
        for (const channel of this.listeners.keys()) await client.query(`listen ${quoteIdent(channel)}`);
        this.client = client;
        this.connected = true;
        this.retryDelayMs = FIRST_RETRY_DELAY_MS;
        this.markReady();
        this.wakeAll(); // catch up on anything committed while we were not listening
        await lost;
        this.connected = false;
        if (!this.stopped) this.options.log?.('event listener lost its connection; reconnecting');
      } catch (error) {
        this.connected = false;
        await client.end().catch(() => {});
        if (this.stopped) break;
        this.options.log?.(`event listener cannot connect (${(error as Error).message}); retrying in ${this.retryDelayMs} ms`);
      }
      if (this.stopped) break;
      await sleep(this.retryDelayMs);
      this.retryDelayMs = Math.min(this.retryDelayMs * 2, MAX_RETRY_DELAY_MS);
    }
  }
}
