/** Rows to domain objects. */
import type { CareSetting, PatientStatus, TreatmentTier } from '../../common/domain/enums.js';
import type { RiskFactor } from '../domain/risk.js';
import type { Symptom, WarningSign } from '../domain/warning-signs.js';
import type { MedicinePackage } from '../domain/medicine.js';
import type { MovementKind, SupplyItem } from '../domain/supplies.js';
import type {
  ConfirmationMethod,
  DailyCheckRow,
  HelpChannel,
  HelpNeed,
  HelpRequestRow,
  IsolationOrderRow,
  MedicinePackageRow,
  PatientRow,
  Sex,
  SupplyMovementRow,
  SupplyStockRow,
  TierChangeRow,
} from './tables.js';

/** Who a person is and where they live: the same for a case and for a contact (who may become one). */
export interface PersonIdentity {
  id: string;
  fullName: string;
  dateOfBirth: string;
  sex: Sex;
  nationalId: string | null;
  phone: string | null;
  wardCode: string;
  districtCode: string;
  address: string;
}

export interface Patient extends PersonIdentity {
  caseCode: string;
  confirmedAt: Date;
  confirmation: ConfirmationMethod;
  riskFactors: RiskFactor[];
  tier: TreatmentTier;
  status: PatientStatus;
  careSetting: CareSetting;
  facilityId: string | null;
  admissionId: string | null;
  lastCheckAt: Date | null;
  endedAt: Date | null;
  registeredAt: Date;
  updatedAt: Date;
  idempotencyKey: string | null;
}

export interface TierChange {
  patientId: string;
  from: TreatmentTier;
  to: TreatmentTier;
  reason: string;
  at: Date;
}

export interface DailyCheck {
  id: number;
  patientId: string;
  at: Date;
  spo2: number;
  temperatureC: number | null;
  respiratoryRate: number | null;
  heartRate: number | null;
  systolic: number | null;
  diastolic: number | null;
  symptoms: Symptom[];
  warningSigns: WarningSign[];
  needsEscalation: boolean;
  suggestedTier: TreatmentTier;
}

export interface IsolationOrder {
  id: string;
  patientId: string;
  documentNumber: string;
  startsOn: string;
  plannedEndOn: string;
  endedAt: Date | null;
}

export interface MedicineDispensed {
  id: string;
  patientId: string;
  package: MedicinePackage;
  dispensedAt: Date;
  doctorOrder: boolean;
  screened: boolean;
  consent: boolean;
  /** The station whose stock it came from; null for packages recorded before stock was kept. */
  facilityId: string | null;
  orderReference: string | null;
  prescriber: string | null;
}

export interface StockLevel {
  facilityId: string;
  item: SupplyItem;
  wardCode: string;
  districtCode: string;
  received: number;
  dispensed: number;
  adjusted: number;
  onHand: number;
  lowThreshold: number;
  updatedAt: Date;
}

export interface StockMovement {
  id: string;
  facilityId: string;
  item: SupplyItem;
  kind: MovementKind;
  quantity: number;
  onHandAfter: number;
  patientId: string | null;
  reason: string;
  orderReference: string | null;
  prescriber: string | null;
  actorSubject: string;
  actorRole: string;
  idempotencyKey: string | null;
  at: Date;
}

export interface HelpRequest {
  id: string;
  patientId: string | null;
  wardCode: string;
  districtCode: string;
  channel: HelpChannel;
  callerPhone: string | null;
  message: string;
  openedAt: Date;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  resolution: string | null;
  idempotencyKey: string | null;
  /** Viewer subject that opened it (a partner's `partner:<name>` or an officer); null on old rows. */
  openedBy: string | null;
  openedByRole: string | null;
  citizenName: string | null;
  need: HelpNeed;
  consent: { text: string; version: string; at: Date } | null;
  escalatedAt: Date | null;
}

