import type { Generated, Selectable } from 'kysely';
import type { RuntimeTables } from '../../common/runtime.js';
import type { CarePlace, CareSetting, PatientStatus, TreatmentTier } from '../../common/domain/enums.js';
import type { RiskFactor } from '../domain/risk.js';
import type { MedicinePackage } from '../domain/medicine.js';
import type { MovementKind, SupplyItem } from '../domain/supplies.js';

export type Sex = 'FEMALE' | 'MALE';
export type ConfirmationMethod = 'PCR' | 'RAPID_ANTIGEN';
export type HelpChannel = 'HOTLINE_1022' | 'ZALO' | 'PHONE' | 'WALK_IN' | 'PARTNER_APP';
export type HelpNeed = 'MEDICAL' | 'BREATHING' | 'MEDICINE' | 'FOOD' | 'TRANSPORT' | 'OTHER';

export interface PatientTable {
  id: Generated<string>;
  case_code: string;
  full_name: string;
  date_of_birth: string;
  sex: Sex;
  national_id: string | null;
  phone: string | null;
  ward_code: string;
  district_code: string;
  address: string;
  confirmed_at: Date;
  confirmation: ConfirmationMethod;
  risk_factors: RiskFactor[];
  tier: TreatmentTier;
  status: Generated<PatientStatus>;
  care_setting: Generated<CareSetting>;
  facility_id: string | null;
  admission_id: string | null;
  last_check_at: Date | null;
  ended_at: Date | null;
  registered_at: Generated<Date>;
  updated_at: Generated<Date>;
  registered_by: string;
  idempotency_key: string | null;
}

export interface TierChangeTable {
  id: Generated<number>;
  patient_id: string;
  from_tier: TreatmentTier;
  to_tier: TreatmentTier;
  reason: string;
  at: Generated<Date>;
  recorded_by: string;
}

export interface DailyCheckTable {
  id: Generated<number>;
  patient_id: string;
  at: Date;
  spo2: number;
  temperature_c: number | null;
  respiratory_rate: number | null;
  heart_rate: number | null;
  systolic: number | null;
  diastolic: number | null;
  symptoms: string[];
  warning_signs: string[];
  needs_escalation: boolean;
  suggested_tier: TreatmentTier;
  recorded_by: string;
}

export interface IsolationOrderTable {
  id: Generated<string>;
  patient_id: string;
  document_number: string;
  starts_on: string;
  planned_end_on: string;
  ended_at: Date | null;
  issued_by: string;
  issued_at: Generated<Date>;
}

export interface MedicinePackageTable {
  id: Generated<string>;
  patient_id: string;
  package: MedicinePackage;
  dispensed_at: Generated<Date>;
  doctor_order: boolean;
  screened: boolean;
  consent: boolean;
  dispensed_by: string;
  facility_id: Generated<string | null>;
  order_reference: Generated<string | null>;
  prescriber: Generated<string | null>;
  movement_id: Generated<string | null>;
  idempotency_key: Generated<string | null>;
}

export interface SupplyStockTable {
  facility_id: string;
  item: SupplyItem;
  ward_code: string;
  district_code: string;
  received: Generated<number>;
  dispensed: Generated<number>;
  adjusted: Generated<number>;
  on_hand: Generated<number>;
  low_threshold: Generated<number>;
  updated_at: Generated<Date>;
}

export interface SupplyMovementTable {
  id: Generated<string>;
  facility_id: string;
  item: SupplyItem;
  kind: MovementKind;
  quantity: number;
  on_hand_after: number;
  patient_id: string | null;
  reason: string;
  order_reference: string | null;
  prescriber: string | null;
  actor_subject: string;
  actor_role: string;
  idempotency_key: string | null;
  at: Generated<Date>;
}

export interface HelpRequestTable {
  id: Generated<string>;
  patient_id: string | null;
  ward_code: string;
  district_code: string;
  channel: HelpChannel;
  caller_phone: string | null;
  message: string;
  opened_at: Generated<Date>;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  resolution: string | null;
  idempotency_key: string | null;
  opened_by: string | null;
  opened_by_role: string | null;
  citizen_name: string | null;
  need: Generated<HelpNeed>;
  consent_text: string | null;
  consent_version: string | null;
  consent_at: Date | null;
  escalated_at: Date | null;
}

export interface EpidemicLevelCurrentTable {
  scope: 'WARD' | 'DISTRICT';
  code: string;
  level: number;
  assessed_at: Date;
  /** What the level was computed from (an AssessmentInput); null for rows assessed before inputs were kept. */
  inputs: unknown | null;
}

export interface EpidemicDailyRunTable {
  day: string;
  claimed_at: Date;
}

export interface EpidemicLevelChangeTable {
  id: Generated<number>;
  scope: 'WARD' | 'DISTRICT';
  code: string;
  district_code: string;
  level: number;
  previous_level: number | null;
  inputs: unknown;
  at: Generated<Date>;
}

