/**
 * Warning signs in a daily check of a COVID-19 patient treated at home, and the tier they
 * suggest. Pure: no database, no clock.
 *
 * Sources (Ministry of Health of Viet Nam):
 * - Decision 261/QĐ-BYT (31 Jan 2022), "Hướng dẫn quản lý người nhiễm COVID-19 tại nhà", section
 *   on warning signs for adults: breathlessness, respiratory rate ≥ 20/min, SpO2 ≤ 96 %, pulse
 *   > 120 or < 50/min, blood pressure < 90/60 mmHg, chest pain or tightness, altered
 *   consciousness (confusion, lethargy, stupor), cyanosis of lips or fingertips, and others.
 * - Decision 405/QĐ-BYT (22 Feb 2022), home care of children with COVID-19: fast breathing by age
 *   (< 2 months ≥ 60/min; 2–12 months ≥ 50/min; 1–5 years ≥ 40/min; 5–12 years ≥ 30/min;
 *   from 12 years the adult threshold of 20/min), SpO2 ≤ 96 %, chest indrawing, cyanosis, poor
 *   feeding or unable to drink, lethargy, convulsions.
 * - Decision 250/QĐ-BYT (28 Jan 2022), diagnosis and treatment guideline: severity bands used
 *   for the suggested tier (moderate: SpO2 94–96 %, respiratory rate 20–25/min; severe: SpO2
 *   < 94 % or respiratory rate > 25/min; critical: respiratory rate > 30 or < 10/min, SpO2 < 90 %,
 *   altered consciousness, shock).
 * Thresholds are written as the guidance states them; where a decision gives a range we use its
 * boundary as inclusive exactly as quoted above.
 */
import type { TreatmentTier } from '../../common/domain/enums.js';

/** Symptoms that are warning signs in themselves: the sign has the symptom's name. */
const DANGER_SYMPTOMS = ['BREATHLESSNESS', 'CHEST_PAIN', 'ALTERED_CONSCIOUSNESS', 'CYANOSIS', 'CHEST_INDRAWING', 'UNABLE_TO_DRINK', 'CONVULSIONS'] as const;
const isDangerSymptom = (symptom: string): symptom is (typeof DANGER_SYMPTOMS)[number] => (DANGER_SYMPTOMS as readonly string[]).includes(symptom);

export const SYMPTOMS = [
  'FEVER',
  'COUGH',
  'SORE_THROAT',
  'FATIGUE',
  'LOSS_OF_SMELL_OR_TASTE',
  'HEADACHE',
  'MUSCLE_PAIN',
  'DIARRHOEA',
  ...DANGER_SYMPTOMS,
] as const;
export type Symptom = (typeof SYMPTOMS)[number];

export const WARNING_SIGNS = [
  'FAST_BREATHING',
  'SLOW_BREATHING',
  'LOW_SPO2',
  'TACHYCARDIA',
  'BRADYCARDIA',
  'HYPOTENSION',
  ...DANGER_SYMPTOMS,
] as const;
export type WarningSign = (typeof WARNING_SIGNS)[number];

export interface Vitals {
  spo2: number;
  respiratoryRate?: number | null;
  heartRate?: number | null;
  systolic?: number | null;
  diastolic?: number | null;
  temperatureC?: number | null;
  symptoms?: readonly Symptom[] | null;
}

export interface Assessment {
  warningSigns: WarningSign[];
  needsEscalation: boolean;
  suggestedTier: TreatmentTier;
}

/** Fast-breathing threshold (breaths per minute, inclusive) for an age in months. */
export function fastBreathingThreshold(ageMonths: number): number {
  if (ageMonths < 2) return 60;
  if (ageMonths < 12) return 50;
  if (ageMonths < 60) return 40;
  if (ageMonths < 144) return 30;
  return 20;
}

const TIER_ORDER: Record<TreatmentTier, number> = { TIER_1: 1, TIER_2: 2, TIER_3: 3 };
export const higherTier = (a: TreatmentTier, b: TreatmentTier): TreatmentTier => (TIER_ORDER[a] >= TIER_ORDER[b] ? a : b);

export function assess(vitals: Vitals, ageMonths: number, currentTier: TreatmentTier): Assessment {
  const signs = new Set<WarningSign>();
  const rr = vitals.respiratoryRate;
  if (rr != null && rr >= fastBreathingThreshold(ageMonths)) signs.add('FAST_BREATHING');
  if (rr != null && rr < 10) signs.add('SLOW_BREATHING'); // critical at any age (Decision 250/QĐ-BYT)
  if (vitals.spo2 <= 96) signs.add('LOW_SPO2');
  if (vitals.heartRate != null && vitals.heartRate > 120) signs.add('TACHYCARDIA');
  if (vitals.heartRate != null && vitals.heartRate < 50) signs.add('BRADYCARDIA');
  if ((vitals.systolic != null && vitals.systolic < 90) || (vitals.diastolic != null && vitals.diastolic < 60)) signs.add('HYPOTENSION');
  for (const symptom of vitals.symptoms ?? []) if (isDangerSymptom(symptom)) signs.add(symptom);

  // Severity (Decision 250/QĐ-BYT) decides the suggested tier; adult respiratory bands only
  // apply from 12 years, children are judged by the fast-breathing threshold and the signs.
  const adult = ageMonths >= 144;
  let severity: TreatmentTier = 'TIER_1';
  const severe =
    vitals.spo2 < 94 ||
    (adult && rr != null && rr > 25) ||
    signs.has('SLOW_BREATHING') ||
    signs.has('ALTERED_CONSCIOUSNESS') ||
    signs.has('CYANOSIS') ||
    signs.has('CONVULSIONS') ||
    signs.has('HYPOTENSION') ||
    (!adult && signs.has('FAST_BREATHING') && signs.has('CHEST_INDRAWING'));
  if (severe) severity = 'TIER_3';
  else if (signs.size > 0) severity = 'TIER_2';

  const warningSigns = WARNING_SIGNS.filter((s) => signs.has(s));
  const suggestedTier = higherTier(currentTier, severity);
  return { warningSigns, needsEscalation: warningSigns.length > 0, suggestedTier };
}

/** Whole months between a date of birth and a day (both YYYY-MM-DD). */
export function ageInMonths(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  let months = (y - by) * 12 + (m - bm);
  if (d < bd) months -= 1;
  return Math.max(0, months);
}
