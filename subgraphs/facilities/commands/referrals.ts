/**
 * A clinician's steps on a referral between tiers (offer, accept, cancel) and the sweep that
 * expires the ones left without progress. Each runs in one transaction that checks, changes the
 * referral and writes its referralChanged event, or writes nothing.
 *
 * Who may: a clinical role whose jurisdiction covers the patient's ward and the ward of every
 * facility the step touches (the one offered, and the one whose offer it replaces or ends),
 * checked on the locked referral before anything is written. A referral that does not exist and
 * one outside the jurisdiction get the same FORBIDDEN answer; facilities are public, so an
 * unknown facility is NotFound to anyone.
 */
import type { Kysely } from 'kysely';
import type { Viewer } from '../../common/auth/viewer.js';
import { assertCoversAll, notFoundFor } from '../../common/auth/jurisdiction.js';
import { publish } from '../../common/events/publish.js';
import { Problems } from '../../common/domain/errors.js';
import { TEXT_LIMITS, checkId, checkText } from '../../common/domain/input-rules.js';
import type { Transaction } from '../../common/db/database.js';
import type { Logger } from '../../common/log.js';
import { PeriodicSweep, inBatches } from '../../common/periodic-sweep.js';
import { findBeds, lockKnownPatient } from '../db/admission.repository.js';
import { lockExpiredReferrals, lockReferral, referralById, updateReferral } from '../db/referral.repository.js';
import type { Facility, Referral } from '../db/mappers.js';
import type { FacilitiesDB, KnownPatientRow } from '../db/tables.js';
import { BedKindNotOffered, InvalidReferralTransition, NoBedAvailable, PatientNotUnderTreatment } from '../domain/errors.js';
import { BED_KIND_FOR_TIER } from '../domain/facility.js';
import { canTake, type ReferralStep } from '../domain/referral.js';
import type { FacilitiesRuntime } from '../context.js';
import { assertAdmitting, assertPlacement, catchUpPatients, findFacility } from './admissions.js';
import { referralEvent } from './referral-events.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REASON_MIN = 3;

/**
 * Runs `change` on the locked referral once the viewer is known to cover the patient's ward and
 * the wards of `facilities` plus the facility offered now, and the step is allowed from the
 * referral's status. The referral is read once unlocked to learn the patient, whose projected row
 * is locked first (the lock order of every facilities write).
 */
async function changeReferral(
  runtime: FacilitiesRuntime,
  viewer: Viewer,
  referralId: string,
  step: ReferralStep,
  action: string,
  facilities: readonly Facility[],
  change: (trx: Transaction<FacilitiesDB>, referral: Referral, patient: KnownPatientRow | undefined) => Promise<Referral>,
): Promise<Referral> {
  if (!UUID.test(referralId)) throw notFoundFor(viewer, 'Referral', referralId, action);
  // On the patient's latest tier and status (tier changes also open and cancel referrals).
  await catchUpPatients(runtime);
  const seen = await referralById(runtime.db, referralId);
  if (!seen) throw notFoundFor(viewer, 'Referral', referralId, action);
  return runtime.db.transaction().execute(async (trx) => {
    const patient = await lockKnownPatient(trx, seen.patientId);
    const referral = (await lockReferral(trx, referralId))!;
    const wards = [patient?.ward_code ?? referral.wardCode, ...facilities.map((f) => f.wardCode)];
    if (referral.facilityWardCode) wards.push(referral.facilityWardCode);
    assertCoversAll(viewer, wards, action);
    if (!canTake(step, referral.status)) throw new InvalidReferralTransition(referral.id, referral.status, step);
    const changed = await change(trx, referral, patient);
    await publish(trx, [referralEvent(changed)]);
    return changed;
  });
}

/**
 * Offers the patient a bed of the kind the referral's tier needs in a facility that treats that
 * tier, is active and has such a bed free now (bedFinder lists them). Offering again replaces the
 * earlier offer. The bed is not held: the admission takes it, or answers NoBedAvailable.
 */
