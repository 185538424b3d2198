import { describe, expect, it } from '@jest/globals';
import { isValidNationalId, normalizeVietnamesePhone } from '../../subgraphs/common/domain/input-rules.js';
import { riskFactorsFor } from '../../subgraphs/patients/domain/risk.js';
import { ineligibilityReasons } from '../../subgraphs/patients/domain/medicine.js';
import { becameLow, coverageShare, packageItem } from '../../subgraphs/patients/domain/supplies.js';

describe('personal data rules', () => {
  it.each([
    ['001080012345', true],
    ['079199012345', true],
    ['00108001234', false],
    ['0010800123456', false],
    ['00108001234a', false],
    ['003080012345', false], // 003 is not a province code
    ['999080012345', false],
  ])('citizen ID %s is valid: %s', (id, valid) => {
    expect(isValidNationalId(id)).toBe(valid);
  });

  it.each([
    ['0912345678', '+84912345678'],
    ['+84912345678', '+84912345678'],
    ['84 912 345 678', '+84912345678'],
    ['0387.654.321', '+84387654321'],
    ['0212345678', undefined], // landline prefix
    ['091234567', undefined],
    ['09123456789', undefined],
    ['hello', undefined],
  ])('phone %s → %s', (input, expected) => {
    expect(normalizeVietnamesePhone(input)).toBe(expected);
  });
});

describe('risk factors', () => {
  it('derives age factors and keeps declared ones', () => {
    expect(riskFactorsFor(['COMORBIDITY'], 67)).toEqual(['AGE_50_PLUS', 'AGE_65_PLUS', 'COMORBIDITY']);
    expect(riskFactorsFor(['AGE_65_PLUS'], 30)).toEqual([]);
    expect(riskFactorsFor([], 8)).toEqual(['CHILD']);
    expect(riskFactorsFor(['PREGNANCY', 'UNVACCINATED'], 50)).toEqual(['AGE_50_PLUS', 'PREGNANCY', 'UNVACCINATED']);
  });
});

describe('medicine package eligibility', () => {
  const base = { ageYears: 40, riskFactors: [], doctorOrder: false, screened: false, consent: false } as const;
  it('gives A to anyone', () => {
    expect(ineligibilityReasons({ ...base, package: 'A' })).toEqual([]);
  });
  it("gives B only on a doctor's order", () => {
    expect(ineligibilityReasons({ ...base, package: 'B' })).toHaveLength(1);
    expect(ineligibilityReasons({ ...base, package: 'B', doctorOrder: true })).toEqual([]);
  });
  it('gives C (molnupiravir) to screened, consenting adults who are not pregnant', () => {
    expect(ineligibilityReasons({ ...base, package: 'C', screened: true, consent: true })).toEqual([]);
    expect(ineligibilityReasons({ ...base, package: 'C' })).toHaveLength(2);
    expect(ineligibilityReasons({ ...base, package: 'C', screened: true, consent: true, ageYears: 17 })).toHaveLength(1);
    expect(ineligibilityReasons({ ...base, package: 'C', screened: true, consent: true, riskFactors: ['PREGNANCY'] })).toHaveLength(1);
  });
});

describe('supplies rules', () => {
  it('alerts once, on the change that takes a stock from above its threshold to at or below it', () => {
    expect(becameLow({ onHand: 3, lowThreshold: 2 }, { onHand: 2, lowThreshold: 2 })).toBe(true);
    expect(becameLow({ onHand: 4, lowThreshold: 2 }, { onHand: 3, lowThreshold: 2 })).toBe(false);
    expect(becameLow({ onHand: 2, lowThreshold: 2 }, { onHand: 1, lowThreshold: 2 })).toBe(false);
    // A threshold raised above what is on hand makes it low; a threshold of 0 only when none is left.
    expect(becameLow({ onHand: 5, lowThreshold: 2 }, { onHand: 5, lowThreshold: 5 })).toBe(true);
    expect(becameLow({ onHand: 1, lowThreshold: 0 }, { onHand: 0, lowThreshold: 0 })).toBe(true);
  });

  it('takes each package from its own stock item and shares coverage over home patients', () => {
    expect(['A', 'B', 'C'].map((p) => packageItem(p as 'A'))).toEqual(['MEDICINE_PACKAGE_A', 'MEDICINE_PACKAGE_B', 'MEDICINE_PACKAGE_C']);
    expect(coverageShare(3, 4)).toBe(0.75);
    expect(coverageShare(0, 0)).toBe(0);
  });
});
