/** Registering residents: a ward's managed population, the denominator of its coverage. */
import { randomUUID } from 'node:crypto';
import { findWard } from '../../common/admin-units.js';
import type { Viewer } from '../../common/auth/viewer.js';
import { assertActsOn } from '../../common/auth/jurisdiction.js';
import { ConflictError, Problems } from '../../common/domain/errors.js';
import { cityDate, isValidCalendarDate } from '../../common/graphql/scalars.js';
import { isUniqueViolation } from '../../common/db/errors.js';
import { TEXT_LIMITS, checkText } from '../../common/domain/input-rules.js';
import { insertResident, residentsByNationalIds } from '../db/resident.repository.js';
import { bumpCoverage } from '../db/coverage.repository.js';
import type { Resident } from '../db/mappers.js';
import type { VaccinationRuntime } from '../context.js';
import { schoolingOfStudent, type Schooling } from '../domain/gaps.js';
import { ageThisYear } from '../domain/schedule.js';
import { checkNationalId } from './access.js';

export interface RegisterResidentInput {
  nationalId: string;
  fullName: string;
  dateOfBirth: string;
  wardCode: string;
  comorbidities?: boolean | null;
  homebound?: boolean | null;
  student?: boolean | null;
  schooling?: Schooling | null;
}

/**
 * The school level: as given, or, from a client that only says `student: true`, guessed from the
 * age. A level that contradicts `student` is refused.
 */
function schoolingOf(problems: Problems, input: RegisterResidentInput, today: string): Schooling {
  if (input.schooling != null) {
    if (input.student != null && input.student !== (input.schooling !== 'NONE')) problems.add(['input', 'student'], `student contradicts schooling ${input.schooling}`);
    return input.schooling;
  }
  return input.student ? schoolingOfStudent(ageThisYear(input.dateOfBirth, today)) : 'NONE';
}

const alreadyRegistered = () => new ConflictError('A resident with this citizen ID is already registered');

export async function registerResident(runtime: VaccinationRuntime, viewer: Viewer, input: RegisterResidentInput, now = new Date()): Promise<Resident> {
  const problems = new Problems();
  const nationalId = checkNationalId(problems, input.nationalId);
  const fullName = checkText(problems, input.fullName, ['input', 'fullName'], 'fullName', { min: 2, max: TEXT_LIMITS.NAME });
  if (!isValidCalendarDate(input.dateOfBirth)) problems.add(['input', 'dateOfBirth'], 'dateOfBirth must be a real calendar date');
  else if (input.dateOfBirth > cityDate(now)) problems.add(['input', 'dateOfBirth'], 'dateOfBirth cannot be in the future');
  const ward = findWard(input.wardCode);
  problems.check(!!ward, ['input', 'wardCode'], `No ward has code ${input.wardCode}`);
  const schooling = schoolingOf(problems, input, cityDate(now));
  problems.throwIfAny();
  const { code: wardCode, districtCode } = ward!;
  assertActsOn(viewer, 'vaccinationWriters', [wardCode], 'register a resident in this ward');
  if ((await residentsByNationalIds(runtime.db, [nationalId])).length) throw alreadyRegistered();
  try {
    return await runtime.db.transaction().execute(async (trx) => {
      const resident = await insertResident(trx, {
        id: `R-${randomUUID()}`,
        national_id: nationalId,
        full_name: fullName,
        date_of_birth: input.dateOfBirth,
        ward_code: wardCode,
        district_code: districtCode,
        comorbidities: input.comorbidities ?? false,
        homebound: input.homebound ?? false,
        student: schooling !== 'NONE',
        schooling,
        primary_completed_on: null,
        last_dose_on: null,
      });
      await bumpCoverage(trx, { wardCode, districtCode, birthYear: Number(input.dateOfBirth.slice(0, 4)) }, { population: 1 });
      return resident;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'resident_national_id_key')) throw alreadyRegistered();
    throw error;
  }
}
