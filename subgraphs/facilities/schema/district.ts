import { builder } from '../builder.js';
import { listDistricts } from '../db/geography.repository.js';
import { CapacityRef } from './capacity.js';
import { DistrictKindEnum } from './enums.js';
import { DistrictRef, WardRef } from './area-refs.js';
import { graphQLError } from '../../common/graphql/errors.js';

DistrictRef.implement({
  description: 'A district of Hanoi (quận, huyện or thị xã), identified by its official code.',
  fields: (t) => ({
    code: t.exposeID('code', { description: 'Official three-digit code, e.g. "008" for Hoàng Mai.' }),
    name: t.exposeString('name', { description: 'Official name, e.g. "Quận Hoàng Mai".' }),
    kind: t.field({ type: DistrictKindEnum, description: 'Urban district, rural district or town.', resolve: (d) => d.kind as never }),
    population: t.exposeInt('population', {
      description: 'Resident population used for rates (approximately the 2019 census; see the data source note).',
    }),
    wards: t.field({
      type: [WardRef],
      description: 'Wards, communes and townships of the district, by code.',
      resolve: (d, _args, ctx) => ctx.loaders.wardsOfDistrict.load(d.code),
    }),
    capacity: t.field({
      type: CapacityRef,
      description: 'Treatment beds of the active facilities located in the district (quarantine areas are not treatment capacity: see quarantineCapacity).',
      resolve: (d, _args, ctx) => ctx.loaders.districtBeds.load(d.code),
    }),
    quarantineCapacity: t.field({
      type: CapacityRef,
      description:
        'Places in the active concentrated quarantine areas located in the district, for F1 contacts: never treatment capacity for F0, so counted apart from capacity.',
      resolve: (d, _args, ctx) => ctx.loaders.districtQuarantine.load(d.code),
    }),
  }),
});

builder.asEntity(DistrictRef, {
  key: builder.selection<{ code: string }>('code'),
  resolveReference: (ref, ctx) => ctx.loaders.district.load(ref.code),
});

builder.queryFields((t) => ({
  districts: t.field({
    type: [DistrictRef],
    description: 'All 30 districts of the city by code, or the ones named, each once, in the order first named (unknown codes are left out; at most 100 codes).',
    args: { codes: t.arg.idList({ required: false, description: 'Only these districts.' }) },
    resolve: async (_root, args, ctx) => {
      if (!args.codes) return listDistricts(ctx.db);
      // Each once: a list repeating one code 16,000 times made a 10 MB answer from a 96 kB request.
      if (args.codes.length > 100) throw graphQLError('BAD_USER_INPUT', 'At most 100 district codes at once');
      const codes = [...new Set(args.codes.map(String))];
      return (await Promise.all(codes.map((code) => ctx.loaders.district.load(code)))).filter((d) => !!d);
    },
  }),
  district: t.field({
    type: DistrictRef,
    nullable: true,
    description: 'One district by its official code; null when no district has that code.',
    args: { code: t.arg.id({ required: true, description: 'Official district code, e.g. "008".' }) },
    resolve: (_root, args, ctx) => ctx.loaders.district.load(String(args.code)),
  }),
}));
