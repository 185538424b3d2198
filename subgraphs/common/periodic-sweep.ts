/**
 * A background job that repeats one idempotent sweep (expire, escalate) every few minutes. Tests
 * call sweep() with the time they need instead of waiting for the timer. One sweep at a time runs
 * in a process; replicas may sweep at once, so each sweep must lock what it changes.
 */
import type { BackgroundService } from './runtime.js';
import type { Logger } from './log.js';

export abstract class PeriodicSweep implements BackgroundService {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly log: Logger,
    private readonly intervalMs: number,
  ) {}

  /** Changes what is due as of `asOf` and returns how many records it changed. */
  protected abstract due(asOf: Date): Promise<number>;
  /** What the sweep does, for the log line of a failure. */
  protected abstract readonly activity: string;

  start(): void {
    this.timer = setInterval(() => void this.sweep().catch(() => {}), this.intervalMs).unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async settle(): Promise<void> {
    await this.running.catch(() => {});
  }

  /** Sweeps what is due as of `asOf` (now by default), after any sweep under way. */
  sweep(asOf = new Date()): Promise<number> {
    const run = this.running
      .catch(() => {})
      .then(() => this.due(asOf))
      .catch((error: unknown) => {
        this.log.warn({ err: error }, `${this.activity} failed; the next sweep retries`);
        throw error;
      });
    this.running = run;
    return run;
  }
}

/**
 * Runs `batch` (one transaction that locks up to `size` due records, changes them and publishes)
 * again and again until one finds fewer than `size`; returns how many records changed in all.
 */
export async function inBatches(size: number, batch: (size: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await batch(size);
    total += done;
    if (done < size) return total;
  }
}
