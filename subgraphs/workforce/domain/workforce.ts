/**
 * The health workforce of the directives: public staff plus reinforcements (private sector,
 * retired doctors, medical students, volunteers, staff sent from elsewhere), organised in teams,
 * each worker with an area and a caseload cap. Pure definitions and rules: no database, no API.
 */
import type { CareSetting, PatientStatus } from '../../common/domain/enums.js';

export const WORKER_ROLES = ['DOCTOR', 'PHYSICIAN_ASSISTANT', 'NURSE', 'PHARMACIST', 'TECHNICIAN', 'SUPPORT'] as const;
export type WorkerRole = (typeof WORKER_ROLES)[number];

export const WORKER_ORIGINS = ['PUBLIC_STAFF', 'PRIVATE_SECTOR', 'RETIRED', 'MEDICAL_STUDENT', 'VOLUNTEER', 'REINFORCEMENT'] as const;
export type WorkerOrigin = (typeof WORKER_ORIGINS)[number];

export const TEAM_KINDS = ['HOME_CARE_SUPPORT', 'COMMUNITY_COVID', 'MOBILE_STATION_CREW', 'COMPANION_DOCTOR', 'HOME_VACCINATION'] as const;
export type TeamKind = (typeof TEAM_KINDS)[number];

/** The team whose members count as home-care workers in the figures of an area. */
export const HOME_CARE_TEAM: TeamKind = 'HOME_CARE_SUPPORT';

/** Roles that may follow F0 patients at home (doctors, physician assistants/y sĩ, nurses). */
export const CARE_ROLES: readonly WorkerRole[] = ['DOCTOR', 'PHYSICIAN_ASSISTANT', 'NURSE'];

export const isCareRole = (role: WorkerRole): boolean => CARE_ROLES.includes(role);

/** Why a care assignment ended: the case closed, the patient was admitted, or staff ended it. */
export type CareEndReason = Exclude<PatientStatus, 'UNDER_TREATMENT'> | 'ADMITTED' | 'ENDED_BY_STAFF';

export const MAX_CASELOAD_LIMIT = 200;

/** A caseload cap a worker may be given: a whole number from 1 to MAX_CASELOAD_LIMIT. */
export const isValidCaseloadCap = (cap: number): boolean => Number.isInteger(cap) && cap >= 1 && cap <= MAX_CASELOAD_LIMIT;

/** A cap may not fall below the patients a worker follows now: they would have to be dropped. */
export const capBelowCaseload = (cap: number, caseload: number): boolean => cap < caseload;

/** What workforce knows of a patient: enough to decide home care, no personal data. */
export interface PatientState {
  status: PatientStatus;
  careSetting: CareSetting;
}

/** Why a patient cannot be given a care worker, or null when they can: home patients under treatment only. */
export function homeCareRefusal(patient: PatientState): string | null {
  if (patient.status !== 'UNDER_TREATMENT') return `case is ${patient.status}`;
  if (patient.careSetting !== 'HOME') return 'admitted to a facility';
  return null;
}

/**
 * Care that must end when the patient's state changes: a closed case ends with its outcome, an
 * admission with ADMITTED; a home patient under treatment keeps their worker.
 */
export function careEndFor(patient: PatientState): CareEndReason | null {
  if (patient.status !== 'UNDER_TREATMENT') return patient.status;
  return patient.careSetting === 'FACILITY' ? 'ADMITTED' : null;
}

export function homePatientsPerCareWorker(homePatients: number, careWorkers: number): number | null {
  return careWorkers === 0 ? null : homePatients / careWorkers;
}
