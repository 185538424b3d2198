import type { Kysely } from 'kysely';
import DataLoader from 'dataloader';
import { groupLoaderBy, loaderBy } from '../../common/loaders.js';
import { coverageByArea, dosesByDay, homeRequestsOfResidents, recordsOfResidents, residentsByIds, residentsByNationalIds } from './vaccination.repository.js';
import type { VaccinationDB } from './tables.js';

export const PROGRESS_DAYS = 14;

/** Per-request loaders: one query per kind of lookup per request. */
export function createLoaders(db: Kysely<VaccinationDB>, today: () => string) {
  const since = () => new Date(Date.parse(`${today()}T00:00:00Z`) - (PROGRESS_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
  return {
    resident: loaderBy((ids: readonly string[]) => residentsByIds(db, ids), (r) => r.id),
    residentByNationalId: loaderBy((ids: readonly string[]) => residentsByNationalIds(db, ids), (r) => r.national_id),
    records: groupLoaderBy((ids: readonly string[]) => recordsOfResidents(db, ids), (r) => r.resident_id),
    homeRequests: groupLoaderBy((ids: readonly string[]) => homeRequestsOfResidents(db, ids), (r) => r.resident_id),
    wardCoverage: groupLoaderBy((codes: readonly string[]) => coverageByArea(db, 'ward_code', codes), (c) => c.area),
    districtCoverage: groupLoaderBy((codes: readonly string[]) => coverageByArea(db, 'district_code', codes), (c) => c.area),
    wardProgress: groupLoaderBy((codes: readonly string[]) => dosesByDay(db, 'ward_code', codes, since()), (d) => d.area),
    districtProgress: groupLoaderBy((codes: readonly string[]) => dosesByDay(db, 'district_code', codes, since()), (d) => d.area),
  } satisfies Record<string, DataLoader<string, unknown>>;
}

export type Loaders = ReturnType<typeof createLoaders>;
