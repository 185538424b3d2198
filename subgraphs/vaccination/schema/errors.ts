import { builder, ErrorInterface } from '../builder.js';
import { DoseOutOfOrder, DoseOutsideSession, DoseTooSoon, DuplicateDose, SessionOutsideJurisdiction } from '../domain/errors.js';
import { DoseKindEnum, VaccineEnum } from './enums.js';

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

builder.objectType(DoseOutsideSession, {
  name: 'DoseOutsideSession',
  description: 'The dose does not belong to the session named: given outside its hours, or of another vaccine. Nothing was written.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    startsAt: t.field({ type: 'DateTime', description: 'When the session starts.', resolve: (e) => e.startsAt }),
    endsAt: t.field({ type: 'DateTime', description: 'When the session ends (doses up to, not including, this instant).', resolve: (e) => e.endsAt }),
    vaccine: t.field({ type: VaccineEnum, description: 'The vaccine the session gives.', resolve: (e) => e.vaccine }),
  }),
});

builder.objectType(SessionOutsideJurisdiction, {
  name: 'SessionOutsideJurisdiction',
  description: 'The session is held at a point outside your jurisdiction (sessions are public, so this reveals nothing). Nothing was written.',
  interfaces: [ErrorInterface],
  fields: () => ({}),
});
