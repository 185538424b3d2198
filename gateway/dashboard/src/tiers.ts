import type { TreatmentTier } from '../../client/generated/graphql.js';

/** Treatment tiers in order, one column each on the city table. */
export const TIERS = ['TIER_1', 'TIER_2', 'TIER_3'] as const satisfies readonly TreatmentTier[];

// Fails to compile when the schema gains a tier the table does not show.
type Unshown = Exclude<TreatmentTier, (typeof TIERS)[number]>;
export const EVERY_TIER_SHOWN: [Unshown] extends [never] ? true : never = true;
