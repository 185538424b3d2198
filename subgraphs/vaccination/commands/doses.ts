/**
 * Recording doses and registering residents. Each dose is checked against the resident's history
 * (order, intervals, same-day duplicates) and updates the resident's state, the coverage counters
 * of their ward and year of birth, and the daily progress, all in one transaction.
 */
import { randomUUID } from 'node:crypto';
import { findWard } from '../../common/admin-units.js';
import { coversWard, type Viewer } from '../../common/auth/viewer.js';
import { notFoundFor } from '../../common/auth/jurisdiction.js';
import { ConflictError, Problems, graphQLError } from '../../common/graphql/errors.js';
import { cityDate, isValidCalendarDate } from '../../common/graphql/scalars.js';
import { isUniqueViolation } from '../../common/db/errors.js';
import { TEXT_LIMITS, checkId, checkIdempotencyKey, checkOptionalText, checkText, isValidNationalId } from '../../common/domain/input-rules.js';
import {
  bumpCoverage,
  bumpDoseDay,
  lockResidentByNationalId,
  openHomeRequest,
  recordByIdempotencyKey,
  recordsOfResidents,
  residentsByNationalIds,
} from '../db/vaccination.repository.js';
import type { HomeVaccinationRequestRow, ResidentRow, VaccinationRecordRow } from '../db/tables.js';
import { DoseOutOfOrder, DoseTooSoon, DuplicateDose } from '../domain/errors.js';
import { refuseDose, stateOf, type DoseKind, type Vaccine } from '../domain/schedule.js';
import type { VaccinationRuntime } from '../context.js';

/** Vaccination started in Viet Nam on 8 March 2021; an earlier date is a typo. */
const FIRST_VACCINATION_DAY = '2021-03-08';
const VACCINATION_ROLES = ['VACCINATOR', 'DISTRICT_OFFICER', 'CITY_OFFICER'] as const;

const vaccinates = (viewer: Viewer, wardCode: string) => (VACCINATION_ROLES as readonly string[]).includes(viewer.role) && coversWard(viewer, wardCode);

export function assertVaccinates(viewer: Viewer, wardCode: string, action: string): void {
  if (!vaccinates(viewer, wardCode)) {
    throw graphQLError('FORBIDDEN', `Not authorized to ${action}: vaccination teams and health officers inside their district only`);
  }
}

/**
 * The resident named by a write, locked or not. A resident outside the viewer's district is
 * answered exactly like an unknown citizen ID (the platform jurisdiction rule), so that writes cannot probe the registry.
 */
function residentForWrite(viewer: Viewer, nationalId: string, resident: ResidentRow | undefined): ResidentRow {
  if (!resident || !vaccinates(viewer, resident.ward_code)) throw notFoundFor(viewer, 'Resident', nationalId, 'write for this resident');
  return resident;
}

export interface RecordDoseInput {
  nationalId: string;
  dose: DoseKind;
  vaccine: Vaccine;
  administeredAt: Date;
  lot?: string | null;
  siteFacilityId?: string | null;
  atHome?: boolean | null;
  idempotencyKey?: string | null;
}

interface DosePayload {
  residentId: string;
  dose: DoseKind;
  vaccine: Vaccine;
  administeredAt: Date;
  lot: string | null;
  siteFacilityId: string | null;
  atHome: boolean;
}

/** Is this record what the request asks to write? Every field counts, not only the dose. */
const sameDose = (r: VaccinationRecordRow, p: DosePayload) =>
  r.resident_id === p.residentId &&
  r.dose === p.dose &&
  r.vaccine === p.vaccine &&
  r.administered_at.getTime() === p.administeredAt.getTime() &&
  r.lot === p.lot &&
  r.site_facility_id === p.siteFacilityId &&
  r.at_home === p.atHome;

function replay(previous: VaccinationRecordRow, payload: DosePayload): VaccinationRecordRow {
  if (!sameDose(previous, payload)) throw new ConflictError('This idempotencyKey was already used for a different request; use a new key for a new dose');
  return previous;
}

