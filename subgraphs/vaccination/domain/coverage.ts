/** Coverage figures from the per-birth-year counters (age = this year − year of birth). */
import { AGE_BANDS, type AgeBand } from './schedule.js';

export interface Counter {
  birth_year: number;
  population: number;
  dose1: number;
  fully: number;
  boosted: number;
}

export interface Totals {
  population: number;
  dose1: number;
  fully: number;
  boosted: number;
}

const empty = (): Totals => ({ population: 0, dose1: 0, fully: 0, boosted: 0 });

export function total(rows: readonly Counter[], year: number, fromAge = 0, toAge = 200): Totals {
  const acc = empty();
  for (const r of rows) {
    const age = year - r.birth_year;
    if (age < fromAge || age > toAge) continue;
    acc.population += r.population;
    acc.dose1 += r.dose1;
    acc.fully += r.fully;
    acc.boosted += r.boosted;
  }
  return acc;
}

export const share = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);

export function byAgeBand(rows: readonly Counter[], year: number): (Totals & { band: AgeBand })[] {
  return AGE_BANDS.map((b) => ({ band: b.band, ...total(rows, year, b.from, b.to) }));
}
