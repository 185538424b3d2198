import { builder } from '../builder.js';
import { decodeCursor, pageSize, toPage, type CountedPage } from '../../common/graphql/pagination.js';
import { selects } from '../../common/graphql/lookahead.js';
import { countFacilities, searchFacilities, type FacilityFilter } from '../db/facility.repository.js';
import type { Facility } from '../db/mappers.js';
import { BedCountRef, CapacityRef } from './capacity.js';
import { BedKindEnum, FacilityKindEnum, FacilityLevelEnum, FacilityStatusEnum, OwnershipEnum, TreatmentTierEnum } from './enums.js';
import { DistrictRef, WardRef } from './area-refs.js';

export const FacilityRef = builder.objectRef<Facility>('Facility');

FacilityRef.implement({
  description: 'A place that treats, holds or supports COVID-19 patients: station, mobile station, collection site, hospital or quarantine area.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable identifier, e.g. "HS-00337" (the Hoàng Liệt ward health station).' }),
    name: t.exposeString('name', { description: 'Name as the city lists it.' }),
    kind: t.field({ type: FacilityKindEnum, description: 'Kind of facility.', resolve: (f) => f.kind }),
    level: t.field({ type: FacilityLevelEnum, description: 'Level that runs it: ward, district, city or central.', resolve: (f) => f.level }),
    ownership: t.field({ type: OwnershipEnum, description: 'Public, or private and mobilised.', resolve: (f) => f.ownership }),
    status: t.field({ type: FacilityStatusEnum, description: 'Operational status; only ACTIVE facilities admit.', resolve: (f) => f.status }),
    servesTiers: t.field({
      type: [TreatmentTierEnum],
      description: 'Treatment tiers the facility takes (empty for quarantine areas, which hold F1 contacts, not patients).',
      resolve: (f) => f.servesTiers,
    }),
    address: t.exposeString('address', { nullable: true, description: 'Street address, when known.' }),
    ward: t.field({
      type: WardRef,
      description: 'Ward where the facility is located.',
      resolve: (f, _args, ctx) => f.ward ?? ctx.loaders.ward.load(f.wardCode).then((w) => w!),
    }),
    district: t.field({
      type: DistrictRef,
      description: 'District where the facility is located.',
      resolve: async (f, _args, ctx) => (await ctx.loaders.district.load(f.districtCode))!,
    }),
    beds: t.field({
      type: [BedCountRef],
      description: 'Beds per kind the facility has (kinds it lacks are absent).',
      resolve: (f, _args, ctx) => f.beds ?? ctx.loaders.bedsOfFacility.load(f.id),
    }),
    quarantineCapacity: t.field({
      type: CapacityRef,
      nullable: true,
      description:
        'For a concentrated quarantine area: its places for F1 contacts, occupied by the quarantine orders in force there (and occupants recorded before orders were kept). Never treatment capacity. Null for every other kind.',
      resolve: async (f, _args, ctx) => (f.kind === 'QUARANTINE_AREA' ? ctx.loaders.bedsOfFacility.load(f.id) : null),
    }),
    updatedAt: t.field({ type: 'DateTime', description: 'Last change of the facility record (not of its bed counts).', resolve: (f) => f.updatedAt }),
  }),
});

builder.asEntity(FacilityRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: (ref, ctx) => ctx.loaders.facility.load(ref.id),
});

export const FacilityFilterInput = builder.inputType('FacilityFilter', {
  description: 'Narrows a facility list; every field given must match.',
  fields: (t) => ({
    districtCode: t.id({ required: false, description: 'Only facilities in this district.' }),
    wardCode: t.id({ required: false, description: 'Only facilities in this ward.' }),
    kinds: t.field({ type: [FacilityKindEnum], required: false, description: 'Only these kinds.' }),
    tier: t.field({ type: TreatmentTierEnum, required: false, description: 'Only facilities serving this tier.' }),
    status: t.field({ type: [FacilityStatusEnum], required: false, description: 'Only these statuses.' }),
    withAvailable: t.field({ type: BedKindEnum, required: false, description: 'Only facilities with a free bed of this kind now.' }),
  }),
});

builder.queryFields((t) => ({
  facility: t.field({
    type: FacilityRef,
    nullable: true,
    description: 'One facility by id; null when none has that id.',
    args: { id: t.arg.id({ required: true, description: 'Facility id.' }) },
    resolve: (_root, args, ctx) => ctx.loaders.facility.load(String(args.id)),
  }),
  facilities: t.connection(
    {
      type: FacilityRef,
      description: 'Facilities matching the filter, by name. `totalCount` counts all matches, not just the page.',
      args: { filter: t.arg({ type: FacilityFilterInput, required: false, description: 'What to match; all facilities when absent.' }) },
      resolve: async (_root, args, ctx, info): Promise<CountedPage<Facility>> => {
        const size = pageSize(args, 20);
        const after = decodeCursor(args.after, 2) as [string, string] | undefined;
        const filter: FacilityFilter = {
          districtCode: args.filter?.districtCode ? String(args.filter.districtCode) : null,
          wardCode: args.filter?.wardCode ? String(args.filter.wardCode) : null,
          kinds: args.filter?.kinds ?? null,
          tier: args.filter?.tier ?? null,
          status: args.filter?.status ?? null,
          withAvailable: args.filter?.withAvailable ?? null,
        };
        // The count is part of the page's statement when it is asked for.
        const withCount = selects(info, ['totalCount']);
        const withBeds = selects(info, ['edges', 'node', 'beds']);
        const { facilities: rows, totalCount } = size === 0 ? { facilities: [] } : await searchFacilities(ctx.db, filter, after, size + 1, { withBeds, withCount });
        let count = totalCount === undefined ? undefined : Promise.resolve(totalCount);
        return {
          ...toPage(rows, size, (f) => [f.name, f.id], !!after),
          totalCount: () => (count ??= countFacilities(ctx.db, filter)),
        };
      },
    },
    {
      name: 'FacilityConnection',
      description: 'A page of facilities.',
      fields: (t) => ({
        totalCount: t.int({ description: 'How many facilities match the filter in all.', resolve: (page) => (page as unknown as CountedPage<Facility>).totalCount() }),
      }),
    },
    { name: 'FacilityEdge', description: 'A facility in a page, with its cursor.' },
  ),
}));
