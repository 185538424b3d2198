import { builder, ErrorInterface } from '../builder.js';
import { DoseOutOfOrder, DoseTooSoon, DuplicateDose } from '../domain/errors.js';
import { DoseKindEnum } from './enums.js';

builder.objectType(DoseOutOfOrder, {
  name: 'DoseOutOfOrder',
  description: 'The dose does not follow the resident’s schedule (e.g. dose 2 before dose 1). Nothing was written.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ expected: t.field({ type: DoseKindEnum, nullable: true, description: 'The dose that would come next.', resolve: (e) => e.expected }) }),
});

builder.objectType(DoseTooSoon, {
  name: 'DoseTooSoon',
  description: 'The minimum interval since the previous dose has not passed.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ earliest: t.field({ type: 'Date', description: 'First day the dose may be given.', resolve: (e) => e.earliest }) }),
});

builder.objectType(DuplicateDose, {
  name: 'DuplicateDose',
  description: 'A dose was already recorded for this resident on that day.',
  interfaces: [ErrorInterface],
  fields: () => ({}),
});
