/**
 * Coverage figures from counters per age band (ages by year of birth: this year − year of birth;
 * the counters are kept per ward and birth year and summed into bands when read). Pure.
 */
import { AGE_BANDS, addDays, type AgeBand, type DoseKind } from './schedule.js';

export interface Totals {
  population: number;
  dose1: number;
  fully: number;
  boosted: number;
}

/** The counters of one age band this year. */
export interface BandCounter extends Totals {
  band: AgeBand;
}

const empty = (): Totals => ({ population: 0, dose1: 0, fully: 0, boosted: 0 });

const BAND_AGES = new Map<AgeBand, { from: number; to: number }>(AGE_BANDS.map((b) => [b.band, b]));

/**
 * The sum of the bands within ages `fromAge`..`toAge`. Every range the API reports (all ages, 18+,
 * 50+, 5–11, each band) follows band edges; a range that cuts a band is a programming error.
 */
export function total(rows: readonly BandCounter[], fromAge = 0, toAge = 200): Totals {
  const acc = empty();
  for (const r of rows) {
    const ages = BAND_AGES.get(r.band)!;
    if (ages.to < fromAge || ages.from > toAge) continue;
    if (ages.from < fromAge || ages.to > toAge) throw new Error(`ages ${fromAge}–${toAge} cut the band ${r.band}`);
    acc.population += r.population;
    acc.dose1 += r.dose1;
    acc.fully += r.fully;
    acc.boosted += r.boosted;
  }
  return acc;
}

export const share = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);

export function byAgeBand(rows: readonly BandCounter[]): (Totals & { band: AgeBand })[] {
  return AGE_BANDS.map((b) => ({ band: b.band, ...total(rows, b.from, b.to) }));
}

/** Days of daily progress an area reports, today included. */
const PROGRESS_DAYS = 14;

/** First day of the daily progress reported on `today`. */
export const progressSince = (today: string): string => addDays(today, -(PROGRESS_DAYS - 1));

export interface DoseCount {
  dose: DoseKind;
  count: number;
}

export interface DailyDoses {
  date: string;
  doses: number;
  byDose: DoseCount[];
}

/** Per-day totals from counts per day and kind (given oldest first); days without doses do not appear. */
export function dailyProgress(counts: readonly { day: string; dose: DoseKind; count: number }[]): DailyDoses[] {
  const byDay = new Map<string, DailyDoses>();
  for (const d of counts) {
    const entry = byDay.get(d.day) ?? { date: d.day, doses: 0, byDose: [] };
    entry.doses += d.count;
    entry.byDose.push({ dose: d.dose, count: d.count });
    byDay.set(d.day, entry);
  }
  return [...byDay.values()];
}
