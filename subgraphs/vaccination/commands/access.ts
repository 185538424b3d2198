/**
 * How writes name a resident and who may write about one: vaccination teams and the district
 * and city officers who supervise them, inside their jurisdiction (the platform's write rule).
 */
import type { Viewer } from '../../common/auth/viewer.js';
import { assertActsOn, notFoundFor } from '../../common/auth/jurisdiction.js';
import type { Problems } from '../../common/domain/errors.js';
import { isValidNationalId } from '../../common/domain/input-rules.js';
import type { Resident } from '../db/mappers.js';

/** The citizen ID of `input.nationalId`, trimmed; a problem is added when it is not one. */
export function checkNationalId(problems: Problems, value: string): string {
  const nationalId = value.trim();
  problems.check(isValidNationalId(nationalId), ['input', 'nationalId'], 'nationalId must be a 12-digit citizen ID starting with a province code');
  return nationalId;
}

/**
 * The resident named by a write. A resident outside the viewer's jurisdiction is answered exactly
 * like an unknown citizen ID (the platform jurisdiction rule), so that writes cannot probe the registry.
 */
export function residentForWrite(viewer: Viewer, nationalId: string, resident: Resident | undefined): Resident {
  const action = 'write for this resident';
  if (!resident) throw notFoundFor(viewer, 'Resident', nationalId, action);
  assertActsOn(viewer, 'vaccinationWriters', [resident.wardCode], action);
  return resident;
}
