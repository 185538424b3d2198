import { builder } from '../builder.js';
import { HealthWorkerRef, PatientRef } from './refs.js';

PatientRef.implement({
  description: 'A confirmed COVID-19 case (F0), owned by the patients subgraph.',
  externalFields: (t) => ({ id: t.id({ description: 'Patient id.' }) }),
  fields: (t) => ({
    careWorker: t.field({
      type: HealthWorkerRef,
      nullable: true,
      description: 'The health worker following this patient at home; null when nobody is assigned.',
      // The whole city's readers, or clinical roles over the patient's ward.
      authScopes: async (p, _args, ctx) => {
        const known = await ctx.loaders.knownPatient.load(p.id);
        return known ? { $any: { wholeCity: true, personalData: known.wardCode } } : { wholeCity: true };
      },
      resolve: async (p, _args, ctx) => {
        const care = await ctx.loaders.careOfPatient.load(p.id);
        return care ? ctx.loaders.worker.load(care.workerId) : null;
      },
    }),
  }),
});
