/**
 * Referrals between tiers: the rules, without a database.
 *
 * A tier change upward (or a daily check whose warning signs suggest a higher tier) opens a
 * referral: REQUESTED → OFFERED (a facility that treats the new tier has a free bed of the kind
 * the tier needs) → ACCEPTED (the receiving facility takes the patient) → ADMITTED (the patient
 * is admitted there, in the admission's transaction). An open referral ends early as CANCELLED
 * (by a clinician with a reason, by a tier change downward or by the case closing) or EXPIRED
 * (requested or offered and left without progress for longer than the configured limit).
 */
import type { TreatmentTier } from '../../common/domain/enums.js';

export const REFERRAL_STATUSES = ['REQUESTED', 'OFFERED', 'ACCEPTED', 'ADMITTED', 'CANCELLED', 'EXPIRED'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

export const REFERRAL_TRIGGERS = ['TIER_CHANGE', 'WARNING_SIGN'] as const;
export type ReferralTrigger = (typeof REFERRAL_TRIGGERS)[number];

/** Statuses of a referral still under way: a patient has at most one. */
export const OPEN_REFERRAL_STATUSES: readonly ReferralStatus[] = ['REQUESTED', 'OFFERED', 'ACCEPTED'];

export const isOpen = (status: ReferralStatus) => OPEN_REFERRAL_STATUSES.includes(status);

/** The clinician's steps, and the statuses each may start from. */
export type ReferralStep = 'OFFER' | 'ACCEPT' | 'CANCEL';

const STEP_FROM: Record<ReferralStep, readonly ReferralStatus[]> = {
  // Offering again replaces the facility offered before (the first one filled up, say).
  OFFER: ['REQUESTED', 'OFFERED'],
  ACCEPT: ['OFFERED'],
  CANCEL: OPEN_REFERRAL_STATUSES,
};

export function canTake(step: ReferralStep, status: ReferralStatus): boolean {
  return STEP_FROM[step].includes(status);
}

/** Referrals that expire if left alone: an accepted one waits for the patient's arrival instead. */
export const EXPIRING_STATUSES: readonly ReferralStatus[] = ['REQUESTED', 'OFFERED'];

/** Tiers compare in their order of severity. */
export const tierRank = (tier: TreatmentTier): number => Number(tier.slice(-1));
export const isUpward = (from: TreatmentTier, to: TreatmentTier) => tierRank(to) > tierRank(from);

/** Minutes from the escalation to the admission; null until admitted. */
export function minutesToAdmission(r: { requestedAt: Date; admittedAt: Date | null }): number | null {
  return r.admittedAt ? (r.admittedAt.getTime() - r.requestedAt.getTime()) / 60_000 : null;
}
