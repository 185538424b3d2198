/**
 * F1 contacts of a case, their quarantine orders, and the conversion of a contact who tests
 * positive into a case (F0) from the identity already on record. Input is checked field by field
 * and every problem reported at once; jurisdiction over every ward a write touches (the contact's,
 * the index case's, the quarantine area's) is checked before anything is written; each write is
 * one transaction.
 */
import type { ConfirmationMethod, ExposureSetting, QuarantineEndReason, QuarantinePlace, Sex } from '../db/tables.js';
import type { TreatmentTier } from '../../common/domain/enums.js';
import { coversWard, type Viewer } from '../../common/auth/viewer.js';
import { assertCoversAll, notFoundFor } from '../../common/auth/jurisdiction.js';
import { ConflictError, NotFoundError, Problems } from '../../common/domain/errors.js';
import { cityDate, isValidCalendarDate } from '../../common/graphql/scalars.js';
import { isUniqueViolation } from '../../common/db/errors.js';
import { publish, type NewEvent } from '../../common/events/publish.js';
import { TOPICS, type QuarantineChangedPayload } from '../../common/events/catalog.js';
import { TEXT_LIMITS, checkIdempotencyKey, isUuid } from '../../common/domain/input-rules.js';
import { checkPerson } from '../domain/person.js';
import type { Transaction } from '../../common/db/database.js';
import type { PatientsDB } from '../db/tables.js';
import {
  contactByIdempotencyKey,
  contactsByIds,
  contactsByPatients,
  endQuarantineOrderRow,
  insertContact,
  insertQuarantineOrder,
  lockActiveOrderOf,
  lockContact,
  lockQuarantineOrder,
  markConverted,
  ordersByContacts,
  quarantineOrderByIdempotencyKey,
  recordDecision,
  type Contact,
  type QuarantineOrder,
} from '../db/contact.repository.js';
import { insertPatient, nextCaseCode, openCaseByNationalId, patientByIdempotencyKey, patientsByIds, tierChangesByPatients } from '../db/patient.repository.js';
import type { Patient } from '../db/mappers.js';
import { riskFactorsFor, type RiskFactor } from '../domain/risk.js';
import { ageInMonths } from '../domain/warning-signs.js';
import {
  ContactAlreadyConverted,
  ContactAlreadyQuarantined,
  DuplicateActiveCase,
  DuplicateDecisionNumber,
  NotAQuarantineArea,
  QuarantineAreaFull,
  QuarantineOrderEnded,
} from '../domain/errors.js';
import type { PatientsRuntime } from '../context.js';
import { assertCaresFor } from './access.js';
import { patientStateEvent } from './events.js';
import { QUARANTINE_AREAS, type QuarantineAreaDirectory } from './quarantine-areas.js';

const EARLIEST = '2020-01-01';
const EARLIEST_CONFIRMATION = new Date('2020-01-01T00:00:00+07:00');
const CLOCK_SKEW_MS = 5 * 60_000;
/** Decision numbers as printed on the decision, e.g. "125/QĐ-UBND". */
const DECISION_NUMBER = { min: 3, max: 50 } as const;

const path = (field: string) => ['input', field];

function checkDecisionNumber(problems: Problems, value: string, field: string): string {
  const trimmed = value.trim();
  problems.check(trimmed.length >= DECISION_NUMBER.min && trimmed.length <= DECISION_NUMBER.max, path(field), `${field} must be ${DECISION_NUMBER.min} to ${DECISION_NUMBER.max} characters`);
  return trimmed;
}

function checkPastDate(problems: Problems, value: string, field: string, today: string): void {
  if (!isValidCalendarDate(value)) problems.add(path(field), `${field} must be a real calendar date`);
  else if (value > today) problems.add(path(field), `${field} cannot be in the future`);
  else if (value < EARLIEST) problems.add(path(field), `${field} is before the pandemic (2020)`);
}

/** The quarantine event facilities counts area occupancy from (no personal data). */
function quarantineEvent(order: QuarantineOrder, contact: Pick<Contact, 'wardCode' | 'districtCode'>): NewEvent<QuarantineChangedPayload> {
  return {
    topic: TOPICS.quarantineChanged,
    key: order.id,
    payload: {
      orderId: order.id,
      contactId: order.contactId,
      place: order.place,
      facilityId: order.facilityId,
      wardCode: contact.wardCode,
      districtCode: contact.districtCode,
      active: order.endedOn === null,
      startsOn: order.startsOn,
      endedOn: order.endedOn,
      endReason: order.endReason,
      at: (order.endedAt ?? order.issuedAt).toISOString(),
    },
  };
}

