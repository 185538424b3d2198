import { describe, expect, it } from '@jest/globals';
import { assessLevel, capacityMeets, caseBand, type AssessmentInput } from '../../subgraphs/patients/domain/epidemic-level.js';
import { readFactsTimeoutMs } from '../../subgraphs/patients/events/assessor.js';

const roomy = { covidDesignated: 100, occupied: 10, criticalDesignated: 20, criticalOccupied: 2 };
const input = (per100k: number, high: boolean, capacity = roomy): AssessmentInput => ({
  newCasesPer100kLast7Days: per100k,
  adults18PlusDose1Coverage: high ? 0.7 : 0.69,
  over50FullyVaccinatedCoverage: high ? 0.8 : 0.9,
  capacity,
});

describe('epidemic level (Resolution 128, Decision 4800/QĐ-BYT and its January 2022 revision)', () => {
  it.each([
    [0, 'A'],
    [19.99, 'A'],
    [20, 'B'],
    [49.99, 'B'],
    [50, 'C'],
    [149.99, 'C'],
    [150, 'D'],
    [1_000, 'D'],
  ])('criterion 1: %f new cases per 100,000 in 7 days is band %s', (rate, band) => {
    expect(caseBand(rate)).toBe(band);
  });

  it.each([
    [0, true, 1],
    [0, false, 2],
    [20, true, 2],
    [20, false, 3],
    [50, true, 3],
    [50, false, 4],
    [150, true, 4],
    [150, false, 4],
  ])('matrix: %f cases with high coverage %s → level %i', (rate, high, level) => {
    expect(assessLevel(input(rate, high)).level).toBe(level);
  });

  it('criterion 2 needs both adults with a dose (≥ 70 %) and over-50s fully vaccinated (≥ 80 %)', () => {
    expect(assessLevel({ ...input(0, true), over50FullyVaccinatedCoverage: 0.79 }).highCoverage).toBe(false);
    expect(assessLevel({ ...input(0, true), adults18PlusDose1Coverage: 0.699 }).highCoverage).toBe(false);
    expect(assessLevel(input(0, true)).highCoverage).toBe(true);
  });

  it('criterion 3: insufficient treatment capacity raises the level by one, never above 4', () => {
    const crowded = { covidDesignated: 100, occupied: 90, criticalDesignated: 20, criticalOccupied: 2 };
    const noOxygen = { covidDesignated: 100, occupied: 10, criticalDesignated: 20, criticalOccupied: 19 };
    expect(capacityMeets(crowded)).toBe(false);
    expect(capacityMeets(noOxygen)).toBe(false);
    expect(capacityMeets({ ...noOxygen, criticalOccupied: 18 })).toBe(true);
    expect(capacityMeets({ covidDesignated: 0, occupied: 0, criticalDesignated: 0, criticalOccupied: 0 })).toBe(true);
    expect(assessLevel(input(0, true, crowded)).level).toBe(2);
    expect(assessLevel(input(150, false, crowded)).level).toBe(4);
  });

  it('gives the colour of each level', () => {
    expect([0, 20, 50, 150].map((r) => assessLevel(input(r, true)).colour)).toEqual(['GREEN', 'YELLOW', 'ORANGE', 'RED']);
  });
});

describe('a read\'s wait for the facts of an area never assessed', () => {
  it('is half the gateway\'s upstream timeout, and 5 s at most', () => {
    // test/e2e/level-facts-timeout.test.ts shows why half: the level fails, not the patients request.
    expect([3_000, 9_999, 10_000, 15_000, 120_000].map(readFactsTimeoutMs)).toEqual([1_500, 4_999, 5_000, 5_000, 5_000]);
  });
});
