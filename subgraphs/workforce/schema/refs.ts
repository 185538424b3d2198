/**
 * The object types, declared apart from their fields: a worker lists their teams and care
 * assignments, a team its members, an assignment its worker and patient, so each file that
 * implements one needs the others' refs, and none may import another.
 */
import { builder } from '../builder.js';
import type { CareAssignment, HealthWorker, Team } from '../db/mappers.js';

export const HealthWorkerRef = builder.objectRef<HealthWorker>('HealthWorker');
export const TeamRef = builder.objectRef<Team>('Team');
export const CareAssignmentRef = builder.objectRef<CareAssignment>('CareAssignment');
/** The patients subgraph's entity; workforce adds who cares for the patient. */
export const PatientRef = builder.externalRef('Patient', builder.selection<{ id: string }>('id'));
