/**
 * Trends through the gateway: cases registered on given days give those days' new cases, the
 * tier history gives the active cases by tier at each day's end, admissions (moved back in time
 * to make a history) give the beds occupied by kind each day, for the city and a district; and
 * every past day agrees with that day's daily report. The stack freezes the last day past its
 * cut-off when it starts, before any of this data exists: that day keeps its frozen (empty)
 * figures, as its report does.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography, withDb } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, ok, token } from '../support/client.js';
import { ADMIT, registerPatient, type NewPatient } from '../support/patients.js';
import { cityDate, startOfCityDate } from '../../subgraphs/common/graphql/scalars.js';
import { planGeography } from '../../scripts/seed/facilities-plan.js';
import { lastDueDay } from '../../subgraphs/common/report-cutoff.js';
import { pollUntil } from '../support/wait.js';

const DAY = 86_400_000;
const TRENDS = /* GraphQL */ `
  query T($days: Int, $district: ID!) {
    cityTrends(days: $days) { ...T }
    district(code: $district) { trends(days: $days) { ...T } }
  }
  fragment T on Trends {
    id from to district { code }
    cases { date newCases active byTier { tier count } }
    occupancy { date occupied byKind { kind occupied } }
  }`;

interface Trends {
  id: string;
  from: string;
  to: string;
  district: { code: string } | null;
  cases: { date: string; newCases: number; active: number; byTier: { tier: string; count: number }[] }[];
  occupancy: { date: string; occupied: number; byKind: { kind: string; occupied: number }[] }[];
}

const tiers = (t: Trends, date: string) => Object.fromEntries(t.cases.find((c) => c.date === date)!.byTier.map((b) => [b.tier, b.count]));
const beds = (t: Trends, date: string) => Object.fromEntries(t.occupancy.find((o) => o.date === date)!.byKind.map((b) => [b.kind, b.occupied]));
const newCases = (t: Trends) => Object.fromEntries(t.cases.map((c) => [c.date, c.newCases]));