/** Wards an order touches: the contact's, and the quarantine area's. */
const wardsOf = (contact: Contact, order?: QuarantineOrder) => [contact.wardCode, ...(order?.facilityWardCode ? [order.facilityWardCode] : [])];

/** A contact for a write. Unknown and foreign contacts look alike to anyone but the city. */
async function contactFor(db: PatientsRuntime['db'] | Transaction<PatientsDB>, viewer: Viewer, id: string, action: string): Promise<Contact> {
  const [contact] = isUuid(id) ? await contactsByIds(db, [id]) : [];
  if (!contact) throw notFoundFor(viewer, 'Contact', id, action);
  assertCaresFor(viewer, contact.wardCode, action);
  return contact;
}

// ---------------------------------------------------------------------------------------------
// recordContact

export interface RecordContactInput {
  indexPatientId: string;
  fullName: string;
  dateOfBirth: string;
  sex: Sex;
  nationalId?: string | null;
  phone?: string | null;
  wardCode: string;
  address: string;
  exposure: ExposureSetting;
  exposedOn: string;
  idempotencyKey?: string | null;
}

export async function recordContact(runtime: PatientsRuntime, viewer: Viewer, input: RecordContactInput, now = new Date()): Promise<Contact> {
  const problems = new Problems();
  const today = cityDate(now);
  const { fullName, nationalId, phone, ward, address } = checkPerson(problems, input, today);
  checkPastDate(problems, input.exposedOn, 'exposedOn', today);
  problems.check(isUuid(input.indexPatientId), path('indexPatientId'), 'indexPatientId must be a patient id');
  checkIdempotencyKey(problems, input.idempotencyKey, path('idempotencyKey'));
  problems.throwIfAny();
  const action = 'record a contact in this ward';
  assertCaresFor(viewer, ward!.code, action);
  // The index case is read and linked: it must be in the viewer's jurisdiction too.
  const [index] = await patientsByIds(runtime.db, [input.indexPatientId]);
  if (!index) throw notFoundFor(viewer, 'Patient', input.indexPatientId, 'record a contact of this patient');
  assertCaresFor(viewer, index.wardCode, 'record a contact of this patient');

  const same = (c: Contact) =>
    c.fullName === fullName &&
    c.dateOfBirth === input.dateOfBirth &&
    c.sex === input.sex &&
    c.nationalId === nationalId &&
    c.phone === phone &&
    c.wardCode === ward!.code &&
    c.address === address &&
    c.indexPatientId === index.id &&
    c.exposure === input.exposure &&
    c.exposedOn === input.exposedOn;
  const replay = async () => {
    if (!input.idempotencyKey) return undefined;
    const existing = await contactByIdempotencyKey(runtime.db, input.idempotencyKey);
    if (existing && !(coversWard(viewer, existing.wardCode) && same(existing))) {
      throw new ConflictError('This idempotencyKey was already used for a different contact; use a new key for a new contact');
    }
    return existing;
  };
  const previous = await replay();
  if (previous) return previous;
  try {
    return await runtime.db.transaction().execute((trx) =>
      insertContact(trx, {
        full_name: fullName,
        date_of_birth: input.dateOfBirth,
        sex: input.sex,
        national_id: nationalId,
        phone,
        ward_code: ward!.code,
        district_code: ward!.districtCode,
        address,
        index_patient_id: index.id,
        exposure: input.exposure,
        exposed_on: input.exposedOn,
        patient_id: null,
        converted_at: null,
        recorded_by: viewer.subject,
        idempotency_key: input.idempotencyKey ?? null,
      }),
    );
  } catch (error) {
    if (isUniqueViolation(error, 'contact_idempotency_key_key')) {
      const existing = await replay();
      if (existing) return existing;
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// orderQuarantine

export interface OrderQuarantineInput {
  contactId: string;
  place: QuarantinePlace;
  facilityId?: string | null;
  decisionNumber: string;
  startsOn: string;
  plannedEndOn: string;
  idempotencyKey?: string | null;
}

export async function orderQuarantine(runtime: PatientsRuntime, viewer: Viewer, input: OrderQuarantineInput, requestId: string): Promise<QuarantineOrder> {
  const problems = new Problems();
  const decisionNumber = checkDecisionNumber(problems, input.decisionNumber, 'decisionNumber');
  const facilityId = input.facilityId?.trim() || null;
  if (input.place === 'QUARANTINE_AREA') {
    problems.check(!!facilityId && facilityId.length <= TEXT_LIMITS.ID, path('facilityId'), `facilityId (1 to ${TEXT_LIMITS.ID} characters) is required for a quarantine area`);
  } else {
    problems.check(!facilityId, path('facilityId'), 'facilityId is only for place QUARANTINE_AREA');
  }
  problems.check(isValidCalendarDate(input.startsOn) && input.startsOn >= EARLIEST, path('startsOn'), 'startsOn must be a real calendar date from 2020');
  problems.check(isValidCalendarDate(input.plannedEndOn), path('plannedEndOn'), 'plannedEndOn must be a real calendar date');
  if (problems.empty && input.plannedEndOn < input.startsOn) problems.add(path('plannedEndOn'), 'plannedEndOn cannot be before startsOn');
  checkIdempotencyKey(problems, input.idempotencyKey, path('idempotencyKey'));
  problems.throwIfAny();

  const action = 'order quarantine for this contact';
  const contact = await contactFor(runtime.db, viewer, input.contactId, action);
  if (input.idempotencyKey) {
    const existing = await quarantineOrderByIdempotencyKey(runtime.db, input.idempotencyKey);
    if (existing) {
      const same =
        existing.contactId === contact.id &&
        existing.place === input.place &&
        existing.facilityId === facilityId &&
        existing.decisionNumber === decisionNumber &&
        existing.startsOn === input.startsOn &&
        existing.plannedEndOn === input.plannedEndOn;
      if (!same || !wardsOf(contact, existing).every((w) => coversWard(viewer, w))) {
        throw new ConflictError('This idempotencyKey was already used for a different quarantine order; use a new key for a new order');
      }
      return existing;
    }
  }
  let facilityWardCode: string | null = null;
  if (facilityId) {
    const area = await runtime.service<QuarantineAreaDirectory>(QUARANTINE_AREAS).lookup(facilityId, requestId);
    if (!area) throw new NotFoundError('Facility', facilityId);
    if (area.kind !== 'QUARANTINE_AREA') throw new NotAQuarantineArea(facilityId, 'is not a concentrated quarantine area');
    assertCoversAll(viewer, [area.wardCode], 'order quarantine in this quarantine area');
    if (area.status !== 'ACTIVE') throw new NotAQuarantineArea(facilityId, `is ${area.status.toLowerCase()}, not active`);
    if ((area.available ?? 0) <= 0) throw new QuarantineAreaFull(facilityId);
    facilityWardCode = area.wardCode;
  }
  try {
    return await runtime.db.transaction().execute(async (trx) => {
      const locked = (await lockContact(trx, contact.id))!;
      if (locked.patientId) throw new ContactAlreadyConverted(locked.id, locked.patientId);
      const active = await lockActiveOrderOf(trx, locked.id);
      if (active) throw new ContactAlreadyQuarantined(locked.id, active.id);
      const order = await insertQuarantineOrder(trx, {
        contact_id: locked.id,
        place: input.place,
        facility_id: facilityId,
        facility_ward_code: facilityWardCode,
        issuing_ward_code: locked.wardCode,
        decision_number: decisionNumber,
        starts_on: input.startsOn,
        planned_end_on: input.plannedEndOn,
        end_decision_number: null,
        ended_on: null,
        end_reason: null,
        issued_by: viewer.subject,
        ended_at: null,
        ended_by: null,
        idempotency_key: input.idempotencyKey ?? null,
      });
      await recordDecision(trx, locked.wardCode, decisionNumber, order.id, 'START');
      await publish(trx, [quarantineEvent(order, locked)]);
      return order;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'quarantine_decision_pk')) throw new DuplicateDecisionNumber(contact.wardCode, decisionNumber);
    if (isUniqueViolation(error, 'quarantine_order_idempotency_key_key') || isUniqueViolation(error, 'quarantine_order_one_active_per_contact')) {
      // A concurrent request for the same contact committed first: answer as if it came before.
      return orderQuarantine(runtime, viewer, input, requestId);
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// endQuarantine

export interface EndQuarantineInput {
  orderId: string;
  decisionNumber: string;
  endedOn: string;
  reason: QuarantineEndReason;
}

export async function endQuarantine(runtime: PatientsRuntime, viewer: Viewer, input: EndQuarantineInput, now = new Date()): Promise<QuarantineOrder> {
  const problems = new Problems();
  const decisionNumber = checkDecisionNumber(problems, input.decisionNumber, 'decisionNumber');
  checkPastDate(problems, input.endedOn, 'endedOn', cityDate(now));
  problems.check(
    input.reason !== 'TESTED_POSITIVE',
    path('reason'),
    'A contact who tested positive becomes a case: use convertContactToCase, which ends the order with reason TESTED_POSITIVE',
  );
  problems.throwIfAny();
  const action = 'end this quarantine order';
  let issuingWard = '';
  try {
    return await runtime.db.transaction().execute(async (trx) => {
      const order = isUuid(input.orderId) ? await lockQuarantineOrder(trx, input.orderId) : undefined;
      if (!order) throw notFoundFor(viewer, 'QuarantineOrder', input.orderId, action);
      const [contact] = await contactsByIds(trx, [order.contactId]);
      assertCaresFor(viewer, contact!.wardCode, action);
      assertCoversAll(viewer, wardsOf(contact!, order), action);
      if (order.endedOn !== null) throw new QuarantineOrderEnded(order.id);
      new Problems().check(input.endedOn >= order.startsOn, path('endedOn'), `endedOn cannot be before the order started (${order.startsOn})`).throwIfAny();
      issuingWard = order.issuingWardCode;
      const ended = await endQuarantineOrderRow(trx, order.id, { decisionNumber, endedOn: input.endedOn, reason: input.reason, by: viewer.subject });
      await recordDecision(trx, order.issuingWardCode, decisionNumber, order.id, 'END');
      await publish(trx, [quarantineEvent(ended, contact!)]);
      return ended;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'quarantine_decision_pk')) throw new DuplicateDecisionNumber(issuingWard, decisionNumber);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// convertContactToCase

export interface ConvertContactInput {
  contactId: string;
  confirmedAt: Date;
  confirmation: ConfirmationMethod;
  tier: TreatmentTier;
  riskFactors?: readonly RiskFactor[] | null;
  endDecisionNumber?: string | null;
  idempotencyKey?: string | null;
}

/** The case and the contact record it came from. */
export interface Conversion {
  patient: Patient;
  contact: Contact;
}

export async function convertContactToCase(runtime: PatientsRuntime, viewer: Viewer, input: ConvertContactInput, now = new Date()): Promise<Conversion> {
  const problems = new Problems();
  if (input.confirmedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) problems.add(path('confirmedAt'), 'confirmedAt cannot be in the future');
  else if (input.confirmedAt < EARLIEST_CONFIRMATION) problems.add(path('confirmedAt'), 'confirmedAt is before the pandemic (2020)');
  const endDecisionNumber = input.endDecisionNumber != null ? checkDecisionNumber(problems, input.endDecisionNumber, 'endDecisionNumber') : null;
  checkIdempotencyKey(problems, input.idempotencyKey, path('idempotencyKey'));
  problems.throwIfAny();

  const action = 'convert this contact into a case';
  const contact = await contactFor(runtime.db, viewer, input.contactId, action);
  const activeOrder = (await ordersByContacts(runtime.db, [contact.id])).find((o) => o.endedOn === null);
  assertCoversAll(viewer, wardsOf(contact, activeOrder), action);
  new Problems()
    .check(cityDate(input.confirmedAt) >= contact.dateOfBirth, path('confirmedAt'), 'confirmedAt cannot be before the date of birth')
    .throwIfAny();

  const ageYears = Math.floor(ageInMonths(contact.dateOfBirth, cityDate(input.confirmedAt)) / 12);
  const riskFactors = riskFactorsFor(input.riskFactors ?? [], ageYears);
  const replay = async (): Promise<Conversion | undefined> => {
    if (!input.idempotencyKey) return undefined;
    const existing = await patientByIdempotencyKey(runtime.db, input.idempotencyKey);
    if (!existing) return undefined;
    const [from] = await contactsByPatients(runtime.db, [existing.id]);
    const firstTier = (await tierChangesByPatients(runtime.db, [existing.id]))[0]?.from ?? existing.tier;
    // The order the conversion ended (if any) holds the end decision number it was given.
    const endedByConversion = from ? (await ordersByContacts(runtime.db, [from.id])).find((o) => o.endReason === 'TESTED_POSITIVE') : undefined;
    const same =
      from?.id === contact.id &&
      existing.confirmedAt.getTime() === input.confirmedAt.getTime() &&
      existing.confirmation === input.confirmation &&
      firstTier === input.tier &&
      existing.riskFactors.join() === riskFactors.join() &&
      (endedByConversion?.endDecisionNumber ?? null) === endDecisionNumber;
    if (!same || !coversWard(viewer, existing.wardCode)) {
      throw new ConflictError('This idempotencyKey was already used for a different registration; use a new key for a new conversion');
    }
    return { patient: existing, contact: from };
  };
  const previous = await replay();
  if (previous) return previous;
  if (contact.patientId) throw new ContactAlreadyConverted(contact.id, contact.patientId);
  /** The contact read again: converted by someone else since it was read above (two clinicians at once)? */
  const convertedMeanwhile = async (): Promise<ContactAlreadyConverted | undefined> => {
    const [again] = await contactsByIds(runtime.db, [contact.id]);
    return again?.patientId ? new ContactAlreadyConverted(again.id, again.patientId) : undefined;
  };
  // The open case of this citizen ID may be this very contact's: that is ContactAlreadyConverted,
  // the answer the loser gets when it meets the winner at the row lock, not a duplicate.
  const duplicate = async (open: Patient) => {
    const converted = await convertedMeanwhile();
    if (converted?.patientId === open.id) return converted;
    return new DuplicateActiveCase(coversWard(viewer, open.wardCode) ? open.id : null);
  };
  if (contact.nationalId) {
    const open = await openCaseByNationalId(runtime.db, contact.nationalId);
    if (open) throw await duplicate(open);
  }
  let issuingWard = '';
  try {
    return await runtime.db.transaction().execute(async (trx) => {
      const locked = (await lockContact(trx, contact.id))!;
      if (locked.patientId) throw new ContactAlreadyConverted(locked.id, locked.patientId);
      const order = await lockActiveOrderOf(trx, locked.id);
      // The order may have changed since the check above: its area's ward is checked again.
      assertCoversAll(viewer, wardsOf(locked, order), action);
      if (order && !endDecisionNumber) {
        new Problems().add(path('endDecisionNumber'), `The contact is under quarantine order ${order.decisionNumber}: its end decision number is required`).throwIfAny();
      }
      if (!order && endDecisionNumber) {
        new Problems().add(path('endDecisionNumber'), 'The contact has no quarantine order in force to end; leave endDecisionNumber out').throwIfAny();
      }
      const patient = await insertPatient(trx, {
        case_code: await nextCaseCode(trx, locked.districtCode),
        full_name: locked.fullName,
        date_of_birth: locked.dateOfBirth,
        sex: locked.sex,
        national_id: locked.nationalId,
        phone: locked.phone,
        ward_code: locked.wardCode,
        district_code: locked.districtCode,
        address: locked.address,
        confirmed_at: input.confirmedAt,
        confirmation: input.confirmation,
        risk_factors: riskFactors,
        tier: input.tier,
        facility_id: null,
        admission_id: null,
        last_check_at: null,
        ended_at: null,
        registered_by: viewer.subject,
        idempotency_key: input.idempotencyKey ?? null,
      });
      const converted = await markConverted(trx, locked.id, patient.id, patient.registeredAt);
      const events: NewEvent<unknown>[] = [patientStateEvent(TOPICS.patientRegistered, patient)];
      if (order) {
        issuingWard = order.issuingWardCode;
        const confirmedOn = cityDate(input.confirmedAt);
        const ended = await endQuarantineOrderRow(trx, order.id, {
          decisionNumber: endDecisionNumber!,
          endedOn: confirmedOn < order.startsOn ? order.startsOn : confirmedOn,
          reason: 'TESTED_POSITIVE',
          by: viewer.subject,
        });
        await recordDecision(trx, order.issuingWardCode, endDecisionNumber!, order.id, 'END');
        events.push(quarantineEvent(ended, locked));
      }
      await publish(trx, events);
      return { patient, contact: converted };
    });
  } catch (error) {
    if (isUniqueViolation(error, 'quarantine_decision_pk')) throw new DuplicateDecisionNumber(issuingWard, endDecisionNumber ?? '');
    if (isUniqueViolation(error, 'patient_idempotency_key_key')) {
      const existing = await replay();
      if (existing) return existing;
    }
    if (isUniqueViolation(error, 'patient_one_open_case_per_national_id') && contact.nationalId) {
      const open = await openCaseByNationalId(runtime.db, contact.nationalId);
      if (open) throw await duplicate(open);
    }
    if (isUniqueViolation(error, 'contact_patient_id_key')) {
      const converted = await convertedMeanwhile();
      if (converted) throw converted;
    }
    throw error;
  }
}
