/** Workforce's contribution to facilities' Facility entity: who is on duty there. */
import { builder } from '../builder.js';
import { HealthWorkerRef } from './refs.js';

const StaffOnDutyRef = builder.objectRef<{ workerIds: string[] }>('StaffOnDuty').implement({
  description: 'Workers on duty at a facility now.',
  fields: (t) => ({
    count: t.int({ description: 'How many.', resolve: (s) => s.workerIds.length }),
    workers: t.field({
      type: [HealthWorkerRef],
      description: 'Who.',
      resolve: async (s, _args, ctx) => (await Promise.all(s.workerIds.map((id) => ctx.loaders.worker.load(id)))).filter((w) => !!w),
    }),
  }),
});

builder.externalRef('Facility', builder.selection<{ id: string }>('id')).implement({
  description: 'A facility (owned by the facilities subgraph).',
  externalFields: (t) => ({ id: t.id({ description: 'Facility id.' }) }),
  fields: (t) => ({
    staffOnDuty: t.field({
      type: StaffOnDutyRef,
      description: 'Workers on duty at the facility now.',
      resolve: async (f, _args, ctx) => (await ctx.loaders.staffOnDuty.load(f.id)) ?? { workerIds: [] },
    }),
  }),
});
