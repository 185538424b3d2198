import type { Kysely } from 'kysely';
import { groupLoaderBy, loaderBy, loaderPerArgs } from '../../common/loaders.js';
import { bedTotalsByArea, districtsByCodes, mobileStationsByWards, wardsByCodes, wardsByDistricts } from './geography.repository.js';
import { bedsByFacilityIds, facilitiesByIds } from './facility.repository.js';
import { admissionsByIds, admissionsByPatients, knownPatientsByIds } from './admission.repository.js';
import { referralTimesByAreas, referralsByIds, referralsByPatients } from './referral.repository.js';
import { contactFacilityIdsByWards, contactsByFacilityIds } from './contact.repository.js';
import type { FacilitiesDB } from './tables.js';

/** Per-request loaders: each kind of lookup is one query per request, however many parents ask. */
export function createLoaders(db: Kysely<FacilitiesDB>) {
  // Referral times take a period argument: one loader per area kind and period asked in the request.
  const referralTimes = loaderPerArgs(
    (column: 'ward_code' | 'district_code', since: Date, until: Date) => `${column}|${since.toISOString()}|${until.toISOString()}`,
    (column, since, until) => loaderBy((codes: readonly string[]) => referralTimesByAreas(db, column, codes, since, until), (r) => r.code),
  );
  return {
    referralTimes,
    district: loaderBy((codes: readonly string[]) => districtsByCodes(db, codes), (d) => d.code),
    ward: loaderBy((codes: readonly string[]) => wardsByCodes(db, codes), (w) => w.code),
    wardsOfDistrict: groupLoaderBy((codes: readonly string[]) => wardsByDistricts(db, codes), (w) => w.districtCode),
    facility: loaderBy((ids: readonly string[]) => facilitiesByIds(db, ids), (f) => f.id),
    bedsOfFacility: groupLoaderBy((ids: readonly string[]) => bedsByFacilityIds(db, ids), (b) => b.facilityId),
    districtBeds: groupLoaderBy((codes: readonly string[]) => bedTotalsByArea(db, 'district_code', codes), (b) => b.area),
    wardBeds: groupLoaderBy((codes: readonly string[]) => bedTotalsByArea(db, 'ward_code', codes), (b) => b.area),
    districtQuarantine: groupLoaderBy((codes: readonly string[]) => bedTotalsByArea(db, 'district_code', codes, 'QUARANTINE'), (b) => b.area),
    wardQuarantine: groupLoaderBy((codes: readonly string[]) => bedTotalsByArea(db, 'ward_code', codes, 'QUARANTINE'), (b) => b.area),
    mobileStations: groupLoaderBy((codes: readonly string[]) => mobileStationsByWards(db, codes), (s) => s.wardCode),
    admission: loaderBy((ids: readonly string[]) => admissionsByIds(db, ids), (a) => a.id),
    activeAdmissionOfPatient: loaderBy((ids: readonly string[]) => admissionsByPatients(db, ids, true), (a) => a.patientId),
    knownPatient: loaderBy((ids: readonly string[]) => knownPatientsByIds(db, ids), (p) => p.id),
    admissionsOfPatient: groupLoaderBy((ids: readonly string[]) => admissionsByPatients(db, ids, false), (a) => a.patientId),
    referral: loaderBy((ids: readonly string[]) => referralsByIds(db, ids), (r) => r.id),
    openReferralOfPatient: loaderBy((ids: readonly string[]) => referralsByPatients(db, ids, true), (r) => r.patientId),
    contactsOfFacility: loaderBy((ids: readonly string[]) => contactsByFacilityIds(db, ids), (c) => c.facilityId),
    contactFacilitiesOfWard: groupLoaderBy((codes: readonly string[]) => contactFacilityIdsByWards(db, codes), (r) => r.wardCode),
    referralsOfPatient: groupLoaderBy((ids: readonly string[]) => referralsByPatients(db, ids, false), (r) => r.patientId),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
