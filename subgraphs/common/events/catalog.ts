/**
 * The events subgraphs publish to one another: topic names and payloads. A payload carries
 * absolute state (counts, status), never a delta, so a reader that missed one event is healed by
 * the next. Changing a payload is a contract change between subgraphs: add fields, never rename.
 */
import type { BedKind, CarePlace, CareSetting, DischargeOutcome, PatientStatus, TreatmentTier } from '../domain/enums.js';

export const TOPICS = {
  // facilities
  bedOccupancy: 'facilities.bed-occupancy',
  capacityAlert: 'facilities.capacity-alert',
  admissionStarted: 'facilities.admission-started',
  admissionEnded: 'facilities.admission-ended',
  referralChanged: 'facilities.referral-changed',
  // patients
  patientRegistered: 'patients.patient-registered',
  patientUpdated: 'patients.patient-updated',
  tierChanged: 'patients.tier-changed',
  escalationRaised: 'patients.escalation-raised',
  helpRequested: 'patients.help-requested',
  helpRequestChanged: 'patients.help-request-changed',
  stockChanged: 'patients.stock-changed',
  quarantineChanged: 'patients.quarantine-changed',
  epidemicLevelChanged: 'patients.epidemic-level-changed',
  epidemicLevelDeclared: 'patients.epidemic-level-declared',
  dailyReportSubmitted: 'patients.daily-report-submitted',
} as const;

export type OccupancyChangeCause = 'ADMISSION' | 'DISCHARGE' | 'TRANSFER_IN' | 'TRANSFER_OUT' | 'CAPACITY_CHANGE' | 'QUARANTINE_START' | 'QUARANTINE_END';

export interface BedOccupancyPayload {
  facilityId: string;
  wardCode: string;
  districtCode: string;
  bedKind: BedKind;
  total: number;
  covidDesignated: number;
  occupied: number;
  cause: OccupancyChangeCause;
  at: string;
}

export interface CapacityAlertPayload {
  facilityId: string;
  wardCode: string;
  districtCode: string;
  bedKind: BedKind;
  /** 80, 90 or 100 (percent of COVID-designated beds). */
  threshold: number;
  direction: 'UP' | 'DOWN';
  occupied: number;
  covidDesignated: number;
  at: string;
}

export interface AdmissionPayload {
  admissionId: string;
  patientId: string;
  facilityId: string;
  bedKind: BedKind;
  admittedAt: string;
  dischargedAt: string | null;
  outcome: DischargeOutcome | null;
  /** Set on the admission a transfer ended: the admission it continued as. */
  transferredToAdmissionId: string | null;
  /** The facility's category in the treatment report; absent on events written before it existed. */
  carePlace?: CarePlace | null;
}

/** The patient's state as facilities and workforce need it (no personal data). */
export interface PatientStatePayload {
  patientId: string;
  wardCode: string;
  districtCode: string;
  tier: TreatmentTier;
  status: PatientStatus;
  careSetting: CareSetting;
  confirmedAt: string;
  at: string;
}

export interface TierChangedPayload {
  patientId: string;
  wardCode: string;
  districtCode: string;
  from: TreatmentTier;
  to: TreatmentTier;
  reason: string;
  at: string;
}

/** A daily check with warning signs (the patients subgraph's escalation event), as others read it. */
export interface EscalationRaisedPayload {
  patientId: string;
  wardCode: string;
  districtCode: string;
  checkId: number;
  warningSigns: string[];
  currentTier: TreatmentTier;
  suggestedTier: TreatmentTier;
  /** Time of the check. */
  at: string;
}

/**
 * A referral between tiers after a change of status, as a whole (absolute state). `wardCode` and
 * `districtCode` are the patient's at the request; `facilityWardCode` the offered facility's.
 */
export interface ReferralChangedPayload {
  referralId: string;
  patientId: string;
  wardCode: string;
  districtCode: string;
  trigger: 'TIER_CHANGE' | 'WARNING_SIGN';
  fromTier: TreatmentTier;
  toTier: TreatmentTier;
  status: 'REQUESTED' | 'OFFERED' | 'ACCEPTED' | 'ADMITTED' | 'CANCELLED' | 'EXPIRED';
  facilityId: string | null;
  facilityWardCode: string | null;
  bedKind: BedKind | null;
  admissionId: string | null;
  requestedAt: string;
  offeredAt: string | null;
  acceptedAt: string | null;
  admittedAt: string | null;
  closedAt: string | null;
  // No close reason: a clinician's free text stays out of the outbox; readers load the referral.
  at: string;
}

/**
 * A quarantine order of an F1 contact started or ended (no personal data): facilities counts the
 * orders in force per concentrated quarantine area as that area's occupancy.
 */
export interface QuarantineChangedPayload {
  orderId: string;
  contactId: string;
  place: 'HOME' | 'QUARANTINE_AREA';
  /** The quarantine area, for place QUARANTINE_AREA; null at home. */
  facilityId: string | null;
  /** The contact's ward and district. */
  wardCode: string;
  districtCode: string;
  /** True while the order is in force. */
  active: boolean;
  startsOn: string;
  endedOn: string | null;
  endReason: string | null;
  at: string;
}

/** An area's epidemic level changed (the daily assessment, or new cases or beds in between). */
export interface LevelChangedPayload {
  scope: 'WARD' | 'DISTRICT';
  code: string;
  districtCode: string;
  level: number;
  previousLevel: number | null;
  at: string;
}

/** A ward station submitted (or confirmed) its daily report: the submission now current for that ward and day. */
export interface DailyReportSubmittedPayload {
  submissionId: string;
  wardCode: string;
  districtCode: string;
  /** The report's city day (YYYY-MM-DD). */
  day: string;
  submittedAt: string;
  deadline: string;
  /** 0 when on time. */
  minutesLate: number;
  onBehalf: boolean;
  /** Whether the ward corrected any computed figure. */
  corrected: boolean;
  at: string;
}

/**
 * A citizen's help request after any change (opened, escalated, acknowledged, closed), as a
 * whole. No personal data: no name, phone or message, which stay in the patients subgraph.
 */
export interface HelpRequestChangedPayload {
  helpRequestId: string;
  wardCode: string;
  districtCode: string;
  state: 'OPEN' | 'ESCALATED' | 'ACKNOWLEDGED' | 'CLOSED';
  need: string;
  channel: string;
  openedAt: string;
  acknowledgedAt: string | null;
  escalatedAt: string | null;
  closedAt: string | null;
  at: string;
}
