/**
 * Admissions, discharges and transfers. Each runs in one transaction that takes or frees the bed
 * with a conditional update, records the admission and writes the outbox events; a typed error
 * thrown anywhere rolls everything back, so a failure leaves nothing half-written.
 *
 * Who may move a bed: a write needs jurisdiction over the patient AND over every facility whose
 * beds move (both facilities of a transfer), checked before anything is written (the platform's
 * jurisdiction rule). Facilities are public, so an unknown facility is NotFound to anyone the
 * patient's jurisdiction allows (an admission judges the patient's first: see admitPatient).
 *
 * Lock order, the same in every write and in the case-closed projection, so none can deadlock
 * another: projected patient (share) → admission → bed rows (sorted) → the patient's open
 * referral, which an admission into a facility treating the referral's tier completes.
 */
import { sql } from 'kysely';
import type { BedKind, DischargeOutcome, TreatmentTier } from '../../common/domain/enums.js';
import type { Viewer } from '../../common/auth/viewer.js';
import { assertCoversAll, coversCity, notFoundFor, outsideJurisdiction } from '../../common/auth/jurisdiction.js';
import { publish, transactionPublishingAtCommit } from '../../common/events/publish.js';
import { TOPICS } from '../../common/events/catalog.js';
import { ConflictError, NotFoundError, Problems } from '../../common/domain/errors.js';
import { isUniqueViolation, retryOnConflict } from '../../common/db/errors.js';
import type { Kysely, RawBuilder, Transaction } from 'kysely';
import { facilitiesByIds } from '../db/facility.repository.js';
import {
  activeAdmissionOf,
  admissionById,
  closeKnownPatient,
  admissionByIdempotencyKey,
  endAdmission,
  findBeds,
  linkTransfer,
  insertAdmission,
  insertAdmissionTakingBed,
  lockForAdmission,
  lockAdmission,
  lockKnownPatient,
  releaseBed,
  takeBed,
} from '../db/admission.repository.js';
import type { Admission, Facility } from '../db/mappers.js';
import type { FacilitiesDB, KnownPatientRow } from '../db/tables.js';
import {
  AdmissionAlreadyEnded,
  BedKindNotForTier,
  BedKindNotOffered,
  FacilityNotAdmitting,
  NoBedAvailable,
  NotATreatmentFacility,
  PatientAlreadyAdmitted,
  PatientNotUnderTreatment,
  TierNotServed,
} from '../domain/errors.js';
import { admitsPatients, placementRefusal, type FacilityStatus } from '../domain/facility.js';
import type { FacilitiesRuntime } from '../context.js';
import type { Loaders } from '../db/loaders.js';
import { admissionEvent, bedChangeEvents } from './bed-events.js';
import { PATIENT_PROJECTION } from '../events/consumers.js';
import { completeReferralOnAdmission } from './referral-events.js';

