/**
 * The life of a citizen's help request: OPEN when it comes in, ESCALATED to the district when
 * nobody acknowledges it within the limit, ACKNOWLEDGED at the first answer, CLOSED with an
 * outcome. The state is derived from the timestamps, so it can never disagree with them.
 */
export const HELP_REQUEST_STATES = ['OPEN', 'ESCALATED', 'ACKNOWLEDGED', 'CLOSED'] as const;
export type HelpRequestState = (typeof HELP_REQUEST_STATES)[number];

export interface HelpRequestTimes {
  openedAt: Date;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  escalatedAt: Date | null;
}

export function helpRequestState(h: HelpRequestTimes): HelpRequestState {
  if (h.resolvedAt) return 'CLOSED';
  if (h.acknowledgedAt) return 'ACKNOWLEDGED';
  return h.escalatedAt ? 'ESCALATED' : 'OPEN';
}

const seconds = (from: Date, to: Date | null) => (to ? (to.getTime() - from.getTime()) / 1000 : null);

/** Seconds from opening to the first answer; null while unanswered. */
export const acknowledgeSeconds = (h: HelpRequestTimes) => seconds(h.openedAt, h.acknowledgedAt);
/** Seconds from opening to closing; null while open. */
export const closeSeconds = (h: HelpRequestTimes) => seconds(h.openedAt, h.resolvedAt);

/** A partner's record of the citizen's consent: the words shown to them and when they agreed. */
export const CONSENT_LIMITS = { TEXT: 2000, VERSION: 32 } as const;
