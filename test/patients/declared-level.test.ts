/**
 * The declared epidemic level beside the computed one: district and city officers declare the
 * level of a ward or district by decision; partners read the declaration first, the computed level
 * beside it, and whether they disagree; declarations are kept and each is in force until the next.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { seedGeography, withDb } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, ok, token } from '../support/client.js';
import { planGeography } from '../../scripts/seed/facilities-plan.js';
import { cityDate } from '../../subgraphs/common/graphql/scalars.js';
import { TOPICS } from '../../subgraphs/common/events/catalog.js';

const PARTNER_KEY = 'dev-partner-key';
const DECLARE = /* GraphQL */ `
  mutation Declare($input: DeclareEpidemicLevelInput!) {
    declareEpidemicLevel(input: $input) {
      __typename
      ... on DeclareEpidemicLevelSuccess { declaration { scope areaCode districtCode level colour decisionNumber effectiveFrom measures declaredAt } }
      ... on ValidationError { fields { path message } }
      ... on Error { code message }
    }
  }`;
const AREA_LEVELS = /* GraphQL */ `
  query Levels($wards: [ID!]!, $on: Date) {
    wards(codes: $wards) {
      code
      epidemicLevel { declared { level decisionNumber effectiveFrom measures } level disagrees }
      declaredEpidemicLevel(on: $on) { level decisionNumber }
      epidemicLevelDeclarations { level decisionNumber effectiveFrom }
    }
  }`;

/** A city date `days` from today. */
const day = (days: number) => cityDate(new Date(Date.now() + days * 86_400_000));

