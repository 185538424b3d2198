import { builder } from '../builder.js';
import { NotFoundError, ValidationError } from '../../common/domain/errors.js';
import { setFacilityStatus, updateBedCapacity } from '../commands/capacity.js';
import { FacilityHasPatients, InvalidStatusTransition } from '../domain/errors.js';
import { BedCountRef } from './capacity.js';
import { BedKindEnum, FacilityStatusEnum } from './enums.js';
import { FacilityRef } from './facility.js';

const UpdateBedCapacityInput = builder.inputType('UpdateBedCapacityInput', {
  description: 'Set the number of beds of one kind in a facility (adds the kind when it is new).',
  fields: (t) => ({
    facilityId: t.id({ required: true, description: 'The facility.' }),
    bedKind: t.field({ type: BedKindEnum, required: true, description: 'Kind of bed.' }),
    total: t.int({ required: true, description: 'All beds of this kind.' }),
    covidDesignated: t.int({ required: true, description: 'Of those, beds for COVID-19 patients; at most `total` and at least the beds occupied now.' }),
  }),
});

const SetFacilityStatusInput = builder.inputType('SetFacilityStatusInput', {
  description: 'Change a facility status, e.g. activate a mobile station on command.',
  fields: (t) => ({
    facilityId: t.id({ required: true, description: 'The facility.' }),
    status: t.field({ type: FacilityStatusEnum, required: true, description: 'The new status.' }),
  }),
});

builder.mutationFields((t) => ({
  updateBedCapacity: t.field({
    type: BedCountRef,
    description: 'Set bed capacity of one kind. District health officers for their district; city officers everywhere.',
    authScopes: { officers: true },
    errors: { types: [ValidationError, NotFoundError], dataField: { name: 'beds', description: 'The beds after the change.' } },
    args: { input: t.arg({ type: UpdateBedCapacityInput, required: true, description: 'The new counts.' }) },
    resolve: (_root, { input }, ctx) => updateBedCapacity(ctx.runtime, ctx.viewer, { ...input, facilityId: String(input.facilityId) }),
  }),
  setFacilityStatus: t.field({
    type: FacilityRef,
    description: 'Change a facility status (PLANNED → STANDBY → ACTIVE, stand down, close).',
    authScopes: { officers: true },
    errors: {
      types: [ValidationError, NotFoundError, InvalidStatusTransition, FacilityHasPatients],
      dataField: { name: 'facility', description: 'The facility after the change.' },
    },
    args: { input: t.arg({ type: SetFacilityStatusInput, required: true, description: 'Which facility, which status.' }) },
    resolve: (_root, { input }, ctx) => setFacilityStatus(ctx.runtime, ctx.viewer, { facilityId: String(input.facilityId), status: input.status }),
  }),
}));
