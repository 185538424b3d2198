/**
 * Bed arithmetic. `covidDesignated` beds are the ones set aside for COVID-19 patients (the city
 * reserved 50 % of hospital beds); only they take admissions, so availability and occupancy
 * rate are measured against them.
 */
import type { BedKind } from '../../common/domain/enums.js';
import type { FacilityKind } from './facility.js';

/**
 * Facilities whose places are not treatment capacity: a concentrated quarantine area holds F1
 * contacts, never F0 patients, so its places never count as beds for treatment (roll-ups, the
 * bed finder, the daily report, the epidemic level's capacity criterion).
 */
export const NON_TREATMENT_KINDS: readonly FacilityKind[] = ['QUARANTINE_AREA'];

/** Which places a roll-up counts: treatment beds (everything else) or quarantine places. */
export type CapacityUse = 'TREATMENT' | 'QUARANTINE';

export interface BedCounts {
  kind: BedKind;
  total: number;
  covidDesignated: number;
  occupied: number;
}

export const available = (b: Pick<BedCounts, 'covidDesignated' | 'occupied'>) => Math.max(0, b.covidDesignated - b.occupied);

export function occupancyRate(b: Pick<BedCounts, 'covidDesignated' | 'occupied'>): number {
  return b.covidDesignated === 0 ? 0 : b.occupied / b.covidDesignated;
}

/** Occupancy levels that raise a capacity alert when crossed, in percent. */
export const ALERT_THRESHOLDS = [80, 90, 100] as const;

export interface ThresholdCrossing {
  threshold: number;
  direction: 'UP' | 'DOWN';
}

/**
 * The thresholds crossed by a change from `before` to `after` occupancy. Upwards a threshold
 * is crossed when occupancy reaches it; downwards when occupancy falls below it again.
 */
export function thresholdsCrossed(
  before: Pick<BedCounts, 'covidDesignated' | 'occupied'>,
  after: Pick<BedCounts, 'covidDesignated' | 'occupied'>,
): ThresholdCrossing[] {
  const pct = (b: Pick<BedCounts, 'covidDesignated' | 'occupied'>) => occupancyRate(b) * 100;
  const [from, to] = [pct(before), pct(after)];
  const crossings: ThresholdCrossing[] = [];
  for (const threshold of ALERT_THRESHOLDS) {
    if (from < threshold && to >= threshold) crossings.push({ threshold, direction: 'UP' });
    if (from >= threshold && to < threshold) crossings.push({ threshold, direction: 'DOWN' });
  }
  return crossings;
}

/** Sums bed counts per kind (roll-ups for wards, districts and the city). */
export function sumByKind(rows: BedCounts[]): BedCounts[] {
  const byKind = new Map<BedKind, BedCounts>();
  for (const row of rows) {
    const acc = byKind.get(row.kind) ?? { kind: row.kind, total: 0, covidDesignated: 0, occupied: 0 };
    acc.total += row.total;
    acc.covidDesignated += row.covidDesignated;
    acc.occupied += row.occupied;
    byKind.set(row.kind, acc);
  }
  return [...byKind.values()];
}
