/**
 * The write rule every subgraph applies: a write needs jurisdiction over every ward it touches
 * (the person's, and each facility's whose beds move), checked before anything is written.
 *
 * To a viewer without city-wide jurisdiction, a record outside their jurisdiction and a record that
 * does not exist get the same FORBIDDEN answer, so ids cannot be probed through writes on them;
 * the city, which covers everything, is told NotFound. (Registering a case or a resident must still
 * be refused for a citizen ID that already has an open case or a registry entry, which necessarily
 * tells the writer that one exists somewhere.)
 */
import { graphQLError } from '../graphql/errors.js';
import { findWard } from '../admin-units.js';
import { NotFoundError } from '../domain/errors.js';
import { CLINICAL_ROLES, coversWard, type Role, type Viewer } from './viewer.js';

/**
 * The role groups every subgraph names, defined once. Pothos fields use them as named scopes
 * (`authScopes: { clinical: true }`); commands use them through `assertActsOn`.
 */
export const ROLE_GROUPS = {
  /** Ward, district and city health officers: the people who treat and record cases. */
  clinical: CLINICAL_ROLES,
  /** Live dashboards and clinical roles: the readers of live feeds and non-personal case data. */
  liveFeeds: ['DASHBOARD', ...CLINICAL_ROLES],
  /** Readers of the whole city's records without jurisdiction limits (non-personal for DASHBOARD). */
  wholeCity: ['DASHBOARD', 'CITY_OFFICER'],
  /** District and city officers: capacity, levels and other decisions above a ward. */
  officers: ['DISTRICT_OFFICER', 'CITY_OFFICER'],
  /** Readers of vaccination records: vaccination teams and clinical roles. */
  vaccinationReaders: ['VACCINATOR', ...CLINICAL_ROLES],
  /** Writers of vaccination records: vaccination teams and the district and city officers who supervise them. */
  vaccinationWriters: ['VACCINATOR', 'DISTRICT_OFFICER', 'CITY_OFFICER'],
  /** Partner apps (a hotline, a citizen app): open help requests for citizens, read their own requests' status. */
  partners: ['PARTNER'],
} as const satisfies Record<string, readonly Role[]>;

export type RoleGroup = keyof typeof ROLE_GROUPS;

export const inGroup = (viewer: Viewer, group: RoleGroup): boolean => (ROLE_GROUPS[group] as readonly Role[]).includes(viewer.role);

export const coversCity = (viewer: Viewer) => viewer.role === 'CITY_OFFICER';

export const outsideJurisdiction = (action: string) => graphQLError('FORBIDDEN', `Not authorized to ${action}: no such record in your jurisdiction`);

/** The error for a record that is not there: indistinguishable from one outside the jurisdiction. */
export const notFoundFor = (viewer: Viewer, entity: string, id: string, action: string) =>
  coversCity(viewer) ? new NotFoundError(entity, id) : outsideJurisdiction(action);

/** Every ward named must be in the viewer's jurisdiction. */
export function assertCoversAll(viewer: Viewer, wardCodes: readonly string[], action: string): void {
  if (!wardCodes.every((ward) => coversWard(viewer, ward))) throw outsideJurisdiction(action);
}

/** A write by a member of `group` whose jurisdiction covers every ward named. */
export function assertActsOn(viewer: Viewer, group: RoleGroup, wardCodes: readonly string[], action: string): void {
  if (!inGroup(viewer, group)) throw outsideJurisdiction(action);
  assertCoversAll(viewer, wardCodes, action);
}

/** Clinical writes about a person living in `wardCode`: a clinical role whose jurisdiction covers it. */
export function assertCaresFor(viewer: Viewer, wardCode: string, action: string): void {
  assertActsOn(viewer, 'clinical', [wardCode], action);
}

/** May read the record of a case in `wardCode`: the whole city's readers, or clinical roles over that ward. */
export const mayReadCase = (viewer: Viewer, wardCode: string): boolean =>
  inGroup(viewer, 'wholeCity') || (inGroup(viewer, 'clinical') && coversWard(viewer, wardCode));

/**
 * The area a list may cover for this viewer: a ward officer's lists are their ward's, a district
 * officer's their district's, and everyone else gets the area asked for. Asking for a ward or
 * district outside the viewer's jurisdiction is FORBIDDEN rather than an empty list, so that a
 * client learns it asked the wrong thing. Codes must already be known (see `areaArgs`).
 */
export function listArea(viewer: Viewer, asked: { wardCode?: string | null; districtCode?: string | null }): { wardCode?: string; districtCode?: string } {
  const area: { wardCode?: string; districtCode?: string } = {};
  if (asked.wardCode) area.wardCode = asked.wardCode;
  if (asked.districtCode) area.districtCode = asked.districtCode;
  if (viewer.role === 'WARD_OFFICER') {
    const own = viewer.wardCode ?? '-';
    if ((area.wardCode && area.wardCode !== own) || (area.districtCode && findWard(own)?.districtCode !== area.districtCode)) {
      throw graphQLError('FORBIDDEN', 'Outside your jurisdiction');
    }
    area.wardCode = own;
  } else if (viewer.role === 'DISTRICT_OFFICER') {
    const own = viewer.districtCode ?? '-';
    if ((area.districtCode && area.districtCode !== own) || (area.wardCode && findWard(area.wardCode)?.districtCode !== own)) {
      throw graphQLError('FORBIDDEN', 'Outside your jurisdiction');
    }
    area.districtCode = own;
  }
  return area;
}
