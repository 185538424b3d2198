/** Daily checks of patients: vitals and symptoms, evaluated against the warning signs. */
import type { Viewer } from '../../common/auth/viewer.js';
import { Problems } from '../../common/domain/errors.js';
import { cityDate } from '../../common/graphql/scalars.js';
import { publish } from '../../common/events/publish.js';
import { TOPICS } from '../../common/events/catalog.js';
import { insertDailyCheck } from '../db/care.repository.js';
import { recordCriticalStatus } from '../db/treatment.repository.js';
import { updatePatient } from '../db/patient.repository.js';
import type { DailyCheck, Patient } from '../db/mappers.js';
import { PatientNotUnderTreatment } from '../domain/errors.js';
import { ageInMonths, assess, type Symptom } from '../domain/warning-signs.js';
import type { PatientsRuntime } from '../context.js';
import { lockPatientFor } from './access.js';

export interface DailyCheckInput {
  patientId: string;
  at: Date;
  spo2: number;
  temperatureC?: number | null;
  respiratoryRate?: number | null;
  heartRate?: number | null;
  systolic?: number | null;
  diastolic?: number | null;
  symptoms?: readonly Symptom[] | null;
  /** Tier-3 patients only: the clinician's judgement that the patient is (or no longer is) critical. */
  critical?: boolean | null;
}

export interface EscalationPayload {
  patientId: string;
  wardCode: string;
  districtCode: string;
  checkId: number;
  warningSigns: string[];
  currentTier: string;
  suggestedTier: string;
  at: string;
}

const range = (problems: Problems, value: number | null | undefined, field: string, min: number, max: number, unit: string) => {
  if (value == null) return;
  problems.check(Number.isFinite(value) && value >= min && value <= max, ['input', field], `${field} must be between ${min} and ${max} ${unit}`);
};

export async function recordDailyCheck(
  runtime: PatientsRuntime,
  viewer: Viewer,
  input: DailyCheckInput,
  now = new Date(),
): Promise<{ patient: Patient; check: DailyCheck }> {
  const problems = new Problems();
  problems.check(Number.isInteger(input.spo2) && input.spo2 >= 50 && input.spo2 <= 100, ['input', 'spo2'], 'spo2 must be a whole percentage between 50 and 100');
  range(problems, input.temperatureC, 'temperatureC', 30, 45, '°C');
  range(problems, input.respiratoryRate, 'respiratoryRate', 4, 100, 'breaths per minute');
  range(problems, input.heartRate, 'heartRate', 20, 250, 'beats per minute');
  range(problems, input.systolic, 'systolic', 40, 260, 'mmHg');
  range(problems, input.diastolic, 'diastolic', 20, 160, 'mmHg');
  if (input.systolic != null && input.diastolic != null && input.diastolic >= input.systolic) {
    problems.add(['input', 'diastolic'], 'diastolic must be below systolic');
  }
  problems.check(input.at.getTime() <= now.getTime() + 5 * 60_000, ['input', 'at'], 'at cannot be in the future');
  problems.throwIfAny();

  return runtime.db.transaction().execute(async (trx) => {
    const patient = await lockPatientFor(trx, viewer, input.patientId, 'record a check for this patient');
    if (patient.status !== 'UNDER_TREATMENT') throw new PatientNotUnderTreatment(patient.id, patient.status);
    new Problems()
      .check(input.at >= patient.confirmedAt, ['input', 'at'], 'at cannot be before the case was confirmed')
      .check(input.critical == null || patient.tier === 'TIER_3', ['input', 'critical'], 'critical is recorded for tier-3 patients only; change the tier first')
      .throwIfAny();
    if (input.critical != null) await recordCriticalStatus(trx, { patientId: patient.id, critical: input.critical, at: input.at, recordedBy: viewer.subject });

    const assessment = assess(input, ageInMonths(patient.dateOfBirth, cityDate(input.at)), patient.tier);
    const check = await insertDailyCheck(trx, {
      patient_id: patient.id,
      at: input.at,
      spo2: input.spo2,
      temperature_c: input.temperatureC ?? null,
      respiratory_rate: input.respiratoryRate ?? null,
      heart_rate: input.heartRate ?? null,
      systolic: input.systolic ?? null,
      diastolic: input.diastolic ?? null,
      symptoms: [...new Set(input.symptoms ?? [])],
      warning_signs: assessment.warningSigns,
      needs_escalation: assessment.needsEscalation,
      suggested_tier: assessment.suggestedTier,
      recorded_by: viewer.subject,
    });
    const updated =
      !patient.lastCheckAt || input.at > patient.lastCheckAt ? await updatePatient(trx, patient.id, { last_check_at: input.at }) : patient;
    if (assessment.needsEscalation) {
      const payload: EscalationPayload = {
        patientId: patient.id,
        wardCode: patient.wardCode,
        districtCode: patient.districtCode,
        checkId: check.id,
        warningSigns: assessment.warningSigns,
        currentTier: patient.tier,
        suggestedTier: assessment.suggestedTier,
        at: input.at.toISOString(),
      };
      await publish(trx, [{ topic: TOPICS.escalationRaised, key: patient.id, payload }]);
    }
    return { patient: updated, check };
  });
}
