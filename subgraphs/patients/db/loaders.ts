import type { Kysely } from 'kysely';
import DataLoader from 'dataloader';
import { groupLoaderBy, loaderBy, loaderPerArgs } from '../../common/loaders.js';
import { caseStatsByArea, patientsByIds, tierChangesByPatients } from './patient.repository.js';
import { helpRequestsByPatients, helpStatsByArea, isolationOrdersByPatients, medicineByPatients, recentChecks } from './care.repository.js';
import { latestAssessments } from './epidemic.repository.js';
import { contactsByIds, contactsByPatients, ordersByContacts, quarantineStatsByArea } from './contact.repository.js';
import { declarationsInForce } from './declaration.repository.js';
import { currentSubmissionsOfDays, entryLagByAreas } from './report-duty.repository.js';
import { packageCoverageByArea, stockByArea, stockByFacilities } from './supply.repository.js';
import { cityDate } from '../../common/graphql/scalars.js';
import type { PatientsDB } from './tables.js';

export const RECENT_CHECKS = 14;

/** Per-request loaders: one query per kind of lookup per request. */
export function createLoaders(db: Kysely<PatientsDB>, now: () => Date) {
  const weekAgo = () => new Date(now().getTime() - 7 * 86_400_000);
  /** The first day of the last 14 (today included), in the city. */
  const fortnightStart = () => cityDate(new Date(now().getTime() - 13 * 86_400_000));
  // The data-entry lag takes a period: the areas asked with the same period share one query.
  const entryLag = loaderPerArgs(
    (column: 'ward_code' | 'district_code', since: Date, until: Date) => `${column}|${since.toISOString()}|${until.toISOString()}`,
    (column, since, until) => loaderBy((codes: readonly string[]) => entryLagByAreas(db, column, codes, since, until), (r) => r.code),
  );
  return {
    entryLag,
    /** The current submissions of the 07:00 report duty of a day, every ward. */
    reportSubmissions: groupLoaderBy((days: readonly string[]) => currentSubmissionsOfDays(db, days), (s) => s.day),
    patient: loaderBy((ids: readonly string[]) => patientsByIds(db, ids), (p) => p.id),
    tierHistory: groupLoaderBy((ids: readonly string[]) => tierChangesByPatients(db, ids), (c) => c.patientId),
    recentChecks: groupLoaderBy((ids: readonly string[]) => recentChecks(db, ids, RECENT_CHECKS), (c) => c.patientId),
    isolationOrders: groupLoaderBy((ids: readonly string[]) => isolationOrdersByPatients(db, ids), (o) => o.patientId),
    medicine: groupLoaderBy((ids: readonly string[]) => medicineByPatients(db, ids), (m) => m.patientId),
    helpRequestsOfPatient: groupLoaderBy((ids: readonly string[]) => helpRequestsByPatients(db, ids), (h) => h.patientId ?? ''),
    districtCases: loaderBy((codes: readonly string[]) => caseStatsByArea(db, 'district_code', codes, weekAgo()), (s) => s.area),
    wardCases: loaderBy((codes: readonly string[]) => caseStatsByArea(db, 'ward_code', codes, weekAgo()), (s) => s.area),
    wardHelp: loaderBy((codes: readonly string[]) => helpStatsByArea(db, 'ward_code', codes, now()), (s) => s.area),
    wardAssessment: loaderBy((codes: readonly string[]) => latestAssessments(db, 'WARD', codes), (a) => a.code),
    districtAssessment: loaderBy((codes: readonly string[]) => latestAssessments(db, 'DISTRICT', codes), (a) => a.code),
    /** The declared level in force today (city date) per area. */
    wardDeclaration: loaderBy((codes: readonly string[]) => declarationsInForce(db, 'WARD', codes, cityDate(now())), (d) => d.code),
    districtDeclaration: loaderBy((codes: readonly string[]) => declarationsInForce(db, 'DISTRICT', codes, cityDate(now())), (d) => d.code),
    districtHelp: loaderBy((codes: readonly string[]) => helpStatsByArea(db, 'district_code', codes, now()), (s) => s.area),
    contact: loaderBy((ids: readonly string[]) => contactsByIds(db, ids), (c) => c.id),
    contactOfPatient: loaderBy((ids: readonly string[]) => contactsByPatients(db, ids), (c) => c.patientId ?? ''),
    ordersOfContact: groupLoaderBy((ids: readonly string[]) => ordersByContacts(db, ids), (o) => o.contactId),
    wardQuarantine: loaderBy((codes: readonly string[]) => quarantineStatsByArea(db, 'ward_code', codes, fortnightStart()), (s) => s.area),
    districtQuarantine: loaderBy((codes: readonly string[]) => quarantineStatsByArea(db, 'district_code', codes, fortnightStart()), (s) => s.area),
    facilityStock: groupLoaderBy((ids: readonly string[]) => stockByFacilities(db, ids), (s) => s.facilityId),
    wardStock: groupLoaderBy((codes: readonly string[]) => stockByArea(db, 'ward_code', codes), (s) => s.area),
    districtStock: groupLoaderBy((codes: readonly string[]) => stockByArea(db, 'district_code', codes), (s) => s.area),
    wardCoverage: loaderBy((codes: readonly string[]) => packageCoverageByArea(db, 'ward_code', codes), (c) => c.area),
    districtCoverage: loaderBy((codes: readonly string[]) => packageCoverageByArea(db, 'district_code', codes), (c) => c.area),
  } satisfies Record<string, DataLoader<string, unknown> | typeof entryLag>;
}

export type Loaders = ReturnType<typeof createLoaders>;
