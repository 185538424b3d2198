import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Runs `step` until it reports no more work, never two at once: a wake-up during a run asks for
 * one more run. `step` returns 'more' (call again now), 'idle' (done) or 'pending' (rows of
 * in-flight transactions are waiting: look again shortly). Errors back off and retry, so a
 * PostgreSQL restart only delays delivery.
 */
export class Drainer {
  private running = false;
  private again = false;
  private stopped = false;

  constructor(
    private readonly step: () => Promise<'more' | 'idle' | 'pending'>,
    private readonly onError: (error: unknown) => void,
  ) {}

  wake = (): void => {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.run();
  };

  stop(): void {
    this.stopped = true;
  }

  /** Resolves when the current run (if any) and any requested re-run have finished. */
  async idle(): Promise<void> {
    while (this.running) await sleep(5);
  }

  private async run(): Promise<void> {
    let pendingDelay = 5;
    let errorDelay = 100;
    try {
      while (!this.stopped) {
        this.again = false;
        let outcome: 'more' | 'idle' | 'pending';
        try {
          outcome = await this.step();
          errorDelay = 100;
        } catch (error) {
          this.onError(error);
          await sleep(errorDelay);
          errorDelay = Math.min(errorDelay * 2, 2_000);
          continue;
        }
        if (outcome === 'more') continue;
        if (outcome === 'pending') {
          await sleep(pendingDelay);
          pendingDelay = Math.min(pendingDelay * 2, 200);
          continue;
        }
        if (!this.again) break;
      }
    } finally {
      this.running = false;
    }
  }
}
