import { builder, ErrorInterface } from '../builder.js';
import { AlreadyAssigned, CaseloadFull, PatientNotAtHome, WorkerInactive, WorkerOutsideArea } from '../domain/errors.js';

builder.objectType(CaseloadFull, {
  name: 'CaseloadFull',
  description: 'No eligible worker has room in their caseload (or the named worker is at the cap). Nothing was written.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    workerId: t.exposeID('workerId', { nullable: true, description: 'The worker asked for, if one was named.' }),
    wardCode: t.exposeID('wardCode', { description: "The patient's ward." }),
  }),
});

builder.objectType(WorkerInactive, {
  name: 'WorkerInactive',
  description: 'The worker is not active.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ workerId: t.exposeID('workerId', { description: 'The worker.' }) }),
});

builder.objectType(WorkerOutsideArea, {
  name: 'WorkerOutsideArea',
  description: "The worker does not cover the patient's ward (or is not a care role).",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    workerId: t.exposeID('workerId', { description: 'The worker.' }),
    wardCode: t.exposeID('wardCode', { description: "The patient's ward." }),
  }),
});

builder.objectType(PatientNotAtHome, {
  name: 'PatientNotAtHome',
  description: 'Care assignments are for home patients under treatment.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ patientId: t.exposeID('patientId', { description: 'The patient.' }) }),
});

builder.objectType(AlreadyAssigned, {
  name: 'AlreadyAssigned',
  description: 'The patient already has a care worker.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    patientId: t.exposeID('patientId', { description: 'The patient.' }),
    workerId: t.exposeID('workerId', { description: 'Their current care worker.' }),
  }),
});
