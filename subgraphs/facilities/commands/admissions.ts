/**
 * Admissions, discharges and transfers. Each runs in one transaction that takes or frees the bed
 * with a conditional update, records the admission and writes the outbox events; a typed error
 * thrown anywhere rolls everything back, so a failure leaves nothing half-written.
 */
import { sql } from 'kysely';
import type { BedKind, DischargeOutcome } from '../../common/domain/enums.js';
import { coversWard, type Viewer } from '../../common/auth/viewer.js';
import { publish, type NewEvent } from '../../common/events/publish.js';
import { TOPICS, type AdmissionPayload } from '../../common/events/catalog.js';
import { ConflictError, NotFoundError, Problems, graphQLError } from '../../common/graphql/errors.js';
import { isUniqueViolation, retryOnConflict } from '../../common/db/errors.js';
import type { Transaction } from '../../common/db/database.js';
import { facilitiesByIds } from '../db/facility.repository.js';
import {
  activeAdmissionOf,
  admissionByIdempotencyKey,
  endAdmission,
  findBeds,
  linkTransfer,
  insertAdmission,
  knownPatient,
  lockAdmission,
  releaseBed,
  takeBed,
} from '../db/admission.repository.js';
import type { Admission, Facility } from '../db/mappers.js';
import type { FacilitiesDB, KnownPatientRow } from '../db/tables.js';
import {
  AdmissionAlreadyEnded,
  BedKindNotOffered,
  FacilityNotAdmitting,
  NoBedAvailable,
  PatientAlreadyAdmitted,
  PatientNotUnderTreatment,
} from '../domain/errors.js';
import { admitsPatients } from '../domain/facility.js';
import type { FacilitiesRuntime } from '../context.js';
import { bedChangeEvents } from './bed-events.js';
import { PATIENT_PROJECTION } from '../events/consumers.js';

const SCHEMA = 'facilities';

export interface AdmitInput {
  patientId: string;
  facilityId: string;
  bedKind: BedKind;
  idempotencyKey?: string | null;
}

const admissionPayload = (a: Admission): AdmissionPayload => ({
  admissionId: a.id,
  patientId: a.patientId,
  facilityId: a.facilityId,
  bedKind: a.bedKind,
  admittedAt: a.admittedAt.toISOString(),
  dischargedAt: a.dischargedAt?.toISOString() ?? null,
  outcome: a.outcome,
  transferredToAdmissionId: a.transferredTo,
});

const admissionEvent = (topic: string, a: Admission): NewEvent<AdmissionPayload> => ({ topic, key: a.patientId, payload: admissionPayload(a) });

function validateIdempotencyKey(problems: Problems, key: string | null | undefined): void {
  if (key != null) problems.check(key.length >= 8 && key.length <= 128, ['input', 'idempotencyKey'], 'idempotencyKey must be 8 to 128 characters');
}

/**
 * The patient as facilities knows it from the patients subgraph's events. A patient registered a
 * moment ago may not be projected yet: then catch the projection up once before giving up.
 */
async function findPatient(runtime: FacilitiesRuntime, patientId: string): Promise<KnownPatientRow> {
  let patient = await knownPatient(runtime.db, patientId);
  if (!patient) {
    await runtime.consumer(PATIENT_PROJECTION).catchUp();
    patient = await knownPatient(runtime.db, patientId);
  }
  if (!patient) throw new NotFoundError('Patient', patientId);
  return patient;
}

async function findFacility(runtime: FacilitiesRuntime, facilityId: string): Promise<Facility> {
  const [facility] = await facilitiesByIds(runtime.db, [facilityId]);
  if (!facility) throw new NotFoundError('Facility', facilityId);
  return facility;
}

function assertJurisdiction(viewer: Viewer, wardCodes: string[], action: string): void {
  if (!wardCodes.some((ward) => coversWard(viewer, ward))) {
    throw graphQLError('FORBIDDEN', `Not authorized to ${action}: outside your jurisdiction`);
  }
}

function sameAdmissionRequest(a: Admission, input: AdmitInput): boolean {
  return a.patientId === input.patientId && a.facilityId === input.facilityId && a.bedKind === input.bedKind;
}

