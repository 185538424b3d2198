/**
 * Recording doses. Each dose is checked against the resident's history (order, intervals,
 * same-day duplicates) and updates the resident's state, the coverage counters of their ward and
 * year of birth, the daily progress, the session's count of doses given (when given in one) and
 * closes the resident's open home-vaccination request, all in one transaction.
 */
import { coversWard, type Viewer } from '../../common/auth/viewer.js';
import { ConflictError, NotFoundError, Problems } from '../../common/domain/errors.js';
import { cityDate } from '../../common/graphql/scalars.js';
import { isUniqueViolation } from '../../common/db/errors.js';
import { TEXT_LIMITS, checkId, checkIdempotencyKey, checkOptionalText, isUuid } from '../../common/domain/input-rules.js';
import { lockResidentByNationalId, setVaccinationState } from '../db/resident.repository.js';
import { countSessionDose, lockSession } from '../db/site.repository.js';
import { insertRecord, recordByIdempotencyKey, recordsOfResidents } from '../db/dose.repository.js';
import { closeOpenHomeRequest } from '../db/home-request.repository.js';
import { bumpCoverage, bumpDoseDay } from '../db/coverage.repository.js';
import type { VaccinationRecord } from '../db/mappers.js';
import { DoseOutOfOrder, DoseOutsideSession, DoseTooSoon, DuplicateDose, SessionOutsideJurisdiction } from '../domain/errors.js';
import { withinSession } from '../domain/sites.js';
import { FIRST_VACCINATION_DAY, refuseDose, stateOf, type DoseKind, type GivenDose, type Vaccine } from '../domain/schedule.js';
import type { VaccinationRuntime } from '../context.js';
import { FACILITY_DIRECTORY, type FacilityDirectory, type FacilityPlace } from '../../common/facility-directory.js';
import { checkNationalId, residentForWrite } from './access.js';

const CLOCK_SKEW_MS = 5 * 60_000;

export interface RecordDoseInput {
  nationalId: string;
  dose: DoseKind;
  vaccine: Vaccine;
  administeredAt: Date;
  lot?: string | null;
  siteFacilityId?: string | null;
  atHome?: boolean | null;
  sessionId?: string | null;
  idempotencyKey?: string | null;
}

/** What a dose writes, normalised as it is stored: a retry must match all of it. */
type DosePayload = Pick<VaccinationRecord, 'residentId' | 'dose' | 'vaccine' | 'administeredAt' | 'lot' | 'siteFacilityId' | 'atHome' | 'sessionId'>;

/** Is this record what the request asks to write? Every field counts, not only the dose. */
const sameDose = (r: VaccinationRecord, p: DosePayload) =>
  r.residentId === p.residentId &&
  r.dose === p.dose &&
  r.vaccine === p.vaccine &&
  r.administeredAt.getTime() === p.administeredAt.getTime() &&
  r.lot === p.lot &&
  r.siteFacilityId === p.siteFacilityId &&
  r.atHome === p.atHome &&
  r.sessionId === p.sessionId;

function replay(previous: VaccinationRecord, payload: DosePayload): VaccinationRecord {
  if (!sameDose(previous, payload)) throw new ConflictError('This idempotencyKey was already used for a different request; use a new key for a new dose');
  return previous;
}

