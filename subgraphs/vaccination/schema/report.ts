/** Vaccination's part of the daily report: doses given that day, from the daily counters. */
import { sql } from 'kysely';
import { builder } from '../builder.js';

const DailyReportRef = builder.externalRef('DailyReport', builder.selection<{ id: string }>('id'));

DailyReportRef.implement({
  description: 'What happened on one day (owned by the patients subgraph).',
  externalFields: (t) => ({ id: t.id({ description: 'Report id: date and scope.' }) }),
  fields: (t) => ({
    dosesGiven: t.int({
      description: 'Vaccine doses given that day (all kinds).',
      resolve: async (r, _args, ctx) => {
        const [date, scope] = r.id.split(':') as [string, string];
        const { rows } = await sql<{ n: number }>`
          select coalesce(sum(count), 0)::int as n from dose_day where day = ${date} and (${scope} = 'city' or district_code = ${scope})`.execute(ctx.db);
        return rows[0]!.n;
      },
    }),
  }),
});
