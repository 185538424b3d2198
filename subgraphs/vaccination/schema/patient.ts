/** Patient.vaccination: a case's vaccination status from the resident registry. */
import { builder } from '../builder.js';
import type { Resident } from '../db/mappers.js';
import { maySeeResident } from './refs.js';

const PatientVaccinationRef = builder.objectRef<Resident>('PatientVaccination').implement({
  description: 'Vaccination status of a patient, matched to the resident registry by citizen ID.',
  fields: (t) => ({
    doses: t.exposeInt('doses', { description: 'Doses received.' }),
    fullyVaccinated: t.exposeBoolean('fullyVaccinated', { description: 'Primary series complete.' }),
    boosted: t.exposeBoolean('boosted', { description: 'Received a booster.' }),
    lastDoseOn: t.field({ type: 'Date', nullable: true, description: 'Day of the latest dose.', resolve: (r) => r.lastDoseOn }),
  }),
});

builder.externalRef('Patient', builder.selection<{ id: string }>('id')).implement({
  description: 'A confirmed COVID-19 case (F0), owned by the patients subgraph.',
  externalFields: (t) => ({
    id: t.id({ description: 'Patient id.' }),
    nationalId: t.string({ nullable: true, description: 'Citizen ID (owned by patients; personal data).' }),
  }),
  fields: (t) => ({
    vaccination: t.field({
      type: PatientVaccinationRef,
      nullable: true,
      description:
        'Vaccination status from the resident registry, matched on the citizen ID (fetched from patients through @requires, so only viewers allowed to read it get an answer); null without a citizen ID or a registry entry.',
      requires: builder.selection<{ nationalId?: string | null }>('nationalId'),
      resolve: async (p, _args, ctx) => {
        if (!p.nationalId) return null;
        const resident = await ctx.loaders.residentByNationalId.load(p.nationalId);
        return resident && maySeeResident(ctx.viewer, resident.wardCode) ? resident : null;
      },
    }),
  }),
});