export async function recordDose(runtime: VaccinationRuntime, viewer: Viewer, input: RecordDoseInput, requestId: string, now = new Date()): Promise<VaccinationRecord> {
  const problems = new Problems();
  const nationalId = checkNationalId(problems, input.nationalId);
  const day = cityDate(input.administeredAt);
  if (input.administeredAt.getTime() > now.getTime() + CLOCK_SKEW_MS) problems.add(['input', 'administeredAt'], 'administeredAt cannot be in the future');
  else if (day < FIRST_VACCINATION_DAY) problems.add(['input', 'administeredAt'], `administeredAt is before vaccination began in Viet Nam (${FIRST_VACCINATION_DAY})`);
  const lot = checkOptionalText(problems, input.lot, ['input', 'lot'], 'lot', { max: TEXT_LIMITS.LOT });
  const siteFacilityId = input.siteFacilityId == null ? null : checkId(problems, input.siteFacilityId, ['input', 'siteFacilityId'], 'siteFacilityId');
  const atHome = input.atHome ?? false;
  if (atHome && siteFacilityId) problems.add(['input', 'siteFacilityId'], 'A dose given at home has no site facility');
  const sessionId = input.sessionId == null ? null : checkId(problems, input.sessionId, ['input', 'sessionId'], 'sessionId');
  if (sessionId && !isUuid(sessionId)) problems.add(['input', 'sessionId'], 'sessionId is not the id of a vaccination session');
  if (sessionId && (atHome || siteFacilityId)) problems.add(['input', 'sessionId'], 'A dose given in a mobile session is neither at home nor at a site facility');
  checkIdempotencyKey(problems, input.idempotencyKey, ['input', 'idempotencyKey']);
  problems.throwIfAny();
  // Asked before the transaction (no row lock is held across a call to another subgraph), and its
  // answer (or its failure: the gateway unreachable) told only after every other check, so that a
  // retry of a dose already recorded, a resident outside the jurisdiction or a dose refused for
  // its own reasons gets the answer it would get without a site. A dose is recorded at a facility
  // that exists, or not at all. (Any facility: a resident may be vaccinated outside their ward.)
  const site: { place: FacilityPlace | null } | { failure: unknown } | undefined = siteFacilityId
    ? await runtime.service<FacilityDirectory>(FACILITY_DIRECTORY).find(siteFacilityId, requestId).then(
        (place) => ({ place }),
        (failure: unknown) => ({ failure }),
      )
    : undefined;

  // Jurisdiction over the resident comes first; only then may a key replay anything, and only
  // the very same request.
  let payload: DosePayload | undefined;
  try {
    return await runtime.db.transaction().execute(async (trx) => {
      const resident = residentForWrite(viewer, nationalId, await lockResidentByNationalId(trx, nationalId));
      payload = { residentId: resident.id, dose: input.dose, vaccine: input.vaccine, administeredAt: input.administeredAt, lot, siteFacilityId, atHome, sessionId };
      if (input.idempotencyKey) {
        const previous = await recordByIdempotencyKey(trx, input.idempotencyKey);
        if (previous) return replay(previous, payload);
      }
      if (sessionId) {
        const session = await lockSession(trx, sessionId);
        if (!session) throw new NotFoundError('VaccinationSession', sessionId);
        if (!coversWard(viewer, session.wardCode)) throw new SessionOutsideJurisdiction('This session is held at a point outside your jurisdiction; nothing was written');
        if (!withinSession(input.administeredAt, session) || session.vaccine !== input.vaccine) {
          throw new DoseOutsideSession(
            `A dose of this session is ${session.vaccine} given from ${session.startsAt.toISOString()} to ${session.endsAt.toISOString()}`,
            session.startsAt,
            session.endsAt,
            session.vaccine,
          );
        }
      }
      if (day < resident.dateOfBirth) new Problems().add(['input', 'administeredAt'], 'administeredAt cannot be before the date of birth').throwIfAny();

      const history: GivenDose[] = (await recordsOfResidents(trx, [resident.id])).map((r) => ({ dose: r.dose, vaccine: r.vaccine, on: r.administeredOn }));
      const given: GivenDose = { dose: input.dose, vaccine: input.vaccine, on: day };
      const refusal = refuseDose(history, given);
      if (refusal?.kind === 'DUPLICATE') throw new DuplicateDose(refusal.message);
      if (refusal?.kind === 'TOO_SOON') throw new DoseTooSoon(refusal.message, refusal.earliest);
      if (refusal?.kind === 'OUT_OF_ORDER') throw new DoseOutOfOrder(refusal.message, refusal.expected);

      // The site last, before anything is written: a dose refused for its own reasons gets that
      // answer even while the graph cannot confirm the facility.
      if (site && 'failure' in site) throw site.failure;
      if (siteFacilityId && !site?.place) throw new NotFoundError('Facility', siteFacilityId);
      const record = await insertRecord(trx, {
        resident_id: resident.id,
        dose: input.dose,
        vaccine: input.vaccine,
        lot,
        administered_at: input.administeredAt,
        administered_on: day,
        site_facility_id: siteFacilityId,
        at_home: atHome,
        recorded_by: viewer.subject,
        idempotency_key: input.idempotencyKey ?? null,
        session_id: sessionId,
      });

      const before = stateOf(history);
      const after = stateOf([...history, given]);
      await setVaccinationState(trx, resident.id, after);
      const key = { wardCode: resident.wardCode, districtCode: resident.districtCode };
      await bumpDoseDay(trx, { ...key, day, dose: input.dose });
      if (sessionId) await countSessionDose(trx, sessionId);
      await closeOpenHomeRequest(trx, resident.id, input.administeredAt, record.id);
      // Last: the coverage row's trigger also adds to the district's row of this year of birth,
      // which every dose of the district for that year updates; it stays locked only until commit.
      await bumpCoverage(trx, { ...key, birthYear: Number(resident.dateOfBirth.slice(0, 4)) }, {
        dose1: before.doses === 0 ? 1 : 0,
        fully: !before.fullyVaccinated && after.fullyVaccinated ? 1 : 0,
        boosted: !before.boosted && after.boosted ? 1 : 0,
      });
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