describe('trends', () => {
  let db: TestDatabase;
  let stack: Stack;
  let city: string;
  let dashboard: string;
  const now = new Date();
  const today = cityDate(now);
  /** The city day `n` days before today, and noon of it as an instant. */
  const day = (n: number) => cityDate(new Date(startOfCityDate(today).getTime() - n * DAY + 12 * 3_600_000));
  const noon = (n: number) => new Date(startOfCityDate(day(n)).getTime() + 12 * 3_600_000);
  // Hoàng Mai (008) holds the facility; a ward of Ba Đình (001) is elsewhere in the city.
  const otherWard = planGeography().wards.find((w) => w.districtCode === '001')!.code;

  const register = (n: number, overrides: Record<string, unknown> = {}) =>
    registerPatient(stack.gateway.url, city, { nationalId: null, confirmedAt: (n === 0 ? new Date(now.getTime() - 60_000) : noon(n)).toISOString(), ...overrides });

  const admit = async (patient: NewPatient, bedKind: string) => {
    const result = ok(await gql(stack.gateway.url, ADMIT, { input: { patientId: patient.id, facilityId: 'CS-TREND', bedKind } }, { token: city })).admitPatient;
    expect(result.__typename).toBe('AdmitPatientSuccess');
    return result.admission.id as string;
  };

  const read = async (days: number, district = '008', as = dashboard) => {
    const data = ok(await gql(stack.gateway.url, TRENDS, { days, district }, { token: as }));
    return { city: data.cityTrends as Trends, district: data.district.trends as Trends };
  };

  /** The day the stack froze when it started (yesterday, or the day before before 07:00). */
  const frozen = lastDueDay(now);
  const unlessFrozen = <T>(date: string, value: T, empty: T): T => (date === frozen ? empty : value);

  let d5: NewPatient[];
  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [{ id: 'CS-TREND', wardCode: '00337', beds: { GENERAL: { total: 10 }, OXYGEN: { total: 4 } } }]);
    stack = await startStack(db);
    [city, dashboard] = await Promise.all([token('CITY_OFFICER'), token('DASHBOARD')]);
    // Let the start-up freeze of that day finish first, in both subgraphs.
    const freezes = await pollUntil(
      async () => [
        await withDb<any, number>(db, 'patients', async (k) => (await sql<{ n: number }>`select count(*)::int as n from daily_report_snapshot where day = ${frozen}`.execute(k)).rows[0]!.n),
        await withDb<any, number>(db, 'facilities', async (k) => (await sql<{ n: number }>`select count(*)::int as n from bed_snapshot where day = ${frozen}`.execute(k)).rows[0]!.n),
      ],
      ([reports, beds]) => reports! >= 31 && beds! >= 31 * 3,
      { timeoutMs: 60_000 },
    );
    expect(freezes).toEqual([31, 93]);

    // Five days ago: three cases in Hoàng Mai, one of them tier 2 from the start.
    d5 = [await register(5), await register(5), await register(5, { tier: 'TIER_2' })];
    // Two days ago: two in Hoàng Mai, two in Ba Đình. Today: one in Hoàng Mai.
    await register(2);
    await register(2);
    await register(2, { wardCode: otherWard });
    await register(2, { wardCode: otherWard });
    await register(0);
    await stack.settle();
    // Admissions through the API, then moved back in time to make a history of the last days:
    // A general bed from four days ago on; B an oxygen bed from two days ago on; C a general bed
    // from three days ago until yesterday noon.
    const a = await admit(d5[1]!, 'GENERAL');
    const b = await admit(d5[2]!, 'OXYGEN');
    const c = await admit(d5[0]!, 'GENERAL');
    const discharged = ok(
      await gql(
        stack.gateway.url,
        `mutation D($input: DischargePatientInput!) { dischargePatient(input: $input) { __typename ... on Error { message } } }`,
        { input: { admissionId: c, outcome: 'TRANSFERRED_HOME' } },
        { token: city },
      ),
    ).dischargePatient;
    expect(discharged.__typename).toBe('DischargePatientSuccess');
    await stack.settle();
    // Now, back home: the first case of five days ago goes to tier 3 (a tier change today).
    const changed = ok(
      await gql(
        stack.gateway.url,
        `mutation C($input: ChangeTierInput!) { changeTier(input: $input) { __typename ... on Error { message } } }`,
        { input: { patientId: d5[0]!.id, to: 'TIER_3', reason: 'SpO2 93 %' } },
        { token: city },
      ),
    ).changeTier;
    expect(changed.__typename).toBe('ChangeTierSuccess');
    await stack.settle();
    await withDb<any, void>(db, 'facilities', async (k) => {
      await sql`update admission set admitted_at = ${noon(4)} where id = ${a}`.execute(k);
      await sql`update admission set admitted_at = ${noon(2)} where id = ${b}`.execute(k);
      await sql`update admission set admitted_at = ${noon(3)}, discharged_at = ${noon(1)} where id = ${c}`.execute(k);
    });
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    await db?.drop();
  });

  it('covers the asked days, oldest first, ending today', async () => {
    const { city: c, district: d } = await read(6);
    expect(c.from).toBe(day(5));
    expect(c.to).toBe(today);
    expect(c.id).toBe(`city:${day(5)}:${today}`);
    expect(c.district).toBeNull();
    expect(d.district).toEqual({ code: '008' });
    for (const t of [c, d]) {
      expect(t.cases.map((x) => x.date)).toEqual([5, 4, 3, 2, 1, 0].map(day));
      expect(t.occupancy.map((x) => x.date)).toEqual([5, 4, 3, 2, 1, 0].map(day));
    }
    expect((await read(30)).city.cases).toHaveLength(30);
  });

  it('counts new cases on the day they were confirmed, for the city and the district', async () => {
    const { city: c, district: d } = await read(6);
    expect(newCases(c)).toEqual({ [day(5)]: 3, [day(4)]: 0, [day(3)]: 0, [day(2)]: unlessFrozen(day(2), 4, 0), [day(1)]: 0, [today]: 1 });
    expect(newCases(d)).toEqual({ [day(5)]: 3, [day(4)]: 0, [day(3)]: 0, [day(2)]: unlessFrozen(day(2), 2, 0), [day(1)]: 0, [today]: 1 });
  });

  it('counts active cases by the tier they had at the end of each day', async () => {
    const { city: c, district: d } = await read(6);
    // Five days ago to yesterday the first case was still tier 1; today it is tier 3.
    const none = { TIER_1: 0, TIER_2: 0, TIER_3: 0 };
    expect(tiers(c, day(5))).toEqual({ TIER_1: 2, TIER_2: 1, TIER_3: 0 });
    expect(tiers(c, day(3))).toEqual({ TIER_1: 2, TIER_2: 1, TIER_3: 0 });
    expect(tiers(c, day(2))).toEqual(unlessFrozen(day(2), { TIER_1: 6, TIER_2: 1, TIER_3: 0 }, none));
    expect(tiers(d, day(2))).toEqual(unlessFrozen(day(2), { TIER_1: 4, TIER_2: 1, TIER_3: 0 }, none));
    expect(tiers(c, day(1))).toEqual(unlessFrozen(day(1), { TIER_1: 6, TIER_2: 1, TIER_3: 0 }, none));
    expect(tiers(c, today)).toEqual({ TIER_1: 6, TIER_2: 1, TIER_3: 1 });
    expect(tiers(d, today)).toEqual({ TIER_1: 4, TIER_2: 1, TIER_3: 1 });
    expect(c.cases.find((x) => x.date === today)!.active).toBe(8);
  });

  it('counts beds occupied by kind at the end of each day, from the admissions', async () => {
    const { city: c, district: d } = await read(6);
    const expected: Record<string, { GENERAL: number; OXYGEN: number; ICU: number }> = {
      [day(5)]: { GENERAL: 0, OXYGEN: 0, ICU: 0 },
      [day(4)]: { GENERAL: 1, OXYGEN: 0, ICU: 0 },
      [day(3)]: { GENERAL: 2, OXYGEN: 0, ICU: 0 },
      [day(2)]: { GENERAL: 2, OXYGEN: 1, ICU: 0 },
      [day(1)]: { GENERAL: 1, OXYGEN: 1, ICU: 0 },
      [today]: { GENERAL: 1, OXYGEN: 1, ICU: 0 },
    };
    for (const [date, kinds] of Object.entries(expected)) {
      expect(beds(c, date)).toEqual(unlessFrozen(date, kinds, { GENERAL: 0, OXYGEN: 0, ICU: 0 }));
      expect(beds(d, date)).toEqual(unlessFrozen(date, kinds, { GENERAL: 0, OXYGEN: 0, ICU: 0 }));
    }
    expect(c.occupancy.find((o) => o.date === day(3))!.occupied).toBe(2);
    // The facility is in Hoàng Mai: Ba Đình had no bed occupied any day.
    const { district: baDinh } = await read(6, '001');
    expect(baDinh.occupancy.every((o) => o.occupied === 0)).toBe(true);
    expect(newCases(baDinh)[day(2)]).toBe(unlessFrozen(day(2), 2, 0));
  });

  it('agrees with the daily report of every past day', async () => {
    const { district: d } = await read(6);
    for (const n of [5, 4, 3, 2, 1]) {
      const { dailyReport: r } = ok(
        await gql(
          stack.gateway.url,
          `query R($date: Date!) { dailyReport(date: $date, districtCode: "008") { newCases activeTier1 activeTier2 activeTier3 beds { byKind { kind occupied } } } }`,
          { date: day(n) },
          { token: dashboard },
        ),
      );
      expect(newCases(d)[day(n)]).toBe(r.newCases);
      expect(tiers(d, day(n))).toEqual({ TIER_1: r.activeTier1, TIER_2: r.activeTier2, TIER_3: r.activeTier3 });
      expect(beds(d, day(n))).toEqual(Object.fromEntries(r.beds.byKind.map((b: { kind: string; occupied: number }) => [b.kind, b.occupied])));
    }
  });

  it('refuses a number of days outside 1 to 92', async () => {
    for (const days of [0, 93]) {
      const response = await gql(stack.gateway.url, `query T($days: Int) { cityTrends(days: $days) { id } }`, { days }, { token: dashboard });
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0]?.message).toMatch(/days must be between 1 and 92/);
    }
  });
});