export async function recordDose(runtime: VaccinationRuntime, viewer: Viewer, input: RecordDoseInput, now = new Date()): Promise<VaccinationRecordRow> {
  const problems = new Problems();
  const nationalId = input.nationalId.trim();
  problems.check(isValidNationalId(nationalId), ['input', 'nationalId'], 'nationalId must be a 12-digit citizen ID starting with a province code');
  const day = cityDate(input.administeredAt);
  if (input.administeredAt.getTime() > now.getTime() + 5 * 60_000) problems.add(['input', 'administeredAt'], 'administeredAt cannot be in the future');
  else if (day < FIRST_VACCINATION_DAY) problems.add(['input', 'administeredAt'], `administeredAt is before vaccination began in Viet Nam (${FIRST_VACCINATION_DAY})`);
  const lot = checkOptionalText(problems, input.lot, ['input', 'lot'], 'lot', { max: TEXT_LIMITS.LOT });
  const siteFacilityId = input.siteFacilityId == null ? null : checkId(problems, input.siteFacilityId, ['input', 'siteFacilityId'], 'siteFacilityId');
  if (input.atHome && siteFacilityId) problems.add(['input', 'siteFacilityId'], 'A dose given at home has no site facility');
  checkIdempotencyKey(problems, input.idempotencyKey, ['input', 'idempotencyKey']);
  problems.throwIfAny();

  // Jurisdiction over the resident comes first; only then may a key replay anything, and only
  // the very same request.
  let payload: DosePayload | undefined;
  try {
    return await runtime.db.transaction().execute(async (trx) => {
      const resident = residentForWrite(viewer, nationalId, await lockResidentByNationalId(trx, nationalId));
      payload = { residentId: resident.id, dose: input.dose, vaccine: input.vaccine, administeredAt: input.administeredAt, lot, siteFacilityId, atHome: input.atHome ?? false };
      if (input.idempotencyKey) {
        const previous = await recordByIdempotencyKey(trx, input.idempotencyKey);
        if (previous) return replay(previous, payload);
      }
      if (day < resident.date_of_birth) new Problems().add(['input', 'administeredAt'], 'administeredAt cannot be before the date of birth').throwIfAny();

      const history = (await recordsOfResidents(trx, [resident.id])).map((r) => ({ dose: r.dose, vaccine: r.vaccine, on: r.administered_on }));
      const refusal = refuseDose(history, { dose: input.dose, vaccine: input.vaccine, on: day });
      if (refusal?.kind === 'DUPLICATE') throw new DuplicateDose(refusal.message);
      if (refusal?.kind === 'TOO_SOON') throw new DoseTooSoon(refusal.message, refusal.earliest);
      if (refusal?.kind === 'OUT_OF_ORDER') throw new DoseOutOfOrder(refusal.message, refusal.expected);

      const record = await trx
        .insertInto('vaccination_record')
        .values({
          resident_id: resident.id,
          dose: input.dose,
          vaccine: input.vaccine,
          lot,
          administered_at: input.administeredAt,
          administered_on: day,
          site_facility_id: siteFacilityId,
          at_home: input.atHome ?? false,
          recorded_by: viewer.subject,
          idempotency_key: input.idempotencyKey ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();

      const before = stateOf(history);
      const after = stateOf([...history, { dose: input.dose, vaccine: input.vaccine, on: day }]);
      await trx
        .updateTable('resident')
        .set({
          doses: after.doses,
          primary_doses: after.primaryDoses,
          fully_vaccinated: after.fullyVaccinated,
          boosted: after.boosted,
          primary_completed_on: after.primaryCompletedOn,
          last_dose_on: after.lastDoseOn,
        })
        .where('id', '=', resident.id)
        .execute();
      const key = { wardCode: resident.ward_code, districtCode: resident.district_code, birthYear: Number(resident.date_of_birth.slice(0, 4)) };
      await bumpCoverage(trx, key, {
        dose1: before.doses === 0 ? 1 : 0,
        fully: !before.fullyVaccinated && after.fullyVaccinated ? 1 : 0,
        boosted: !before.boosted && after.boosted ? 1 : 0,
      });
      await bumpDoseDay(trx, { wardCode: resident.ward_code, districtCode: resident.district_code, day, dose: input.dose });
      if (input.atHome) {
        await trx.updateTable('home_vaccination_request').set({ done_at: input.administeredAt }).where('resident_id', '=', resident.id).where('done_at', 'is', null).execute();
      }
      return record;
    });
  } catch (error) {
    // The same key committed by a concurrent request (for this resident or another) after we looked.
    if (isUniqueViolation(error, 'vaccination_record_idempotency_key_key') && input.idempotencyKey && payload) {
      const previous = await recordByIdempotencyKey(runtime.db, input.idempotencyKey);
      if (previous) return replay(previous, payload);
    }
    if (isUniqueViolation(error, 'vaccination_record_one_per_day')) throw new DuplicateDose(`A dose was already recorded on ${day}`);
    throw error;
  }
}

export interface RegisterResidentInput {
  nationalId: string;
  fullName: string;
  dateOfBirth: string;
  wardCode: string;
  comorbidities?: boolean | null;
  homebound?: boolean | null;
  student?: boolean | null;
}

export async function registerResident(runtime: VaccinationRuntime, viewer: Viewer, input: RegisterResidentInput, now = new Date()): Promise<ResidentRow> {
  const problems = new Problems();
  const nationalId = input.nationalId.trim();
  problems.check(isValidNationalId(nationalId), ['input', 'nationalId'], 'nationalId must be a 12-digit citizen ID starting with a province code');
  const fullName = checkText(problems, input.fullName, ['input', 'fullName'], 'fullName', { min: 2, max: TEXT_LIMITS.NAME });
  if (!isValidCalendarDate(input.dateOfBirth)) problems.add(['input', 'dateOfBirth'], 'dateOfBirth must be a real calendar date');
  else if (input.dateOfBirth > cityDate(now)) problems.add(['input', 'dateOfBirth'], 'dateOfBirth cannot be in the future');
  const ward = findWard(input.wardCode);
  problems.check(!!ward, ['input', 'wardCode'], `No ward has code ${input.wardCode}`);
  problems.throwIfAny();
  assertVaccinates(viewer, ward!.code, 'register a resident in this ward');
  if ((await residentsByNationalIds(runtime.db, [nationalId])).length) throw new ConflictError('A resident with this citizen ID is already registered');
  try {
    return await runtime.db.transaction().execute(async (trx) => {
      const resident = await trx
        .insertInto('resident')
        .values({
          id: `R-${randomUUID()}`,
          national_id: nationalId,
          full_name: fullName,
          date_of_birth: input.dateOfBirth,
          ward_code: ward!.code,
          district_code: ward!.districtCode,
          comorbidities: input.comorbidities ?? false,
          homebound: input.homebound ?? false,
          student: input.student ?? false,
          primary_completed_on: null,
          last_dose_on: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await bumpCoverage(trx, { wardCode: ward!.code, districtCode: ward!.districtCode, birthYear: Number(input.dateOfBirth.slice(0, 4)) }, { population: 1 });
      return resident;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'resident_national_id_key')) throw new ConflictError('A resident with this citizen ID is already registered');
    throw error;
  }
}

/** Asks a home-vaccination team to come: for homebound elderly or comorbid residents. */
export async function requestHomeVaccination(
  runtime: VaccinationRuntime,
  viewer: Viewer,
  input: { nationalId: string; reason: string; scheduledFor?: string | null },
  now = new Date(),
): Promise<HomeVaccinationRequestRow> {
  const problems = new Problems();
  const nationalId = input.nationalId.trim();
  problems.check(isValidNationalId(nationalId), ['input', 'nationalId'], 'nationalId must be a 12-digit citizen ID starting with a province code');
  const reason = checkText(problems, input.reason, ['input', 'reason'], 'reason', { min: 3, max: TEXT_LIMITS.REASON });
  if (input.scheduledFor != null && (!isValidCalendarDate(input.scheduledFor) || input.scheduledFor < cityDate(now))) {
    problems.add(['input', 'scheduledFor'], 'scheduledFor must be today or later');
  }
  problems.throwIfAny();
  const resident = residentForWrite(viewer, nationalId, (await residentsByNationalIds(runtime.db, [nationalId]))[0]);
  const age = Number(cityDate(now).slice(0, 4)) - Number(resident.date_of_birth.slice(0, 4));
  if (!resident.homebound || !(age >= 65 || resident.comorbidities)) {
    new Problems()
      .add(['input', 'nationalId'], 'Home vaccination is for homebound residents who are 65 or older or have comorbidities')
      .throwIfAny();
  }
  const open = await openHomeRequest(runtime.db, resident.id);
  if (open) {
    if (input.scheduledFor == null) return open;
    return runtime.db.updateTable('home_vaccination_request').set({ scheduled_for: input.scheduledFor }).where('id', '=', open.id).returningAll().executeTakeFirstOrThrow();
  }
  return runtime.db
    .insertInto('home_vaccination_request')
    .values({ resident_id: resident.id, reason, scheduled_for: input.scheduledFor ?? null, done_at: null, requested_by: viewer.subject })
    .returningAll()
    .executeTakeFirstOrThrow();
}
