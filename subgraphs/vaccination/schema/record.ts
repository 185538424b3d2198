/** Doses given: the VaccinationRecord type and recordDose. */
import { builder } from '../builder.js';
import { ConflictError, NotFoundError, ValidationError } from '../../common/domain/errors.js';
import { DoseOutOfOrder, DoseOutsideSession, DoseTooSoon, DuplicateDose, SessionOutsideJurisdiction } from '../domain/errors.js';
import { recordDose } from '../commands/doses.js';
import { DoseKindEnum, VaccineEnum } from './enums.js';
import { SessionRef, VaccinationRecordRef } from './refs.js';

VaccinationRecordRef.implement({
  description: 'One dose given to one resident.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Record id.' }),
    dose: t.field({ type: DoseKindEnum, description: 'Which dose.', resolve: (r) => r.dose }),
    vaccine: t.field({ type: VaccineEnum, description: 'Vaccine given.', resolve: (r) => r.vaccine }),
    lot: t.exposeString('lot', { nullable: true, description: 'Vaccine lot number.' }),
    administeredAt: t.field({ type: 'DateTime', description: 'When it was given.', resolve: (r) => r.administeredAt }),
    siteFacilityId: t.exposeID('siteFacilityId', { nullable: true, description: 'Facility where it was given; null at home.' }),
    atHome: t.exposeBoolean('atHome', { description: 'Given at home by a home-vaccination team.' }),
    session: t.field({
      type: SessionRef,
      nullable: true,
      description: 'The mobile vaccination session it was given in, if any.',
      resolve: (r, _args, ctx) => (r.sessionId ? ctx.loaders.session.load(r.sessionId) : null),
    }),
  }),
});

const RecordDoseInput = builder.inputType('RecordDoseInput', {
  description: 'A dose given.',
  fields: (t) => ({
    nationalId: t.string({ required: true, description: 'Citizen ID of the resident.' }),
    dose: t.field({ type: DoseKindEnum, required: true, description: 'Which dose.' }),
    vaccine: t.field({ type: VaccineEnum, required: true, description: 'Vaccine given.' }),
    administeredAt: t.field({ type: 'DateTime', required: true, description: 'When; not in the future.' }),
    lot: t.string({ required: false, description: 'Lot number (1 to 50 characters).' }),
    siteFacilityId: t.id({ required: false, description: 'Facility where it was given (one the facilities subgraph knows); null when given at home or in a mobile session.' }),
    atHome: t.boolean({ required: false, description: 'Given at home by a home-vaccination team. Any dose closes the resident’s open home-vaccination request.' }),
    sessionId: t.id({
      required: false,
      description: 'The mobile vaccination session it was given in: the dose must fall in its hours, be of its vaccine, at a point in your jurisdiction; it counts in the session’s dosesGiven.',
    }),
    idempotencyKey: t.string({
      required: false,
      description: 'Retries with the same key (8 to 128 characters) and the same input return the first record; the same key with any other input is a ConflictError.',
    }),
  }),
});

builder.mutationFields((t) => ({
  recordDose: t.field({
    type: VaccinationRecordRef,
    description:
      'Record a dose; order, intervals and same-day duplicates are checked, counters updated in the same transaction. A resident outside your district is answered like an unknown citizen ID (NotFoundError).',
    authScopes: { vaccinationWriters: true },
    errors: {
      types: [ValidationError, NotFoundError, ConflictError, DoseOutOfOrder, DoseTooSoon, DuplicateDose, DoseOutsideSession, SessionOutsideJurisdiction],
      dataField: { name: 'record', description: 'The recorded dose (or, on a retry with the same key and input, the first one).' },
    },
    args: { input: t.arg({ type: RecordDoseInput, required: true, description: 'The dose.' }) },
    resolve: (_root, { input }, ctx) =>
      recordDose(
        ctx.runtime,
        ctx.viewer,
        {
          ...input,
          siteFacilityId: input.siteFacilityId == null ? null : String(input.siteFacilityId),
          sessionId: input.sessionId == null ? null : String(input.sessionId),
        },
        ctx.requestId,
      ),
  }),
}));
