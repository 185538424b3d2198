/** Workforce's contribution to facilities' District entity. */
import { builder } from '../builder.js';
import { WorkforceStatsRef } from './workforce-stats.js';

builder.externalRef('District', builder.selection<{ code: string }>('code')).implement({
  description: 'A district of Hanoi (owned by the facilities subgraph).',
  externalFields: (t) => ({ code: t.id({ description: 'Official district code.' }) }),
  fields: (t) => ({
    workforce: t.field({
      type: WorkforceStatsRef,
      description: 'Health workforce of the district (one grouped query for all districts of a request).',
      resolve: (d, _args, ctx) => ctx.loaders.districtStats.load(d.code),
    }),
  }),
});
