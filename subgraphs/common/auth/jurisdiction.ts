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
import { NotFoundError, graphQLError } from '../graphql/errors.js';
import { CLINICAL_ROLES, coversWard, type Viewer } from './viewer.js';

export const coversCity = (viewer: Viewer) => viewer.role === 'CITY_OFFICER';

export const outsideJurisdiction = (action: string) => graphQLError('FORBIDDEN', `Not authorized to ${action}: no such record in your jurisdiction`);

/** The error for a record that is not there: indistinguishable from one outside the jurisdiction. */
export const notFoundFor = (viewer: Viewer, entity: string, id: string, action: string) =>
  coversCity(viewer) ? new NotFoundError(entity, id) : outsideJurisdiction(action);

/** Every ward named must be in the viewer's jurisdiction. */
export function assertCoversAll(viewer: Viewer, wardCodes: readonly string[], action: string): void {
  if (!wardCodes.every((ward) => coversWard(viewer, ward))) throw outsideJurisdiction(action);
}

/** Clinical writes about a person living in `wardCode`: a clinical role whose jurisdiction covers it. */
export function assertCaresFor(viewer: Viewer, wardCode: string, action: string): void {
  if (!CLINICAL_ROLES.includes(viewer.role)) throw outsideJurisdiction(action);
  assertCoversAll(viewer, [wardCode], action);
}
