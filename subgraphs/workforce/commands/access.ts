/**
 * The records a write names, found with the platform's jurisdiction rule: to anyone but the city,
 * a patient or worker outside the viewer's jurisdiction is answered exactly like an unknown id,
 * so that writes cannot probe who exists elsewhere.
 */
import { coversWard, type Viewer } from '../../common/auth/viewer.js';
import { assertCaresFor, notFoundFor } from '../../common/auth/jurisdiction.js';
import { TEXT_LIMITS } from '../../common/domain/input-rules.js';
import type { Kysely, Transaction } from 'kysely';
import { knownPatient, lockKnownPatient } from '../db/care.repository.js';
import { workersByIds, workersCoveringWard } from '../db/worker.repository.js';
import type { HealthWorker, KnownPatient } from '../db/mappers.js';
import type { WorkforceDB } from '../db/tables.js';
import type { WorkforceRuntime } from '../context.js';
import { PATIENT_PROJECTION } from '../events/consumers.js';

const fitsId = (id: string) => id.length <= TEXT_LIMITS.ID;

/**
 * The patient as workforce knows it from the patients subgraph's events, in the viewer's
 * jurisdiction. A patient registered a moment ago may not be projected yet: then catch the
 * projection up once before giving up. Read without a lock: a write decides again on
 * `lockPatientFor` inside its transaction.
 */
export async function findPatientFor(runtime: WorkforceRuntime, viewer: Viewer, patientId: string, action: string): Promise<KnownPatient> {
  let patient = fitsId(patientId) ? await knownPatient(runtime.db, patientId) : undefined;
  if (!patient && fitsId(patientId)) {
    await runtime.consumer(PATIENT_PROJECTION).catchUp();
    patient = await knownPatient(runtime.db, patientId);
  }
  return caredFor(viewer, patient, patientId, action);
}

/** The patient found, once the viewer is known to care for them; unknown and foreign look alike. */
function caredFor(viewer: Viewer, patient: KnownPatient | undefined, patientId: string, action: string): KnownPatient {
  if (!patient) throw notFoundFor(viewer, 'Patient', patientId, action);
  assertCaresFor(viewer, patient.wardCode, action);
  return patient;
}

/**
 * The projected patient, share-locked for the rest of the transaction (the projection applying a
 * closed case or an admission waits for this write, or this write for it), in the viewer's
 * jurisdiction as it is now.
 */
export async function lockPatientFor(trx: Transaction<WorkforceDB>, viewer: Viewer, patientId: string, action: string): Promise<KnownPatient> {
  return caredFor(viewer, await lockKnownPatient(trx, patientId), patientId, action);
}

/** A worker based in the viewer's jurisdiction. */
export async function findWorkerFor(db: Kysely<WorkforceDB>, viewer: Viewer, workerId: string, action: string): Promise<HealthWorker> {
  const [worker] = fitsId(workerId) ? await workersByIds(db, [workerId]) : [];
  if (!worker) throw notFoundFor(viewer, 'HealthWorker', workerId, action);
  assertCaresFor(viewer, worker.homeWardCode, action);
  return worker;
}

/**
 * The workers named that a clinician may put to work in `wardCode`: those based in the viewer's
 * jurisdiction, and those who already work in the ward (`covering`). Unknown ids and anyone else
 * are left out, to be answered like unknown ids. Call once the viewer is known to care for the ward.
 */
export async function reachableWorkers(
  db: Kysely<WorkforceDB>,
  viewer: Viewer,
  workerIds: readonly string[],
  wardCode: string,
): Promise<{ reachable: Map<string, HealthWorker>; covering: Set<string> }> {
  const ids = workerIds.filter(fitsId);
  const [found, covering] = await Promise.all([workersByIds(db, ids), workersCoveringWard(db, ids, wardCode)]);
  const reachable = new Map(found.filter((w) => covering.has(w.id) || coversWard(viewer, w.homeWardCode)).map((w) => [w.id, w]));
  return { reachable, covering };
}
