/** Input rules for personal data, pure and tested on their own. */

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
  const compact = value.replace(/[\s.-]/g, '');
  const m = /^(?:0|\+84|84)([35789]\d{8})$/.exec(compact);
  return m ? `+84${m[1]}` : undefined;
}

export const NAME_MAX = 100;
export const ADDRESS_MAX = 300;
