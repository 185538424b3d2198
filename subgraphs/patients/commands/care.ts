/** Isolation orders and medicine packages. */
import type { Viewer } from '../../common/auth/viewer.js';
import { Problems } from '../../common/domain/errors.js';
import { cityDate, isValidCalendarDate } from '../../common/graphql/scalars.js';
import { endOpenIsolationOrders, insertIsolationOrder, insertMedicine } from '../db/care.repository.js';
import type { IsolationOrder, MedicineDispensed } from '../db/mappers.js';
import { NotEligible, PatientNotUnderTreatment } from '../domain/errors.js';
import { ineligibilityReasons, type MedicinePackage } from '../domain/medicine.js';
import { ageInMonths } from '../domain/warning-signs.js';
import type { PatientsRuntime } from '../context.js';
import { lockPatientFor } from './access.js';

export async function issueIsolationOrder(
  runtime: PatientsRuntime,
  viewer: Viewer,
  input: { patientId: string; documentNumber: string; startsOn: string; plannedEndOn: string },
): Promise<IsolationOrder> {
  const documentNumber = input.documentNumber.trim();
  const problems = new Problems()
    .check(documentNumber.length >= 3 && documentNumber.length <= 50, ['input', 'documentNumber'], 'documentNumber must be 3 to 50 characters')
    .check(isValidCalendarDate(input.startsOn), ['input', 'startsOn'], 'startsOn must be a date')
    .check(isValidCalendarDate(input.plannedEndOn), ['input', 'plannedEndOn'], 'plannedEndOn must be a date');
  if (problems.empty && input.plannedEndOn < input.startsOn) problems.add(['input', 'plannedEndOn'], 'plannedEndOn cannot be before startsOn');
  problems.throwIfAny();
  return runtime.db.transaction().execute(async (trx) => {
    const patient = await lockPatientFor(trx, viewer, input.patientId, 'issue an isolation order for this patient');
    if (patient.status !== 'UNDER_TREATMENT') throw new PatientNotUnderTreatment(patient.id, patient.status);
    await endOpenIsolationOrders(trx, patient.id); // a new order supersedes the current one
    return insertIsolationOrder(trx, {
      patient_id: patient.id,
      document_number: documentNumber,
      starts_on: input.startsOn,
      planned_end_on: input.plannedEndOn,
      ended_at: null,
      issued_by: viewer.subject,
    });
  });
}

export async function dispenseMedicine(
  runtime: PatientsRuntime,
  viewer: Viewer,
  input: { patientId: string; package: MedicinePackage; doctorOrder: boolean; screened: boolean; consent: boolean },
  now = new Date(),
): Promise<MedicineDispensed> {
  return runtime.db.transaction().execute(async (trx) => {
    const patient = await lockPatientFor(trx, viewer, input.patientId, 'dispense medicine to this patient');
    if (patient.status !== 'UNDER_TREATMENT') throw new PatientNotUnderTreatment(patient.id, patient.status);
    const reasons = ineligibilityReasons({
      ...input,
      ageYears: Math.floor(ageInMonths(patient.dateOfBirth, cityDate(now)) / 12),
      riskFactors: patient.riskFactors,
    });
    if (reasons.length) throw new NotEligible(reasons);
    return insertMedicine(trx, {
      patient_id: patient.id,
      package: input.package,
      doctor_order: input.doctorOrder,
      screened: input.screened,
      consent: input.consent,
      dispensed_by: viewer.subject,
    });
  });
}
