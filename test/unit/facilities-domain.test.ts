import { describe, expect, it } from '@jest/globals';
import { available, occupancyRate, sumByKind, thresholdsCrossed } from '../../subgraphs/facilities/domain/capacity.js';
import { canChangeStatus, placementRefusal } from '../../subgraphs/facilities/domain/facility.js';
import { mobileStationsNeeded } from '../../subgraphs/facilities/domain/planning.js';
import { NoBedAvailable } from '../../subgraphs/facilities/domain/errors.js';

const beds = (occupied: number, covidDesignated = 10) => ({ occupied, covidDesignated });

describe('bed arithmetic', () => {
  it('measures availability and occupancy against COVID-designated beds', () => {
    expect(available({ covidDesignated: 50, occupied: 41 })).toBe(9);
    expect(occupancyRate({ covidDesignated: 50, occupied: 41 })).toBeCloseTo(0.82);
    expect(occupancyRate({ covidDesignated: 0, occupied: 0 })).toBe(0);
  });

  it('sums per kind', () => {
    expect(
      sumByKind([
        { kind: 'GENERAL', total: 10, covidDesignated: 5, occupied: 2 },
        { kind: 'ICU', total: 2, covidDesignated: 2, occupied: 1 },
        { kind: 'GENERAL', total: 4, covidDesignated: 4, occupied: 4 },
      ]),
    ).toEqual([
      { kind: 'GENERAL', total: 14, covidDesignated: 9, occupied: 6 },
      { kind: 'ICU', total: 2, covidDesignated: 2, occupied: 1 },
    ]);
  });
});

describe('capacity alerts', () => {
  it.each([
    [7, 8, [{ threshold: 80, direction: 'UP' }]],
    [8, 9, [{ threshold: 90, direction: 'UP' }]],
    [9, 10, [{ threshold: 100, direction: 'UP' }]],
    [10, 9, [{ threshold: 100, direction: 'DOWN' }]],
    [9, 8, [{ threshold: 90, direction: 'DOWN' }]],
    [8, 7, [{ threshold: 80, direction: 'DOWN' }]],
    [8, 8, []],
    [5, 6, []],
  ])('%i → %i of 10 beds crosses %j', (from, to, expected) => {
    expect(thresholdsCrossed(beds(from), beds(to))).toEqual(expected);
  });

  it('reports every threshold a capacity cut jumps over', () => {
    expect(thresholdsCrossed({ occupied: 7, covidDesignated: 10 }, { occupied: 7, covidDesignated: 7 })).toEqual([
      { threshold: 80, direction: 'UP' },
      { threshold: 90, direction: 'UP' },
      { threshold: 100, direction: 'UP' },
    ]);
  });
});

describe('facility status', () => {
  it('follows PLANNED → STANDBY → ACTIVE, stands down, closes, and reopens only to standby', () => {
    expect(canChangeStatus('PLANNED', 'STANDBY')).toBe(true);
    expect(canChangeStatus('STANDBY', 'ACTIVE')).toBe(true);
    expect(canChangeStatus('ACTIVE', 'STANDBY')).toBe(true);
    expect(canChangeStatus('ACTIVE', 'CLOSED')).toBe(true);
    expect(canChangeStatus('CLOSED', 'STANDBY')).toBe(true);
    expect(canChangeStatus('CLOSED', 'ACTIVE')).toBe(false);
    expect(canChangeStatus('STANDBY', 'PLANNED')).toBe(false);
  });
});

describe('mobile station planning', () => {
  it('asks one station per 10,000 residents, at least one per ward', () => {
    expect(mobileStationsNeeded(90_000)).toBe(9); // Hoàng Liệt
    expect(mobileStationsNeeded(10_001)).toBe(2);
    expect(mobileStationsNeeded(3_000)).toBe(1);
    expect(mobileStationsNeeded(0)).toBe(0);
  });
});

describe('where a patient may be placed', () => {
  const hospital = { kind: 'HOSPITAL' as const, servesTiers: ['TIER_1', 'TIER_2', 'TIER_3'] as const };
  it('never in a quarantine area, even one misconfigured to serve a tier', () => {
    expect(placementRefusal({ kind: 'QUARANTINE_AREA', servesTiers: ['TIER_1'] }, 'TIER_1', 'GENERAL', true)).toEqual({ reason: 'NOT_A_TREATMENT_FACILITY' });
  });
  it('only in a facility that serves the tier, override or not', () => {
    expect(placementRefusal({ kind: 'HEALTH_STATION', servesTiers: ['TIER_1'] }, 'TIER_3', 'GENERAL', true)).toEqual({ reason: 'TIER_NOT_SERVED' });
  });
  it('in the bed kind of the tier unless a clinician overrides it', () => {
    expect(placementRefusal(hospital, 'TIER_1', 'GENERAL', false)).toBeUndefined();
    expect(placementRefusal(hospital, 'TIER_2', 'OXYGEN', false)).toBeUndefined();
    expect(placementRefusal(hospital, 'TIER_3', 'ICU', false)).toBeUndefined();
    expect(placementRefusal(hospital, 'TIER_1', 'ICU', false)).toEqual({ reason: 'BED_KIND_NOT_FOR_TIER', needed: 'GENERAL' });
    expect(placementRefusal(hospital, 'TIER_3', 'OXYGEN', false)).toEqual({ reason: 'BED_KIND_NOT_FOR_TIER', needed: 'ICU' });
    expect(placementRefusal(hospital, 'TIER_3', 'OXYGEN', true)).toBeUndefined();
  });
});

describe('expected failures', () => {
  it('format their stack only when it is read (formatting it was the costliest part of a refused admission), and still have one', () => {
    const refused = new NoBedAvailable('CS-1', 'GENERAL');
    expect(refused).toBeInstanceOf(Error);
    expect(refused.message).toBe('Facility CS-1 has no free GENERAL bed');
    // Reading the descriptor (as the errors plugin does) formats nothing: an accessor, not V8's value.
    const descriptor = Object.getOwnPropertyDescriptor(refused, 'stack')!;
    expect(descriptor.get).toBeInstanceOf(Function);
    expect(descriptor.value).toBeUndefined();
    expect(refused.stack).toMatch(/^NoBedAvailable: Facility CS-1 has no free GENERAL bed\n\s+at .*facilities-domain\.test/);
    refused.stack = 'replaced';
    expect(refused.stack).toBe('replaced');
  });
});
