/**
 * Who cares for whom. A care assignment takes a place in the worker's caseload in the same
 * transaction as the assignment row, with a conditional update, so no worker is ever pushed past
 * their cap however many assignments run at once.
 *
 * The patient is decided on inside that transaction, on the projected patient's row share-locked
 * first: a case closed (or admitted) in the patients subgraph is applied here by the projection,
 * which waits for an assignment in flight and then ends it, or goes first and the assignment
 * sees the closed case. So no caseload place is ever held for a closed case.
 *
 * Lock order, the same in every write and in the projection: projected patient → care
 * assignment → worker. The projection applies a batch of events in one transaction, so it may
 * hold one patient's worker while it waits for another patient's row that an assignment holds;
 * PostgreSQL breaks such a deadlock and the aborted side runs again (writes here retry; the
 * projection retries by itself).
 */
import { findWard } from '../../common/admin-units.js';
import type { Viewer } from '../../common/auth/viewer.js';
import { assertCaresFor, notFoundFor } from '../../common/auth/jurisdiction.js';
import { graphQLError } from '../../common/graphql/errors.js';
import { NotFoundError } from '../../common/domain/errors.js';
import { isUniqueViolation, retryOnConflict } from '../../common/db/errors.js';
import { endAssignment, insertAssignment, openAssignmentOf, unassignedHomePatients } from '../db/care.repository.js';
import { takeCaseloadPlace, takeLeastLoadedPlace } from '../db/worker.repository.js';
import type { CareAssignment, KnownPatient } from '../db/mappers.js';
import { AlreadyAssigned, CaseloadFull, PatientNotAtHome, WorkerInactive, WorkerOutsideArea } from '../domain/errors.js';
import { homeCareRefusal, isCareRole } from '../domain/workforce.js';
import type { WorkforceRuntime } from '../context.js';
import { PATIENT_PROJECTION } from '../events/consumers.js';
import { findPatientFor, lockPatientFor, reachableWorkers } from './access.js';

const CHANGE_CARE = 'change the care of this patient';

function assertHomePatient(patient: KnownPatient): void {
  const refusal = homeCareRefusal(patient);
  if (refusal) throw new PatientNotAtHome(patient.id, refusal);
}

/** The named worker may follow this patient: reachable by the viewer, active, a care role, working in the patient's ward. */
async function assertCanFollow(runtime: WorkforceRuntime, viewer: Viewer, workerId: string, patient: KnownPatient): Promise<void> {
  const { reachable, covering } = await reachableWorkers(runtime.db, viewer, [workerId], patient.wardCode);
  const worker = reachable.get(workerId);
  if (!worker) throw notFoundFor(viewer, 'HealthWorker', workerId, 'assign this health worker');
  if (!worker.active) throw new WorkerInactive(worker.id);
  if (!isCareRole(worker.role) || !covering.has(worker.id)) throw new WorkerOutsideArea(worker.id, patient.wardCode);
}

export async function assignCare(runtime: WorkforceRuntime, viewer: Viewer, input: { patientId: string; workerId?: string | null }): Promise<CareAssignment> {
  // Read first, to answer before anything is locked; decided again on the locked row below.
  const patient = await findPatientFor(runtime, viewer, input.patientId, CHANGE_CARE);
  assertHomePatient(patient);
  if (input.workerId) await assertCanFollow(runtime, viewer, input.workerId, patient);
  try {
    return await retryOnConflict(() =>
      runtime.db.transaction().execute(async (trx) => {
        const locked = await lockPatientFor(trx, viewer, patient.id, CHANGE_CARE);
        assertHomePatient(locked);
        const existing = await openAssignmentOf(trx, patient.id);
        if (existing) throw new AlreadyAssigned(patient.id, existing.workerId);
        const worker = input.workerId ? await takeCaseloadPlace(trx, input.workerId) : await takeLeastLoadedPlace(trx, locked.wardCode);
        if (!worker) {
          // An assignment of this patient racing ours may have taken the last place while we waited
          // for the worker's row (it committed, so this statement sees it): the answer is that one.
          const racing = await openAssignmentOf(trx, patient.id);
          if (racing) throw new AlreadyAssigned(patient.id, racing.workerId);
          throw CaseloadFull.of(input.workerId ?? null, locked.wardCode);
        }
        return insertAssignment(trx, patient.id, worker.id, viewer.subject);
      }),
    );
  } catch (error) {
    if (isUniqueViolation(error, 'care_assignment_one_open_per_patient')) {
      const existing = await openAssignmentOf(runtime.db, patient.id);
      throw new AlreadyAssigned(patient.id, existing?.workerId ?? 'unknown');
    }
    throw error;
  }
}

export async function endCare(runtime: WorkforceRuntime, viewer: Viewer, patientId: string): Promise<CareAssignment> {
  const patient = await findPatientFor(runtime, viewer, patientId, CHANGE_CARE);
  return retryOnConflict(() =>
    runtime.db.transaction().execute(async (trx) => {
      await lockPatientFor(trx, viewer, patient.id, CHANGE_CARE);
      const ended = await endAssignment(trx, patient.id, 'ENDED_BY_STAFF');
      if (!ended) throw new NotFoundError('CareAssignment', patient.id);
      return ended;
    }),
  );
}

export interface AutoAssignResult {
  wardCode: string;
  assigned: number;
  stillUnassigned: number;
}

/** Gives every unassigned home patient of the ward a care worker, least loaded first, until caps run out. */
export async function assignUnassigned(runtime: WorkforceRuntime, viewer: Viewer, wardCode: string): Promise<AutoAssignResult> {
  if (!findWard(wardCode)) throw graphQLError('BAD_USER_INPUT', `No ward has code ${wardCode}`);
  assertCaresFor(viewer, wardCode, 'assign care in this ward');
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
