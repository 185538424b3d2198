import { setTimeout as sleep } from 'node:timers/promises';

/** What a step of work found: call again now, nothing left, or nothing to do before `ms` ms. */
export type StepOutcome = 'more' | 'idle' | { retryInMs: number };

/**
 * Runs `step` until it reports no more work, never two at once: a wake-up during a run asks for
 * one more run. A step that must wait (an event whose handler failed, backing off) ends the run
 * and schedules a wake-up, so the wait holds no connection and blocks no other drainer. Errors
 * back off and retry, so a PostgreSQL restart only delays delivery.
 */
export class Drainer {
  private running = false;
  /** When the run under way started (for diagnosing a stall), and the last error a step threw. */
  runningSince: number | undefined;
  lastError: string | undefined;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly step: () => Promise<StepOutcome>,
    private readonly onError: (error: unknown) => void,
  ) {}

  wake = (): void => {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.runningSince = Date.now();
    void this.run();
  };

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private later(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.wake();
    }, ms);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    let errorDelay = 100;
    try {
      while (!this.stopped) {
        this.again = false;
        let outcome: StepOutcome;
        try {
          outcome = await this.step();
          errorDelay = 100;
        } catch (error) {
          this.lastError = error instanceof Error ? error.message : String(error);
          this.onError(error);
          await sleep(errorDelay);
          errorDelay = Math.min(errorDelay * 2, 2_000);
          continue;
        }
        if (outcome === 'more') continue;
        if (outcome !== 'idle') {
          this.later(outcome.retryInMs);
          break;
        }
        if (!this.again) break;
      }
    } finally {
      this.running = false;
      this.runningSince = undefined;
    }
  }
}