export const toPatient = (r: PatientRow): Patient => ({
  id: r.id,
  caseCode: r.case_code,
  fullName: r.full_name,
  dateOfBirth: r.date_of_birth,
  sex: r.sex,
  nationalId: r.national_id,
  phone: r.phone,
  wardCode: r.ward_code,
  districtCode: r.district_code,
  address: r.address,
  confirmedAt: r.confirmed_at,
  confirmation: r.confirmation,
  riskFactors: r.risk_factors,
  tier: r.tier,
  status: r.status,
  careSetting: r.care_setting,
  facilityId: r.facility_id,
  admissionId: r.admission_id,
  lastCheckAt: r.last_check_at,
  endedAt: r.ended_at,
  registeredAt: r.registered_at,
  updatedAt: r.updated_at,
  idempotencyKey: r.idempotency_key,
});

export const toTierChange = (r: TierChangeRow): TierChange => ({
  patientId: r.patient_id,
  from: r.from_tier,
  to: r.to_tier,
  reason: r.reason,
  at: r.at,
});

export const toDailyCheck = (r: DailyCheckRow): DailyCheck => ({
  id: r.id,
  patientId: r.patient_id,
  at: r.at,
  spo2: r.spo2,
  temperatureC: r.temperature_c,
  respiratoryRate: r.respiratory_rate,
  heartRate: r.heart_rate,
  systolic: r.systolic,
  diastolic: r.diastolic,
  symptoms: r.symptoms as Symptom[],
  warningSigns: r.warning_signs as WarningSign[],
  needsEscalation: r.needs_escalation,
  suggestedTier: r.suggested_tier,
});

export const toIsolationOrder = (r: IsolationOrderRow): IsolationOrder => ({
  id: r.id,
  patientId: r.patient_id,
  documentNumber: r.document_number,
  startsOn: r.starts_on,
  plannedEndOn: r.planned_end_on,
  endedAt: r.ended_at,
});

export const toMedicineDispensed = (r: MedicinePackageRow): MedicineDispensed => ({
  id: r.id,
  patientId: r.patient_id,
  package: r.package,
  dispensedAt: r.dispensed_at,
  doctorOrder: r.doctor_order,
  screened: r.screened,
  consent: r.consent,
  facilityId: r.facility_id,
  orderReference: r.order_reference,
  prescriber: r.prescriber,
});

export const toStockLevel = (r: SupplyStockRow): StockLevel => ({
  facilityId: r.facility_id,
  item: r.item,
  wardCode: r.ward_code,
  districtCode: r.district_code,
  received: r.received,
  dispensed: r.dispensed,
  adjusted: r.adjusted,
  onHand: r.on_hand,
  lowThreshold: r.low_threshold,
  updatedAt: r.updated_at,
});

export const toStockMovement = (r: SupplyMovementRow): StockMovement => ({
  id: r.id,
  facilityId: r.facility_id,
  item: r.item,
  kind: r.kind,
  quantity: r.quantity,
  onHandAfter: r.on_hand_after,
  patientId: r.patient_id,
  reason: r.reason,
  orderReference: r.order_reference,
  prescriber: r.prescriber,
  actorSubject: r.actor_subject,
  actorRole: r.actor_role,
  idempotencyKey: r.idempotency_key,
  at: r.at,
});

export const toHelpRequest = (r: HelpRequestRow): HelpRequest => ({
  id: r.id,
  patientId: r.patient_id,
  wardCode: r.ward_code,
  districtCode: r.district_code,
  channel: r.channel,
  callerPhone: r.caller_phone,
  message: r.message,
  openedAt: r.opened_at,
  acknowledgedAt: r.acknowledged_at,
  resolvedAt: r.resolved_at,
  resolution: r.resolution,
  idempotencyKey: r.idempotency_key,
  openedBy: r.opened_by,
  openedByRole: r.opened_by_role,
  citizenName: r.citizen_name,
  need: r.need,
  consent: r.consent_text != null && r.consent_version != null && r.consent_at != null ? { text: r.consent_text, version: r.consent_version, at: r.consent_at } : null,
  escalatedAt: r.escalated_at,
});
