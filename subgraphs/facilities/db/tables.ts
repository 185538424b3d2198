import type { Generated, Selectable } from 'kysely';
import type { RuntimeTables } from '../../common/runtime.js';
import type { BedKind, DischargeOutcome, PatientStatus, TreatmentTier } from '../../common/domain/enums.js';
import type { FacilityKind, FacilityLevel, FacilityStatus, Ownership } from '../domain/facility.js';
import type { ReferralStatus, ReferralTrigger } from '../domain/referral.js';

export interface DistrictTable {
  code: string;
  name: string;
  kind: string;
  population: number;
}

export interface WardTable {
  code: string;
  district_code: string;
  name: string;
  kind: string;
  population: number;
}

export interface FacilityTable {
  id: string;
  name: string;
  kind: FacilityKind;
  level: FacilityLevel;
  ownership: Ownership;
  status: FacilityStatus;
  ward_code: string;
  district_code: string;
  serves_tiers: TreatmentTier[];
  address: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface BedTable {
  facility_id: string;
  kind: BedKind;
  total: number;
  covid_designated: number;
  occupied: Generated<number>;
  updated_at: Generated<Date>;
}

export interface AdmissionTable {
  id: Generated<string>;
  patient_id: string;
  facility_id: string;
  bed_kind: BedKind;
  admitted_at: Generated<Date>;
  discharged_at: Date | null;
  outcome: DischargeOutcome | null;
  transferred_to: string | null;
  transferred_from: string | null;
  idempotency_key: string | null;
  recorded_by: string;
  bed_kind_override_reason: Generated<string | null>;
}

export interface KnownPatientTable {
  id: string;
  ward_code: string;
  status: PatientStatus;
  tier: TreatmentTier;
  updated_at: Date;
}

export interface ReferralTable {
  id: Generated<string>;
  patient_id: string;
  ward_code: string;
  district_code: string;
  trigger: ReferralTrigger;
  from_tier: TreatmentTier;
  to_tier: TreatmentTier;
  status: ReferralStatus;
  facility_id: string | null;
  bed_kind: BedKind | null;
  admission_id: string | null;
  requested_at: Date;
  offered_at: Date | null;
  accepted_at: Date | null;
  admitted_at: Date | null;
  closed_at: Date | null;
  close_reason: string | null;
  updated_at: Generated<Date>;
}

export interface BedSnapshotTable {
  day: string;
  scope: string;
  kind: BedKind;
  total: number;
  covid_designated: number;
  occupied: number;
  created_at: Generated<Date>;
}

export interface QuarantineStayTable {
  order_id: string;
  facility_id: string;
  active: boolean;
  updated_at: Generated<Date>;
}

export interface ZaloGroup {
  name: string;
  link: string;
}

export interface FacilityContactTable {
  facility_id: string;
  phones: string[];
  hotline: string | null;
  zalo_groups: ZaloGroup[];
  hours: string | null;
  updated_by: string;
  updated_at: Generated<Date>;
}

export interface FacilitiesDB extends RuntimeTables {
  facility_contact: FacilityContactTable;
  quarantine_stay: QuarantineStayTable;
  bed_snapshot: BedSnapshotTable;
  district: DistrictTable;
  ward: WardTable;
  facility: FacilityTable;
  bed: BedTable;
  admission: AdmissionTable;
  known_patient: KnownPatientTable;
  referral: ReferralTable;
}

export type DistrictRow = Selectable<DistrictTable>;
export type WardRow = Selectable<WardTable>;
export type FacilityRow = Selectable<FacilityTable>;
export type BedRow = Selectable<BedTable>;
export type AdmissionRow = Selectable<AdmissionTable>;
export type KnownPatientRow = Selectable<KnownPatientTable>;
export type ReferralRow = Selectable<ReferralTable>;
export type FacilityContactRow = Selectable<FacilityContactTable>;