const OVERRIDE_REASON = { min: 10, max: 500 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AdmitInput {
  patientId: string;
  facilityId: string;
  bedKind: BedKind;
  idempotencyKey?: string | null;
  bedKindOverrideReason?: string | null;
}

function validateIdempotencyKey(problems: Problems, key: string | null | undefined): void {
  if (key != null) problems.check(key.length >= 8 && key.length <= 128, ['input', 'idempotencyKey'], 'idempotencyKey must be 8 to 128 characters');
}

/** The trimmed override reason, or null; length problems are reported on `problems`. */
function overrideReason(problems: Problems, reason: string | null | undefined): string | null {
  if (reason == null) return null;
  const trimmed = reason.trim();
  problems.check(
    trimmed.length >= OVERRIDE_REASON.min && trimmed.length <= OVERRIDE_REASON.max,
    ['input', 'bedKindOverrideReason'],
    `bedKindOverrideReason must be ${OVERRIDE_REASON.min} to ${OVERRIDE_REASON.max} characters`,
  );
  return trimmed;
}

/**
 * Brings facilities' projection of the patients subgraph's patients up to date before a write is
 * judged on it: a clinician who raises a patient's tier and admits, transfers or offers a bed a
 * moment later must be judged on the new tier (the bed kind and the facility's tiers depend on
 * it), not on what the projection held before the event arrived. Costs one read of the outbox
 * when nothing is pending.
 */
export function catchUpPatients(runtime: FacilitiesRuntime): Promise<void> {
  return runtime.consumer(PATIENT_PROJECTION).catchUp();
}

export async function findFacility(db: Kysely<FacilitiesDB>, facilityId: string): Promise<Facility> {
  const facility = (await facilitiesByIds(db, [facilityId]))[0];
  if (!facility) throw new NotFoundError('Facility', facilityId);
  return facility;
}

/** The facility's kind and tiers, and the bed kind for the tier unless a reason overrides it. */
export function assertPlacement(facility: Facility, tier: TreatmentTier, bedKind: BedKind, override: string | null): void {
  const refusal = placementRefusal(facility, tier, bedKind, override !== null);
  if (!refusal) return;
  switch (refusal.reason) {
    case 'NOT_A_TREATMENT_FACILITY':
      throw new NotATreatmentFacility(facility.id);
    case 'TIER_NOT_SERVED':
      throw new TierNotServed(facility.id, tier, facility.servesTiers);
    case 'BED_KIND_NOT_FOR_TIER':
      throw new BedKindNotForTier(bedKind, tier, refusal.needed);
  }
}

/** Only ACTIVE facilities admit; share-locked so a concurrent stand-down waits for us, and we for it. */
export async function assertAdmitting(trx: Transaction<FacilitiesDB>, facilityId: string): Promise<void> {
  const current = await trx.selectFrom('facility').select('status').where('id', '=', facilityId).forShare().executeTakeFirstOrThrow();
  refuseUnlessAdmitting(facilityId, current.status);
}

/** The facility's status as just read under a share lock: only ACTIVE facilities admit. */
function refuseUnlessAdmitting(facilityId: string, status: FacilityStatus): void {
  if (!admitsPatients(status)) throw new FacilityNotAdmitting(facilityId, status);
}

function sameAdmissionRequest(a: Admission, input: AdmitInput, override: string | null): boolean {
  return a.patientId === input.patientId && a.facilityId === input.facilityId && a.bedKind === input.bedKind && a.bedKindOverrideReason === override;
}

/**
 * `loaders` are the request's: the patient and facility read here are the answer's too.
 *
 * The patient and the facility are read once, in the transaction's first statement, under the
 * locks the admission takes anyway, with whether the patients projection has applied the
 * patient's events (see lockForAdmission); the jurisdiction is checked on that read before
 * anything is written. Under contention every statement is a round trip that admissions queue
 * for; the projection's check, the patient and the facility were each one more before the
 * transaction.
 */
export async function admitPatient(runtime: FacilitiesRuntime, viewer: Viewer, input: AdmitInput, loaders: Pick<Loaders, 'facility' | 'knownPatient'>): Promise<Admission> {
  const action = 'admit this patient';
  const problems = new Problems();
  problems.check(input.patientId.trim() !== '', ['input', 'patientId'], 'patientId is required');
  problems.check(input.facilityId.trim() !== '', ['input', 'facilityId'], 'facilityId is required');
  validateIdempotencyKey(problems, input.idempotencyKey);
  const override = overrideReason(problems, input.bedKindOverrideReason);
  problems.throwIfAny();
  if (!UUID.test(input.patientId)) throw notFoundFor(viewer, 'Patient', input.patientId, action);

  // A retry is answered only once the viewer is known to cover what the key's admission touches:
  // `covered` is set by the transaction below when the jurisdiction check passed.
  let covered = false;
  const replay = async (db: Kysely<FacilitiesDB>): Promise<Admission | undefined> => {
    if (!input.idempotencyKey || !covered) return undefined;
    const existing = await admissionByIdempotencyKey(db, input.idempotencyKey);
    if (existing && !sameAdmissionRequest(existing, input, override)) {
      throw new ConflictError('This idempotencyKey was already used for a different admission');
    }
    return existing;
  };

  // Judged on the patient's latest tier and status (see catchUpPatients): the first statement asks
  // whether the projection has applied the patient's events, and only when it has not does the
  // admission roll back, catch up and start again (then without asking, as after catchUp).
  const projection = runtime.consumer(PATIENT_PROJECTION);
  try {
    return await admitOnce(projection.caughtUpFor(input.patientId));
  } catch (error) {
    if (error !== PROJECTION_BEHIND) throw error;
  }
  await projection.catchUp();
  return admitOnce(undefined);

  async function admitOnce(current: RawBuilder<boolean> | undefined): Promise<Admission> {
    try {
      return await transactionPublishingAtCommit(runtime.db, async (trx) => {
        // Every statement is a round trip, and under contention round trips are what an admission
        // costs: the projection's check, the patient, the facility and the checks before the bed
        // are one statement, the insert and the bed another.
        const locks = await lockForAdmission(trx, input.patientId, input.facilityId, current);
        if (!locks.current) throw PROJECTION_BEHIND;
        const { patient: locked, facility } = locks;
        // The patient's jurisdiction first: a facility's NotFound before it would tell a known
        // patient (whose row brings the facility) from an unknown one.
        if (!locked) throw notFoundFor(viewer, 'Patient', input.patientId, action);
        assertCoversAll(viewer, [locked.ward_code], action);
        if (!facility) throw new NotFoundError('Facility', input.facilityId);
        assertCoversAll(viewer, [facility.wardCode], action);
        covered = true;
        loaders.knownPatient.prime(locked.id, locked);
        loaders.facility.prime(facility.id, facility);
        const previous = await replay(trx);
        if (previous) return { value: previous, events: [] };
        if (locked.status !== 'UNDER_TREATMENT') throw new PatientNotUnderTreatment(locked.id, locked.status);
        if (locks.activeAdmissionId) throw new PatientAlreadyAdmitted(locked.id, locks.activeAdmissionId);
        assertPlacement(facility, locked.tier, input.bedKind, override);
        refuseUnlessAdmitting(facility.id, facility.status);

        // The bed counter row is what concurrent admissions into a facility queue for: everything
        // that can happen before its conditional update does, so that its lock is held only for
        // that update, the referral, the outbox insert and the commit. A concurrent admission of
        // this same patient, or one with the same idempotency key, waits on the unique index (the
        // catch below answers it), not on the bed row: the bed update waits for the insert.
        const { admission, beds, bedKindOffered, openReferral } = await insertAdmissionTakingBed(trx, {
          patientId: locked.id,
          facilityId: facility.id,
          bedKind: input.bedKind,
          idempotencyKey: input.idempotencyKey ?? null,
          recordedBy: viewer.subject,
          bedKindOverrideReason: override,
        });
        if (!beds) {
          // Rolled back with the admission. No other admission of this patient can have taken the
          // last bed: it would hold the unique index the insert above passed.
          throw bedKindOffered ? new NoBedAvailable(facility.id, input.bedKind) : new BedKindNotOffered(facility.id, input.bedKind);
        }
        const referral = openReferral ? await completeReferralOnAdmission(trx, admission, facility) : [];
        // The events and the COMMIT in one message: from the bed's update to the commit, the bed
        // row's lock waits for one answer to reach this process, not three.
        const events = [
          ...bedChangeEvents(facility, { ...beds, occupied: beds.occupied - 1 }, beds, 'ADMISSION'),
          admissionEvent(TOPICS.admissionStarted, admission, facility),
          ...referral,
        ];
        return { value: admission, events };
      });
    } catch (error) {
      if (error === PROJECTION_BEHIND) throw error;
      // Lost a race: a concurrent retry with the same key, or a concurrent admission of the patient.
      // A retry that finds the patient admitted (by the check above or by the unique index) may be
      // finding its own first attempt, and a request that found the last bed gone may have lost it
      // to another use of its key: the key decides.
      const raced =
        error instanceof PatientAlreadyAdmitted ||
        (error instanceof NoBedAvailable && !!input.idempotencyKey) ||
        isUniqueViolation(error, 'admission_idempotency_key_key') ||
        isUniqueViolation(error, 'admission_one_active_per_patient');
      if (raced) {
        const existing = await replay(runtime.db);
        if (existing) return existing;
      }
      if (isUniqueViolation(error, 'admission_one_active_per_patient')) {
        const active = await activeAdmissionOf(runtime.db, input.patientId);
        throw new PatientAlreadyAdmitted(input.patientId, active?.id ?? 'unknown');
      }
      throw error;
    }
  }
}

/** Thrown inside an admission's transaction to roll it back when the patients projection is behind on the patient (never leaves admitPatient). */
const PROJECTION_BEHIND = new Error('the patients projection is behind on the patient');

/**
 * The admission a discharge or transfer changes, locked, once the viewer is known to cover its
 * patient, its facility and `otherWards` (a transfer's target). The admission is read once
 * unlocked to learn the patient, so that the patient's row can be locked first (see lock order).
 */
async function lockAdmissionToChange(
  trx: Transaction<FacilitiesDB>,
  viewer: Viewer,
  admissionId: string,
  action: string,
  otherWards: readonly string[] = [],
): Promise<{ admission: Admission; patient: KnownPatientRow | undefined; facility: Facility }> {
  if (!UUID.test(admissionId)) throw notFoundFor(viewer, 'Admission', admissionId, action);
  const seen = await admissionById(trx, admissionId);
  if (!seen) throw notFoundFor(viewer, 'Admission', admissionId, action);
  const patient = await lockKnownPatient(trx, seen.patientId);
  const admission = (await lockAdmission(trx, admissionId))!;
  const facility = await findFacility(trx, admission.facilityId);
  // An admission whose patient was never projected here is a city matter.
  if (!patient && !coversCity(viewer)) throw outsideJurisdiction(action);
  assertCoversAll(viewer, [facility.wardCode, ...(patient ? [patient.ward_code] : []), ...otherWards], action);
  if (admission.dischargedAt) throw new AdmissionAlreadyEnded(admission.id);
  return { admission, patient, facility };
}

export async function dischargePatient(
  runtime: FacilitiesRuntime,
  viewer: Viewer,
  input: { admissionId: string; outcome: DischargeOutcome },
): Promise<Admission> {
  if (input.outcome === 'TRANSFERRED') {
    new Problems().add(['input', 'outcome'], 'Use transferPatient to move a patient to another facility').throwIfAny();
  }
  return retryOnConflict(() =>
    runtime.db.transaction().execute(async (trx) => {
      const { admission, facility, patient } = await lockAdmissionToChange(trx, viewer, input.admissionId, 'discharge this patient');
      const ended = await endAdmission(trx, admission.id, input.outcome);
      // Recovered or deceased closes the case. Facilities' view of the patient says so in this
      // transaction, not only once the patients subgraph's event comes back: an admission racing
      // this discharge waits for the patient's row and then finds the case closed. (Its row, before
      // the bed rows, as in every write.)
      if (patient && (input.outcome === 'RECOVERED' || input.outcome === 'DECEASED')) await closeKnownPatient(trx, patient.id, input.outcome, ended.dischargedAt ?? new Date());
      const beds = await releaseBed(trx, admission.facilityId, admission.bedKind);
      await publish(trx, [
        ...bedChangeEvents(facility, { ...beds, occupied: beds.occupied + 1 }, beds, 'DISCHARGE'),
        admissionEvent(TOPICS.admissionEnded, ended, facility),
      ]);
      return ended;
    }),
  );
}

export interface TransferInput {
  admissionId: string;
  toFacilityId: string;
  bedKind: BedKind;
  bedKindOverrideReason?: string | null;
}

export interface Transfer {
  from: Admission;
  to: Admission;
}

/**
 * One bed freed and one taken, or nothing: both in one transaction. Moving to another bed kind
 * in the same facility (tier 1 to an oxygen bed) is a transfer too; the same bed kind in the
 * same facility is refused.
 */
export async function transferPatient(runtime: FacilitiesRuntime, viewer: Viewer, input: TransferInput): Promise<Transfer> {
  const action = 'transfer this patient';
  const problems = new Problems();
  const override = overrideReason(problems, input.bedKindOverrideReason);
  problems.throwIfAny();
  const target = await findFacility(runtime.db, input.toFacilityId);
  // Judged on the patient's latest tier and status, as an admission is.
  await catchUpPatients(runtime);
  return retryOnConflict(() =>
    runtime.db.transaction().execute(async (trx) => {
      const { admission: from, patient, facility: source } = await lockAdmissionToChange(trx, viewer, input.admissionId, action, [target.wardCode]);
      if (from.facilityId === target.id && from.bedKind === input.bedKind) {
        new Problems()
          .add(['input', 'toFacilityId'], `The patient already holds a ${input.bedKind} bed in this facility; choose another facility or bed kind`)
          .throwIfAny();
      }
      if (!patient) throw new NotFoundError('Patient', from.patientId);
      if (patient.status !== 'UNDER_TREATMENT') throw new PatientNotUnderTreatment(patient.id, patient.status);
      assertPlacement(target, patient.tier, input.bedKind, override);
      await assertAdmitting(trx, target.id);

      // Lock both bed rows in one fixed order, so opposite transfers cannot deadlock.
      const keys = [`${from.facilityId}\u0000${from.bedKind}`, `${target.id}\u0000${input.bedKind}`].sort();
      for (const key of keys) {
        const [facilityId, kind] = key.split('\u0000');
        await sql`select 1 from bed where facility_id = ${facilityId} and kind = ${kind} for update`.execute(trx);
      }

      const taken = await takeBed(trx, target.id, input.bedKind);
      if (!taken) {
        const exists = await findBeds(trx, target.id, input.bedKind);
        throw exists ? new NoBedAvailable(target.id, input.bedKind) : new BedKindNotOffered(target.id, input.bedKind);
      }
      await endAdmission(trx, from.id, 'TRANSFERRED');
      const freed = await releaseBed(trx, from.facilityId, from.bedKind);
      const to = await insertAdmission(trx, {
        patientId: from.patientId,
        facilityId: target.id,
        bedKind: input.bedKind,
        idempotencyKey: null,
        recordedBy: viewer.subject,
        transferredFrom: from.id,
        bedKindOverrideReason: override,
      });
      const ended = await linkTransfer(trx, from.id, to.id);
      const referral = await completeReferralOnAdmission(trx, to, target);
      await publish(trx, [
        ...bedChangeEvents(source, { ...freed, occupied: freed.occupied + 1 }, freed, 'TRANSFER_OUT'),
        ...bedChangeEvents(target, { ...taken, occupied: taken.occupied - 1 }, taken, 'TRANSFER_IN'),
        admissionEvent(TOPICS.admissionEnded, ended, source),
        admissionEvent(TOPICS.admissionStarted, to, target),
        ...referral,
      ]);
      return { from: ended, to };
    }),
  );
}
