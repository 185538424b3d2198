/**
 * COVID-19 vaccines used in Viet Nam and the order and intervals of doses. Pure rules.
 *
 * Intervals are the minimums of the Ministry of Health guidance of 2021–2022 (Decision
 * 3588/QĐ-BYT on vaccination, Official Letter 10225/BYT-DP of 30 Nov 2021 on additional and
 * booster doses): Pfizer-BioNTech, Sinopharm, Sputnik V and Hayat-Vax 21 days between primary
 * doses; Moderna and AstraZeneca 28 days (AstraZeneca was given 8–12 weeks apart when supply
 * allowed; 4 weeks is the minimum); Abdala three doses 14 days apart; Janssen a single dose.
 * Additional dose (for the immunocompromised) at least 28 days after the primary series;
 * booster at least 3 months (we use 90 days) after it, except after the single Janssen dose,
 * boosted from 2 months on (WHO SAGE interim recommendation on the Janssen vaccine, Dec 2021).
 * The booster's interval is the primary series' vaccine's, whatever vaccine boosts.
 */
export const VACCINES = ['ASTRAZENECA', 'PFIZER_BIONTECH', 'MODERNA', 'SINOPHARM_VERO_CELL', 'SPUTNIK_V', 'JANSSEN', 'HAYAT_VAX', 'ABDALA'] as const;
export type Vaccine = (typeof VACCINES)[number];

export const DOSE_KINDS = ['PRIMARY_1', 'PRIMARY_2', 'PRIMARY_3', 'ADDITIONAL', 'BOOSTER'] as const;
export type DoseKind = (typeof DOSE_KINDS)[number];

export interface Schedule {
  primaryDoses: number;
  /** Days between primary doses. */
  intervalDays: number;
  /** Days from the last dose of the primary series (or the additional dose) to the booster. */
  boosterAfterDays: number;
  label: string;
}

export const BOOSTER_AFTER_DAYS = 90;

export const SCHEDULES: Record<Vaccine, Schedule> = {
  ASTRAZENECA: { primaryDoses: 2, intervalDays: 28, boosterAfterDays: BOOSTER_AFTER_DAYS, label: 'AstraZeneca (Vaxzevria)' },
  PFIZER_BIONTECH: { primaryDoses: 2, intervalDays: 21, boosterAfterDays: BOOSTER_AFTER_DAYS, label: 'Pfizer-BioNTech (Comirnaty)' },
  MODERNA: { primaryDoses: 2, intervalDays: 28, boosterAfterDays: BOOSTER_AFTER_DAYS, label: 'Moderna (Spikevax)' },
  SINOPHARM_VERO_CELL: { primaryDoses: 2, intervalDays: 21, boosterAfterDays: BOOSTER_AFTER_DAYS, label: 'Sinopharm (Vero Cell)' },
  SPUTNIK_V: { primaryDoses: 2, intervalDays: 21, boosterAfterDays: BOOSTER_AFTER_DAYS, label: 'Sputnik V' },
  JANSSEN: { primaryDoses: 1, intervalDays: 0, boosterAfterDays: 60, label: 'Janssen (Johnson & Johnson)' },
  HAYAT_VAX: { primaryDoses: 2, intervalDays: 21, boosterAfterDays: BOOSTER_AFTER_DAYS, label: 'Hayat-Vax' },
  ABDALA: { primaryDoses: 3, intervalDays: 14, boosterAfterDays: BOOSTER_AFTER_DAYS, label: 'Abdala' },
};

export const ADDITIONAL_AFTER_DAYS = 28;

export interface GivenDose {
  dose: DoseKind;
  vaccine: Vaccine;
  /** City calendar date (YYYY-MM-DD). */
  on: string;
}

export interface VaccinationState {
  doses: number;
  primaryDoses: number;
  /** The primary series is complete. */
  fullyVaccinated: boolean;
  boosted: boolean;
  primaryCompletedOn: string | null;
  lastDoseOn: string | null;
  /**
   * The day the next dose is due, by the primary series' vaccine: the next primary dose its
   * interval after the last one, the booster its booster interval after the last dose; null
   * before any dose and once boosted.
   */
  nextDoseDueOn: string | null;
}

export type DoseRefusal =
  | { kind: 'OUT_OF_ORDER'; message: string; expected: DoseKind | null }
  | { kind: 'TOO_SOON'; message: string; earliest: string }
  | { kind: 'DUPLICATE'; message: string };

/** Vaccination began in Viet Nam on 8 March 2021; an earlier date is a typo. */
export const FIRST_VACCINATION_DAY = '2021-03-08';

const DAY = 86_400_000;
/** The calendar date `days` after `date` (both YYYY-MM-DD; `days` may be negative). */
export const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

