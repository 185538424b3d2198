/**
 * Reads only read: epidemic levels are assessed when their inputs move (and daily), daily reports
 * are frozen at their 07:00 cut-off; a dashboard reading all 30 districts writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography, withDb } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, ok, token } from '../support/client.js';
import { registerPatient } from '../support/patients.js';
import { pollUntil } from '../support/wait.js';
import { cityDate } from '../../subgraphs/common/graphql/scalars.js';
import type { BackgroundService } from '../../subgraphs/common/runtime.js';
import type { EpidemicAssessor } from '../../subgraphs/patients/events/assessor.js';

type Settles = BackgroundService & { settle(): Promise<void>; run?(day: string): Promise<void> };

describe('reads only read', () => {
  let db: TestDatabase;
  let stack: Stack;
  let city: string;
  const today = cityDate(new Date());
  const daysAgo = (n: number) => cityDate(new Date(Date.now() - n * 86_400_000));

  /** Waits until every background writer has done what it has to do so far. */
  async function quiet(): Promise<void> {
    for (const name of ['patients.epidemic-inputs.cases', 'patients.epidemic-inputs.beds']) {
      try {
        await stack.subgraphs.patients.runtime.consumer(name).catchUp();
      } catch {
        // consumers of another version of the code
      }
    }
    await stack.subgraphs.patients.runtime.service<Settles>('epidemic-assessor').settle();
    for (const s of ['patients', 'facilities'] as const) {
      try {
        await stack.subgraphs[s].runtime.service<Settles>('report-cutoff').settle();
      } catch {
        // no cut-off job in another version of the code
      }
    }
  }

  async function counts() {
    const patients = await withDb<any, Record<string, string>>(db, 'patients', async (k) =>
      (
        await sql<Record<string, string>>`select
          (select count(*) from epidemic_level_current)::text as current,
          (select coalesce(max(assessed_at)::text, '') from epidemic_level_current) as last_assessed,
          (select count(*) from epidemic_level_change)::text as changes,
          (select count(*) from daily_report_snapshot)::text as reports,
          (select count(*) from outbox)::text as outbox`.execute(k)
      ).rows[0]!,
    );
    const facilities = await withDb<any, Record<string, string>>(db, 'facilities', async (k) =>
      (await sql<Record<string, string>>`select (select count(*) from bed_snapshot)::text as beds, (select count(*) from outbox)::text as outbox`.execute(k)).rows[0]!,
    );
    return { patients, facilities };
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [{ id: 'HM-SITE', wardCode: '00337', servesTiers: ['TIER_1', 'TIER_2'], beds: { GENERAL: { total: 20, occupied: 5 }, OXYGEN: { total: 4 } } }]);
    stack = await startStack(db);
    city = await token('CITY_OFFICER');
    for (let i = 0; i < 3; i++) await registerPatient(stack.gateway.url, city, { wardCode: '00337', nationalId: null });
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  it('reading levels, level history and reports of all 30 districts writes nothing', async () => {
    await quiet();
    const before = await counts();
    const query = `query Dash($from: Date!, $to: Date!, $day: Date!) {
      districts { code epidemicLevel { level assessedAt inputs { capacityMeets } } epidemicLevelHistory { level }
        wards { epidemicLevel { level } }
        history(from: $from, to: $to) { newCases active epidemicLevel beds { occupied } } }
      dailyReport(date: $day) { newCases beds { occupied } } }`;
    for (let round = 0; round < 2; round++) {
      const data = ok(await gql(stack.gateway.url, query, { from: daysAgo(6), to: today, day: daysAgo(1) }, { token: await token('DASHBOARD') }));
      expect(data.districts).toHaveLength(30);
    }
    for (const d of ['001', '008', '277']) ok(await gql(stack.gateway.url, `query R($d: Date!, $c: ID) { dailyReport(date: $d, districtCode: $c) { newCases } }`, { d: daysAgo(3), c: d }, { token: city }));
    expect(await counts()).toEqual(before);
  });

  it('returns the recorded assessment, whoever reads and whenever', async () => {
    await quiet();
    const stored = await withDb<any, { level: number; assessed_at: Date }>(db, 'patients', async (k) =>
      (await sql<{ level: number; assessed_at: Date }>`select level, assessed_at from epidemic_level_current where scope = 'DISTRICT' and code = '008'`.execute(k)).rows[0]!,
    );
    expect(stored).toBeDefined();
    const read = ok(await gql(stack.gateway.url, `{ districts(codes: ["008"]) { epidemicLevel { level assessedAt } } }`, {}, { token: city })).districts[0].epidemicLevel;
    expect(read.level).toBe(stored.level);
    expect(Math.floor(new Date(read.assessedAt).getTime() / 1000)).toBe(Math.floor(stored.assessed_at.getTime() / 1000));
  });

  it('re-assesses an area when new cases or bed changes move its inputs, without any read', async () => {
    await quiet();
    const current = (scope: string, code: string) =>
      withDb<any, { inputs: any; assessed_at: Date } | undefined>(db, 'patients', async (k) =>
        (await sql<{ inputs: any; assessed_at: Date }>`select inputs, assessed_at from epidemic_level_current where scope = ${scope} and code = ${code}`.execute(k)).rows[0],
      );
    const ward = await current('WARD', '00337');
    expect(ward?.inputs).toBeTruthy();
    // A new case in the ward: criterion 1 moves.
    await registerPatient(stack.gateway.url, city, { wardCode: '00337', nationalId: null });
    const afterCase = await pollUntil(
      () => current('WARD', '00337'),
      (c) => !!c && c.inputs.newCasesPer100kLast7Days > ward!.inputs.newCasesPer100kLast7Days,
    );
    expect(afterCase).toBeDefined();
    // A capacity change in the district: criterion 3 moves.
    const district = await current('DISTRICT', '008');
    expect(district?.inputs.capacity.covidDesignated).toBe(24);
    ok(await gql(stack.gateway.url, `mutation { updateBedCapacity(input: { facilityId: "HM-SITE", bedKind: GENERAL, total: 30, covidDesignated: 30 }) { __typename } }`, {}, { token: city }));
    const afterBeds = await pollUntil(
      () => current('DISTRICT', '008'),
      (c) => c?.inputs.capacity.covidDesignated === 34,
    );
    expect(afterBeds).toBeDefined();
  });

  it('freezes a daily report at its cut-off, not at a read', async () => {
    await quiet();
    const day = daysAgo(3);
    const report = async () =>
      ok(await gql(stack.gateway.url, `query R($d: Date!) { dailyReport(date: $d, districtCode: "008") { newCases frozenAt beds { covidDesignated } } }`, { d: day }, { token: city })).dailyReport;
    const rows = () =>
      withDb<any, number>(db, 'patients', async (k) => (await sql<{ n: number }>`select count(*)::int as n from daily_report_snapshot where day = ${day}`.execute(k)).rows[0]!.n);
    const live = await report();
    expect(live.frozenAt).toBeNull();
    expect(await rows()).toBe(0);
    // The cut-off job freezes it (as it does at 07:00 the next morning).
    for (const s of ['patients', 'facilities'] as const) await stack.subgraphs[s].runtime.service<Settles>('report-cutoff').run!(day);
    expect(await rows()).toBe(31);
    const frozen = await report();
    expect(frozen.frozenAt).not.toBeNull();
    ok(await gql(stack.gateway.url, `mutation { updateBedCapacity(input: { facilityId: "HM-SITE", bedKind: OXYGEN, total: 8, covidDesignated: 8 }) { __typename } }`, {}, { token: city }));
    expect(await report()).toEqual(frozen);
    // The last day past its cut-off was frozen when the services started, without any read.
    const due = await withDb<any, number>(db, 'patients', async (k) =>
      (await sql<{ n: number }>`select count(*)::int as n from daily_report_snapshot where day in (${daysAgo(1)}, ${daysAgo(2)})`.execute(k)).rows[0]!.n,
    );
    expect(due).toBe(31);
  });

  const NOT_ASSESSED = `query Level($c: [ID!]!) { districts(codes: $c) { code epidemicLevel { level assessedAt inputs {
    newCasesPer100kLast7Days caseBand adults18PlusDose1Coverage over50FullyVaccinatedCoverage highCoverage capacityMeets freeCriticalBeds } } } }`;
  /** District 008 as a new database has it: no assessment recorded yet. */
  const forgetAssessment = () => withDb(db, 'patients', (k) => sql`delete from epidemic_level_current where scope = 'DISTRICT' and code = '008'`.execute(k));

  it('serves recorded levels while the vaccination subgraph is down: a level waits for no other subgraph', async () => {
    await quiet();
    await stack.subgraphs.vaccination.close();
    try {
      const dashboard = await token('DASHBOARD');
      const read = ok(await gql(stack.gateway.url, `{ districts { code cases { active } epidemicLevel { level assessedAt } } }`, {}, { token: dashboard }));
      // With the level's inputs @required from facilities and vaccination, the gateway could not
      // ask patients for any level: every district lost its level (an error in place of each).
      expect(read.districts).toHaveLength(30);
      expect(read.districts.every((d: { epidemicLevel: { level: number } }) => d.epidemicLevel.level >= 1)).toBe(true);
      // An area not assessed yet needs vaccination's coverage: only its level fails, and clearly
      // (once the city's facts fetched for reads before vaccination went down are too old).
      await forgetAssessment();
      const failing = (await pollUntil(
        () => gql(stack.gateway.url, `{ districts { code epidemicLevel { level } } }`, {}, { token: dashboard }),
        (r) => (r.errors?.length ?? 0) > 0,
      ))!;
      expect(failing.errors!.map((e: { message: string; path?: unknown[]; extensions?: { code?: string } }) => [e.extensions?.code, e.message, e.path?.slice(2)])).toEqual([
        ['SERVICE_UNAVAILABLE', 'This area has not been assessed yet and its beds and coverage could not be read now. Try again shortly.', ['epidemicLevel']],
      ]);
      expect(failing.data!.districts.filter((d: { epidemicLevel: unknown } | null) => d?.epidemicLevel).length).toBe(29);
      // A failure is shared too: dashboards reading meanwhile do not each ask the gateway again.
      const fetches = jest.spyOn(stack.subgraphs.patients.runtime.service<EpidemicAssessor>('epidemic-assessor'), 'facts');
      try {
        const reads = await Promise.all(Array.from({ length: 5 }, () => gql(stack.gateway.url, `{ districts(codes: ["008"]) { epidemicLevel { level } } }`, {}, { token: dashboard })));
        expect(reads.map((r) => r.errors?.map((e: { extensions?: { code?: string } }) => e.extensions?.code))).toEqual(Array(5).fill(['SERVICE_UNAVAILABLE']));
        expect(fetches.mock.calls.length).toBeLessThanOrEqual(1);
      } finally {
        fetches.mockRestore();
      }
    } finally {
      await stack.restartSubgraph('vaccination');
    }
  });

  it('computes an area never assessed for the read from the current facts, as the assessor then records it, and stores nothing', async () => {
    await quiet();
    const assessor = stack.subgraphs.patients.runtime.service<EpidemicAssessor>('epidemic-assessor');
    await forgetAssessment();
    const before = await counts();
    const level = async () => gql(stack.gateway.url, NOT_ASSESSED, { c: ['008'] }, { token: city });
    // Facts fetched while vaccination was down (the test before) are reused for a moment.
    const readAt = Date.now();
    const read = (await pollUntil(level, (r) => !r.errors?.length))!.data!.districts[0].epidemicLevel;
    // Assessed for this read: its time is the read's, and the beds are facilities' own figures.
    expect(new Date(read.assessedAt).getTime()).toBeGreaterThanOrEqual(readAt - 1_000);
    const beds = ok(await gql(stack.gateway.url, `{ districts(codes: ["008"]) { capacity { byKind { kind covidDesignated occupied } } } }`, {}, { token: city })).districts[0].capacity.byKind;
    const critical = beds.filter((b: { kind: string }) => b.kind === 'OXYGEN' || b.kind === 'ICU');
    expect(read.inputs.freeCriticalBeds).toBe(critical.reduce((n: number, b: { covidDesignated: number; occupied: number }) => n + b.covidDesignated - b.occupied, 0));
    expect(read.inputs.freeCriticalBeds).toBeGreaterThan(0);
    expect(read.inputs.newCasesPer100kLast7Days).toBeGreaterThan(0);
    // Many dashboards reading it at once share one request for the city's facts at most.
    const fetches = jest.spyOn(assessor, 'facts');
    try {
      const reads = await Promise.all(Array.from({ length: 5 }, level));
      expect(reads.map((r) => r.data?.districts[0].epidemicLevel.level)).toEqual(Array(5).fill(read.level));
      expect(fetches.mock.calls.length).toBeLessThanOrEqual(1);
    } finally {
      fetches.mockRestore();
    }
    expect(await counts()).toEqual(before);
    // The assessor's own pass over the city records the same level from the same inputs.
    assessor.assessCity();
    await quiet();
    const recorded = ok(await level()).districts[0].epidemicLevel;
    expect(new Date(recorded.assessedAt).getTime()).toBeGreaterThan(new Date(read.assessedAt).getTime());
    expect({ ...recorded, assessedAt: undefined }).toEqual({ ...read, assessedAt: undefined });
  });
});
