import { builder } from '../builder.js';
import { findDistrict } from '../../common/admin-units.js';
import { graphQLError } from '../../common/graphql/errors.js';
import { TOPICS, type BedOccupancyPayload, type CapacityAlertPayload } from '../../common/events/catalog.js';
import type { EventEnvelope } from '../../common/events/types.js';
import { available, occupancyRate } from '../domain/capacity.js';
import { BedKindEnum, OccupancyChangeCauseEnum } from './enums.js';
import { FacilityRef } from './facility.js';

const BedOccupancyEventRef = builder.objectRef<BedOccupancyPayload>('BedOccupancyEvent').implement({
  description: 'Bed counts of one kind in one facility right after a change: absolute numbers, so a missed event is healed by the next.',
  fields: (t) => ({
    facility: t.field({
      type: FacilityRef,
      description: 'The facility whose beds changed.',
      resolve: async (e, _args, ctx) => (await ctx.loaders.facility.load(e.facilityId))!,
    }),
    bedKind: t.field({ type: BedKindEnum, description: 'Kind of bed that changed.', resolve: (e) => e.bedKind }),
    total: t.exposeInt('total', { description: 'All beds of this kind.' }),
    covidDesignated: t.exposeInt('covidDesignated', { description: 'COVID-designated beds of this kind.' }),
    occupied: t.exposeInt('occupied', { description: 'Occupied COVID-designated beds after the change.' }),
    available: t.int({ description: 'Free COVID-designated beds after the change.', resolve: (e) => available(e) }),
    occupancyRate: t.float({ description: 'occupied / covidDesignated after the change.', resolve: (e) => occupancyRate(e) }),
    cause: t.field({ type: OccupancyChangeCauseEnum, description: 'What changed the count.', resolve: (e) => e.cause }),
    at: t.field({ type: 'DateTime', description: 'When the change was made: the start of the transaction that made it, which commits a little later (the bed\'s updatedAt).', resolve: (e) => new Date(e.at) }),
  }),
});

const AlertDirectionEnum = builder.enumType('AlertDirection', {
  description: 'Which way occupancy crossed the threshold.',
  values: { UP: { description: 'Occupancy rose to or above the threshold.' }, DOWN: { description: 'Occupancy fell back below the threshold.' } },
});

const CapacityAlertRef = builder.objectRef<CapacityAlertPayload>('CapacityAlert').implement({
  description: 'A facility crossed 80 %, 90 % or 100 % occupancy of a bed kind, upwards or downwards.',
  fields: (t) => ({
    facility: t.field({
      type: FacilityRef,
      description: 'The facility.',
      resolve: async (e, _args, ctx) => (await ctx.loaders.facility.load(e.facilityId))!,
    }),
    bedKind: t.field({ type: BedKindEnum, description: 'Kind of bed.', resolve: (e) => e.bedKind }),
    threshold: t.exposeInt('threshold', { description: 'The threshold crossed, in percent (80, 90 or 100).' }),
    direction: t.field({ type: AlertDirectionEnum, description: 'Up or down.', resolve: (e) => e.direction }),
    occupied: t.exposeInt('occupied', { description: 'Occupied COVID-designated beds now.' }),
    covidDesignated: t.exposeInt('covidDesignated', { description: 'COVID-designated beds of this kind.' }),
    at: t.field({ type: 'DateTime', description: 'When it happened.', resolve: (e) => new Date(e.at) }),
  }),
});

function checkDistrict(code: string | number | null | undefined): string | undefined {
  if (code == null) return undefined;
  if (!findDistrict(String(code))) throw graphQLError('BAD_USER_INPUT', `No district has code ${code}`);
  return String(code);
}

builder.subscriptionType({ description: 'Live changes over graphql-ws. Events carry absolute state.' });

builder.subscriptionFields((t) => ({
  bedOccupancyChanged: t.field({
    type: BedOccupancyEventRef,
    description: 'Every change of bed counts (admission, discharge, transfer, capacity change), optionally narrowed.',
    args: {
      facilityId: t.arg.id({ required: false, description: 'Only this facility.' }),
      districtCode: t.arg.id({ required: false, description: 'Only facilities in this district.' }),
      kinds: t.arg({ type: [BedKindEnum], required: false, description: 'Only these bed kinds.' }),
    },
    subscribe: (_root, args, ctx) => {
      const district = checkDistrict(args.districtCode);
      const facilityId = args.facilityId == null ? undefined : String(args.facilityId);
      const kinds = args.kinds ?? undefined;
      return ctx.runtime.bus.subscribe<BedOccupancyPayload>(TOPICS.bedOccupancy, { onEach: ctx.renewLoaders,
        filter: (e) =>
          (!district || e.districtCode === district) && (!facilityId || e.facilityId === facilityId) && (!kinds || kinds.includes(e.bedKind)),
      });
    },
    resolve: (event: EventEnvelope<BedOccupancyPayload>) => event.payload,
  }),
  capacityAlert: t.field({
    type: CapacityAlertRef,
    description: 'A facility crossed 80 %, 90 % or 100 % of a bed kind, up or down.',
    args: { districtCode: t.arg.id({ required: false, description: 'Only facilities in this district.' }) },
    subscribe: (_root, args, ctx) => {
      const district = checkDistrict(args.districtCode);
      return ctx.runtime.bus.subscribe<CapacityAlertPayload>(TOPICS.capacityAlert, { onEach: ctx.renewLoaders,
        filter: (e) => !district || e.districtCode === district,
      });
    },
    resolve: (event: EventEnvelope<CapacityAlertPayload>) => event.payload,
  }),
}));