export async function offerReferral(runtime: FacilitiesRuntime, viewer: Viewer, input: { referralId: string; facilityId: string }): Promise<Referral> {
  const problems = new Problems();
  const referralId = checkId(problems, input.referralId, ['input', 'referralId'], 'referralId');
  const facilityId = checkId(problems, input.facilityId, ['input', 'facilityId'], 'facilityId');
  problems.throwIfAny();
  const facility = await findFacility(runtime.db, facilityId);
  return changeReferral(runtime, viewer, referralId, 'OFFER', 'offer a bed for this referral', [facility], async (trx, referral, patient) => {
    if (patient && patient.status !== 'UNDER_TREATMENT') throw new PatientNotUnderTreatment(patient.id, patient.status);
    const bedKind = BED_KIND_FOR_TIER[referral.toTier];
    assertPlacement(facility, referral.toTier, bedKind, null);
    await assertAdmitting(trx, facility.id);
    const beds = await findBeds(trx, facility.id, bedKind);
    if (!beds) throw new BedKindNotOffered(facility.id, bedKind);
    if (beds.occupied >= beds.covidDesignated) throw new NoBedAvailable(facility.id, bedKind);
    return updateReferral(trx, referral.id, { status: 'OFFERED', facility_id: facility.id, bed_kind: bedKind, offered_at: new Date(), accepted_at: null });
  });
}

/** The receiving facility accepts the offered patient; the referral then waits for the admission. */
export async function acceptReferral(runtime: FacilitiesRuntime, viewer: Viewer, input: { referralId: string }): Promise<Referral> {
  const problems = new Problems();
  const referralId = checkId(problems, input.referralId, ['referralId'], 'referralId');
  problems.throwIfAny();
  return changeReferral(runtime, viewer, referralId, 'ACCEPT', 'accept this referral', [], async (trx, referral) =>
    updateReferral(trx, referral.id, { status: 'ACCEPTED', accepted_at: new Date() }),
  );
}

/** A clinician ends an open referral, saying why (3 to 500 characters). */
export async function cancelReferral(runtime: FacilitiesRuntime, viewer: Viewer, input: { referralId: string; reason: string }): Promise<Referral> {
  const problems = new Problems();
  const referralId = checkId(problems, input.referralId, ['input', 'referralId'], 'referralId');
  const reason = checkText(problems, input.reason, ['input', 'reason'], 'reason', { min: REASON_MIN, max: TEXT_LIMITS.REASON });
  problems.throwIfAny();
  return changeReferral(runtime, viewer, referralId, 'CANCEL', 'cancel this referral', [], async (trx, referral) =>
    updateReferral(trx, referral.id, { status: 'CANCELLED', closed_at: new Date(), close_reason: reason }),
  );
}

const SWEEP_BATCH = 200;

/**
 * Expires every requested or offered referral with no progress (no offer, no new offer) for
 * longer than `limitHours` as of `asOf`, in batches of one transaction each; returns how many.
 * Replicas may sweep at once: a row another sweep holds is skipped, and an expired one is no
 * longer a candidate.
 */
export async function expireReferrals(db: Kysely<FacilitiesDB>, limitHours: number, asOf = new Date()): Promise<number> {
  return inBatches(SWEEP_BATCH, (size) =>
    db.transaction().execute(async (trx) => {
      const ids = await lockExpiredReferrals(trx, asOf, limitHours, size);
      const expired: Referral[] = [];
      for (const id of ids) {
        expired.push(
          await updateReferral(trx, id, { status: 'EXPIRED', closed_at: new Date(), close_reason: `No bed accepted within ${limitHours} hours of the request or the last offer` }),
        );
      }
      await publish(trx, expired.map(referralEvent));
      return ids.length;
    }),
  );
}

/** Sweeps expired referrals every few minutes; tests call sweep() with the time they need. */
export class ReferralExpiryJob extends PeriodicSweep {
  protected readonly activity = 'expiring referrals';

  constructor(
    private readonly db: Kysely<FacilitiesDB>,
    log: Logger,
    readonly limitHours: number,
    intervalMs = 5 * 60_000,
  ) {
    super(log, intervalMs);
  }

  protected due(asOf: Date): Promise<number> {
    return expireReferrals(this.db, this.limitHours, asOf);
  }
}
