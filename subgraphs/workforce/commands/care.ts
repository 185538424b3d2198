/**
 * Who cares for whom. A care assignment takes a place in the worker's caseload in the same
 * transaction as the assignment row, with a conditional update, so no worker is ever pushed past
 * their cap however many assignments run at once.
 */
import { findWard } from '../../common/admin-units.js';
import { CLINICAL_ROLES, coversWard, type Viewer } from '../../common/auth/viewer.js';
import { notFoundFor } from '../../common/auth/jurisdiction.js';
import { NotFoundError, graphQLError } from '../../common/graphql/errors.js';
import { TEXT_LIMITS } from '../../common/domain/input-rules.js';
import { isUniqueViolation } from '../../common/db/errors.js';
import {
  endAssignment,
  insertAssignment,
  knownPatient,
  openAssignmentOf,
  takeCaseloadPlace,
  takeLeastLoadedPlace,
  unassignedHomePatients,
  workerCovers,
  workersByIds,
} from '../db/worker.repository.js';
import type { CareAssignmentRow } from '../db/tables.js';
import { AlreadyAssigned, CaseloadFull, PatientNotAtHome, WorkerInactive, WorkerOutsideArea } from '../domain/errors.js';
import { CARE_ROLES, type WorkerRole } from '../domain/workforce.js';
import type { WorkforceRuntime } from '../context.js';
import { PATIENT_PROJECTION } from '../events/consumers.js';

const manages = (viewer: Viewer, wardCode: string) => CLINICAL_ROLES.includes(viewer.role) && coversWard(viewer, wardCode);

export function assertManagesWard(viewer: Viewer, wardCode: string, action: string): void {
  if (!manages(viewer, wardCode)) {
    throw graphQLError('FORBIDDEN', `Not authorized to ${action}: outside your jurisdiction`);
  }
}

/**
 * The patient a write names. A patient outside the viewer's jurisdiction is answered exactly like
 * an unknown id, so that writes cannot probe which cases exist elsewhere.
 */
async function findHomePatient(runtime: WorkforceRuntime, viewer: Viewer, patientId: string) {
  if (patientId.length > TEXT_LIMITS.ID) throw notFoundFor(viewer, 'Patient', patientId, 'change the care of this patient');
  let patient = await knownPatient(runtime.db, patientId);
  if (!patient) {
    await runtime.consumer(PATIENT_PROJECTION).catchUp();
    patient = await knownPatient(runtime.db, patientId);
  }
  if (!patient || !manages(viewer, patient.ward_code)) throw notFoundFor(viewer, 'Patient', patientId, 'change the care of this patient');
  return patient;
}

export async function assignCare(runtime: WorkforceRuntime, viewer: Viewer, input: { patientId: string; workerId?: string | null }): Promise<CareAssignmentRow> {
  const patient = await findHomePatient(runtime, viewer, input.patientId);
  if (patient.status !== 'UNDER_TREATMENT') throw new PatientNotAtHome(patient.id, `case is ${patient.status}`);
  if (patient.care_setting !== 'HOME') throw new PatientNotAtHome(patient.id, 'admitted to a facility');

  if (input.workerId) {
    const [worker] = input.workerId.length <= TEXT_LIMITS.ID ? await workersByIds(runtime.db, [input.workerId]) : [];
    const covers = !!worker && (await workerCovers(runtime.db, worker.id, patient.ward_code));
    // A worker neither based in the viewer's jurisdiction nor working in the patient's ward is
    // answered like an unknown id.
    if (!worker || !(covers || manages(viewer, worker.home_ward_code))) throw notFoundFor(viewer, 'HealthWorker', input.workerId, 'assign this health worker');
    if (!worker.active) throw new WorkerInactive(worker.id);
    if (!CARE_ROLES.includes(worker.role as WorkerRole)) {
      throw new WorkerOutsideArea(worker.id, patient.ward_code);
    }
    if (!covers) throw new WorkerOutsideArea(worker.id, patient.ward_code);
  }
  try {
    return await runtime.db.transaction().execute(async (trx) => {
      const existing = await openAssignmentOf(trx, patient.id);
      if (existing) throw new AlreadyAssigned(patient.id, existing.worker_id);
      const worker = input.workerId ? await takeCaseloadPlace(trx, input.workerId) : await takeLeastLoadedPlace(trx, patient.ward_code);
      if (!worker) {
        throw new CaseloadFull(
          input.workerId
            ? `Health worker ${input.workerId} is at the caseload cap`
            : `Every care worker of ward ${patient.ward_code} is at the caseload cap; mobilise reinforcements or raise caps`,
          input.workerId ?? null,
          patient.ward_code,
        );
      }
      return insertAssignment(trx, patient.id, worker.id, viewer.subject);
    });
  } catch (error) {
    if (isUniqueViolation(error, 'care_assignment_one_open_per_patient')) {
      const existing = await openAssignmentOf(runtime.db, patient.id);
      throw new AlreadyAssigned(patient.id, existing?.worker_id ?? 'unknown');
    }
    throw error;
  }
}

export async function endCare(runtime: WorkforceRuntime, viewer: Viewer, patientId: string): Promise<CareAssignmentRow> {
  const patient = await findHomePatient(runtime, viewer, patientId);
  return runtime.db.transaction().execute(async (trx) => {
    const ended = await endAssignment(trx, patient.id, 'ENDED_BY_STAFF');
    if (!ended) throw new NotFoundError('CareAssignment', patient.id);
    return ended;
  });
}

export interface AutoAssignResult {
  wardCode: string;
  assigned: number;
  stillUnassigned: number;
}

/** Gives every unassigned home patient of the ward a care worker, least loaded first, until caps run out. */
export async function assignUnassigned(runtime: WorkforceRuntime, viewer: Viewer, wardCode: string): Promise<AutoAssignResult> {
  if (!findWard(wardCode)) throw graphQLError('BAD_USER_INPUT', `No ward has code ${wardCode}`);
  assertManagesWard(viewer, wardCode, 'assign care in this ward');
  await runtime.consumer(PATIENT_PROJECTION).catchUp();
  let assigned = 0;
  let remaining = 0;
  for (const patientId of await unassignedHomePatients(runtime.db, wardCode, 10_000)) {
    try {
      await assignCare(runtime, viewer, { patientId });
      assigned += 1;
    } catch (error) {
      if (error instanceof CaseloadFull) remaining += 1;
      else if (!(error instanceof AlreadyAssigned || error instanceof PatientNotAtHome)) throw error;
    }
  }
  return { wardCode, assigned, stillUnassigned: remaining };
}
