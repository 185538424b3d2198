import type { Kysely } from 'kysely';
import DataLoader from 'dataloader';
import { groupLoaderBy, loaderBy } from '../../common/loaders.js';
import { residentsByIds, residentsByNationalIds } from './resident.repository.js';
import { recordsOfResidents } from './dose.repository.js';
import { homeRequestsOfResidents } from './home-request.repository.js';
import { coverageByArea, dosesByDay } from './coverage.repository.js';
import { pointsByIds, sessionsByIds } from './site.repository.js';
import { progressSince } from '../domain/coverage.js';
import { yearOf } from '../domain/schedule.js';
import type { VaccinationDB } from './tables.js';

/** Per-request loaders: one query per kind of lookup per request. */
export function createLoaders(db: Kysely<VaccinationDB>, today: () => string) {
  return {
    resident: loaderBy((ids: readonly string[]) => residentsByIds(db, ids), (r) => r.id),
    residentByNationalId: loaderBy((ids: readonly string[]) => residentsByNationalIds(db, ids), (r) => r.nationalId),
    records: groupLoaderBy((ids: readonly string[]) => recordsOfResidents(db, ids), (r) => r.residentId),
    homeRequests: groupLoaderBy((ids: readonly string[]) => homeRequestsOfResidents(db, ids), (r) => r.residentId),
    point: loaderBy((ids: readonly string[]) => pointsByIds(db, ids), (p) => p.id),
    session: loaderBy((ids: readonly string[]) => sessionsByIds(db, ids), (s) => s.id),
    wardCoverage: groupLoaderBy((codes: readonly string[]) => coverageByArea(db, 'ward_code', yearOf(today()), codes), (c) => c.area),
    districtCoverage: groupLoaderBy((codes: readonly string[]) => coverageByArea(db, 'district_code', yearOf(today()), codes), (c) => c.area),
    wardProgress: groupLoaderBy((codes: readonly string[]) => dosesByDay(db, 'ward_code', codes, progressSince(today())), (d) => d.area),
    districtProgress: groupLoaderBy((codes: readonly string[]) => dosesByDay(db, 'district_code', codes, progressSince(today())), (d) => d.area),
  } satisfies Record<string, DataLoader<string, unknown>>;
}

export type Loaders = ReturnType<typeof createLoaders>;
