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

export interface WorkforceDB extends RuntimeTables {
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
