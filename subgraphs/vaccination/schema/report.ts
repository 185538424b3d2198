/** Vaccination's part of the daily report: doses given that day, from the daily counters. */
import { builder } from '../builder.js';
import { dosesGivenOn } from '../db/coverage.repository.js';

const DailyReportRef = builder.externalRef('DailyReport', builder.selection<{ id: string }>('id'));

DailyReportRef.implement({
  description: 'What happened on one day (owned by the patients subgraph).',
  externalFields: (t) => ({ id: t.id({ description: 'Report id: date and scope.' }) }),
  fields: (t) => ({
    dosesGiven: t.int({
      description: 'Vaccine doses given that day (all kinds).',
      resolve: (r, _args, ctx) => {
        const [date, scope] = r.id.split(':') as [string, string];
        return dosesGivenOn(ctx.db, date, scope);
      },
    }),
  }),
});
