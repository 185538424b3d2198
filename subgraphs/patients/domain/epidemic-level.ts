/**
 * Epidemic level of a locality under Resolution 128/NQ-CP (11 Oct 2021), following the Ministry
 * of Health's technical guidance, Decision 4800/QĐ-BYT (12 Oct 2021), and its revision of
 * January 2022 (Decision 218/QĐ-BYT, 27 Jan 2022). Pure: the inputs come from three subgraphs
 * through the gateway.
 *
 * Criterion 1: new community cases per 100,000 residents over the last 7 days, in four bands.
 * Criterion 2: vaccination coverage. Decision 4800 counts "high" coverage as ≥ 70 % of adults
 *   (18+) with at least one dose; the January 2022 revision adds ≥ 80 % of people aged 50 and
 *   over fully vaccinated. We require both.
 * Criterion 3: treatment capacity (collection sites, oxygen and ICU readiness). Decision 4800
 *   asks whether the locality "meets" it; when it does not, the level rises by one.
 *
 * Cells we could not confirm against the text of the decisions are marked UNCONFIRMED below;
 * they are data, easy to correct.
 */
export const LEVELS = [1, 2, 3, 4] as const;
export type Level = (typeof LEVELS)[number];

export const COLOURS: Record<Level, 'GREEN' | 'YELLOW' | 'ORANGE' | 'RED'> = { 1: 'GREEN', 2: 'YELLOW', 3: 'ORANGE', 4: 'RED' };
export const LEVEL_NAMES: Record<Level, string> = {
  1: 'Cấp 1 – nguy cơ thấp (bình thường mới)',
  2: 'Cấp 2 – nguy cơ trung bình',
  3: 'Cấp 3 – nguy cơ cao',
  4: 'Cấp 4 – nguy cơ rất cao',
};

/** Criterion 1 bands, new cases per 100,000 over 7 days: [lower bound inclusive, upper exclusive). */
export const CASE_BANDS = [
  { band: 'A', from: 0, to: 20 },
  { band: 'B', from: 20, to: 50 },
  { band: 'C', from: 50, to: 150 },
  { band: 'D', from: 150, to: Infinity },
] as const;
export type CaseBand = (typeof CASE_BANDS)[number]['band'];

export const COVERAGE_THRESHOLDS = {
  /** Share of adults 18+ with at least one dose (Decision 4800). */
  adultsDose1: 0.7,
  /** Share of people 50+ fully vaccinated (January 2022 revision). UNCONFIRMED: 80 % as we read it. */
  over50Fully: 0.8,
};

/** The matrix: level by case band and whether coverage is high, before criterion 3. */
export const MATRIX: Record<CaseBand, { high: Level; low: Level }> = {
  A: { high: 1, low: 2 },
  B: { high: 2, low: 3 },
  C: { high: 3, low: 4 },
  // UNCONFIRMED: with ≥ 150 cases per 100,000 we read both columns as level 4.
  D: { high: 4, low: 4 },
};

/**
 * Criterion 3 as we operate it (UNCONFIRMED operationalisation of "meets treatment capacity"):
 * at least 10 % of COVID-designated oxygen and ICU beds free in the area, and overall bed
 * occupancy below 90 %. An area without oxygen or ICU beds of its own relies on the city's and
 * is judged on its overall occupancy only.
 */
export const CAPACITY_RULE = { minFreeCriticalShare: 0.1, maxOccupancy: 0.9 };

export interface CapacityInput {
  covidDesignated: number;
  occupied: number;
  criticalDesignated: number;
  criticalOccupied: number;
}

export interface AssessmentInput {
  newCasesPer100kLast7Days: number;
  adults18PlusDose1Coverage: number;
  over50FullyVaccinatedCoverage: number;
  capacity: CapacityInput;
}

export interface Assessment {
  level: Level;
  colour: (typeof COLOURS)[Level];
  caseBand: CaseBand;
  highCoverage: boolean;
  capacityMeets: boolean;
}

export function caseBand(per100k: number): CaseBand {
  return CASE_BANDS.find((b) => per100k >= b.from && per100k < b.to)!.band;
}

export function capacityMeets(c: CapacityInput): boolean {
  const occupancy = c.covidDesignated === 0 ? 0 : c.occupied / c.covidDesignated;
  if (occupancy >= CAPACITY_RULE.maxOccupancy) return false;
  if (c.criticalDesignated === 0) return true;
  return (c.criticalDesignated - c.criticalOccupied) / c.criticalDesignated >= CAPACITY_RULE.minFreeCriticalShare;
}

export function assessLevel(input: AssessmentInput): Assessment {
  const band = caseBand(input.newCasesPer100kLast7Days);
  const highCoverage =
    input.adults18PlusDose1Coverage >= COVERAGE_THRESHOLDS.adultsDose1 && input.over50FullyVaccinatedCoverage >= COVERAGE_THRESHOLDS.over50Fully;
  const meets = capacityMeets(input.capacity);
  const base = MATRIX[band][highCoverage ? 'high' : 'low'];
  const level = (meets ? base : Math.min(4, base + 1)) as Level;
  return { level, colour: COLOURS[level], caseBand: band, highCoverage, capacityMeets: meets };
}

/** What other subgraphs tell about an area (population, treatment beds, coverage), as the gateway answers the assessor's query for them. */
export interface AreaFacts {
  population?: number | null;
  capacity?: { covidDesignated?: number; occupied?: number; byKind?: { kind: string; covidDesignated: number; occupied: number }[] } | null;
  vaccination?: { adults18PlusDose1Coverage?: number; over50FullyVaccinatedCoverage?: number } | null;
}

/** The assessment input of an area from its facts and its new cases over the last 7 days. */
export function assessmentInput(area: AreaFacts, newLast7Days: number): AssessmentInput {
  const critical = (area.capacity?.byKind ?? []).filter((b) => b.kind === 'OXYGEN' || b.kind === 'ICU');
  return {
    newCasesPer100kLast7Days: area.population ? (newLast7Days * 100_000) / area.population : 0,
    adults18PlusDose1Coverage: area.vaccination?.adults18PlusDose1Coverage ?? 0,
    over50FullyVaccinatedCoverage: area.vaccination?.over50FullyVaccinatedCoverage ?? 0,
    capacity: {
      covidDesignated: area.capacity?.covidDesignated ?? 0,
      occupied: area.capacity?.occupied ?? 0,
      criticalDesignated: critical.reduce((s, b) => s + b.covidDesignated, 0),
      criticalOccupied: critical.reduce((s, b) => s + b.occupied, 0),
    },
  };
}
