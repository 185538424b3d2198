/** Prometheus metrics read from live state when scraped, for the gateway and the subgraphs. */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Counter, Gauge, type Registry } from 'prom-client';

/** A gauge whose value is read at scrape time. */
export function observedGauge(registry: Registry, name: string, help: string, read: () => number): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}

/** A counter that follows a cumulative number kept elsewhere: each scrape adds the increase. */
export function observedCounter(registry: Registry, name: string, help: string, read: () => number): void {
  let seen = 0;
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const now = read();
      if (now > seen) this.inc(now - seen);
      seen = now;
    },
  });
}

/**
 * A gauge with labels whose samples are read at scrape time, possibly from the database. A
 * failed read leaves the gauge empty for that scrape rather than failing the whole page.
 */
export function observedLabeledGauge<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
  read: () => Promise<{ labels: Record<L, string>; value: number }[]>,
): void {
  new Gauge<L>({
    name,
    help,
    labelNames,
    registers: [registry],
    async collect() {
      this.reset();
      const samples = await read().catch(() => []);
      for (const { labels, value } of samples) this.set(labels as never, value);
    },
  });
}

/** Like `observedCounter`, one cumulative number per label set. */
export function observedLabeledCounter<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
  read: () => { labels: Record<L, string>; value: number }[],
): void {
  const seen = new Map<string, number>();
  new Counter<L>({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      for (const { labels, value } of read()) {
        const key = JSON.stringify(labels);
        const before = seen.get(key) ?? 0;
        if (value > before) this.inc(labels as never, value - before);
        else if (before === 0) this.inc(labels as never, 0);
        seen.set(key, value);
      }
    },
  });
}

/**
 * Who may scrape /metrics: only the holder of the metrics token (Authorization: Bearer …),
 * as metrics describe the deployment's internals. 'off' when no token is configured.
 */
export function scrapeAccess(authorization: string | undefined, metricsToken: string | undefined): 'allowed' | 'refused' | 'off' {
  if (!metricsToken) return 'off';
  const match = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '');
  if (!match) return 'refused';
  const given = createHash('sha256').update(match[1]!).digest();
  const expected = createHash('sha256').update(metricsToken).digest();
  return timingSafeEqual(given, expected) ? 'allowed' : 'refused';
}

export const SCRAPE_REFUSED = {
  errors: [{ message: 'Metrics need the metrics token: Authorization: Bearer <HRG_METRICS_TOKEN>', extensions: { code: 'UNAUTHENTICATED' } }],
};
