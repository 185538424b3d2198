import type { Kysely } from 'kysely';
import DataLoader from 'dataloader';
import { groupLoaderBy, loaderBy } from '../../common/loaders.js';
import {
  dutyCountsByFacilities,
  knownPatientsByIds,
  membersOfTeams,
  openAssignmentsOfPatients,
  openAssignmentsOfWorkers,
  teamsByIds,
  teamsOfWards,
  teamsOfWorkers,
  workersByIds,
  workforceStatsByArea,
} from './worker.repository.js';
import type { WorkforceDB } from './tables.js';

/** Per-request loaders: one query per kind of lookup per request. */
export function createLoaders(db: Kysely<WorkforceDB>) {
  return {
    worker: loaderBy((ids: readonly string[]) => workersByIds(db, ids), (w) => w.id),
    team: loaderBy((ids: readonly string[]) => teamsByIds(db, ids), (t) => t.id),
    teamsOfWard: groupLoaderBy((codes: readonly string[]) => teamsOfWards(db, codes), (t) => t.ward_code),
    membersOfTeam: groupLoaderBy((ids: readonly string[]) => membersOfTeams(db, ids), (m) => m.team_id),
    teamsOfWorker: groupLoaderBy((ids: readonly string[]) => teamsOfWorkers(db, ids), (t) => t.worker_id),
    careOfPatient: loaderBy((ids: readonly string[]) => openAssignmentsOfPatients(db, ids), (a) => a.patient_id),
    careOfWorker: groupLoaderBy((ids: readonly string[]) => openAssignmentsOfWorkers(db, ids), (a) => a.worker_id),
    knownPatient: loaderBy((ids: readonly string[]) => knownPatientsByIds(db, ids), (p) => p.id),
    staffOnDuty: loaderBy((ids: readonly string[]) => dutyCountsByFacilities(db, ids, new Date()), (d) => d.facilityId),
    wardStats: loaderBy((codes: readonly string[]) => workforceStatsByArea(db, 'ward', codes), (s) => s.area),
    districtStats: loaderBy((codes: readonly string[]) => workforceStatsByArea(db, 'district', codes), (s) => s.area),
  } satisfies Record<string, DataLoader<string, unknown>>;
}

export type Loaders = ReturnType<typeof createLoaders>;
