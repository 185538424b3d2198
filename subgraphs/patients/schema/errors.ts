import { builder, ErrorInterface } from '../builder.js';
import { DuplicateActiveCase, InvalidHelpRequestState, InvalidTierTransition, NotEligible, OutOfStock, PatientNotUnderTreatment } from '../domain/errors.js';
import { PatientStatusEnum, SupplyItemEnum, TreatmentTierEnum } from './enums.js';

builder.objectType(InvalidTierTransition, {
  name: 'InvalidTierTransition',
  description: 'The tier change is not a change (same tier) or not allowed. Nothing was written.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    patientId: t.exposeID('patientId', { description: 'The patient.' }),
    from: t.field({ type: TreatmentTierEnum, description: 'Current tier.', resolve: (e) => e.from }),
    to: t.field({ type: TreatmentTierEnum, description: 'Requested tier.', resolve: (e) => e.to }),
  }),
});

builder.objectType(PatientNotUnderTreatment, {
  name: 'PatientNotUnderTreatment',
  shareable: true,
  description: 'The case is closed (recovered or deceased); it cannot be changed.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    patientId: t.exposeID('patientId', { description: 'The patient.' }),
    status: t.field({ type: PatientStatusEnum, description: 'The patient status.', resolve: (e) => e.status }),
  }),
});

builder.objectType(DuplicateActiveCase, {
  name: 'DuplicateActiveCase',
  description: 'A case under treatment already exists for this citizen ID.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    existingPatientId: t.exposeID('existingPatientId', {
      nullable: true,
      description: 'The open case; null when it lies outside your jurisdiction (its id is not disclosed).',
    }),
  }),
});

builder.objectType(NotEligible, {
  name: 'NotEligible',
  description: 'The patient is not eligible for this medicine package.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ reasons: t.exposeStringList('reasons', { description: 'Every unmet condition.' }) }),
});

builder.objectType(InvalidHelpRequestState, {
  name: 'InvalidHelpRequestState',
  description: 'The help request is already in that state.',
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

builder.objectType(OutOfStock, {
  name: 'OutOfStock',
  description: 'The place has too little of the item on hand for this; nothing was written.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    facilityId: t.exposeID('facilityId', { description: 'The place.' }),
    item: t.field({ type: SupplyItemEnum, description: 'The item.', resolve: (e) => e.item }),
    onHand: t.exposeInt('onHand', { description: 'What is on hand now.' }),
    requested: t.exposeInt('requested', { description: 'What the write would have taken.' }),
  }),
});
