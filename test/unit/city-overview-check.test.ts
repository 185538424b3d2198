/** The bench's check of CityOverview answers: figures may move, the answer's shape may not, and errors fail it. */
import { describe, expect, it } from '@jest/globals';
import { cityOverviewCheck } from '../../scripts/bench/scenarios.js';

const district = (code: string, active: number, level = 1, assessedAt = '2026-11-28T07:00:00+07:00', newLast7Days = 12) => ({
  code,
  capacity: { total: 100, occupied: 40 },
  cases: { active, newLast7Days, newPer100kLast7Days: newLast7Days / 2 },
  epidemicLevel: { level, assessedAt },
});

describe('cityOverviewCheck', () => {
  const check = cityOverviewCheck({ districts: [district('001', 5), district('002', 7)] });

  it('passes figures that moved: levels assessed again, the 7-day window rolled on, cases applied', () => {
    expect(check(JSON.stringify({ data: { districts: [district('001', 6, 2, '2026-11-28T07:05:00+07:00'), district('002', 7, 1, undefined, 11)] } }))).toBe(true);
  });

  it('fails an answer with errors, even with all its data', () => {
    const body = { data: { districts: [district('001', 5), district('002', 7)] }, errors: [{ message: 'Timeout', path: ['districts', 1, 'epidemicLevel'] }] };
    expect(check(JSON.stringify(body))).toBe(false);
  });

  it('fails a level or a count of new cases that is missing, a figure that is null, districts out of order or short, and no data', () => {
    expect(check(JSON.stringify({ data: { districts: [district('001', 5), { ...district('002', 7), cases: { active: 7 } }] } }))).toBe(false);
    expect(check(JSON.stringify({ data: { districts: [district('001', 5), { ...district('002', 7), epidemicLevel: null }] } }))).toBe(false);
    expect(check(JSON.stringify({ data: { districts: [district('001', 5), { ...district('002', 7), capacity: { total: 100, occupied: null } }] } }))).toBe(false);
    expect(check(JSON.stringify({ data: { districts: [district('002', 7), district('001', 5)] } }))).toBe(false);
    expect(check(JSON.stringify({ data: { districts: [district('001', 5)] } }))).toBe(false);
    expect(check(JSON.stringify({ data: null }))).toBe(false);
  });
});
