/** Home vaccination: the HomeVaccinationRequest type and requestHomeVaccination. */
import { builder } from '../builder.js';
import { NotFoundError, ValidationError } from '../../common/domain/errors.js';
import { requestHomeVaccination } from '../commands/home-vaccination.js';
import { HomeRequestRef } from './refs.js';

HomeRequestRef.implement({
  description: 'A request for the home-vaccination team to vaccinate a homebound resident.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Request id.' }),
    requestedAt: t.field({ type: 'DateTime', description: 'When it was asked for.', resolve: (r) => r.requestedAt }),
    reason: t.exposeString('reason', { description: 'Why at home.' }),
    scheduledFor: t.field({ type: 'Date', nullable: true, description: 'Planned day of the visit.', resolve: (r) => r.scheduledFor }),
    doneAt: t.field({ type: 'DateTime', nullable: true, description: 'When the dose was given; null while waiting.', resolve: (r) => r.doneAt }),
  }),
});

const RequestHomeVaccinationInput = builder.inputType('RequestHomeVaccinationInput', {
  description: 'Ask the home-vaccination team to come.',
  fields: (t) => ({
    nationalId: t.string({ required: true, description: 'Citizen ID of the homebound resident.' }),
    reason: t.string({ required: true, description: 'Why at home (3 to 500 characters).' }),
    scheduledFor: t.field({ type: 'Date', required: false, description: 'Planned day.' }),
  }),
});

builder.mutationFields((t) => ({
  requestHomeVaccination: t.field({
    type: HomeRequestRef,
    description: 'Ask the home-vaccination team to vaccinate a homebound elderly or comorbid resident (or reschedule the open request).',
    authScopes: { vaccinationWriters: true },
    errors: { types: [ValidationError, NotFoundError], dataField: { name: 'request', description: 'The request.' } },
    args: { input: t.arg({ type: RequestHomeVaccinationInput, required: true, description: 'The request.' }) },
    resolve: (_root, { input }, ctx) => requestHomeVaccination(ctx.runtime, ctx.viewer, input),
  }),
}));
