/** The referral state machine and tier order, without a database. */
import { describe, expect, it } from '@jest/globals';
import { REFERRAL_STATUSES, canTake, isOpen, isUpward, minutesToAdmission, type ReferralStep } from '../../subgraphs/facilities/domain/referral.js';

describe('referral rules', () => {
  it('allows each step only from its statuses', () => {
    const allowed = (step: ReferralStep) => REFERRAL_STATUSES.filter((s) => canTake(step, s));
    expect(allowed('OFFER')).toEqual(['REQUESTED', 'OFFERED']);
    expect(allowed('ACCEPT')).toEqual(['OFFERED']);
    expect(allowed('CANCEL')).toEqual(['REQUESTED', 'OFFERED', 'ACCEPTED']);
    expect(REFERRAL_STATUSES.filter(isOpen)).toEqual(['REQUESTED', 'OFFERED', 'ACCEPTED']);
  });

  it('orders tiers by severity and measures escalation → admission in minutes', () => {
    expect([isUpward('TIER_1', 'TIER_2'), isUpward('TIER_2', 'TIER_3'), isUpward('TIER_1', 'TIER_3')]).toEqual([true, true, true]);
    expect([isUpward('TIER_2', 'TIER_1'), isUpward('TIER_3', 'TIER_2'), isUpward('TIER_2', 'TIER_2')]).toEqual([false, false, false]);
    expect(minutesToAdmission({ requestedAt: new Date('2022-01-13T08:00:00Z'), admittedAt: new Date('2022-01-13T10:30:00Z') })).toBe(150);
    expect(minutesToAdmission({ requestedAt: new Date('2022-01-13T08:00:00Z'), admittedAt: null })).toBeNull();
  });
});
