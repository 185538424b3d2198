import type { Generated, Selectable } from 'kysely';
import type { RuntimeTables } from '../../common/runtime.js';
import type { DoseKind, Vaccine } from '../domain/schedule.js';
import type { Schooling } from '../domain/gaps.js';

export interface ResidentTable {
  id: string;
  national_id: string;
  full_name: string;
  date_of_birth: string;
  ward_code: string;
  district_code: string;
  comorbidities: Generated<boolean>;
  homebound: Generated<boolean>;
  /** True when `schooling` is not NONE (kept for the first contract's `student`). */
  student: Generated<boolean>;
  schooling: Generated<Schooling>;
  doses: Generated<number>;
  primary_doses: Generated<number>;
  boosted: Generated<boolean>;
  fully_vaccinated: Generated<boolean>;
  primary_completed_on: string | null;
  last_dose_on: string | null;
  next_dose_due_on: Generated<string | null>;
  /** The latest refusal: its day, the reason given and who recorded it (all null when none). */
  refused_on: string | null;
  refusal_reason: string | null;
  refusal_recorded_by: string | null;
}

export interface VaccinationRecordTable {
  id: Generated<string>;
  resident_id: string;
  dose: DoseKind;
  vaccine: Vaccine;
  lot: string | null;
  administered_at: Date;
  administered_on: string;
  site_facility_id: string | null;
  at_home: Generated<boolean>;
  recorded_by: string;
  idempotency_key: string | null;
  session_id: Generated<string | null>;
}

export interface CoverageTable {
  ward_code: string;
  district_code: string;
  birth_year: number;
  population: Generated<number>;
  dose1: Generated<number>;
  fully: Generated<number>;
  boosted: Generated<number>;
}

/** `coverage` summed per district and year of birth, kept by triggers on `coverage`. */
export interface DistrictCoverageTable {
  district_code: string;
  birth_year: number;
  population: Generated<number>;
  dose1: Generated<number>;
  fully: Generated<number>;
  boosted: Generated<number>;
}

export interface DoseDayTable {
  ward_code: string;
  district_code: string;
  day: string;
  dose: DoseKind;
  count: Generated<number>;
}

export interface HomeVaccinationRequestTable {
  id: Generated<string>;
  resident_id: string;
  requested_at: Generated<Date>;
  reason: string;
  scheduled_for: string | null;
  done_at: Date | null;
  requested_by: string;
  ward_code: string;
  district_code: string;
  team_id: Generated<string | null>;
  assigned_at: Generated<Date | null>;
  assigned_by: Generated<string | null>;
  dose_record_id: Generated<string | null>;
  cancelled_at: Generated<Date | null>;
  cancel_reason: Generated<string | null>;
  cancelled_by: Generated<string | null>;
}

export interface VaccinationPointTable {
  id: Generated<string>;
  ward_code: string;
  district_code: string;
  name: string;
  address: string;
  latitude: number | null;
  longitude: number | null;
  active: Generated<boolean>;
  created_by: string;
  created_at: Generated<Date>;
  idempotency_key: string | null;
}

export interface VaccinationSessionTable {
  id: Generated<string>;
  point_id: string;
  ward_code: string;
  district_code: string;
  starts_at: Date;
  ends_at: Date;
  vaccine: Vaccine;
  planned_doses: number;
  doses_given: Generated<number>;
  created_by: string;
  idempotency_key: string | null;
}

export interface VaccinationDB extends RuntimeTables {
  resident: ResidentTable;
  vaccination_record: VaccinationRecordTable;
  coverage: CoverageTable;
  district_coverage: DistrictCoverageTable;
  dose_day: DoseDayTable;
  home_vaccination_request: HomeVaccinationRequestTable;
  vaccination_point: VaccinationPointTable;
  vaccination_session: VaccinationSessionTable;
}

export type ResidentRow = Selectable<ResidentTable>;
export type VaccinationRecordRow = Selectable<VaccinationRecordTable>;
export type HomeVaccinationRequestRow = Selectable<HomeVaccinationRequestTable>;
export type VaccinationPointRow = Selectable<VaccinationPointTable>;
export type VaccinationSessionRow = Selectable<VaccinationSessionTable>;

/** The areas counters are kept and summed by. */
export type CounterArea = 'ward_code' | 'district_code';
