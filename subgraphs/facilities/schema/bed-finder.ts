import { builder } from '../builder.js';
import { findWard } from '../../common/admin-units.js';
import { graphQLError } from '../../common/graphql/errors.js';
import { findFreeBeds } from '../db/facility.repository.js';
import { BED_KIND_FOR_TIER } from '../domain/facility.js';
import type { Facility } from '../db/mappers.js';
import type { BedKind } from '../../common/domain/enums.js';
import { BedKindEnum, TreatmentTierEnum } from './enums.js';
import { FacilityRef } from './facility.js';

interface BedMatch {
  facility: Facility;
  bedKind: BedKind;
  available: number;
  rank: number;
}

const PROXIMITY = ['SAME_WARD', 'SAME_DISTRICT', 'CITY_LEVEL', 'ELSEWHERE'] as const;

const ProximityEnum = builder.enumType('BedMatchProximity', {
  description: 'How close a match is to the patient, in the order bedFinder ranks them.',
  values: {
    SAME_WARD: { description: "In the patient's ward." },
    SAME_DISTRICT: { description: "In the patient's district." },
    CITY_LEVEL: { description: 'A city-level or central facility elsewhere.' },
    ELSEWHERE: { description: 'Another facility in the city.' },
  },
});

const BedMatchRef = builder.objectRef<BedMatch>('BedMatch').implement({
  description: 'A facility with a free bed for the patient.',
  fields: (t) => ({
    facility: t.field({ type: FacilityRef, description: 'The facility.', resolve: (m) => m.facility }),
    bedKind: t.field({ type: BedKindEnum, description: 'The kind of bed that is free.', resolve: (m) => m.bedKind }),
    available: t.exposeInt('available', { description: 'Free COVID-designated beds of that kind now.' }),
    proximity: t.field({ type: ProximityEnum, description: 'Why it ranks where it does.', resolve: (m) => PROXIMITY[m.rank]! }),
  }),
});

builder.queryFields((t) => ({
  bedFinder: t.field({
    type: [BedMatchRef],
    description: [
      'Active facilities that serve this tier and have a free bed, best first: same ward, then same district,',
      'then city-level and central sites, then the rest of the city; within each group, most free beds first.',
    ].join(' '),
    args: {
      wardCode: t.arg.id({ required: true, description: "The patient's ward (official code)." }),
      tier: t.arg({ type: TreatmentTierEnum, required: true, description: "The patient's treatment tier." }),
      bedKind: t.arg({
        type: BedKindEnum,
        required: false,
        description: 'Bed kind needed; by default the tier decides (tier 1 GENERAL, tier 2 OXYGEN, tier 3 ICU).',
      }),
      first: t.arg.int({ required: false, defaultValue: 5, description: 'How many matches (1 to 50).' }),
    },
    resolve: async (_root, args, ctx) => {
      const ward = findWard(String(args.wardCode));
      if (!ward) throw graphQLError('BAD_USER_INPUT', `No ward has code ${args.wardCode}`);
      const limit = args.first ?? 5;
      if (!Number.isInteger(limit) || limit < 1 || limit > 50) throw graphQLError('BAD_USER_INPUT', 'first must be between 1 and 50');
      return findFreeBeds(ctx.db, {
        wardCode: ward.code,
        districtCode: ward.districtCode,
        tier: args.tier,
        bedKind: args.bedKind ?? BED_KIND_FOR_TIER[args.tier],
        limit,
      });
    },
  }),
}));
