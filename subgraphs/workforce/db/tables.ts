import type { Generated, Selectable } from 'kysely';
import type { RuntimeTables } from '../../common/runtime.js';
import type { CareSetting, PatientStatus } from '../../common/domain/enums.js';
import type { CareEndReason, TeamKind, WorkerOrigin, WorkerRole } from '../domain/workforce.js';

export interface HealthWorkerTable {
  id: string;
  full_name: string;
  phone: string | null;
  role: WorkerRole;
  origin: WorkerOrigin;
  home_ward_code: string;
  home_district_code: string;
  max_caseload: number;
  caseload: Generated<number>;
  active: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface TeamTable {
  id: string;
  name: string;
  kind: TeamKind;
  ward_code: string;
  district_code: string;
  lead_worker_id: string | null;
}

export interface TeamMemberTable {
  team_id: string;
  worker_id: string;
}

export interface AreaAssignmentTable {
  worker_id: string;
  ward_code: string;
  /** Empty for the whole ward. */
  residential_group: Generated<string>;
}

export interface FacilityDutyTable {
  id: Generated<string>;
  worker_id: string;
  facility_id: string;
  starts_at: Date;
  ends_at: Date | null;
}

export interface CareAssignmentTable {
  id: Generated<string>;
  patient_id: string;
  worker_id: string;
  assigned_at: Generated<Date>;
  ended_at: Date | null;
  end_reason: CareEndReason | null;
  assigned_by: string;
}

/** What workforce knows of patients, from the patients subgraph's events (no personal data). */
export interface KnownPatientTable {
  id: string;
  ward_code: string;
  district_code: string;
  status: PatientStatus;
  care_setting: CareSetting;
  updated_at: Date;
}

/**
 * Workforce figures of a ward (workers by home ward, known patients by their ward), recounted
 * when a transaction that changed them commits (migration 2026-11-28T01-00-00_workforce_counters).
 */
export interface WorkforceCounterTable {
  ward_code: string;
  district_code: string;
  workers: number;
  care_workers: number;
  home_care_workers: number;
  at_capacity: number;
  home_patients: number;
  unassigned: number;
  /** Active workers per origin (origins without any are left out). */
  by_origin: Partial<Record<WorkerOrigin, number>>;
}

export interface WorkforceDB extends RuntimeTables {
  workforce_counter: WorkforceCounterTable;
  health_worker: HealthWorkerTable;
  team: TeamTable;
  team_member: TeamMemberTable;
  area_assignment: AreaAssignmentTable;
  facility_duty: FacilityDutyTable;
  care_assignment: CareAssignmentTable;
  known_patient: KnownPatientTable;
}

export type HealthWorkerRow = Selectable<HealthWorkerTable>;
export type TeamRow = Selectable<TeamTable>;
export type CareAssignmentRow = Selectable<CareAssignmentTable>;
export type KnownPatientRow = Selectable<KnownPatientTable>;