describe('declared epidemic level', () => {
  let db: TestDatabase;
  let stack: Stack;
  let district008: string;
  let district001: string;
  let city: string;
  // Wards of district 008 (00337 and the next ones), one per scenario so they do not interfere.
  const wards = planGeography().wards.filter((w) => w.districtCode === '008').map((w) => w.code).sort();
  let decisions = 0;
  const decision = () => `${++decisions}${Date.now() % 1000}/QĐ-UBND`;

  const declare = async (as: string, input: Record<string, unknown>) => ok(await gql(stack.gateway.url, DECLARE, { input }, { token: as })).declareEpidemicLevel;
  const asPartner = async (ward: string, on?: string) =>
    ok(await gql(stack.gateway.url, AREA_LEVELS, { wards: [ward], on }, { apiKey: PARTNER_KEY })).wards[0];
  const declaredEvents = () =>
    withDb<any, { key: string; payload: { level: number; decisionNumber: string } }[]>(db, 'patients', async (k) =>
      (await sql<{ key: string; payload: any }>`select key, payload from outbox where topic = ${TOPICS.epidemicLevelDeclared} order by id`.execute(k)).rows,
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    stack = await startStack(db);
    district008 = await token('DISTRICT_OFFICER', { district: '008' });
    district001 = await token('DISTRICT_OFFICER', { district: '001' });
    city = await token('CITY_OFFICER');
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  it('a district officer declares a ward’s level; partners see the declaration first, the computed level beside, and that they disagree', async () => {
    const ward = wards[0]!;
    // Nothing declared yet: the computed level alone (no cases, no vaccination: level 2).
    expect((await asPartner(ward)).epidemicLevel).toEqual({ declared: null, level: 2, disagrees: false });

    const number = decision();
    const measures = ['Dừng hoạt động quán bar, karaoke', 'Hạn chế tụ tập quá 10 người nơi công cộng'];
    const result = await declare(district008, { areaCode: ward, level: 3, decisionNumber: number, effectiveFrom: day(-1), measures });
    expect(result).toMatchObject({
      __typename: 'DeclareEpidemicLevelSuccess',
      declaration: { scope: 'WARD', areaCode: ward, districtCode: '008', level: 3, colour: 'ORANGE', decisionNumber: number, effectiveFrom: day(-1), measures },
    });
    const read = await asPartner(ward);
    expect(read.epidemicLevel).toEqual({ declared: { level: 3, decisionNumber: number, effectiveFrom: day(-1), measures }, level: 2, disagrees: true });
    expect(read.declaredEpidemicLevel).toEqual({ level: 3, decisionNumber: number });
    // Published once, in the same transaction as the declaration.
    expect((await declaredEvents()).filter((e) => e.payload.decisionNumber === number)).toEqual([
      expect.objectContaining({ key: `WARD:${ward}`, payload: expect.objectContaining({ level: 3, decisionNumber: number, effectiveFrom: day(-1), measures }) }),
    ]);
  });

  it('agreement is not flagged; a city officer may declare a district', async () => {
    const ward = wards[1]!;
    await declare(city, { areaCode: ward, level: 2, decisionNumber: decision(), effectiveFrom: day(0), measures: [] });
    expect((await asPartner(ward)).epidemicLevel).toMatchObject({ declared: { level: 2 }, level: 2, disagrees: false });

    const district = await declare(city, { areaCode: '008', level: 4, decisionNumber: decision(), effectiveFrom: day(0), measures: ['Giãn cách xã hội'] });
    expect(district.declaration).toMatchObject({ scope: 'DISTRICT', areaCode: '008', districtCode: '008', level: 4 });
    const read = ok(await gql(stack.gateway.url, `{ districts { code epidemicLevel { level declared { level } disagrees } } }`, {}, { apiKey: PARTNER_KEY }));
    const d008 = read.districts.find((d: { code: string }) => d.code === '008');
    expect(d008.epidemicLevel.declared).toEqual({ level: 4 });
    expect(d008.epidemicLevel.disagrees).toBe(d008.epidemicLevel.level !== 4);
  });

  it('the same decision sent again returns the first declaration; its number with another level is a conflict', async () => {
    const ward = wards[2]!;
    const input = { areaCode: ward, level: 3, decisionNumber: decision(), effectiveFrom: day(-2), measures: ['Đóng cửa trường học'] };
    const first = await declare(district008, input);
    const again = await declare(district008, { ...input, decisionNumber: ` ${input.decisionNumber} ` });
    expect(again).toEqual(first);
    expect((await declaredEvents()).filter((e) => e.payload.decisionNumber === input.decisionNumber)).toHaveLength(1);
    const conflict = await declare(district008, { ...input, level: 4 });
    expect(conflict).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    expect((await asPartner(ward)).epidemicLevelDeclarations).toEqual([{ level: 3, decisionNumber: input.decisionNumber, effectiveFrom: day(-2) }]);
  });

  it('refuses viewers outside the jurisdiction, and writes nothing', async () => {
    const ward = wards[3]!;
    const before = (await declaredEvents()).length;
    for (const [who, as] of [
      ['district officer of 001', district001],
      ['ward officer of the ward', await token('WARD_OFFICER', { ward })],
      ['vaccinator of 008', await token('VACCINATOR', { district: '008' })],
      ['dashboard', await token('DASHBOARD')],
    ] as const) {
      const res = await gql(stack.gateway.url, DECLARE, { input: { areaCode: ward, level: 4, decisionNumber: decision(), effectiveFrom: day(0), measures: [] } }, { token: as });
      expect({ who, codes: res.errors?.map((e) => e.extensions?.code), data: res.data?.declareEpidemicLevel ?? null }).toEqual({ who, codes: ['FORBIDDEN'], data: null });
    }
    const partner = await gql(stack.gateway.url, DECLARE, { input: { areaCode: '008', level: 4, decisionNumber: decision(), effectiveFrom: day(0), measures: [] } }, { apiKey: PARTNER_KEY });
    expect(partner.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    // A district officer of 008 may not declare another district.
    const other = await gql(stack.gateway.url, DECLARE, { input: { areaCode: '001', level: 4, decisionNumber: decision(), effectiveFrom: day(0), measures: [] } }, { token: district008 });
    expect(other.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(await declaredEvents()).toHaveLength(before);
    expect((await asPartner(ward)).epidemicLevelDeclarations).toEqual([]);
  });

  it('refuses bad input with every problem named', async () => {
    const bad = await declare(city, { areaCode: '99999', level: 5, decisionNumber: '  ', effectiveFrom: '2019-12-31', measures: ['x'.repeat(501)] });
    expect(bad.__typename).toBe('ValidationError');
    expect(bad.fields.map((f: { path: string[] }) => f.path.join('.'))).toEqual(['input.areaCode', 'input.level', 'input.decisionNumber', 'input.effectiveFrom', 'input.measures.0']);
  });

  it('a later declaration supersedes from its date; a past date reads the declaration then in force', async () => {
    const ward = wards[4]!;
    const first = decision();
    const second = decision();
    const third = decision();
    await declare(district008, { areaCode: ward, level: 3, decisionNumber: first, effectiveFrom: day(-10), measures: ['Hạn chế tụ tập'] });
    await declare(district008, { areaCode: ward, level: 4, decisionNumber: second, effectiveFrom: day(-3), measures: ['Giãn cách xã hội'] });
    // Announced today, in force next week.
    await declare(city, { areaCode: ward, level: 2, decisionNumber: third, effectiveFrom: day(7), measures: [] });

    expect((await asPartner(ward)).epidemicLevel.declared).toMatchObject({ level: 4, decisionNumber: second });
    expect((await asPartner(ward, day(-11))).declaredEpidemicLevel).toBeNull();
    expect((await asPartner(ward, day(-10))).declaredEpidemicLevel).toEqual({ level: 3, decisionNumber: first });
    expect((await asPartner(ward, day(-4))).declaredEpidemicLevel).toEqual({ level: 3, decisionNumber: first });
    expect((await asPartner(ward, day(-3))).declaredEpidemicLevel).toEqual({ level: 4, decisionNumber: second });
    expect((await asPartner(ward, day(7))).declaredEpidemicLevel).toEqual({ level: 2, decisionNumber: third });
    expect((await asPartner(ward)).epidemicLevelDeclarations.map((d: { decisionNumber: string }) => d.decisionNumber)).toEqual([first, second, third]);
  });
});
