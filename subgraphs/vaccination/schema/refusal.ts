/** Refusals of vaccination: the VaccinationRefusal type and recordRefusal. */
import { builder } from '../builder.js';
import { NotFoundError, ValidationError } from '../../common/domain/errors.js';
import { recordRefusal } from '../commands/refusals.js';
import { RefusalRef } from './refs.js';

RefusalRef.implement({
  description: 'A resident’s refusal of vaccination, as told to a vaccination team.',
  fields: (t) => ({
    reason: t.exposeString('reason', { description: 'The reason given (3 to 500 characters).' }),
    refusedOn: t.field({ type: 'Date', description: 'The day of the refusal.', resolve: (r) => r.refusedOn }),
  }),
});

const RecordRefusalInput = builder.inputType('RecordRefusalInput', {
  description: 'A resident refused vaccination.',
  fields: (t) => ({
    nationalId: t.string({ required: true, description: 'Citizen ID of the resident.' }),
    reason: t.string({ required: true, description: 'The reason given (3 to 500 characters).' }),
    refusedOn: t.field({ type: 'Date', required: false, description: 'The day of the refusal: not in the future, not before vaccination began (default: today).' }),
  }),
});

builder.mutationFields((t) => ({
  recordRefusal: t.field({
    type: RefusalRef,
    description:
      'Record that a resident refused vaccination, with the reason and day, replacing any earlier refusal; the resident is on the REFUSED list until a dose is given on or after that day. A resident outside your district is answered like an unknown citizen ID.',
    authScopes: { vaccinationWriters: true },
    errors: { types: [ValidationError, NotFoundError], dataField: { name: 'refusal', description: 'The refusal as recorded.' } },
    args: { input: t.arg({ type: RecordRefusalInput, required: true, description: 'The refusal.' }) },
    resolve: (_root, { input }, ctx) => recordRefusal(ctx.runtime, ctx.viewer, input),
  }),
}));
