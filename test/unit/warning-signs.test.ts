import { describe, expect, it } from '@jest/globals';
import { ageInMonths, assess, fastBreathingThreshold, type Vitals } from '../../subgraphs/patients/domain/warning-signs.js';

const ADULT = 40 * 12;
const calm: Vitals = { spo2: 98, respiratoryRate: 16, heartRate: 80, systolic: 120, diastolic: 80, symptoms: [] };
const signsOf = (v: Partial<Vitals>, ageMonths = ADULT) => assess({ ...calm, ...v }, ageMonths, 'TIER_1').warningSigns;

describe('warning signs (Decisions 261 and 405/QĐ-BYT)', () => {
  it('finds none in a calm check', () => {
    expect(assess(calm, ADULT, 'TIER_1')).toEqual({ warningSigns: [], needsEscalation: false, suggestedTier: 'TIER_1' });
  });

  it.each([
    ['adult respiratory rate', { respiratoryRate: 19 }, { respiratoryRate: 20 }, 'FAST_BREATHING'],
    ['slow respiratory rate', { respiratoryRate: 10 }, { respiratoryRate: 9 }, 'SLOW_BREATHING'],
    ['SpO2', { spo2: 97 }, { spo2: 96 }, 'LOW_SPO2'],
    ['pulse above 120', { heartRate: 120 }, { heartRate: 121 }, 'TACHYCARDIA'],
    ['pulse below 50', { heartRate: 50 }, { heartRate: 49 }, 'BRADYCARDIA'],
    ['systolic below 90', { systolic: 90 }, { systolic: 89 }, 'HYPOTENSION'],
    ['diastolic below 60', { diastolic: 60 }, { diastolic: 59 }, 'HYPOTENSION'],
  ])('%s: quiet at the boundary, a sign one step past it', (_name, quiet, alarm, sign) => {
    expect(signsOf(quiet as Partial<Vitals>)).toEqual([]);
    expect(signsOf(alarm as Partial<Vitals>)).toEqual([sign]);
  });

  it.each([
    ['BREATHLESSNESS', 'BREATHLESSNESS'],
    ['CHEST_PAIN', 'CHEST_PAIN'],
    ['ALTERED_CONSCIOUSNESS', 'ALTERED_CONSCIOUSNESS'],
    ['CYANOSIS', 'CYANOSIS'],
    ['CHEST_INDRAWING', 'CHEST_INDRAWING'],
    ['UNABLE_TO_DRINK', 'UNABLE_TO_DRINK'],
    ['CONVULSIONS', 'CONVULSIONS'],
  ] as const)('symptom %s is a warning sign', (symptom, sign) => {
    expect(signsOf({ symptoms: [symptom] })).toEqual([sign]);
  });

  it('ordinary symptoms are not warning signs', () => {
    expect(signsOf({ symptoms: ['COUGH', 'FEVER', 'SORE_THROAT', 'FATIGUE', 'LOSS_OF_SMELL_OR_TASTE'] })).toEqual([]);
  });

  it.each([
    [0, 60],
    [1, 60],
    [2, 50],
    [11, 50],
    [12, 40],
    [59, 40],
    [60, 30],
    [143, 30],
    [144, 20],
  ])('child aged %i months: fast breathing from %i/min', (months, threshold) => {
    expect(fastBreathingThreshold(months)).toBe(threshold);
    expect(signsOf({ respiratoryRate: threshold - 1 }, months)).toEqual([]);
    expect(signsOf({ respiratoryRate: threshold }, months)).toEqual(['FAST_BREATHING']);
  });

  it.each([
    [{ spo2: 95 }, 'TIER_2'],
    [{ spo2: 94 }, 'TIER_2'],
    [{ spo2: 93 }, 'TIER_3'],
    [{ respiratoryRate: 25 }, 'TIER_2'],
    [{ respiratoryRate: 26 }, 'TIER_3'],
    [{ respiratoryRate: 9 }, 'TIER_3'],
    [{ systolic: 85 }, 'TIER_3'],
    [{ symptoms: ['CHEST_PAIN'] as const }, 'TIER_2'],
    [{ symptoms: ['CYANOSIS'] as const }, 'TIER_3'],
    [{ symptoms: ['ALTERED_CONSCIOUSNESS'] as const }, 'TIER_3'],
  ])('suggests a tier from severity: %j → %s', (vitals, tier) => {
    const result = assess({ ...calm, ...(vitals as Partial<Vitals>) }, ADULT, 'TIER_1');
    expect(result.suggestedTier).toBe(tier);
    expect(result.needsEscalation).toBe(true);
  });

  it('never suggests a tier below the current one', () => {
    expect(assess(calm, ADULT, 'TIER_3').suggestedTier).toBe('TIER_3');
    expect(assess({ ...calm, spo2: 95 }, ADULT, 'TIER_3').suggestedTier).toBe('TIER_3');
  });

  it('judges a young child with fast breathing and chest indrawing as severe', () => {
    expect(assess({ ...calm, respiratoryRate: 45, symptoms: ['CHEST_INDRAWING'] }, 30, 'TIER_1').suggestedTier).toBe('TIER_3');
  });

  it('counts age in whole months', () => {
    expect(ageInMonths('2021-12-15', '2022-01-14')).toBe(0);
    expect(ageInMonths('2021-12-15', '2022-01-15')).toBe(1);
    expect(ageInMonths('1980-05-17', '2022-01-13')).toBe(499);
  });
});
