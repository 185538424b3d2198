/** Rows to domain objects: the one place that knows both shapes. */
import type { BedCounts } from '../domain/capacity.js';
import type { AdmissionRow, BedRow, DistrictRow, FacilityContactRow, FacilityRow, ReferralRow, WardRow, ZaloGroup } from './tables.js';

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
  /** Its ward, when the statement that read the facility brought it (a page does). */
  ward?: Ward;
  /** Its beds, when the statement that read the facility brought them (a page that shows beds). */
  beds?: Beds[];
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

export interface FacilityContacts {
  facilityId: string;
  phones: string[];
  hotline: string | null;
  zaloGroups: ZaloGroup[];
  hours: string | null;
  updatedAt: Date;
}

export const toFacilityContacts = (r: FacilityContactRow): FacilityContacts => ({
  facilityId: r.facility_id,
  phones: r.phones,
  hotline: r.hotline,
  zaloGroups: r.zalo_groups,
  hours: r.hours,
  updatedAt: r.updated_at,
});

/** A facility from its row (`created_at` is not part of a Facility, so a page need not select it). */
export const toFacility = (r: Omit<FacilityRow, 'created_at'>): Facility => ({
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

export interface Referral {
  id: string;
  patientId: string;
  /** The patient's ward and district when the referral was requested. */
  wardCode: string;
  districtCode: string;
  trigger: ReferralRow['trigger'];
  fromTier: ReferralRow['from_tier'];
  toTier: ReferralRow['to_tier'];
  status: ReferralRow['status'];
  facilityId: string | null;
  /** The offered facility's ward (null while nothing is offered). */
  facilityWardCode: string | null;
  bedKind: ReferralRow['bed_kind'];
  admissionId: string | null;
  requestedAt: Date;
  offeredAt: Date | null;
  acceptedAt: Date | null;
  admittedAt: Date | null;
  closedAt: Date | null;
  closeReason: string | null;
  updatedAt: Date;
}

export const toReferral = (r: ReferralRow & { facility_ward_code: string | null }): Referral => ({
  id: r.id,
  patientId: r.patient_id,
  wardCode: r.ward_code,
  districtCode: r.district_code,
  trigger: r.trigger,
  fromTier: r.from_tier,
  toTier: r.to_tier,
  status: r.status,
  facilityId: r.facility_id,
  facilityWardCode: r.facility_ward_code,
  bedKind: r.bed_kind,
  admissionId: r.admission_id,
  requestedAt: r.requested_at,
  offeredAt: r.offered_at,
  acceptedAt: r.accepted_at,
  admittedAt: r.admitted_at,
  closedAt: r.closed_at,
  closeReason: r.close_reason,
  updatedAt: r.updated_at,
});
