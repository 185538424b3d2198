/** Rows to domain objects: the one place that knows both shapes. */
import type { BedCounts } from '../domain/capacity.js';
import type { AdmissionRow, BedRow, DistrictRow, FacilityRow, WardRow } from './tables.js';

export interface District {
  code: string;
  name: string;
  kind: string;
  population: number;
}

export interface Ward {
  code: string;
  districtCode: string;
  name: string;
  kind: string;
  population: number;
}

export interface Facility {
  id: string;
  name: string;
  kind: FacilityRow['kind'];
  level: FacilityRow['level'];
  ownership: FacilityRow['ownership'];
  status: FacilityRow['status'];
  wardCode: string;
  districtCode: string;
  servesTiers: FacilityRow['serves_tiers'];
  address: string | null;
  updatedAt: Date;
}

export interface Admission {
  id: string;
  patientId: string;
  facilityId: string;
  bedKind: AdmissionRow['bed_kind'];
  admittedAt: Date;
  dischargedAt: Date | null;
  outcome: AdmissionRow['outcome'];
  transferredTo: string | null;
  transferredFrom: string | null;
  bedKindOverrideReason: string | null;
}

export interface Beds extends BedCounts {
  facilityId: string;
  updatedAt: Date;
}

export const toDistrict = (r: DistrictRow): District => ({ code: r.code, name: r.name, kind: r.kind, population: r.population });

export const toWard = (r: WardRow): Ward => ({
  code: r.code,
  districtCode: r.district_code,
  name: r.name,
  kind: r.kind,
  population: r.population,
});

export const toFacility = (r: FacilityRow): Facility => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  level: r.level,
  ownership: r.ownership,
  status: r.status,
  wardCode: r.ward_code,
  districtCode: r.district_code,
  servesTiers: r.serves_tiers,
  address: r.address,
  updatedAt: r.updated_at,
});

export const toAdmission = (r: AdmissionRow): Admission => ({
  id: r.id,
  patientId: r.patient_id,
  facilityId: r.facility_id,
  bedKind: r.bed_kind,
  admittedAt: r.admitted_at,
  dischargedAt: r.discharged_at,
  outcome: r.outcome,
  transferredTo: r.transferred_to,
  transferredFrom: r.transferred_from,
  bedKindOverrideReason: r.bed_kind_override_reason,
});

export const toBeds = (r: BedRow): Beds => ({
  facilityId: r.facility_id,
  kind: r.kind,
  total: r.total,
  covidDesignated: r.covid_designated,
  occupied: r.occupied,
  updatedAt: r.updated_at,
});
