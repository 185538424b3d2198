/**
 * Who is asking, and where they may look. The gateway authenticates the client and forwards the
 * viewer to subgraphs; subgraphs decide every field and mutation with these rules.
 */
import { districtOfWard } from '../admin-units.js';

export const ROLES = ['PARTNER', 'DASHBOARD', 'WARD_OFFICER', 'DISTRICT_OFFICER', 'CITY_OFFICER', 'VACCINATOR'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that treat patients and may see personal data inside their jurisdiction. */
export const CLINICAL_ROLES: readonly Role[] = ['WARD_OFFICER', 'DISTRICT_OFFICER', 'CITY_OFFICER'];

export interface Viewer {
  /** Stable subject: user id, or `partner:<name>` for an API key. */
  subject: string;
  role: Role;
  wardCode?: string;
  districtCode?: string;
  /** Seconds since the epoch when the credentials expire. */
  expiresAt?: number;
}

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/** Does the viewer's jurisdiction include this ward? */
export function coversWard(viewer: Viewer, wardCode: string): boolean {
  switch (viewer.role) {
    case 'CITY_OFFICER':
      return true;
    case 'DISTRICT_OFFICER':
    case 'VACCINATOR':
      return !!viewer.districtCode && districtOfWard(wardCode) === viewer.districtCode;
    case 'WARD_OFFICER':
      return !!viewer.wardCode && viewer.wardCode === wardCode;
    default:
      return false;
  }
}

/** Does the viewer's jurisdiction include the whole district? */
export function coversDistrict(viewer: Viewer, districtCode: string): boolean {
  switch (viewer.role) {
    case 'CITY_OFFICER':
      return true;
    case 'DISTRICT_OFFICER':
    case 'VACCINATOR':
      return viewer.districtCode === districtCode;
    default:
      return false;
  }
}

/** Personal data of a person living in `wardCode`: clinical roles inside their jurisdiction. */
export function maySeePersonalData(viewer: Viewer, wardCode: string, extraRoles: readonly Role[] = []): boolean {
  return (CLINICAL_ROLES.includes(viewer.role) || extraRoles.includes(viewer.role)) && coversWard(viewer, wardCode);
}
