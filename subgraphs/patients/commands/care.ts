/** Isolation orders and medicine packages. */
import type { Viewer } from '../../common/auth/viewer.js';
import { ConflictError, Problems } from '../../common/domain/errors.js';
import { isUniqueViolation } from '../../common/db/errors.js';
import { TEXT_LIMITS, checkId, checkIdempotencyKey, checkOptionalText } from '../../common/domain/input-rules.js';
import { cityDate, isValidCalendarDate } from '../../common/graphql/scalars.js';
import { endOpenIsolationOrders, insertIsolationOrder, insertMedicine, medicineByIdempotencyKey } from '../db/care.repository.js';
import type { IsolationOrder, MedicineDispensed } from '../db/mappers.js';
import { NotEligible, PatientNotUnderTreatment } from '../domain/errors.js';
import { ineligibilityReasons, type MedicinePackage } from '../domain/medicine.js';
import { ageInMonths } from '../domain/warning-signs.js';
import { packageItem } from '../domain/supplies.js';
import { stockPlaceFor, takeStock, wardStockPlace } from './supplies.js';
import { publish } from '../../common/events/publish.js';
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

export interface DispenseInput {
  patientId: string;
  package: MedicinePackage;
  doctorOrder: boolean;
  screened: boolean;
  consent: boolean;
  /** The station whose stock the package is taken from. */
  stationId?: string | null;
  orderReference?: string | null;
  prescriber?: string | null;
  idempotencyKey?: string | null;
}

/** Everything a dispense records, as stored: a retry under the same key must match all of it. */
const sameDispense = (m: MedicineDispensed, i: DispenseInput & { stationId: string | null; orderReference: string | null; prescriber: string | null }) =>
  m.patientId === i.patientId &&
  m.package === i.package &&
  m.doctorOrder === i.doctorOrder &&
  m.screened === i.screened &&
  m.consent === i.consent &&
  m.facilityId === i.stationId &&
  m.orderReference === i.orderReference &&
  m.prescriber === i.prescriber;

export async function dispenseMedicine(
  runtime: PatientsRuntime,
  viewer: Viewer,
  input: DispenseInput,
  requestId: string,
  now = new Date(),
): Promise<MedicineDispensed> {
  const problems = new Problems();
  const stationId = input.stationId == null ? null : checkId(problems, input.stationId, ['input', 'stationId'], 'stationId');
  const orderReference = checkOptionalText(problems, input.orderReference, ['input', 'orderReference'], 'orderReference', { max: TEXT_LIMITS.LABEL });
  const prescriber = checkOptionalText(problems, input.prescriber, ['input', 'prescriber'], 'prescriber', { max: TEXT_LIMITS.NAME });
  // Molnupiravir is given only on a doctor's order that can be traced.
  if (input.package === 'C') {
    problems.check(orderReference !== null, ['input', 'orderReference'], "Package C (molnupiravir) needs the doctor's order reference");
    problems.check(prescriber !== null, ['input', 'prescriber'], 'Package C (molnupiravir) needs the prescribing doctor');
  }
  checkIdempotencyKey(problems, input.idempotencyKey, ['input', 'idempotencyKey']);
  problems.throwIfAny();
  const station = stationId
    ? await stockPlaceFor(runtime, viewer, stationId, requestId, 'dispense from this station')
    : await wardStockPlace(runtime, viewer, input.patientId, packageItem(input.package));
  const recorded = { ...input, stationId: station.facilityId, orderReference, prescriber };
  const replay = async (): Promise<MedicineDispensed | undefined> => {
    const existing = input.idempotencyKey ? await medicineByIdempotencyKey(runtime.db, viewer.subject, input.idempotencyKey) : undefined;
    if (existing && !sameDispense(existing, recorded)) {
      throw new ConflictError('This idempotencyKey was already used for a different dispense; use a new key for a new dispense');
    }
    return existing;
  };
  const done = await replay();
  if (done) {
    await runtime.db.transaction().execute((trx) => lockPatientFor(trx, viewer, input.patientId, 'dispense medicine to this patient'));
    return done;
  }
  try {
    return await runtime.db.transaction().execute(async (trx) => {
      const patient = await lockPatientFor(trx, viewer, input.patientId, 'dispense medicine to this patient');
      if (patient.status !== 'UNDER_TREATMENT') throw new PatientNotUnderTreatment(patient.id, patient.status);
      const reasons = ineligibilityReasons({
        ...input,
        ageYears: Math.floor(ageInMonths(patient.dateOfBirth, cityDate(now)) / 12),
        riskFactors: patient.riskFactors,
      });
      if (reasons.length) throw new NotEligible(reasons);
      const taken = await takeStock(trx, viewer, { ...station, item: packageItem(input.package) }, 'DISPENSED', 1, {
          patient_id: patient.id,
          reason: `Medicine package ${input.package} for a patient under treatment`,
          order_reference: orderReference,
          prescriber,
        });
      const dispensed = await insertMedicine(trx, {
        patient_id: patient.id,
        package: input.package,
        doctor_order: input.doctorOrder,
        screened: input.screened,
        consent: input.consent,
        dispensed_by: viewer.subject,
        facility_id: recorded.stationId,
        order_reference: orderReference,
        prescriber,
        movement_id: taken.movement.id,
        idempotency_key: input.idempotencyKey ?? null,
      });
      await publish(trx, [taken.event]);
      return dispensed;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'medicine_package_actor_key')) {
      const existing = await replay();
      if (existing) return existing;
    }
    throw error;
  }
}
