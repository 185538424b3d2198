/**
 * Risk factors for severe COVID-19 that change how closely a home patient is followed
 * (Decision 261/QĐ-BYT: people aged 50 and over, especially 65 and over; comorbidities;
 * pregnancy; not fully vaccinated; children under 16 follow the paediatric guidance).
 */
export const RISK_FACTORS = ['AGE_50_PLUS', 'AGE_65_PLUS', 'COMORBIDITY', 'PREGNANCY', 'UNVACCINATED', 'CHILD'] as const;
export type RiskFactor = (typeof RISK_FACTORS)[number];

/** Declared factors plus the ones the age implies; sorted, without duplicates. */
export function riskFactorsFor(declared: readonly RiskFactor[], ageYears: number): RiskFactor[] {
  const factors = new Set(declared.filter((f) => !['AGE_50_PLUS', 'AGE_65_PLUS', 'CHILD'].includes(f)));
  if (ageYears >= 50) factors.add('AGE_50_PLUS');
  if (ageYears >= 65) factors.add('AGE_65_PLUS');
  if (ageYears < 16) factors.add('CHILD');
  return RISK_FACTORS.filter((f) => factors.has(f));
}
