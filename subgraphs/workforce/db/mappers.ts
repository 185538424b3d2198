/** Rows to domain objects: the one place that knows both shapes. */
import type { CareSetting, PatientStatus } from '../../common/domain/enums.js';
import type { CareEndReason, TeamKind, WorkerOrigin, WorkerRole } from '../domain/workforce.js';
import type { CareAssignmentRow, HealthWorkerRow, KnownPatientRow, TeamRow } from './tables.js';

export interface HealthWorker {
  id: string;
  fullName: string;
  phone: string | null;
  role: WorkerRole;
  origin: WorkerOrigin;
  homeWardCode: string;
  homeDistrictCode: string;
  maxCaseload: number;
  caseload: number;
  active: boolean;
}

export interface Team {
  id: string;
  name: string;
  kind: TeamKind;
  wardCode: string;
  districtCode: string;
  leadWorkerId: string | null;
}

export interface CareAssignment {
  id: string;
  patientId: string;
  workerId: string;
  assignedAt: Date;
  endedAt: Date | null;
  endReason: CareEndReason | null;
}

/** A patient as the patients subgraph's events describe them. */
export interface KnownPatient {
  id: string;
  wardCode: string;
  districtCode: string;
  status: PatientStatus;
  careSetting: CareSetting;
}

export const toHealthWorker = (r: HealthWorkerRow): HealthWorker => ({
  id: r.id,
  fullName: r.full_name,
  phone: r.phone,
  role: r.role,
  origin: r.origin,
  homeWardCode: r.home_ward_code,
  homeDistrictCode: r.home_district_code,
  maxCaseload: r.max_caseload,
  caseload: r.caseload,
  active: r.active,
});

export const toTeam = (r: TeamRow): Team => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  wardCode: r.ward_code,
  districtCode: r.district_code,
  leadWorkerId: r.lead_worker_id,
});

export const toCareAssignment = (r: CareAssignmentRow): CareAssignment => ({
  id: r.id,
  patientId: r.patient_id,
  workerId: r.worker_id,
  assignedAt: r.assigned_at,
  endedAt: r.ended_at,
  endReason: r.end_reason,
});

export const toKnownPatient = (r: KnownPatientRow): KnownPatient => ({
  id: r.id,
  wardCode: r.ward_code,
  districtCode: r.district_code,
  status: r.status,
  careSetting: r.care_setting,
});
