/** Coverage figures from the per-birth-year counters (age = this year − year of birth). Pure. */
import { AGE_BANDS, addDays, type AgeBand, type DoseKind } from './schedule.js';

export interface Totals {
  population: number;
  dose1: number;
  fully: number;
  boosted: number;
}

/** The counters of one year of birth. */
export interface Counter extends Totals {
  birthYear: number;
}

const empty = (): Totals => ({ population: 0, dose1: 0, fully: 0, boosted: 0 });

export function total(rows: readonly Counter[], year: number, fromAge = 0, toAge = 200): Totals {
  const acc = empty();
  for (const r of rows) {
    const age = year - r.birthYear;
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
