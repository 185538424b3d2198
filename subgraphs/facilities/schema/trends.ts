/** Facilities' part of Trends (owned by patients): beds occupied by kind, day by day. */
import { builder } from '../builder.js';
import { graphQLError } from '../../common/graphql/errors.js';
import { occupancyTrends, type OccupancyTrendDay } from '../db/trends.repository.js';
import { BedKindEnum } from './enums.js';

const TrendsRef = builder.externalRef('Trends', builder.selection<{ id: string }>('id'));

const KindOccupiedRef = builder.objectRef<{ kind: OccupancyTrendDay['byKind'][number]['kind']; occupied: number }>('BedKindOccupied').implement({
  description: 'Beds of one kind occupied at the end of a day.',
  fields: (t) => ({
    kind: t.field({ type: BedKindEnum, description: 'The bed kind.', resolve: (k) => k.kind }),
    occupied: t.exposeInt('occupied', { description: 'Beds of that kind occupied (admissions open at the end of the day).' }),
  }),
});

const OccupancyTrendDayRef = builder.objectRef<OccupancyTrendDay>('OccupancyTrendDay').implement({
  description: 'One day of the bed occupancy trend: beds occupied at its end (now, for today), by kind.',
  fields: (t) => ({
    date: t.field({ type: 'Date', description: 'The day (city time).', resolve: (d) => d.date }),
    occupied: t.int({ description: 'Beds occupied, all kinds.', resolve: (d) => d.byKind.reduce((s, k) => s + k.occupied, 0) }),
    byKind: t.field({ type: [KindOccupiedRef], description: 'Beds occupied per kind (general, oxygen, ICU).', resolve: (d) => d.byKind }),
  }),
});

TrendsRef.implement({
  description: 'The city or a district day by day (owned by the patients subgraph).',
  externalFields: (t) => ({ id: t.id({ description: 'Scope and days.' }) }),
  fields: (t) => ({
    occupancy: t.field({
      type: [OccupancyTrendDayRef],
      description:
        'Beds of treatment facilities occupied at the end of each day, by kind, oldest first: from the admissions (which keep their history), as the daily report counts them; a frozen report’s beds when there is one.',
      resolve: (r, _args, ctx) => {
        const m = /^(city|\d{3}):(\d{4}-\d{2}-\d{2}):(\d{4}-\d{2}-\d{2})$/.exec(String(r.id));
        if (!m) throw graphQLError('BAD_USER_INPUT', `Not a trends id: ${String(r.id)}`);
        return occupancyTrends(ctx.db, m[2]!, m[3]!, m[1]!);
      },
    }),
  }),
});
