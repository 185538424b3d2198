import type { Kysely } from 'kysely';
import DataLoader from 'dataloader';
import { groupLoaderBy, loaderBy } from '../../common/loaders.js';
import { knownPatientsByIds, openAssignmentsOfPatients, openAssignmentsOfWorkers } from './care.repository.js';
import { workersByOriginByArea, workforceStatsByArea } from './stats.repository.js';
import { membersOfTeams, teamsByIds, teamsOfWards, teamsOfWorkers } from './team.repository.js';
import { staffOnDutyByFacilities, workersByIds } from './worker.repository.js';
import type { WorkforceDB } from './tables.js';

/** Per-request loaders: one query per kind of lookup per request. */
export function createLoaders(db: Kysely<WorkforceDB>) {
  return {
    worker: loaderBy((ids: readonly string[]) => workersByIds(db, ids), (w) => w.id),
    team: loaderBy((ids: readonly string[]) => teamsByIds(db, ids), (t) => t.id),
    teamsOfWard: groupLoaderBy((codes: readonly string[]) => teamsOfWards(db, codes), (t) => t.wardCode),
    membersOfTeam: groupLoaderBy((ids: readonly string[]) => membersOfTeams(db, ids), (m) => m.teamId),
    teamsOfWorker: groupLoaderBy((ids: readonly string[]) => teamsOfWorkers(db, ids), (t) => t.workerId),
    careOfPatient: loaderBy((ids: readonly string[]) => openAssignmentsOfPatients(db, ids), (a) => a.patientId),
    careOfWorker: groupLoaderBy((ids: readonly string[]) => openAssignmentsOfWorkers(db, ids), (a) => a.workerId),
    knownPatient: loaderBy((ids: readonly string[]) => knownPatientsByIds(db, ids), (p) => p.id),
    staffOnDuty: loaderBy((ids: readonly string[]) => staffOnDutyByFacilities(db, ids, new Date()), (d) => d.facilityId),
    wardStats: loaderBy((codes: readonly string[]) => workforceStatsByArea(db, 'ward', codes), (s) => s.area),
    districtStats: loaderBy((codes: readonly string[]) => workforceStatsByArea(db, 'district', codes), (s) => s.area),
    wardOrigins: loaderBy((codes: readonly string[]) => workersByOriginByArea(db, 'ward', codes), (o) => o.area),
    districtOrigins: loaderBy((codes: readonly string[]) => workersByOriginByArea(db, 'district', codes), (o) => o.area),
  } satisfies Record<string, DataLoader<string, unknown>>;
}

export type Loaders = ReturnType<typeof createLoaders>;