export interface EpidemicLevelDeclarationTable {
  id: Generated<number>;
  scope: 'WARD' | 'DISTRICT';
  code: string;
  district_code: string;
  level: number;
  decision_number: string;
  /** YYYY-MM-DD (city date). */
  effective_from: string;
  measures: string[];
  declared_by: string;
  declared_at: Generated<Date>;
}

export interface WardReportSubmissionTable {
  id: Generated<string>;
  ward_code: string;
  district_code: string;
  /** YYYY-MM-DD (city date) of the report. */
  day: string;
  submitted_at: Date;
  submitted_by: string;
  submitted_by_role: string;
  on_behalf: boolean;
  /** The computed figures when submitted (DayFigures). */
  computed: unknown;
  /** Figures the ward corrected: { figure: value }. */
  corrections: unknown;
  reason: string | null;
  idempotency_key: string;
  superseded_at: Date | null;
}

export interface DailyReportSnapshotTable {
  day: string;
  scope: string;
  figures: unknown;
  created_at: Generated<Date>;
}

export interface CareSettingChangeTable {
  id: Generated<number>;
  patient_id: string;
  care_setting: CareSetting;
  /** Report category; null on facility rows written before categories were recorded. */
  care_place: CarePlace | null;
  at: Date;
}

export interface CriticalStatusChangeTable {
  id: Generated<number>;
  patient_id: string;
  critical: boolean;
  at: Date;
  recorded_by: string;
}

export type ExposureSetting = 'HOUSEHOLD' | 'WORKPLACE' | 'SCHOOL' | 'HEALTHCARE' | 'SOCIAL_GATHERING' | 'TRANSPORT' | 'OTHER';
export type QuarantinePlace = 'HOME' | 'QUARANTINE_AREA';
export type QuarantineEndReason = 'COMPLETED' | 'TESTED_POSITIVE' | 'RELEASED_EARLY' | 'PLACE_CHANGED';

export interface ContactTable {
  id: Generated<string>;
  full_name: string;
  date_of_birth: string;
  sex: Sex;
  national_id: string | null;
  phone: string | null;
  ward_code: string;
  district_code: string;
  address: string;
  index_patient_id: string;
  exposure: ExposureSetting;
  exposed_on: string;
  patient_id: string | null;
  converted_at: Date | null;
  recorded_at: Generated<Date>;
  recorded_by: string;
  idempotency_key: string | null;
}

export interface QuarantineOrderTable {
  id: Generated<string>;
  contact_id: string;
  place: QuarantinePlace;
  facility_id: string | null;
  facility_ward_code: string | null;
  issuing_ward_code: string;
  decision_number: string;
  starts_on: string;
  planned_end_on: string;
  end_decision_number: string | null;
  ended_on: string | null;
  end_reason: QuarantineEndReason | null;
  issued_at: Generated<Date>;
  issued_by: string;
  ended_at: Date | null;
  ended_by: string | null;
  idempotency_key: string | null;
}

export interface QuarantineDecisionTable {
  ward_code: string;
  number: string;
  order_id: string;
  kind: 'START' | 'END';
}

export interface PatientsDB extends RuntimeTables {
  contact: ContactTable;
  quarantine_order: QuarantineOrderTable;
  quarantine_decision: QuarantineDecisionTable;
  care_setting_change: CareSettingChangeTable;
  critical_status_change: CriticalStatusChangeTable;
  daily_report_snapshot: DailyReportSnapshotTable;
  ward_report_submission: WardReportSubmissionTable;
  epidemic_level_current: EpidemicLevelCurrentTable;
  epidemic_level_change: EpidemicLevelChangeTable;
  epidemic_level_declaration: EpidemicLevelDeclarationTable;
  epidemic_daily_run: EpidemicDailyRunTable;
  patient: PatientTable;
  tier_change: TierChangeTable;
  daily_check: DailyCheckTable;
  isolation_order: IsolationOrderTable;
  medicine_package: MedicinePackageTable;
  supply_stock: SupplyStockTable;
  supply_movement: SupplyMovementTable;
  help_request: HelpRequestTable;
}

export type PatientRow = Selectable<PatientTable>;
export type TierChangeRow = Selectable<TierChangeTable>;
export type DailyCheckRow = Selectable<DailyCheckTable>;
export type IsolationOrderRow = Selectable<IsolationOrderTable>;
export type MedicinePackageRow = Selectable<MedicinePackageTable>;
export type SupplyStockRow = Selectable<SupplyStockTable>;
export type SupplyMovementRow = Selectable<SupplyMovementTable>;
export type HelpRequestRow = Selectable<HelpRequestTable>;
export type ContactRow = Selectable<ContactTable>;
export type QuarantineOrderRow = Selectable<QuarantineOrderTable>;
