/** The optional district/ward arguments of a field (a subscription's filter), checked against the city's codes. */
import { findDistrict, findWard } from '../admin-units.js';
import { graphQLError } from './errors.js';

export function areaArgs(args: { districtCode?: string | number | null; wardCode?: string | number | null }): { districtCode?: string; wardCode?: string } {
  const districtCode = args.districtCode == null ? undefined : String(args.districtCode);
  const wardCode = args.wardCode == null ? undefined : String(args.wardCode);
  if (districtCode && !findDistrict(districtCode)) throw graphQLError('BAD_USER_INPUT', `No district has code ${districtCode}`);
  if (wardCode && !findWard(wardCode)) throw graphQLError('BAD_USER_INPUT', `No ward has code ${wardCode}`);
  return { districtCode, wardCode };
}
