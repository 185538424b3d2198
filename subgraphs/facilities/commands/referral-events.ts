/**
 * Referrals changed by something other than a clinician's referral step: opened, raised or
 * cancelled by the patients subgraph's events (in the projection's transaction), and completed by
 * an admission or a transfer (in its transaction). Each change's referralChanged event is returned
 * to the caller, which publishes it with its own events as the last write of its transaction.
 *
 * Lock order, as everywhere in facilities: projected patient → admission → beds → referral.
 */
import type { Transaction } from '../../common/db/database.js';
import type { NewEvent } from '../../common/events/publish.js';
import { TOPICS, type ReferralChangedPayload } from '../../common/events/catalog.js';
import type { TreatmentTier } from '../../common/domain/enums.js';
import { lockKnownPatient } from '../db/admission.repository.js';
import { insertReferral, lockOpenReferralOf, updateReferral } from '../db/referral.repository.js';
import type { Admission, Facility, Referral } from '../db/mappers.js';
import type { FacilitiesDB } from '../db/tables.js';
import { tierRank, type ReferralTrigger } from '../domain/referral.js';
import { treatsCases } from '../domain/facility.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function referralEvent(r: Referral): NewEvent<ReferralChangedPayload> {
  return {
    topic: TOPICS.referralChanged,
    key: r.patientId,
    payload: {
      referralId: r.id,
      patientId: r.patientId,
      wardCode: r.wardCode,
      districtCode: r.districtCode,
      trigger: r.trigger,
      fromTier: r.fromTier,
      toTier: r.toTier,
      status: r.status,
      facilityId: r.facilityId,
      facilityWardCode: r.facilityWardCode,
      bedKind: r.bedKind,
      admissionId: r.admissionId,
      requestedAt: r.requestedAt.toISOString(),
      offeredAt: iso(r.offeredAt),
      acceptedAt: iso(r.acceptedAt),
      admittedAt: iso(r.admittedAt),
      closedAt: iso(r.closedAt),
      at: r.updatedAt.toISOString(),
    },
  };
}

/**
 * The referral as a subscription event carries it (events carry absolute state), without its close
 * reason: the event does not carry that free text, and `closeReason` loads it when it may be shown.
 */
export function referralFromEvent(p: ReferralChangedPayload): Referral {
  const date = (s: string | null) => (s ? new Date(s) : null);
  return {
    id: p.referralId,
    patientId: p.patientId,
    wardCode: p.wardCode,
    districtCode: p.districtCode,
    trigger: p.trigger,
    fromTier: p.fromTier,
    toTier: p.toTier,
    status: p.status,
    facilityId: p.facilityId,
    facilityWardCode: p.facilityWardCode,
    bedKind: p.bedKind,
    admissionId: p.admissionId,
    requestedAt: new Date(p.requestedAt),
    offeredAt: date(p.offeredAt),
    acceptedAt: date(p.acceptedAt),
    admittedAt: date(p.admittedAt),
    closedAt: date(p.closedAt),
    closeReason: null,
    updatedAt: new Date(p.at),
  };
}

export interface ReferralRequest {
  patientId: string;
  wardCode: string;
  districtCode: string;
  trigger: ReferralTrigger;
  fromTier: TreatmentTier;
  toTier: TreatmentTier;
  /** When the escalation was recorded (the tier change, or the daily check). */
  requestedAt: Date;
}

/**
 * Opens a referral to a higher tier, or raises the open one: a patient holds at most one open
 * referral, and one that already asks for this tier or a higher one is left as it is. Raising a
 * referral withdraws its offer (a bed of the lower tier's kind no longer fits) and keeps the time
 * of the first escalation. A case closed meanwhile opens nothing. Returns the event to publish.
 */
export async function requestReferral(trx: Transaction<FacilitiesDB>, request: ReferralRequest): Promise<NewEvent<unknown>[]> {
  if (tierRank(request.toTier) <= tierRank(request.fromTier)) return [];
  const patient = await lockKnownPatient(trx, request.patientId);
  if (patient && patient.status !== 'UNDER_TREATMENT') return [];
  const open = await lockOpenReferralOf(trx, request.patientId);
  if (!open) return [referralEvent(await insertReferral(trx, request))];
  if (tierRank(open.toTier) >= tierRank(request.toTier)) return [];
  const raised = await updateReferral(trx, open.id, {
    to_tier: request.toTier,
    status: 'REQUESTED',
    facility_id: null,
    bed_kind: null,
    offered_at: null,
    accepted_at: null,
  });
  return [referralEvent(raised)];
}

/**
 * Ends the patient's open referral, if any, as CANCELLED with `reason` (tier lowered, case
 * closed); returns the event to publish.
 */
export async function cancelOpenReferral(trx: Transaction<FacilitiesDB>, patientId: string, reason: string): Promise<NewEvent<unknown>[]> {
  await lockKnownPatient(trx, patientId);
  const open = await lockOpenReferralOf(trx, patientId);
  if (!open) return [];
  return [referralEvent(await updateReferral(trx, open.id, { status: 'CANCELLED', closed_at: new Date(), close_reason: reason }))];
}

/**
 * An admission (or a transfer's new admission) completes the patient's open referral when the
 * facility treats the tier the referral asks for, wherever it was offered: what the referral
 * measures is how long the patient waited for a bed of the new tier. Returns the event to publish
 * with the admission's own.
 */
export async function completeReferralOnAdmission(
  trx: Transaction<FacilitiesDB>,
  admission: Admission,
  facility: Pick<Facility, 'kind' | 'servesTiers'>,
): Promise<NewEvent<unknown>[]> {
  const open = await lockOpenReferralOf(trx, admission.patientId);
  if (!open) return [];
  if (!treatsCases(facility.kind) || !facility.servesTiers.includes(open.toTier)) return [];
  const admitted = await updateReferral(trx, open.id, {
    status: 'ADMITTED',
    facility_id: admission.facilityId,
    bed_kind: admission.bedKind,
    admission_id: admission.id,
    admitted_at: admission.admittedAt,
  });
  return [referralEvent(admitted)];
}