/** State after a history of doses (given in any order). */
export function stateOf(history: readonly GivenDose[]): VaccinationState {
  const sorted = [...history].sort((a, b) => a.on.localeCompare(b.on));
  const primary = sorted.filter((d) => d.dose.startsWith('PRIMARY'));
  const first = primary[0];
  const needed = first ? SCHEDULES[first.vaccine].primaryDoses : Infinity;
  const fully = primary.length >= needed;
  const boosted = sorted.some((d) => d.dose === 'BOOSTER');
  const lastDoseOn = sorted.at(-1)?.on ?? null;
  return {
    doses: sorted.length,
    primaryDoses: primary.length,
    fullyVaccinated: fully,
    boosted,
    primaryCompletedOn: fully ? primary[needed - 1]!.on : null,
    lastDoseOn,
    nextDoseDueOn: first && lastDoseOn ? nextDoseDueOn(first.vaccine, fully, boosted, lastDoseOn) : null,
  };
}

/** When the next dose falls due after a last dose on `lastDoseOn` of a series begun with `vaccine`. */
export function nextDoseDueOn(vaccine: Vaccine, fullyVaccinated: boolean, boosted: boolean, lastDoseOn: string): string | null {
  if (boosted) return null;
  const schedule = SCHEDULES[vaccine];
  return addDays(lastDoseOn, fullyVaccinated ? schedule.boosterAfterDays : schedule.intervalDays);
}

/** Why `next` may not follow `history`, or undefined when it may. */
export function refuseDose(history: readonly GivenDose[], next: GivenDose): DoseRefusal | undefined {
  if (history.some((d) => d.on === next.on)) return { kind: 'DUPLICATE', message: `A dose was already recorded on ${next.on}` };
  const state = stateOf(history);
  if (state.lastDoseOn && next.on < state.lastDoseOn) {
    return { kind: 'OUT_OF_ORDER', message: `A later dose is already recorded (${state.lastDoseOn}); doses are recorded in order`, expected: null };
  }
  const sorted = [...history].sort((a, b) => a.on.localeCompare(b.on));
  const primary = sorted.filter((d) => d.dose.startsWith('PRIMARY'));
  const expectedPrimary = `PRIMARY_${primary.length + 1}` as DoseKind;
  if (next.dose.startsWith('PRIMARY')) {
    if (state.fullyVaccinated) return { kind: 'OUT_OF_ORDER', message: 'The primary series is complete; record an ADDITIONAL or BOOSTER dose', expected: 'BOOSTER' };
    if (next.dose !== expectedPrimary) return { kind: 'OUT_OF_ORDER', message: `Next primary dose is ${expectedPrimary}, not ${next.dose}`, expected: expectedPrimary };
    if (next.dose === 'PRIMARY_1' && next.vaccine === 'JANSSEN') return undefined;
    const first = primary[0];
    if (first) {
      const earliest = addDays(primary.at(-1)!.on, SCHEDULES[first.vaccine].intervalDays);
      if (next.on < earliest) return { kind: 'TOO_SOON', message: `${next.dose} is due from ${earliest} (${SCHEDULES[first.vaccine].intervalDays} days after the previous dose)`, earliest };
    }
    return undefined;
  }
  if (!state.fullyVaccinated) {
    return { kind: 'OUT_OF_ORDER', message: `${next.dose} requires a complete primary series; next is ${expectedPrimary}`, expected: expectedPrimary };
  }
  if (next.dose === 'ADDITIONAL') {
    if (sorted.some((d) => d.dose === 'ADDITIONAL' || d.dose === 'BOOSTER')) return { kind: 'OUT_OF_ORDER', message: 'An additional dose follows the primary series, before any booster', expected: 'BOOSTER' };
    const earliest = addDays(state.primaryCompletedOn!, ADDITIONAL_AFTER_DAYS);
    if (next.on < earliest) return { kind: 'TOO_SOON', message: `ADDITIONAL is due from ${earliest}`, earliest };
    return undefined;
  }
  // BOOSTER: the primary vaccine's booster interval after the last dose.
  const after = SCHEDULES[primary[0]!.vaccine].boosterAfterDays;
  const earliest = addDays(state.lastDoseOn!, after);
  if (next.on < earliest) return { kind: 'TOO_SOON', message: `BOOSTER is due from ${earliest} (${after} days after the last dose)`, earliest };
  return undefined;
}

/** Age bands reported by the city (by year of birth: age this year = current year − birth year). */
export const AGE_BANDS = [
  { band: 'AGE_0_4', from: 0, to: 4 },
  { band: 'AGE_5_11', from: 5, to: 11 },
  { band: 'AGE_12_17', from: 12, to: 17 },
  { band: 'AGE_18_49', from: 18, to: 49 },
  { band: 'AGE_50_64', from: 50, to: 64 },
  { band: 'AGE_65_PLUS', from: 65, to: 200 },
] as const;
export type AgeBand = (typeof AGE_BANDS)[number]['band'];

/** Age this year, as the city counts it for vaccination (by year of birth). */
export const ageThisYear = (dateOfBirth: string, today: string): number => yearOf(today) - yearOf(dateOfBirth);

/** The year of a day (YYYY-MM-DD): ages count by year of birth against the year of today. */
export const yearOf = (day: string): number => Number(day.slice(0, 4));
