/**
 * City-wide input rules: the forms of citizen IDs, phones, ids and idempotency keys, and one set
 * of length limits for every free-text field, so that every subgraph refuses the same things
 * with the same messages. Pure; commands report problems through `Problems` with a field path.
 */
import type { Problems } from './errors.js';

/**
 * Citizen identity card numbers (căn cước công dân, Circular 07/2016/TT-BCA): 12 digits, the
 * first three the province or city of birth registration (001 Hà Nội … 096 Cà Mau). We check
 * the form and the province code; the century/sex digit and birth year are not cross-checked
 * against the date of birth because registrars correct those separately.
 */
const PROVINCE_CODES = new Set([
  '001', '002', '004', '006', '008', '010', '011', '012', '014', '015', '017', '019', '020', '022', '024', '025', '026', '027',
  '030', '031', '033', '034', '035', '036', '037', '038', '040', '042', '044', '045', '046', '048', '049', '051', '052', '054',
  '056', '058', '060', '062', '064', '066', '067', '068', '070', '072', '074', '075', '077', '079', '080', '082', '083', '084',
  '086', '087', '089', '091', '092', '093', '094', '095', '096',
]);

export function isValidNationalId(value: string): boolean {
  return /^\d{12}$/.test(value) && PROVINCE_CODES.has(value.slice(0, 3));
}

/**
 * Vietnamese mobile numbers: 10 digits starting 03, 05, 07, 08 or 09 (after the 2018 renumbering),
 * or the same in international form +84 without the leading 0. Spaces, dots and dashes are
 * ignored. Returns the E.164 form, or undefined when invalid.
 */
export function normalizeVietnamesePhone(value: string): string | undefined {
  if (value.length > PHONE_INPUT_MAX) return undefined;
  const compact = value.replace(/[\s.-]/g, '');
  const m = /^(?:0|\+84|84)([35789]\d{8})$/.exec(compact);
  return m ? `+84${m[1]}` : undefined;
}

/**
 * A number a citizen may call a facility on: a mobile (as above), a landline with its area code
 * (0 + 2x + 8 digits since 2017, Hanoi 024) or a short service number (1022, 115, 1900 numbers:
 * 3 to 8 digits). Returns mobiles and landlines in +84 form, short numbers as digits.
 */
export function normalizeContactPhone(value: string): string | undefined {
  if (value.length > PHONE_INPUT_MAX) return undefined;
  const mobile = normalizeVietnamesePhone(value);
  if (mobile) return mobile;
  const compact = value.replace(/[\s.-]/g, '');
  const landline = /^(?:0|\+84|84)(2\d{9})$/.exec(compact);
  if (landline) return `+84${landline[1]}`;
  return /^1\d{2,7}$/.test(compact) ? compact : undefined;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);

/**
 * Maximum lengths (in characters, after trimming) of every free-text input of the city. A value
 * read by many people (team names go to every reader of a ward's teams) must not be a way to
 * push megabytes at them, and a database column must not be a free file store.
 */
export const TEXT_LIMITS = {
  /** A person's full name. */
  NAME: 100,
  /** A postal address. */
  ADDRESS: 300,
  /** Why something was done (tier changes, home vaccination, reasons). */
  REASON: 500,
  /** What a caller said, what was done: messages and resolutions. */
  MESSAGE: 2000,
  /** Name of a team, a facility or another organisation unit. */
  LABEL: 100,
  /** Residential group (tổ dân phố) inside a ward. */
  RESIDENTIAL_GROUP: 100,
  /** Vaccine lot number. */
  LOT: 50,
  /** Identifier of an entity another subgraph owns (facility, patient, worker). */
  ID: 64,
} as const;

/** An idempotency key: 8 to 128 characters, so that a collision between clients is unlikely. */
export const IDEMPOTENCY_KEY = { min: 8, max: 128 } as const;
/** A phone number as typed, before normalisation. */
export const PHONE_INPUT_MAX = 32;
/** Members named in one request (a team). */
export const MAX_LIST_ITEMS = 200;

/**
 * Checks a free-text field, trimmed: at least `min` and at most `max` characters. Returns the
 * trimmed value (with inner runs of white space kept as they are).
 */
export function checkText(problems: Problems, value: string, path: string[], name: string, limits: { min?: number; max: number }): string {
  const trimmed = value.trim();
  const min = limits.min ?? 1;
  problems.check(trimmed.length >= min && trimmed.length <= limits.max, path, `${name} must be ${min} to ${limits.max} characters`);
  return trimmed;
}

export function checkOptionalText(problems: Problems, value: string | null | undefined, path: string[], name: string, limits: { min?: number; max: number }): string | null {
  if (value == null) return null;
  return checkText(problems, value, path, name, limits);
}

export function checkIdempotencyKey(problems: Problems, key: string | null | undefined, path: string[]): void {
  if (key == null) return;
  problems.check(
    key.length >= IDEMPOTENCY_KEY.min && key.length <= IDEMPOTENCY_KEY.max,
    path,
    `idempotencyKey must be ${IDEMPOTENCY_KEY.min} to ${IDEMPOTENCY_KEY.max} characters`,
  );
}

/** An id of something the caller names (not free text, but still bounded before any lookup). */
export function checkId(problems: Problems, value: string, path: string[], name: string): string {
  const trimmed = value.trim();
  problems.check(trimmed.length >= 1 && trimmed.length <= TEXT_LIMITS.ID, path, `${name} must be 1 to ${TEXT_LIMITS.ID} characters`);
  return trimmed;
}

/** Does any string anywhere in this value hold a NUL character (which PostgreSQL text cannot store)? */
export function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 32 || value == null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => containsNul(v, depth + 1));
  return Object.entries(value).some(([k, v]) => k.includes('\u0000') || containsNul(v, depth + 1));
}
