/**
 * Value types of other subgraphs that patients reads through `@requires` to assess the epidemic
 * level: facilities' bed capacity and vaccination's coverage. Every field here is @external:
 * the owners resolve them, the gateway hands them over.
 */
import { builder } from '../builder.js';
import { bedKindEnum } from '../../common/graphql/enums.js';
import type { BedKind } from '../../common/domain/enums.js';

const external = [{ name: 'external', args: {} }] as never;

export const BedKindEnum = builder.enumType('BedKind', bedKindEnum);

export interface ExternalCapacity {
  covidDesignated?: number;
  occupied?: number;
  byKind?: { kind: BedKind; covidDesignated: number; occupied: number }[];
}

export interface ExternalCoverage {
  adults18PlusDose1Coverage?: number;
  over50FullyVaccinatedCoverage?: number;
}

const ExternalBedCount = builder.objectRef<{ kind: BedKind; covidDesignated: number; occupied: number }>('BedCount').implement({
  description: 'Beds of one kind (owned by the facilities subgraph).',
  fields: (t) => ({
    kind: t.field({ type: BedKindEnum, description: 'Kind of bed.', directives: external, resolve: (b) => b.kind }),
    covidDesignated: t.exposeInt('covidDesignated', { description: 'COVID-designated beds.', directives: external }),
    occupied: t.exposeInt('occupied', { description: 'Occupied COVID-designated beds.', directives: external }),
  }),
});

export const ExternalCapacityRef = builder.objectRef<ExternalCapacity>('Capacity').implement({
  description: 'Bed capacity of an area (owned by the facilities subgraph).',
  fields: (t) => ({
    covidDesignated: t.int({ description: 'COVID-designated beds.', directives: external, resolve: (c) => c.covidDesignated ?? 0 }),
    occupied: t.int({ description: 'Occupied COVID-designated beds.', directives: external, resolve: (c) => c.occupied ?? 0 }),
    byKind: t.field({ type: [ExternalBedCount], description: 'Per bed kind.', directives: external, resolve: (c) => c.byKind ?? [] }),
  }),
});

export const ExternalCoverageRef = builder.objectRef<ExternalCoverage>('VaccinationCoverage').implement({
  description: 'Vaccination coverage of an area (owned by the vaccination subgraph).',
  fields: (t) => ({
    adults18PlusDose1Coverage: t.float({ description: 'Adults 18+ with a first dose.', directives: external, resolve: (c) => c.adults18PlusDose1Coverage ?? 0 }),
    over50FullyVaccinatedCoverage: t.float({ description: 'People 50+ fully vaccinated.', directives: external, resolve: (c) => c.over50FullyVaccinatedCoverage ?? 0 }),
  }),
});

/**
 * The selection patients requires for the epidemic level. Order matters with Hive Gateway 2.12:
 * with `capacity { … }` (from facilities, the owner) before `vaccination { … }` (from a third
 * subgraph), the vaccination part never reached the representation; in this order both do.
 * test/e2e/epidemic-level.test.ts checks that all three criteria arrive.
 */
export const LEVEL_REQUIRES =
  'population vaccination { adults18PlusDose1Coverage over50FullyVaccinatedCoverage } capacity { covidDesignated occupied byKind { kind covidDesignated occupied } }' as const;
