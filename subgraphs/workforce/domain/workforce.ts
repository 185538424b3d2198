/**
 * The health workforce of the directives: public staff plus reinforcements (private sector,
 * retired doctors, medical students, volunteers, staff sent from elsewhere), organised in teams,
 * each worker with an area and a caseload cap. Pure definitions and rules.
 */
export const WORKER_ROLES = ['DOCTOR', 'PHYSICIAN_ASSISTANT', 'NURSE', 'PHARMACIST', 'TECHNICIAN', 'SUPPORT'] as const;
export type WorkerRole = (typeof WORKER_ROLES)[number];

export const WORKER_ORIGINS = ['PUBLIC_STAFF', 'PRIVATE_SECTOR', 'RETIRED', 'MEDICAL_STUDENT', 'VOLUNTEER', 'REINFORCEMENT'] as const;
export type WorkerOrigin = (typeof WORKER_ORIGINS)[number];

export const TEAM_KINDS = ['HOME_CARE_SUPPORT', 'COMMUNITY_COVID', 'MOBILE_STATION_CREW', 'COMPANION_DOCTOR', 'HOME_VACCINATION'] as const;
export type TeamKind = (typeof TEAM_KINDS)[number];

/** Roles that may follow F0 patients at home (doctors, physician assistants/y sĩ, nurses). */
export const CARE_ROLES: readonly WorkerRole[] = ['DOCTOR', 'PHYSICIAN_ASSISTANT', 'NURSE'];

export const MAX_CASELOAD_LIMIT = 200;

export function homePatientsPerCareWorker(homePatients: number, careWorkers: number): number | null {
  return careWorkers === 0 ? null : homePatients / careWorkers;
}
