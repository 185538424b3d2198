/**
 * The demo city's numbers, from the seed's pure plans (no database): populations and the
 * new-case rate of mid-January 2022, the same per capita at both scales.
 */
import { describe, expect, it } from '@jest/globals';
import { planFacilities, planGeography } from '../../scripts/seed/facilities-plan.js';
import { planPatients } from '../../scripts/seed/patients-plan.js';
import { normalizeContactPhone } from '../../subgraphs/common/domain/input-rules.js';

const DAY = 86_400_000;
const now = new Date('2026-01-15T03:00:00Z');

function plan(scale: 'small' | 'city') {
  const geo = planGeography(scale);
  const patients = planPatients(scale, geo, planFacilities(planGeography('city')), now);
  const population = geo.districts.reduce((s, d) => s + d.population, 0);
  const lastWeek = patients.filter((p) => p.confirmedAt.getTime() > now.getTime() - 7 * DAY);
  return { geo, patients, population, lastWeek, perDay: lastWeek.length / 7, per100kWeek: (lastWeek.length * 100_000) / population };
}

describe('seed plan', () => {
  const city = plan('city');
  const small = plan('small');

  it('gives Hoàng Liệt its 90,000 residents ("9 vạn người") and keeps every district’s total', () => {
    const hoangLiet = city.geo.wards.find((w) => w.code === '00337')!;
    expect(hoangLiet.population).toBeGreaterThanOrEqual(88_000);
    expect(hoangLiet.population).toBeLessThanOrEqual(92_000);
    for (const d of city.geo.districts) {
      expect(city.geo.wards.filter((w) => w.districtCode === d.code).reduce((s, w) => s + w.population, 0)).toBe(d.population);
    }
    // The other wards of Hoàng Mai share what is left.
    expect(city.geo.wards.filter((w) => w.districtCode === '008' && w.code !== '00337').every((w) => w.population > 10_000)).toBe(true);
  });

  it('runs at the city’s mid-January 2022 rate, about 2,836 new cases a day, at city scale', () => {
    expect(city.perDay).toBeGreaterThan(2_836 * 0.95);
    expect(city.perDay).toBeLessThan(2_836 * 1.05);
    const lastDay = city.patients.filter((p) => p.confirmedAt.getTime() > now.getTime() - DAY).length;
    expect(lastDay).toBeGreaterThan(2_836 * 0.9);
    expect(lastDay).toBeLessThan(2_836 * 1.1);
  });

  it('runs at the same rate per capita at the default (small) scale', () => {
    expect(Math.abs(small.population * 10 - city.population) / city.population).toBeLessThan(0.001);
    expect(small.per100kWeek / city.per100kWeek).toBeGreaterThan(0.95);
    expect(small.per100kWeek / city.per100kWeek).toBeLessThan(1.05);
  });

  it('spreads districts over more than the top case band', () => {
    const bands = (p: ReturnType<typeof plan>) =>
      new Set(
        p.geo.districts.map((d) => {
          const per100k = (p.lastWeek.filter((x) => x.districtCode === d.code).length * 100_000) / d.population;
          return per100k >= 150 ? 'D' : per100k >= 50 ? 'C' : per100k >= 20 ? 'B' : 'A';
        }),
      );
    expect(bands(city).size).toBeGreaterThan(1);
    expect(bands(small).size).toBeGreaterThan(1);
  });

  it('gives every ward health station demo contacts that the contacts rules accept', () => {
    const stations = planFacilities(city.geo).filter((f) => f.kind === 'HEALTH_STATION');
    expect(new Set(stations.map((f) => f.wardCode)).size).toBe(city.geo.wards.length);
    for (const station of stations) {
      expect(station.contacts?.phones.length).toBeGreaterThan(0);
      for (const phone of station.contacts!.phones) expect({ phone, normalized: normalizeContactPhone(phone) }).toEqual({ phone, normalized: phone });
      expect(station.contacts!.zaloGroups.every((g) => g.link.startsWith('https://zalo.me/'))).toBe(true);
    }
  });
});
