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
