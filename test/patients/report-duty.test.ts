/**
 * The 07:00 report duty end to end through the gateway: ward stations submit (or confirm) their
 * daily report; districts and the city see who was on time, late (and by how much) or missing;
 * and the data-entry lag of cases per ward and district. The deadline needs no clock of its own:
 * a report of three days ago is already overdue, today's is not yet due, whatever the hour.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { seedGeography, withDb } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, ok, token } from '../support/client.js';
import { registerPatient } from '../support/patients.js';
import { contractOperations } from '../support/contract.js';
import { findDistrict, WARDS } from '../../subgraphs/common/admin-units.js';
import { cityDate, startOfCityDate } from '../../subgraphs/common/graphql/scalars.js';
import { TOPICS } from '../../subgraphs/common/events/catalog.js';

// The contract's own operation: the test submits exactly what ward-station clients send.
const SUBMIT = contractOperations().get('SubmitDailyReport')!;
const DISTRICT_DUTY = /* GraphQL */ `
  query Duty($district: ID!, $date: Date!) {
    district(code: $district) { reportDuty(date: $date) { date deadline districtCode wards onTime late missing pending lateWards { wardCode minutesLate } missingWardCodes } }
  }`;
const CITY_DUTY = /* GraphQL */ `
  query CityDuty($date: Date!) { cityReportDuty(date: $date) { wards onTime late missing pending districts { districtCode wards late missing } } }`;
const SUBMISSION = /* GraphQL */ `
  query Submission($ward: ID!, $date: Date!) { wards(codes: [$ward]) { code reportSubmission(date: $date) { id onTime minutesLate onBehalf } } }`;
const LAG = /* GraphQL */ `
  query Lag($wards: [ID!]!) { wards(codes: $wards) { code dataEntryLag { from to cases p50Minutes p90Minutes } } district(code: "008") { dataEntryLag { cases } } }`;

const DAY = 86_400_000;
const day = (days: number) => cityDate(new Date(Date.now() + days * DAY));

/** Percentile by linear interpolation between closest ranks (PostgreSQL's percentile_cont). */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

