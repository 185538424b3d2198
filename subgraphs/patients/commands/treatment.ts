/** Tier changes and the end of a case (recovery or death). */
import type { TreatmentTier } from '../../common/domain/enums.js';
import type { Viewer } from '../../common/auth/viewer.js';
import { Problems } from '../../common/domain/errors.js';
import { publish } from '../../common/events/publish.js';
import { TOPICS, type TierChangedPayload } from '../../common/events/catalog.js';
import { insertTierChange, updatePatient } from '../db/patient.repository.js';
import { endOpenIsolationOrders } from '../db/care.repository.js';
import { isCritical, recordCriticalStatus } from '../db/treatment.repository.js';
import type { Patient, TierChange } from '../db/mappers.js';
import { InvalidTierTransition, PatientNotUnderTreatment } from '../domain/errors.js';
import type { PatientsRuntime } from '../context.js';
import { lockPatientFor } from './access.js';
import { patientStateEvent } from './events.js';

const REASON_MAX = 500;

export async function changeTier(
  runtime: PatientsRuntime,
  viewer: Viewer,
  input: { patientId: string; to: TreatmentTier; reason: string; critical?: boolean | null },
): Promise<{ patient: Patient; change: TierChange }> {
  const reason = input.reason.trim();
  new Problems()
    .check(reason.length >= 3 && reason.length <= REASON_MAX, ['input', 'reason'], `reason must be 3 to ${REASON_MAX} characters`)
    .check(input.critical == null || input.to === 'TIER_3', ['input', 'critical'], 'critical is recorded for tier-3 patients only')
    .throwIfAny();
  return runtime.db.transaction().execute(async (trx) => {
    const patient = await lockPatientFor(trx, viewer, input.patientId, 'change the tier of this patient');
    if (patient.status !== 'UNDER_TREATMENT') throw new PatientNotUnderTreatment(patient.id, patient.status);
    if (patient.tier === input.to) {
      throw new InvalidTierTransition(patient.id, patient.tier, input.to, `Patient is already ${input.to}; a tier change must change the tier`);
    }
    const change = await insertTierChange(trx, { patientId: patient.id, from: patient.tier, to: input.to, reason, recordedBy: viewer.subject });
    const updated = await updatePatient(trx, patient.id, { tier: input.to });
    // Leaving tier 3 ends critical status; entering it records the clinician's judgement if given.
    if (input.critical != null || (patient.tier === 'TIER_3' && (await isCritical(trx, patient.id)))) {
      await recordCriticalStatus(trx, { patientId: patient.id, critical: input.to === 'TIER_3' && !!input.critical, at: change.at, recordedBy: viewer.subject });
    }
    const payload: TierChangedPayload = {
      patientId: patient.id,
      wardCode: patient.wardCode,
      districtCode: patient.districtCode,
      from: change.from,
      to: change.to,
      reason,
      at: change.at.toISOString(),
    };
    await publish(trx, [
      { topic: TOPICS.tierChanged, key: patient.id, payload },
      patientStateEvent(TOPICS.patientUpdated, updated),
    ]);
    return { patient: updated, change };
  });
}

export type CaseOutcome = 'RECOVERED' | 'DECEASED';

export async function closeCase(
  runtime: PatientsRuntime,
  viewer: Viewer,
  input: { patientId: string; outcome: CaseOutcome; at?: Date | null },
  now = new Date(),
): Promise<Patient> {
  const at = input.at ?? now;
  new Problems().check(at.getTime() <= now.getTime() + 5 * 60_000, ['input', 'at'], 'at cannot be in the future').throwIfAny();
  return runtime.db.transaction().execute(async (trx) => {
    const patient = await lockPatientFor(trx, viewer, input.patientId, 'close the case of this patient');
    if (patient.status !== 'UNDER_TREATMENT') throw new PatientNotUnderTreatment(patient.id, patient.status);
    new Problems().check(at >= patient.confirmedAt, ['input', 'at'], 'at cannot be before the case was confirmed').throwIfAny();
    const updated = await updatePatient(trx, patient.id, { status: input.outcome, ended_at: at });
    await endOpenIsolationOrders(trx, patient.id);
    await publish(trx, [patientStateEvent(TOPICS.patientUpdated, updated)]);
    return updated;
  });
}
