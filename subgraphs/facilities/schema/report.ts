/** Facilities' part of the daily report: beds at the end of the day. */
import { builder } from '../builder.js';
import { bedsAt } from '../db/report.repository.js';
import { CapacityRef } from './capacity.js';

const DailyReportRef = builder.externalRef('DailyReport', builder.selection<{ id: string }>('id'));

DailyReportRef.implement({
  description: 'What happened on one day (owned by the patients subgraph).',
  externalFields: (t) => ({ id: t.id({ description: 'Report id: date and scope.' }) }),
  fields: (t) => ({
    beds: t.field({
      type: CapacityRef,
      description: 'Treatment beds of the active facilities at the end of the day (occupancy from admissions; capacity as at the report’s cut-off, 07:00 the next morning, when the report is frozen; before that, capacity now).',
      resolve: (r, _args, ctx) => {
        const [date, scope] = r.id.split(':') as [string, string];
        return bedsAt(ctx.db, date, scope);
      },
    }),
  }),
});
