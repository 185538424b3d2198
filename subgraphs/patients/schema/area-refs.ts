/**
 * The Ward and District entities (owned by facilities), declared apart from the fields this
 * subgraph adds: those fields come from the epidemic level and daily report modules, which in
 * turn return wards and districts, so the refs must live where neither side imports the other.
 */
import { builder } from '../builder.js';

export const WardRef = builder.externalRef('Ward', builder.selection<{ code: string }>('code'));
export const DistrictRef = builder.externalRef('District', builder.selection<{ code: string }>('code'));

/** The Facility entity (owned by facilities): quarantine orders point at it and supplies add its stock. */
export const FacilityRef = builder.externalRef('Facility', builder.selection<{ id: string }>('id')).implement({
  description: 'A facility (owned by the facilities subgraph).',
  externalFields: (t) => ({ id: t.id({ description: 'Facility id.' }) }),
  fields: () => ({}),
});
