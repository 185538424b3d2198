/**
 * The identity of a person the patients subgraph holds (a case or a contact): one set of input
 * rules for both, so a contact who becomes a case was checked exactly as a registration is.
 */
import { findWard, type WardUnit } from '../../common/admin-units.js';
import type { Problems } from '../../common/domain/errors.js';
import { isValidCalendarDate } from '../../common/domain/dates.js';
import { TEXT_LIMITS, isValidNationalId, normalizeVietnamesePhone } from '../../common/domain/input-rules.js';

export interface PersonInput {
  fullName: string;
  dateOfBirth: string;
  nationalId?: string | null;
  phone?: string | null;
  wardCode: string;
  address: string;
}

/** The person as stored: trimmed, the phone in +84 form, the ward resolved. */
export interface CheckedPerson {
  fullName: string;
  nationalId: string | null;
  phone: string | null;
  ward: WardUnit | undefined;
  address: string;
}

/** Checks every identity field, adding each problem under `input.<field>`; `today` is the city's date. */
export function checkPerson(problems: Problems, input: PersonInput, today: string): CheckedPerson {
  const path = (field: string) => ['input', field];
  const fullName = input.fullName.trim().replace(/\s+/g, ' ');
  problems.check(fullName.length >= 2 && fullName.length <= TEXT_LIMITS.NAME, path('fullName'), `fullName must be 2 to ${TEXT_LIMITS.NAME} characters`);

  if (!isValidCalendarDate(input.dateOfBirth)) problems.add(path('dateOfBirth'), 'dateOfBirth must be a real calendar date');
  else if (input.dateOfBirth > today) problems.add(path('dateOfBirth'), 'dateOfBirth cannot be in the future');
  else if (input.dateOfBirth < '1900-01-01') problems.add(path('dateOfBirth'), 'dateOfBirth cannot be before 1900');

  let nationalId: string | null = null;
  if (input.nationalId != null && input.nationalId.trim() !== '') {
    nationalId = input.nationalId.trim();
    problems.check(isValidNationalId(nationalId), path('nationalId'), 'nationalId must be a 12-digit citizen ID starting with a province code (e.g. 001 for Hà Nội)');
  }

  let phone: string | null = null;
  if (input.phone != null && input.phone.trim() !== '') {
    phone = normalizeVietnamesePhone(input.phone) ?? null;
    problems.check(phone !== null, path('phone'), 'phone must be a Vietnamese mobile number, e.g. 0912345678 or +84912345678');
  }

  const ward = findWard(input.wardCode);
  problems.check(!!ward, path('wardCode'), `No ward has code ${input.wardCode}`);
  const address = input.address.trim();
  problems.check(address.length >= 3 && address.length <= TEXT_LIMITS.ADDRESS, path('address'), `address must be 3 to ${TEXT_LIMITS.ADDRESS} characters`);
  return { fullName, nationalId, phone, ward, address };
}
