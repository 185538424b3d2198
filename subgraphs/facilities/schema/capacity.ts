import { builder } from '../builder.js';
import { BED_KINDS } from '../../common/domain/enums.js';
import { available, occupancyRate, sumByKind, type BedCounts } from '../domain/capacity.js';
import { BedKindEnum } from './enums.js';

export const BedCountRef = builder.objectRef<BedCounts>('BedCount').implement({
  description:
    'Beds of one kind. Only COVID-designated beds take COVID-19 admissions, so `available` and `occupancyRate` are measured against them.',
  fields: (t) => ({
    kind: t.field({ type: BedKindEnum, description: 'Kind of bed.', resolve: (b) => b.kind }),
    total: t.exposeInt('total', { description: 'All beds of this kind, COVID-designated or not.' }),
    covidDesignated: t.exposeInt('covidDesignated', {
      description: 'Beds set aside for COVID-19 patients (the city reserved 50 % of hospital beds; collection sites are all COVID beds).',
    }),
    occupied: t.exposeInt('occupied', { description: 'COVID-designated beds holding a patient now.' }),
    available: t.int({ description: 'COVID-designated beds free now.', resolve: (b) => available(b) }),
    occupancyRate: t.float({ description: 'occupied / covidDesignated, from 0 to 1 (0 when there are none).', resolve: (b) => occupancyRate(b) }),
  }),
});

/** Roll-up of beds over an area: the parent is the per-kind sums. */
export const CapacityRef = builder.objectRef<BedCounts[]>('Capacity').implement({
  description: [
    'Beds of the active facilities of an area (ward, district or city), in the sense of the HL7 SANER',
    'measure: numBeds ↔ total, numBedsOcc ↔ occupied, numICUBeds ↔ byKind(ICU).total,',
    'numICUBedsOcc ↔ byKind(ICU).occupied. Occupancy counts COVID-19 patients only: this graph does',
    'not track beds used by other patients.',
  ].join(' '),
  fields: (t) => {
    const sum = (rows: BedCounts[], pick: (b: BedCounts) => number) => rows.reduce((s, b) => s + pick(b), 0);
    return {
      total: t.int({ description: 'All beds (SANER numBeds).', resolve: (rows) => sum(rows, (b) => b.total) }),
      covidDesignated: t.int({ description: 'Beds set aside for COVID-19 patients.', resolve: (rows) => sum(rows, (b) => b.covidDesignated) }),
      occupied: t.int({ description: 'Beds holding a COVID-19 patient (SANER numBedsOcc).', resolve: (rows) => sum(rows, (b) => b.occupied) }),
      available: t.int({ description: 'COVID-designated beds free now.', resolve: (rows) => sum(rows, available) }),
      occupancyRate: t.float({
        description: 'occupied / covidDesignated over all kinds, from 0 to 1.',
        resolve: (rows) => occupancyRate({ covidDesignated: sum(rows, (b) => b.covidDesignated), occupied: sum(rows, (b) => b.occupied) }),
      }),
      byKind: t.field({
        type: [BedCountRef],
        description: 'The same counts per bed kind, always GENERAL, OXYGEN and ICU in that order (zero where none).',
        resolve: (rows) => {
          const summed = sumByKind(rows);
          return BED_KINDS.map((kind) => summed.find((b) => b.kind === kind) ?? { kind, total: 0, covidDesignated: 0, occupied: 0 });
        },
      }),
    };
  },
});
