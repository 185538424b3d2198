/** The 07:00 report for a seeded day equals a recount from the raw tables, and stays frozen after its cut-off. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { withDb } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, ok, token } from '../support/client.js';
import { seedDemo } from '../../scripts/seed/index.js';
import { cityDate, startOfCityDate } from '../../subgraphs/common/graphql/scalars.js';
import type { ReportCutoffJob } from '../../subgraphs/common/report-cutoff.js';

const REPORT = `query R($date: Date!, $district: ID) { dailyReport(date: $date, districtCode: $district) {
  id date district { code } newCases active activeTier1 activeTier2 activeTier3 atHome inFacilities
  tierEscalations recoveries deaths helpRequestsOpened dosesGiven beds { total occupied byKind { kind occupied } } } }`;

interface Row {
  id: string;
  district_code: string;
  tier: string;
  status: string;
  confirmed_at: Date;
  ended_at: Date | null;
}

describe('daily report', () => {
  let db: TestDatabase;
  let stack: Stack;
  let city: string;
  const now = new Date();
  const yesterday = cityDate(new Date(now.getTime() - 86_400_000));

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemo({ adminUrl: db.adminUrl, scale: 'small', now });
    stack = await startStack(db);
    city = await token('CITY_OFFICER');
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  /** An independent recount in JavaScript from the raw rows. */
  async function recount(day: string, district: string) {
    const end = new Date(startOfCityDate(day).getTime() + 86_400_000);
    const start = startOfCityDate(day);
    const { patients, changes, settings } = await withDb<any, { patients: Row[]; changes: any[]; settings: any[] }>(db, 'patients', async (k) => ({
      patients: (await sql<Row>`select id, district_code, tier, status, confirmed_at, ended_at from patient where district_code = ${district}`.execute(k)).rows,
      changes: (await sql`select patient_id, from_tier, to_tier, at from tier_change order by at, id`.execute(k)).rows,
      settings: (await sql`select patient_id, care_setting, at from care_setting_change order by at, id`.execute(k)).rows,
    }));
    const tierAt = (p: Row) => {
      const own = changes.filter((c) => c.patient_id === p.id);
      const before = own.filter((c) => c.at < end);
      return before.length ? before.at(-1).to_tier : own.length ? own[0].from_tier : p.tier;
    };
    const settingAt = (p: Row) => settings.filter((s) => s.patient_id === p.id && s.at < end).at(-1)?.care_setting ?? 'HOME';
    const open = patients.filter((p) => p.confirmed_at < end && (!p.ended_at || p.ended_at >= end));
    const beds = await withDb<any, { kind: string; n: number }[]>(db, 'facilities', async (k) =>
      (await sql<{ kind: string; n: number }>`select a.bed_kind as kind, count(*)::int as n from admission a join facility f on f.id = a.facility_id
        where f.district_code = ${district} and f.status = 'ACTIVE' and a.admitted_at < ${end} and (a.discharged_at is null or a.discharged_at >= ${end}) group by 1`.execute(k)).rows,
    );
    return {
      newCases: patients.filter((p) => p.confirmed_at >= start && p.confirmed_at < end).length,
      active: open.length,
      activeTier1: open.filter((p) => tierAt(p) === 'TIER_1').length,
      activeTier2: open.filter((p) => tierAt(p) === 'TIER_2').length,
      activeTier3: open.filter((p) => tierAt(p) === 'TIER_3').length,
      atHome: open.filter((p) => settingAt(p) === 'HOME').length,
      inFacilities: open.filter((p) => settingAt(p) === 'FACILITY').length,
      recoveries: patients.filter((p) => p.status === 'RECOVERED' && p.ended_at && p.ended_at >= start && p.ended_at < end).length,
      deaths: patients.filter((p) => p.status === 'DECEASED' && p.ended_at && p.ended_at >= start && p.ended_at < end).length,
      bedsOccupied: beds.reduce((s, b) => s + b.n, 0),
    };
  }

  it('for a seeded day, matches a recount from the raw tables', async () => {
    const report = ok(await gql(stack.gateway.url, REPORT, { date: yesterday, district: '008' }, { token: city })).dailyReport;
    const expected = await recount(yesterday, '008');
    expect(report).toMatchObject({
      id: `${yesterday}:008`,
      date: yesterday,
      district: { code: '008' },
      newCases: expected.newCases,
      active: expected.active,
      activeTier1: expected.activeTier1,
      activeTier2: expected.activeTier2,
      activeTier3: expected.activeTier3,
      atHome: expected.atHome,
      inFacilities: expected.inFacilities,
      recoveries: expected.recoveries,
      deaths: expected.deaths,
      beds: { occupied: expected.bedsOccupied },
    });
    expect(report.active).toBeGreaterThan(100);
    expect(report.newCases).toBeGreaterThan(0);
    expect(report.inFacilities).toBeGreaterThan(0);
  });

  it('stays the same for a past day after the raw data changes', async () => {
    // Frozen at its cut-off (07:00 the next morning) by each subgraph's job, whatever the hour now.
    for (const name of ['patients', 'facilities'] as const) await stack.subgraphs[name].runtime.service<ReportCutoffJob>('report-cutoff').run(yesterday);
    const before = ok(await gql(stack.gateway.url, REPORT, { date: yesterday, district: '001' }, { token: city })).dailyReport;
    await withDb<any, void>(db, 'patients', async (k) => {
      await sql`update patient set confirmed_at = ${startOfCityDate(yesterday)} where id in (select id from patient where district_code = '001' and confirmed_at < ${startOfCityDate(yesterday)} limit 5)`.execute(k);
    });
    const after = ok(await gql(stack.gateway.url, REPORT, { date: yesterday, district: '001' }, { token: city })).dailyReport;
    expect(after).toEqual(before);
    expect((await recount(yesterday, '001')).newCases).toBe(before.newCases + 5);
  });

  it('gives a time series per district and refuses future dates', async () => {
    const from = cityDate(new Date(now.getTime() - 6 * 86_400_000));
    const data = ok(await gql(stack.gateway.url, `query H($from: Date!, $to: Date!) { district(code: "008") { history(from: $from, to: $to) { date active newCases beds { occupied } } } }`, { from, to: cityDate(now) }, { token: await token('DASHBOARD') }));
    expect(data.district.history).toHaveLength(7);
    expect(data.district.history.map((d: { date: string }) => d.date)[6]).toBe(cityDate(now));
    const future = await gql(stack.gateway.url, REPORT, { date: '2999-01-01' }, { token: city });
    expect(future.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
