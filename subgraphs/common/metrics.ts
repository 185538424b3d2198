/** Prometheus metrics read from live state when scraped, for the gateway and the subgraphs. */
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
