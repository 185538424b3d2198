import { coversWard, CLINICAL_ROLES, type Viewer } from '../../common/auth/viewer.js';
import { NotFoundError, graphQLError } from '../../common/graphql/errors.js';
import type { Transaction } from '../../common/db/database.js';
import { lockPatient } from '../db/patient.repository.js';
import type { Patient } from '../db/mappers.js';
import type { PatientsDB } from '../db/tables.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Clinical write access to a person living in `wardCode`. */
export function assertCaresFor(viewer: Viewer, wardCode: string, action: string): void {
  if (!CLINICAL_ROLES.includes(viewer.role) || !coversWard(viewer, wardCode)) {
    throw graphQLError('FORBIDDEN', `Not authorized to ${action}: outside your jurisdiction`);
  }
}

/** Locks a patient for a write, or fails with NotFound / FORBIDDEN. Unknown and foreign look alike to outsiders. */
export async function lockPatientFor(trx: Transaction<PatientsDB>, viewer: Viewer, id: string, action: string): Promise<Patient> {
  const patient = UUID.test(id) ? await lockPatient(trx, id) : undefined;
  if (!patient) throw new NotFoundError('Patient', id);
  assertCaresFor(viewer, patient.wardCode, action);
  return patient;
}
