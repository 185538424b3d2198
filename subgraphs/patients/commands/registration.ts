/**
 * Registering a confirmed case (F0). Input is checked field by field and every problem is
 * reported at once with its path; nothing is written unless all of it is right.
 */
import type { TreatmentTier } from '../../common/domain/enums.js';
import { coversWard, type Viewer } from '../../common/auth/viewer.js';
import { isValidCalendarDate, cityDate } from '../../common/graphql/scalars.js';
import { ConflictError, Problems } from '../../common/domain/errors.js';
import { isUniqueViolation } from '../../common/db/errors.js';
import { transactionPublishingAtCommit } from '../../common/events/publish.js';
import { TOPICS } from '../../common/events/catalog.js';
import { insertPatient, nextCaseCode, openCaseByNationalId, patientByIdempotencyKey, tierChangesByPatients } from '../db/patient.repository.js';
import type { Patient } from '../db/mappers.js';
import type { ConfirmationMethod, Sex } from '../db/tables.js';
import { checkIdempotencyKey } from '../../common/domain/input-rules.js';
import { checkPerson } from '../domain/person.js';
import { riskFactorsFor, type RiskFactor } from '../domain/risk.js';
import { ageInMonths } from '../domain/warning-signs.js';
import { DuplicateActiveCase } from '../domain/errors.js';
import type { PatientsRuntime } from '../context.js';
import { assertCaresFor } from './access.js';
import { patientStateEvent } from './events.js';

export interface RegisterPatientInput {
  fullName: string;
  dateOfBirth: string;
  sex: Sex;
  nationalId?: string | null;
  phone?: string | null;
  wardCode: string;
  address: string;
  confirmedAt: Date;
  confirmation: ConfirmationMethod;
  tier: TreatmentTier;
  riskFactors?: readonly RiskFactor[] | null;
  idempotencyKey?: string | null;
}

/** The first day the city reported Omicron-era data in this system; earlier confirmations are typos. */
const EARLIEST_CONFIRMATION = new Date('2020-01-01T00:00:00+07:00');
const CLOCK_SKEW_MS = 5 * 60_000;

/** What a registration writes, normalised as it is stored: a retry must match all of it. */
type Registration = Pick<
  Patient,
  'fullName' | 'dateOfBirth' | 'sex' | 'nationalId' | 'phone' | 'wardCode' | 'address' | 'confirmedAt' | 'confirmation' | 'tier' | 'riskFactors'
>;

/**
 * Is `p` the patient this request registered? The tier may have changed since, so the request's
 * tier is compared with the tier the case was registered at.
 */
async function sameRegistration(runtime: PatientsRuntime, p: Patient, r: Registration): Promise<boolean> {
  const same =
    p.fullName === r.fullName &&
    p.dateOfBirth === r.dateOfBirth &&
    p.sex === r.sex &&
    p.nationalId === r.nationalId &&
    p.phone === r.phone &&
    p.wardCode === r.wardCode &&
    p.address === r.address &&
    p.confirmedAt.getTime() === r.confirmedAt.getTime() &&
    p.confirmation === r.confirmation &&
    p.riskFactors.join() === r.riskFactors.join();
  if (!same) return false;
  const changes = await tierChangesByPatients(runtime.db, [p.id]);
  return (changes[0]?.from ?? p.tier) === r.tier;
}

export async function registerPatient(runtime: PatientsRuntime, viewer: Viewer, input: RegisterPatientInput, now = new Date()): Promise<Patient> {
  const path = (field: string) => ['input', field];
  const problems = new Problems();
  const today = cityDate(now);
  const { fullName, nationalId, phone, ward, address } = checkPerson(problems, input, today);

  if (input.confirmedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) problems.add(path('confirmedAt'), 'confirmedAt cannot be in the future');
  else if (input.confirmedAt < EARLIEST_CONFIRMATION) problems.add(path('confirmedAt'), 'confirmedAt is before the pandemic (2020)');
  else if (isValidCalendarDate(input.dateOfBirth) && cityDate(input.confirmedAt) < input.dateOfBirth) {
    problems.add(path('confirmedAt'), 'confirmedAt cannot be before the date of birth');
  }
  checkIdempotencyKey(problems, input.idempotencyKey, path('idempotencyKey'));
  problems.throwIfAny();
  // Jurisdiction first: a key replays nothing for someone who may not register here.
  assertCaresFor(viewer, ward!.code, 'register a patient in this ward');

  const ageYears = Math.floor(ageInMonths(input.dateOfBirth, cityDate(input.confirmedAt)) / 12);
  const registration: Registration = {
    fullName,
    dateOfBirth: input.dateOfBirth,
    sex: input.sex,
    nationalId,
    phone,
    wardCode: ward!.code,
    address,
    confirmedAt: input.confirmedAt,
    confirmation: input.confirmation,
    tier: input.tier,
    riskFactors: riskFactorsFor(input.riskFactors ?? [], ageYears),
  };
  const replay = async () => {
    if (!input.idempotencyKey) return undefined;
    const existing = await patientByIdempotencyKey(runtime.db, input.idempotencyKey);
    if (existing && !(coversWard(viewer, existing.wardCode) && (await sameRegistration(runtime, existing, registration)))) {
      throw new ConflictError('This idempotencyKey was already used for a different registration; use a new key for a new patient');
    }
    return existing;
  };
  /** The open case of this citizen ID, named only to a viewer who covers its ward. */
  const duplicate = (open: Patient) => new DuplicateActiveCase(coversWard(viewer, open.wardCode) ? open.id : null);
  const previous = await replay();
  if (previous) return previous;
  if (nationalId) {
    const open = await openCaseByNationalId(runtime.db, nationalId);
    if (open) throw duplicate(open);
  }

  try {
    // The insert's trigger locks the ward's and the district's case counter rows until the commit:
    // the event and the COMMIT follow in one message, so no other round trip happens under them
    // (registrations of one ward, and of one district on one day, queue for those rows).
    return await transactionPublishingAtCommit(runtime.db, async (trx) => {
      const patient = await insertPatient(trx, {
        case_code: await nextCaseCode(trx, ward!.districtCode),
        full_name: fullName,
        date_of_birth: input.dateOfBirth,
        sex: input.sex,
        national_id: nationalId,
        phone,
        ward_code: ward!.code,
        district_code: ward!.districtCode,
        address,
        confirmed_at: input.confirmedAt,
        confirmation: input.confirmation,
        risk_factors: registration.riskFactors,
        tier: input.tier,
        facility_id: null,
        admission_id: null,
        last_check_at: null,
        ended_at: null,
        registered_by: viewer.subject,
        idempotency_key: input.idempotencyKey ?? null,
      });
      return { value: patient, events: [patientStateEvent(TOPICS.patientRegistered, patient)] };
    });
  } catch (error) {
    // A concurrent request with the same key and citizen ID may meet either unique index first
    // (CI once answered a retry DuplicateActiveCase): the key decides, as for admissions.
    if (isUniqueViolation(error, 'patient_idempotency_key_key') || isUniqueViolation(error, 'patient_one_open_case_per_national_id')) {
      const existing = await replay();
      if (existing) return existing;
    }
    if (isUniqueViolation(error, 'patient_one_open_case_per_national_id') && nationalId) {
      const open = await openCaseByNationalId(runtime.db, nationalId);
      if (open) throw duplicate(open);
    }
    throw error;
  }
}
