/**
 * Medicine packages for home treatment (Hanoi's packages A, B and C, following Decision
 * 261/QĐ-BYT and the Ministry's molnupiravir programme):
 * - A: symptomatic treatment (fever reducer, vitamins); any patient under treatment.
 * - B: anti-inflammatory and anticoagulant (dexamethasone, rivaroxaban/apixaban); only on a
 *   doctor's order after an examination.
 * - C: molnupiravir (antiviral); adults 18 and over, not pregnant, after screening and with
 *   written consent.
 */
import type { RiskFactor } from './risk.js';

export const MEDICINE_PACKAGES = ['A', 'B', 'C'] as const;
export type MedicinePackage = (typeof MEDICINE_PACKAGES)[number];

export interface EligibilityInput {
  package: MedicinePackage;
  ageYears: number;
  riskFactors: readonly RiskFactor[];
  doctorOrder: boolean;
  screened: boolean;
  consent: boolean;
}

/** Why the patient may not receive the package; empty when eligible. */
export function ineligibilityReasons(input: EligibilityInput): string[] {
  const reasons: string[] = [];
  if (input.package === 'B' && !input.doctorOrder) reasons.push('Package B is dispensed only on a doctor\'s order');
  if (input.package === 'C') {
    if (input.ageYears < 18) reasons.push('Package C (molnupiravir) is for adults 18 and over');
    if (input.riskFactors.includes('PREGNANCY')) reasons.push('Package C (molnupiravir) is not given during pregnancy');
    if (!input.screened) reasons.push('Package C requires screening first');
    if (!input.consent) reasons.push('Package C requires the patient\'s written consent');
  }
  return reasons;
}
