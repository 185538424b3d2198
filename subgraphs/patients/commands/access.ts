import type { Viewer } from '../../common/auth/viewer.js';
import { assertCaresFor, notFoundFor } from '../../common/auth/jurisdiction.js';
import type { Transaction } from '../../common/db/database.js';
import { lockPatient } from '../db/patient.repository.js';
import type { Patient } from '../db/mappers.js';
import type { PatientsDB } from '../db/tables.js';

export { assertCaresFor };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Locks a patient for a write. Unknown and foreign patients look alike to anyone but the city. */
export async function lockPatientFor(trx: Transaction<PatientsDB>, viewer: Viewer, id: string, action: string): Promise<Patient> {
  const patient = UUID.test(id) ? await lockPatient(trx, id) : undefined;
  if (!patient) throw notFoundFor(viewer, 'Patient', id, action);
  assertCaresFor(viewer, patient.wardCode, action);
  return patient;
}
