/** Workforce's contribution to facilities' Ward entity. */
import { builder } from '../builder.js';
import { WorkforceStatsRef } from './workforce-stats.js';

builder.externalRef('Ward', builder.selection<{ code: string }>('code')).implement({
  description: 'A ward, commune or township of Hanoi (owned by the facilities subgraph).',
  externalFields: (t) => ({ code: t.id({ description: 'Official ward code.' }) }),
  fields: (t) => ({
    workforce: t.field({ type: WorkforceStatsRef, description: 'Health workforce of the ward.', resolve: (w, _args, ctx) => ctx.loaders.wardStats.load(w.code) }),
  }),
});