export async function admitPatient(runtime: FacilitiesRuntime, viewer: Viewer, input: AdmitInput): Promise<Admission> {
  const problems = new Problems();
  problems.check(input.patientId.trim() !== '', ['input', 'patientId'], 'patientId is required');
  problems.check(input.facilityId.trim() !== '', ['input', 'facilityId'], 'facilityId is required');
  validateIdempotencyKey(problems, input.idempotencyKey);
  problems.throwIfAny();

  const replay = async (): Promise<Admission | undefined> => {
    if (!input.idempotencyKey) return undefined;
    const existing = await admissionByIdempotencyKey(runtime.db, input.idempotencyKey);
    if (existing && !sameAdmissionRequest(existing, input)) {
      throw new ConflictError('This idempotencyKey was already used for a different admission');
    }
    return existing;
  };
  const previous = await replay();
  if (previous) return previous;

  const [patient, facility] = await Promise.all([findPatient(runtime, input.patientId), findFacility(runtime, input.facilityId)]);
  assertJurisdiction(viewer, [patient.ward_code, facility.wardCode], 'admit this patient');
  if (patient.status !== 'UNDER_TREATMENT') throw new PatientNotUnderTreatment(patient.id, patient.status);

  try {
    return await runtime.db.transaction().execute(async (trx) => {
      const current = await trx
        .selectFrom('facility')
        .select('status')
        .where('id', '=', facility.id)
        .forShare() // a concurrent status change to STANDBY or CLOSED waits for us, and we for it
        .executeTakeFirstOrThrow();
      if (!admitsPatients(current.status)) throw new FacilityNotAdmitting(facility.id, current.status);
      const active = await activeAdmissionOf(trx, patient.id);
      if (active) throw new PatientAlreadyAdmitted(patient.id, active.id);

      const beds = await takeBed(trx, facility.id, input.bedKind);
      if (!beds) {
        const exists = await findBeds(trx, facility.id, input.bedKind);
        throw exists ? new NoBedAvailable(facility.id, input.bedKind) : new BedKindNotOffered(facility.id, input.bedKind);
      }
      const admission = await insertAdmission(trx, {
        patientId: patient.id,
        facilityId: facility.id,
        bedKind: input.bedKind,
        idempotencyKey: input.idempotencyKey ?? null,
        recordedBy: viewer.subject,
      });
      await publish(trx, SCHEMA, [
        ...bedChangeEvents(facility, { ...beds, occupied: beds.occupied - 1 }, beds, 'ADMISSION'),
        admissionEvent(TOPICS.admissionStarted, admission),
      ]);
      return admission;
    });
  } catch (error) {
    // Lost a race: a concurrent retry with the same key, or a concurrent admission of the patient.
    // A retry that finds the patient admitted (by the check above or by the unique index) may be
    // finding its own first attempt: the key decides.
    const raced =
      error instanceof PatientAlreadyAdmitted ||
      isUniqueViolation(error, 'admission_idempotency_key_key') ||
      isUniqueViolation(error, 'admission_one_active_per_patient');
    if (raced) {
      const existing = await replay();
      if (existing) return existing;
    }
    if (isUniqueViolation(error, 'admission_one_active_per_patient')) {
      const active = await activeAdmissionOf(runtime.db, patient.id);
      throw new PatientAlreadyAdmitted(patient.id, active?.id ?? 'unknown');
    }
    throw error;
  }
}

async function lockOpenAdmission(trx: Transaction<FacilitiesDB>, admissionId: string): Promise<Admission> {
  const admission = await lockAdmission(trx, admissionId);
  if (!admission) throw new NotFoundError('Admission', admissionId);
  if (admission.dischargedAt) throw new AdmissionAlreadyEnded(admission.id);
  return admission;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function assertAdmissionId(id: string): void {
  if (!UUID.test(id)) throw new NotFoundError('Admission', id);
}

export async function dischargePatient(
  runtime: FacilitiesRuntime,
  viewer: Viewer,
  input: { admissionId: string; outcome: DischargeOutcome },
): Promise<Admission> {
  assertAdmissionId(input.admissionId);
  if (input.outcome === 'TRANSFERRED') {
    new Problems().add(['input', 'outcome'], 'Use transferPatient to move a patient to another facility').throwIfAny();
  }
  return runtime.db.transaction().execute(async (trx) => {
    const admission = await lockOpenAdmission(trx, input.admissionId);
    const facility = await findFacility(runtime, admission.facilityId);
    const patient = await knownPatient(trx, admission.patientId);
    assertJurisdiction(viewer, [facility.wardCode, ...(patient ? [patient.ward_code] : [])], 'discharge this patient');

    const ended = await endAdmission(trx, admission.id, input.outcome);
    const beds = await releaseBed(trx, admission.facilityId, admission.bedKind);
    await publish(trx, SCHEMA, [
      ...bedChangeEvents(facility, { ...beds, occupied: beds.occupied + 1 }, beds, 'DISCHARGE'),
      admissionEvent(TOPICS.admissionEnded, ended),
    ]);
    return ended;
  });
}

export interface TransferInput {
  admissionId: string;
  toFacilityId: string;
  bedKind: BedKind;
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
  assertAdmissionId(input.admissionId);
  const target = await findFacility(runtime, input.toFacilityId);
  return retryOnConflict(() =>
    runtime.db.transaction().execute(async (trx) => {
      const from = await lockOpenAdmission(trx, input.admissionId);
      if (from.facilityId === target.id && from.bedKind === input.bedKind) {
        new Problems()
          .add(['input', 'toFacilityId'], `The patient already holds a ${input.bedKind} bed in this facility; choose another facility or bed kind`)
          .throwIfAny();
      }
      const source = from.facilityId === target.id ? target : await findFacility(runtime, from.facilityId);
      const patient = await knownPatient(trx, from.patientId);
      assertJurisdiction(viewer, [source.wardCode, target.wardCode, ...(patient ? [patient.ward_code] : [])], 'transfer this patient');
      const status = await trx.selectFrom('facility').select('status').where('id', '=', target.id).forShare().executeTakeFirstOrThrow();
      if (!admitsPatients(status.status)) throw new FacilityNotAdmitting(target.id, status.status);

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
      });
      const ended = await linkTransfer(trx, from.id, to.id);
      await publish(trx, SCHEMA, [
        ...bedChangeEvents(source, { ...freed, occupied: freed.occupied + 1 }, freed, 'TRANSFER_OUT'),
        ...bedChangeEvents(target, { ...taken, occupied: taken.occupied - 1 }, taken, 'TRANSFER_IN'),
        admissionEvent(TOPICS.admissionEnded, ended),
        admissionEvent(TOPICS.admissionStarted, to),
      ]);
      return { from: ended, to };
    }),
  );
}
