/**
 * The lists the city chased (vaccinationGaps), each with residents who must be on it and
 * residents who must not: refusals (with reason and date), overdue series, people of 50 and over
 * with a comorbidity, and secondary-school and university students not fully vaccinated.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { seedGeography } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, ok, token } from '../support/client.js';
import { cityDate } from '../../subgraphs/common/graphql/scalars.js';

const REGISTER_RESIDENT = `mutation R($input: RegisterResidentInput!) { registerResident(input: $input) { __typename ... on Error { code message } } }`;
const DOSE = `mutation D($input: RecordDoseInput!) { recordDose(input: $input) { __typename ... on Error { code message } } }`;
const REFUSAL = `mutation F($input: RecordRefusalInput!) { recordRefusal(input: $input) { __typename
  ... on RecordRefusalSuccess { refusal { reason refusedOn } } ... on ValidationError { fields { path } } ... on Error { code message } } }`;
const GAPS = `query G($kind: VaccinationGapKind!, $after: String) { vaccinationGaps(wardCode: "00337", kind: $kind, first: 2, after: $after) {
  edges { node { nationalId refusal { reason refusedOn } } } pageInfo { hasNextPage endCursor } } }`;

const today = cityDate(new Date());
const year = Number(today.slice(0, 4));
const daysAgo = (n: number) => cityDate(new Date(Date.now() - n * 86_400_000));
let serial = 0;

describe('vaccination gap lists', () => {
  let db: TestDatabase;
  let stack: Stack;
  let vaccinator: string;
  const call = (query: string, variables: Record<string, unknown> = {}, t = vaccinator) => gql(stack.gateway.url, query, variables, { token: t });

  /** Registers a resident of ward 00337 born on 15 March of `born`; returns the citizen ID. */
  const resident = async (born: number, extra: Record<string, unknown> = {}) => {
    const nationalId = `001${born >= 2000 ? 2 : 0}${String(born).slice(2)}${String(++serial).padStart(6, '0')}`;
    const r = ok(await call(REGISTER_RESIDENT, { input: { nationalId, fullName: `Cư dân ${serial}`, dateOfBirth: `${born}-03-15`, wardCode: '00337', ...extra } }));
    expect(r.registerResident.__typename).toBe('RegisterResidentSuccess');
    return nationalId;
  };
  const dose = async (nationalId: string, kind: string, vaccine: string, date: string) => {
    const r = ok(await call(DOSE, { input: { nationalId, dose: kind, vaccine, administeredAt: `${date}T09:00:00+07:00` } }));
    expect(r.recordDose).toEqual({ __typename: 'RecordDoseSuccess' });
  };
  /** Every resident on a list, following the pages. */
  const list = async (kind: string) => {
    const all: { nationalId: string; refusal: { reason: string; refusedOn: string } | null }[] = [];
    let after: string | undefined;
    for (;;) {
      const page = ok(await call(GAPS, { kind, after })).vaccinationGaps;
      all.push(...page.edges.map((e: { node: (typeof all)[number] }) => e.node));
      if (!page.pageInfo.hasNextPage) return all;
      after = page.pageInfo.endCursor;
    }
  };
  /** The residents among `people` that a list holds. */
  const listed = async (kind: string, people: string[]) => (await list(kind)).map((r) => r.nationalId).filter((id) => people.includes(id)).sort();

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    stack = await startStack(db);
    vaccinator = await token('VACCINATOR', { district: '008' });
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  it('REFUSED lists residents who refused and were not vaccinated since, with the reason and date', async () => {
    const refused = await resident(1958);
    const refusedAfterDose1 = await resident(1972);
    const vaccinatedSince = await resident(1980);
    const neverAsked = await resident(1965);
    await dose(refusedAfterDose1, 'PRIMARY_1', 'ASTRAZENECA', '2021-08-02');
    expect(ok(await call(REFUSAL, { input: { nationalId: refused, reason: 'Sợ phản ứng sau tiêm', refusedOn: '2021-09-20' } })).recordRefusal).toEqual({
      __typename: 'RecordRefusalSuccess',
      refusal: { reason: 'Sợ phản ứng sau tiêm', refusedOn: '2021-09-20' },
    });
    ok(await call(REFUSAL, { input: { nationalId: refusedAfterDose1, reason: 'Không muốn tiêm mũi 2', refusedOn: '2021-10-01' } }));
    ok(await call(REFUSAL, { input: { nationalId: vaccinatedSince, reason: 'Đang ốm', refusedOn: '2021-09-01' } }));
    await dose(vaccinatedSince, 'PRIMARY_1', 'PFIZER_BIONTECH', '2021-09-15');

    const people = [refused, refusedAfterDose1, vaccinatedSince, neverAsked];
    expect(await listed('REFUSED', people)).toEqual([refused, refusedAfterDose1].sort());
    expect((await list('REFUSED')).find((r) => r.nationalId === refused)?.refusal).toEqual({ reason: 'Sợ phản ứng sau tiêm', refusedOn: '2021-09-20' });

    // Refused input is told apart and writes nothing; other districts cannot record one.
    const bad = ok(await call(REFUSAL, { input: { nationalId: neverAsked, reason: 'x', refusedOn: '2099-01-01' } })).recordRefusal;
    expect(bad).toMatchObject({ __typename: 'ValidationError', fields: [{ path: ['input', 'reason'] }, { path: ['input', 'refusedOn'] }] });
    const outside = await call(REFUSAL, { input: { nationalId: neverAsked, reason: 'Không muốn tiêm' } }, await token('VACCINATOR', { district: '001' }));
    expect(outside.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const dashboard = await call(REFUSAL, { input: { nationalId: neverAsked, reason: 'Không muốn tiêm' } }, await token('DASHBOARD'));
    expect(dashboard.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(await listed('REFUSED', people)).toEqual([refused, refusedAfterDose1].sort());
  });

  it('SERIES_OVERDUE lists residents whose dose 2 or booster is past the vaccine’s interval', async () => {
    const dose2Overdue = await resident(1960);
    await dose(dose2Overdue, 'PRIMARY_1', 'PFIZER_BIONTECH', '2021-09-01');
    const dose2NotYetDue = await resident(1961);
    await dose(dose2NotYetDue, 'PRIMARY_1', 'MODERNA', daysAgo(20)); // Moderna: 28 days
    const boosterOverdue = await resident(1962);
    await dose(boosterOverdue, 'PRIMARY_1', 'SINOPHARM_VERO_CELL', '2021-08-01');
    await dose(boosterOverdue, 'PRIMARY_2', 'SINOPHARM_VERO_CELL', '2021-08-22');
    const singleDoseBoosterOverdue = await resident(1963);
    await dose(singleDoseBoosterOverdue, 'PRIMARY_1', 'JANSSEN', '2021-10-01');
    const boosterNotYetDue = await resident(1964);
    await dose(boosterNotYetDue, 'PRIMARY_1', 'PFIZER_BIONTECH', daysAgo(60));
    await dose(boosterNotYetDue, 'PRIMARY_2', 'PFIZER_BIONTECH', daysAgo(30));
    const boosted = await resident(1965);
    await dose(boosted, 'PRIMARY_1', 'ASTRAZENECA', '2021-07-01');
    await dose(boosted, 'PRIMARY_2', 'ASTRAZENECA', '2021-08-01');
    await dose(boosted, 'BOOSTER', 'PFIZER_BIONTECH', '2021-12-01');
    const noDoseYet = await resident(1966);
    // The booster interval is the primary vaccine's: two months after Janssen, three after the others.
    const janssenBoosterDue = await resident(1967);
    await dose(janssenBoosterDue, 'PRIMARY_1', 'JANSSEN', daysAgo(70));
    const pfizerSameDayNotYetDue = await resident(1968);
    await dose(pfizerSameDayNotYetDue, 'PRIMARY_1', 'PFIZER_BIONTECH', daysAgo(91));
    await dose(pfizerSameDayNotYetDue, 'PRIMARY_2', 'PFIZER_BIONTECH', daysAgo(70));
    // Dose 2 by the vaccine's own interval: 25 days after dose 1 is late for Pfizer (21), not for AstraZeneca (28).
    const pfizerDose2Late = await resident(1969);
    await dose(pfizerDose2Late, 'PRIMARY_1', 'PFIZER_BIONTECH', daysAgo(25));
    const astraDose2NotYetDue = await resident(1970);
    await dose(astraDose2NotYetDue, 'PRIMARY_1', 'ASTRAZENECA', daysAgo(25));

    const people = [dose2Overdue, dose2NotYetDue, boosterOverdue, singleDoseBoosterOverdue, boosterNotYetDue, boosted, noDoseYet, janssenBoosterDue, pfizerSameDayNotYetDue, pfizerDose2Late, astraDose2NotYetDue];
    expect(await listed('SERIES_OVERDUE', people)).toEqual([dose2Overdue, boosterOverdue, singleDoseBoosterOverdue, janssenBoosterDue, pfizerDose2Late].sort());
    // The day it fell due is on the resident, for the team's visit.
    const due = ok(await call(`query R($n: String!) { resident(nationalId: $n) { nextDoseDueOn } }`, { n: janssenBoosterDue })).resident;
    expect(due).toEqual({ nextDoseDueOn: daysAgo(10) });
  });

  it('COMORBID_OVER_50_NOT_FULLY_VACCINATED lists people of 50 and over with a comorbidity and no complete primary series', async () => {
    const unvaccinated = await resident(1955, { comorbidities: true });
    const turning50 = await resident(year - 50, { comorbidities: true });
    const halfway = await resident(1950, { comorbidities: true });
    await dose(halfway, 'PRIMARY_1', 'ASTRAZENECA', '2021-08-02');
    const fully = await resident(1952, { comorbidities: true });
    await dose(fully, 'PRIMARY_1', 'JANSSEN', '2021-08-02');
    const healthy = await resident(1950);
    const young = await resident(year - 49, { comorbidities: true });

    const people = [unvaccinated, turning50, halfway, fully, healthy, young];
    expect(await listed('COMORBID_OVER_50_NOT_FULLY_VACCINATED', people)).toEqual([unvaccinated, turning50, halfway].sort());
  });

  it('STUDENTS_NOT_FULLY_VACCINATED lists secondary-school and university students by their recorded school level, not primary pupils', async () => {
    const lowerSecondary = await resident(year - 12, { schooling: 'SECONDARY' });
    const upperSecondary = await resident(year - 16, { schooling: 'SECONDARY' });
    await dose(upperSecondary, 'PRIMARY_1', 'PFIZER_BIONTECH', '2021-11-01');
    const university = await resident(year - 20, { schooling: 'UNIVERSITY' });
    const matureStudent = await resident(year - 34, { schooling: 'UNIVERSITY' });
    const primaryPupil = await resident(year - 9, { schooling: 'PRIMARY' });
    // Twelve this year but still in primary school (late start, repeated year): not on the list.
    const olderPrimaryPupil = await resident(year - 12, { schooling: 'PRIMARY' });
    const fullyVaccinated = await resident(year - 15, { schooling: 'SECONDARY' });
    await dose(fullyVaccinated, 'PRIMARY_1', 'PFIZER_BIONTECH', '2021-11-01');
    await dose(fullyVaccinated, 'PRIMARY_2', 'PFIZER_BIONTECH', '2021-11-22');
    const notStudying = await resident(year - 17, { schooling: 'NONE' });
    // A client of the first contract says only `student`: the level is taken from the age.
    const legacyStudent = await resident(year - 16, { student: true });

    const people = [lowerSecondary, upperSecondary, university, matureStudent, primaryPupil, olderPrimaryPupil, fullyVaccinated, notStudying, legacyStudent];
    expect(await listed('STUDENTS_NOT_FULLY_VACCINATED', people)).toEqual([lowerSecondary, upperSecondary, university, matureStudent, legacyStudent].sort());
    const registry = ok(await call(`query R($a: String!, $b: String!) { a: resident(nationalId: $a) { student schooling } b: resident(nationalId: $b) { student schooling } }`, { a: legacyStudent, b: olderPrimaryPupil }));
    expect(registry).toEqual({ a: { student: true, schooling: 'SECONDARY' }, b: { student: true, schooling: 'PRIMARY' } });
    // A level that contradicts `student` is refused before anything is written.
    const contradiction = ok(await call(`mutation R($input: RegisterResidentInput!) { registerResident(input: $input) { __typename ... on ValidationError { fields { path } } } }`, {
      input: { nationalId: '001099777001', fullName: 'Mâu Thuẫn', dateOfBirth: `${year - 15}-01-01`, wardCode: '00337', student: false, schooling: 'SECONDARY' },
    })).registerResident;
    expect(contradiction).toEqual({ __typename: 'ValidationError', fields: [{ path: ['input', 'student'] }] });
  });
});
