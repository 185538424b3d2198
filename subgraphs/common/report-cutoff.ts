/**
 * The daily report's cut-off: the report of a city day is frozen at 07:00 Asia/Ho_Chi_Minh the
 * next morning, when the city's leaders read it, by a job in each subgraph that owns part of it;
 * never by a read. The job freezes the last day due when the process starts (catching up after
 * a restart) and then at every cut-off. Freezing is idempotent (one row per day and scope, first
 * writer wins), so replicas may each run it.
 */
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import type { BackgroundService } from './runtime.js';
import type { Logger } from './log.js';
import { cityDate, startOfCityDate } from './graphql/scalars.js';

export const REPORT_CUTOFF_HOUR = 7;
const DAY = 86_400_000;

/** When the report of `day` is frozen. */
export const cutoffOf = (day: string): Date => new Date(startOfCityDate(day).getTime() + DAY + REPORT_CUTOFF_HOUR * 3_600_000);

/** The latest day whose report is past its cut-off at `now`. */
export function lastDueDay(now: Date): string {
  const yesterday = cityDate(new Date(now.getTime() - DAY));
  return cutoffOf(yesterday) <= now ? yesterday : cityDate(new Date(now.getTime() - 2 * DAY));
}

export class ReportCutoffJob implements BackgroundService {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly log: Logger,
    private readonly freeze: (day: string) => Promise<void>,
    private readonly retryMs = 60_000,
  ) {}

  start(): void {
    this.run(lastDueDay(new Date()));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Waits for the freezing under way (tests). */
  async settle(): Promise<void> {
    await this.running;
  }

  /** Freezes `day` now (the scheduled runs; operators catching up a missed day). */
  run(day: string): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.running = this.running.then(async () => {
      if (this.stopped) return;
      try {
        await this.freeze(day);
        this.scheduleNext();
      } catch (error) {
        this.log.warn({ err: error, day }, 'freezing the daily report failed; will retry');
        this.timer = setTimeout(() => this.run(day), this.retryMs).unref();
      }
    });
    return this.running;
  }

  private scheduleNext(): void {
    if (this.stopped) return;
    const now = new Date();
    const today = cityDate(now);
    const next = [cityDate(new Date(now.getTime() - DAY)), today].map(cutoffOf).find((at) => at > now)!;
    const day = cityDate(new Date(next.getTime() - DAY - REPORT_CUTOFF_HOUR * 3_600_000));
    this.timer = setTimeout(() => this.run(day), next.getTime() - now.getTime()).unref();
  }
}

/**
 * A connection for background jobs over the subgraph's pool that leaves the statement counter
 * alone: the counter measures what request handling sends.
 */
export const backgroundDb = <DB>(pool: pg.Pool): Kysely<DB> => new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
