import { builder } from '../builder.js';
import { NotFoundError, ValidationError } from '../../common/domain/errors.js';
import { assignCare, assignUnassigned, endCare, type AutoAssignResult } from '../commands/care.js';
import { AlreadyAssigned, CaseloadFull, PatientNotAtHome, WorkerInactive, WorkerOutsideArea } from '../domain/errors.js';
import { CareAssignmentRef, HealthWorkerRef, PatientRef } from './refs.js';

CareAssignmentRef.implement({
  description: 'A health worker following a home patient.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Assignment id.' }),
    patient: t.field({ type: PatientRef, description: 'The patient.', resolve: (a) => ({ id: a.patientId }) }),
    worker: t.field({ type: HealthWorkerRef, description: 'The worker.', resolve: async (a, _args, ctx) => (await ctx.loaders.worker.load(a.workerId))! }),
    assignedAt: t.field({ type: 'DateTime', description: 'When care began.', resolve: (a) => a.assignedAt }),
    endedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it ended.', resolve: (a) => a.endedAt }),
    endReason: t.exposeString('endReason', { nullable: true, description: 'Why it ended: RECOVERED, DECEASED, ADMITTED or ENDED_BY_STAFF.' }),
  }),
});

const AssignCareInput = builder.inputType('AssignCareInput', {
  description: 'Give a home patient a care worker.',
  fields: (t) => ({
    patientId: t.id({ required: true, description: 'The patient (home, under treatment).' }),
    workerId: t.id({ required: false, description: "A specific worker; without it the least-loaded eligible worker of the patient's ward is chosen." }),
  }),
});

const AutoAssignResultRef = builder.objectRef<AutoAssignResult>('AutoAssignResult').implement({
  description: 'Outcome of assigning every unassigned home patient of a ward.',
  fields: (t) => ({
    wardCode: t.exposeID('wardCode', { description: 'The ward.' }),
    assigned: t.exposeInt('assigned', { description: 'Patients given a worker now.' }),
    stillUnassigned: t.exposeInt('stillUnassigned', { description: 'Patients left without one because every cap is reached.' }),
  }),
});

builder.mutationFields((t) => ({
  assignCare: t.field({
    type: CareAssignmentRef,
    description: 'Assign a care worker to a home patient; the caseload cap is enforced in the same transaction.',
    authScopes: { clinical: true },
    errors: {
      types: [ValidationError, NotFoundError, CaseloadFull, WorkerInactive, WorkerOutsideArea, PatientNotAtHome, AlreadyAssigned],
      dataField: { name: 'assignment', description: 'The new assignment.' },
    },
    args: { input: t.arg({ type: AssignCareInput, required: true, description: 'Who and, optionally, by whom.' }) },
    resolve: (_root, { input }, ctx) => assignCare(ctx.runtime, ctx.viewer, input),
  }),
  endCare: t.field({
    type: CareAssignmentRef,
    description: 'End a patient’s care assignment (it also ends by itself on recovery, death or admission).',
    authScopes: { clinical: true },
    errors: { types: [NotFoundError], dataField: { name: 'assignment', description: 'The ended assignment.' } },
    args: { patientId: t.arg.id({ required: true, description: 'The patient.' }) },
    resolve: (_root, args, ctx) => endCare(ctx.runtime, ctx.viewer, args.patientId),
  }),
  assignUnassignedPatients: t.field({
    type: AutoAssignResultRef,
    description: 'Give every unassigned home patient of a ward the least-loaded eligible worker, until caps run out.',
    authScopes: { clinical: true },
    args: { wardCode: t.arg.id({ required: true, description: 'The ward.' }) },
    resolve: (_root, args, ctx) => assignUnassigned(ctx.runtime, ctx.viewer, args.wardCode),
  }),
}));
