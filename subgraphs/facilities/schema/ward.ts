import { builder } from '../builder.js';
import { graphQLError } from '../../common/graphql/errors.js';
import { mobileStationsNeeded } from '../domain/planning.js';
import { CapacityRef } from './capacity.js';
import { WardKindEnum } from './enums.js';
import { DistrictRef, WardRef } from './area-refs.js';

interface StationPlan {
  population: number;
  counts: { status: string; count: number }[];
}

const MobileStationPlanRef = builder.objectRef<StationPlan>('MobileStationPlan').implement({
  description: 'Mobile health stations (trạm y tế lưu động) of a ward: what its population calls for against what exists.',
  fields: (t) => {
    const count = (p: StationPlan, status: string) => p.counts.find((c) => c.status === status)?.count ?? 0;
    return {
      needed: t.int({
        description: 'Stations the ward needs: one per 10,000 residents, at least one (see domain/planning.ts for the source).',
        resolve: (p) => mobileStationsNeeded(p.population),
      }),
      planned: t.int({ description: 'Stations planned but not yet ready.', resolve: (p) => count(p, 'PLANNED') }),
      standby: t.int({ description: 'Stations ready on standby, to be activated on command.', resolve: (p) => count(p, 'STANDBY') }),
      active: t.int({ description: 'Stations operating now.', resolve: (p) => count(p, 'ACTIVE') }),
      shortfall: t.int({
        description: 'Stations still missing: needed minus planned, standby and active (never below 0).',
        resolve: (p) => Math.max(0, mobileStationsNeeded(p.population) - count(p, 'PLANNED') - count(p, 'STANDBY') - count(p, 'ACTIVE')),
      }),
    };
  },
});

WardRef.implement({
  description: 'A ward, commune or township of Hanoi, identified by its official code.',
  fields: (t) => ({
    code: t.exposeID('code', { description: 'Official five-digit code, e.g. "00337" for Hoàng Liệt.' }),
    name: t.exposeString('name', { description: 'Official name, e.g. "Phường Hoàng Liệt".' }),
    kind: t.field({ type: WardKindEnum, description: 'Ward, commune or township.', resolve: (w) => w.kind as never }),
    population: t.exposeInt('population', {
      description: 'Resident population used for rates: the district figure split across its wards for demo data.',
    }),
    district: t.field({
      type: DistrictRef,
      description: 'The district the ward belongs to.',
      resolve: async (w, _args, ctx) => (await ctx.loaders.district.load(w.districtCode))!,
    }),
    capacity: t.field({
      type: CapacityRef,
      description: 'Treatment beds of the active facilities located in the ward (quarantine areas are not treatment capacity: see quarantineCapacity).',
      resolve: (w, _args, ctx) => ctx.loaders.wardBeds.load(w.code),
    }),
    quarantineCapacity: t.field({
      type: CapacityRef,
      description:
        'Places in the active concentrated quarantine areas located in the ward, for F1 contacts: never treatment capacity for F0, so counted apart from capacity.',
      resolve: (w, _args, ctx) => ctx.loaders.wardQuarantine.load(w.code),
    }),
    mobileStations: t.field({
      type: MobileStationPlanRef,
      description: 'Mobile health station planning for the ward.',
      resolve: async (w, _args, ctx) => ({ population: w.population, counts: await ctx.loaders.mobileStations.load(w.code) }),
    }),
  }),
});

builder.asEntity(WardRef, {
  key: builder.selection<{ code: string }>('code'),
  resolveReference: (ref, ctx) => ctx.loaders.ward.load(ref.code),
});

builder.queryFields((t) => ({
  wards: t.field({
    type: [WardRef],
    description: 'The wards named, each once, in the order first named (unknown codes are left out; at most 600 codes).',
    args: { codes: t.arg.idList({ required: true, description: 'Official ward codes.' }) },
    resolve: async (_root, args, ctx) => {
      if (args.codes.length > 600) throw graphQLError('BAD_USER_INPUT', 'At most 600 ward codes at once');
      const codes = [...new Set(args.codes.map(String))];
      return (await Promise.all(codes.map((code) => ctx.loaders.ward.load(code)))).filter((w) => !!w);
    },
  }),
  ward: t.field({
    type: WardRef,
    nullable: true,
    description: 'One ward by its official code; null when no ward has that code.',
    args: { code: t.arg.id({ required: true, description: 'Official ward code, e.g. "00337".' }) },
    resolve: (_root, args, ctx) => ctx.loaders.ward.load(String(args.code)),
  }),
}));