describe('07:00 report duty', () => {
  let db: TestDatabase;
  let stack: Stack;
  let city: string;
  let district008: string;
  // Wards of district 008, one per scenario so they do not interfere; 00337 is Hoàng Liệt.
  const wards008 = findDistrict('008')!.wards.map((w) => w.code).sort();
  const [onTimeWard, lateWard, lagWard, refusedWard] = wards008;
  const today = day(0);
  const overdue = day(-3);

  const submit = async (as: string, input: Record<string, unknown>) => ok(await gql(stack.gateway.url, SUBMIT, { input }, { token: as })).submitDailyReport;
  const key = () => `report-${randomUUID()}`;
  const stored = () =>
    withDb<any, { ward_code: string; day: string; superseded: boolean }[]>(db, 'patients', async (k) =>
      (await sql<any>`select ward_code, day::text as day, superseded_at is not null as superseded from ward_report_submission order by submitted_at`.execute(k)).rows,
    );
  const submittedEvents = () =>
    withDb<any, string[]>(db, 'patients', async (k) => (await sql<{ key: string }>`select key from outbox where topic = ${TOPICS.dailyReportSubmitted} order by id`.execute(k)).rows.map((r) => r.key));

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    stack = await startStack(db);
    city = await token('CITY_OFFICER');
    district008 = await token('DISTRICT_OFFICER', { district: '008' });
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  it('a report submitted before its deadline is on time, and stores the computed figures it confirmed', async () => {
    // Two cases of the ward confirmed today (city time), never in the future.
    const confirmedAt = new Date(Math.max(startOfCityDate(today).getTime(), Date.now() - 60_000)).toISOString();
    for (let i = 0; i < 2; i++) await registerPatient(stack.gateway.url, city, { wardCode: onTimeWard, nationalId: null, confirmedAt });
    const officer = await token('WARD_OFFICER', { ward: onTimeWard });
    const result = await submit(officer, { wardCode: onTimeWard, date: today, idempotencyKey: key() });
    expect(result.__typename).toBe('SubmitDailyReportSuccess');
    const s = result.submission;
    expect(s).toMatchObject({ wardCode: onTimeWard, date: today, onTime: true, minutesLate: 0, onBehalf: false, confirmedComputed: true, reason: null });
    expect(Date.parse(s.deadline)).toBe(startOfCityDate(today).getTime() + DAY + 7 * 3_600_000);
    expect(s.deadline).toMatch(/T07:00:00(\.000)?\+07:00$/);
    const newCases = s.figures.find((f: { figure: string }) => f.figure === 'NEW_CASES');
    expect(newCases).toEqual({ figure: 'NEW_CASES', computed: 2, reported: 2, corrected: false });
    expect(s.figures.find((f: { figure: string }) => f.figure === 'ACTIVE')).toMatchObject({ computed: 2, reported: 2 });

    const duty = ok(await gql(stack.gateway.url, DISTRICT_DUTY, { district: '008', date: today }, { token: await token('DASHBOARD') })).district.reportDuty;
    expect(duty).toMatchObject({ districtCode: '008', wards: wards008.length, onTime: 1, late: 0, missing: 0, pending: wards008.length - 1, lateWards: [], missingWardCodes: [] });
  });

  it('a report submitted after its deadline shows as late, with how late, and the wards without one as missing', async () => {
    const result = await submit(district008, {
      wardCode: lateWard,
      date: overdue,
      corrections: [{ figure: 'NEW_CASES', value: 5 }],
      reason: 'Năm ca xét nghiệm nhanh dương tính chưa nhập kịp',
      idempotencyKey: key(),
    });
    expect(result.__typename).toBe('SubmitDailyReportSuccess');
    const s = result.submission;
    const expectedLate = Math.ceil((Date.parse(s.submittedAt) - Date.parse(s.deadline)) / 60_000);
    expect(s).toMatchObject({ onTime: false, minutesLate: expectedLate, onBehalf: true, confirmedComputed: false });
    // Due at 07:00 two days ago: at least 41 hours have passed since, whatever the hour now.
    expect(s.minutesLate).toBeGreaterThanOrEqual(41 * 60);
    expect(s.figures.find((f: { figure: string }) => f.figure === 'NEW_CASES')).toEqual({ figure: 'NEW_CASES', computed: 0, reported: 5, corrected: true });

    const duty = ok(await gql(stack.gateway.url, DISTRICT_DUTY, { district: '008', date: overdue }, { token: district008 })).district.reportDuty;
    expect(duty).toMatchObject({ wards: wards008.length, onTime: 0, late: 1, missing: wards008.length - 1, pending: 0, lateWards: [{ wardCode: lateWard, minutesLate: expectedLate }] });
    expect([...duty.missingWardCodes].sort()).toEqual(wards008.filter((w) => w !== lateWard));

    const read = ok(await gql(stack.gateway.url, SUBMISSION, { ward: lateWard, date: overdue }, { token: await token('DASHBOARD') })).wards[0].reportSubmission;
    expect(read).toEqual({ id: s.id, onTime: false, minutesLate: expectedLate, onBehalf: true });
    const none = ok(await gql(stack.gateway.url, SUBMISSION, { ward: lagWard, date: overdue }, { token: city })).wards[0].reportSubmission;
    expect(none).toBeNull();

    const cityDuty = ok(await gql(stack.gateway.url, CITY_DUTY, { date: overdue }, { token: city })).cityReportDuty;
    expect(cityDuty).toMatchObject({ wards: WARDS.length, onTime: 0, late: 1, missing: WARDS.length - 1, pending: 0 });
    expect(cityDuty.districts).toHaveLength(30);
    expect(cityDuty.districts.find((d: { districtCode: string }) => d.districtCode === '008')).toEqual({ districtCode: '008', wards: wards008.length, late: 1, missing: wards008.length - 1 });
  });

  it('after the deadline a submitted report stands; before it, a resubmission replaces it and the first is kept', async () => {
    const again = await submit(district008, { wardCode: lateWard, date: overdue, idempotencyKey: key() });
    expect(again).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });

    const officer = await token('WARD_OFFICER', { ward: onTimeWard });
    const corrected = await submit(officer, { wardCode: onTimeWard, date: today, corrections: [{ figure: 'ACTIVE', value: 3 }], reason: 'Một ca chuyển từ phường khác về', idempotencyKey: key() });
    expect(corrected.__typename).toBe('SubmitDailyReportSuccess');
    const rows = (await stored()).filter((r) => r.ward_code === onTimeWard);
    expect(rows.map((r) => r.superseded)).toEqual([true, false]);
    const read = ok(await gql(stack.gateway.url, SUBMISSION, { ward: onTimeWard, date: today }, { token: city })).wards[0].reportSubmission;
    expect(read.id).toBe(corrected.submission.id);
  });

  it('refuses a submission outside the viewer’s jurisdiction, and writes nothing', async () => {
    const before = { rows: await stored(), events: await submittedEvents() };
    for (const [role, scope] of [['WARD_OFFICER', { ward: '00001' }], ['DISTRICT_OFFICER', { district: '001' }], ['DASHBOARD', {}], ['VACCINATOR', { district: '008' }]] as const) {
      const res = await gql(stack.gateway.url, SUBMIT, { input: { wardCode: refusedWard, date: today, idempotencyKey: key() } }, { token: await token(role, scope) });
      expect({ role, codes: res.errors?.map((e) => e.extensions?.code), data: res.data?.submitDailyReport ?? null }).toEqual({ role, codes: ['FORBIDDEN'], data: null });
    }
    expect({ rows: await stored(), events: await submittedEvents() }).toEqual(before);
  });

  it('rejects bad input before writing anything', async () => {
    const before = await stored();
    const future = await submit(city, { wardCode: refusedWard, date: day(1), idempotencyKey: key() });
    expect(future.__typename).toBe('ValidationError');
    expect(future.fields.map((f: { path: string[] }) => f.path)).toEqual([['input', 'date']]);
    const unexplained = await submit(city, { wardCode: refusedWard, date: today, corrections: [{ figure: 'DEATHS', value: 1 }], idempotencyKey: key() });
    expect(unexplained.fields.map((f: { path: string[] }) => f.path)).toEqual([['input', 'reason']]);
    const unknownWard = await submit(city, { wardCode: '99999', date: today, idempotencyKey: key() });
    expect(unknownWard.fields.map((f: { path: string[] }) => f.path)).toEqual([['input', 'wardCode']]);
    expect(await stored()).toEqual(before);
  });

  it('a retried submission returns the first one and writes it once; the key with other input is a conflict', async () => {
    const officer = await token('WARD_OFFICER', { ward: refusedWard });
    const input = { wardCode: refusedWard, date: today, idempotencyKey: key() };
    const first = await submit(officer, input);
    const retry = await submit(officer, input);
    expect(retry.submission.id).toBe(first.submission.id);
    expect(retry.submission.submittedAt).toBe(first.submission.submittedAt);
    expect((await stored()).filter((r) => r.ward_code === refusedWard)).toHaveLength(1);
    expect((await submittedEvents()).filter((k) => k === `${refusedWard}:${today}`)).toHaveLength(1);
    const other = await submit(officer, { ...input, corrections: [{ figure: 'DEATHS', value: 1 }], reason: 'Một ca tử vong tại nhà' });
    expect(other).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    // Keys are per writer: the city officer sending the same key submits on the ward's behalf; it
    // is not handed the ward officer's submission.
    const theirs = await submit(city, input);
    expect(theirs).toMatchObject({ __typename: 'SubmitDailyReportSuccess', submission: { onBehalf: true } });
    expect(theirs.submission.id).not.toBe(first.submission.id);
  });

  it('gives the data-entry lag per ward as p50 and p90 minutes, one query for every ward asked', async () => {
    // Confirmed 1, 2, 3 and 10 hours before registration: p50 = 150 min, p90 = 180 + 0.7 × 420 = 474 min.
    for (const hours of [1, 2, 3, 10]) {
      await registerPatient(stack.gateway.url, city, { wardCode: lagWard, nationalId: null, confirmedAt: new Date(Date.now() - hours * 3_600_000).toISOString() });
    }
    const lags = await withDb<any, number[]>(db, 'patients', async (k) =>
      (await sql<{ m: number }>`select extract(epoch from registered_at - confirmed_at)::float8 / 60 as m from patient where ward_code = ${lagWard}`.execute(k)).rows.map((r) => Number(r.m)),
    );
    const stats = stack.subgraphs.patients.runtime.database.stats;
    await stack.settle();
    const before = stats.queries;
    const data = ok(await gql(stack.gateway.url, LAG, { wards: [lagWard, onTimeWard, '00001'] }, { token: await token('DASHBOARD') }));
    const queries = stats.queries - before;
    const lag = data.wards.find((w: { code: string }) => w.code === lagWard).dataEntryLag;
    expect(lag).toMatchObject({ from: day(-6), to: today, cases: 4 });
    expect(lag.p50Minutes).toBeCloseTo(percentile(lags, 0.5), 6);
    expect(lag.p90Minutes).toBeCloseTo(percentile(lags, 0.9), 6);
    expect(lag.p50Minutes).toBeCloseTo(150, 0);
    expect(lag.p90Minutes).toBeCloseTo(474, 0);
    expect(data.wards.find((w: { code: string }) => w.code === '00001').dataEntryLag).toMatchObject({ cases: 0, p50Minutes: null, p90Minutes: null });
    expect(data.district.dataEntryLag.cases).toBe(4 + 2);

    await stack.settle();
    const beforeOne = stats.queries;
    ok(await gql(stack.gateway.url, LAG, { wards: [lagWard] }, { token: await token('DASHBOARD') }));
    expect(queries).toBe(stats.queries - beforeOne);
  });
});
