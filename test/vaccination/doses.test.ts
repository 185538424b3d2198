/** Doses, their rules, coverage counters that equal a recount, gap lists, and Patient.vaccination. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography, withDb } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, ok, token } from '../support/client.js';
import { registerPatient } from '../support/patients.js';
import { contractOperations } from '../support/contract.js';
import { Random } from '../../scripts/seed/random.js';
import { REFUSED_PORT } from '../support/wait.js';

const REGISTER_RESIDENT = `mutation R($input: RegisterResidentInput!) { registerResident(input: $input) { __typename
  ... on RegisterResidentSuccess { resident { id } } ... on Error { code message } } }`;
const DOSE = `mutation D($input: RecordDoseInput!) { recordDose(input: $input) { __typename
  ... on RecordDoseSuccess { record { id dose vaccine administeredAt siteFacilityId } }
  ... on DoseTooSoon { earliest } ... on DoseOutOfOrder { expected }
  ... on ValidationError { fields { path message } } ... on Error { code message } } }`;

const nid = (n: number, year = 1960) => `001${year >= 2000 ? 2 : 0}${String(year).slice(2)}${String(n).padStart(6, '0')}`;
const at = (date: string) => `${date}T09:00:00+07:00`;

describe('vaccination', () => {
  let db: TestDatabase;
  let stack: Stack;
  let vaccinator: string;
  const call = (query: string, variables: Record<string, unknown> = {}, t = vaccinator) => gql(stack.gateway.url, query, variables, { token: t });
  const resident = async (n: number, year: number, wardCode = '00337', extra: Record<string, unknown> = {}) => {
    const r = ok(await call(REGISTER_RESIDENT, { input: { nationalId: nid(n, year), fullName: `Cư dân ${n}`, dateOfBirth: `${year}-03-15`, wardCode, ...extra } })).registerResident;
    expect(r.__typename).toBe('RegisterResidentSuccess');
    return nid(n, year);
  };
  const dose = async (nationalId: string, doseKind: string, vaccine: string, date: string, extra: Record<string, unknown> = {}) =>
    ok(await call(DOSE, { input: { nationalId, dose: doseKind, vaccine, administeredAt: at(date), ...extra } })).recordDose;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [{ id: 'BV-DOSES', wardCode: '00001' }]);
    stack = await startStack(db);
    vaccinator = await token('VACCINATOR', { district: '008' });
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  it('RecordDose follows the schedule and refuses what does not, writing nothing', async () => {
    const id = await resident(1, 1970);
    const recordCount = () => withDb<any, number>(db, 'vaccination', async (k) => Number((await sql<{ n: number }>`select count(*)::int as n from vaccination_record`.execute(k)).rows[0]!.n));
    const first = ok(await call(contractOperations().get('RecordDose')!, { input: { nationalId: id, dose: 'PRIMARY_1', vaccine: 'PFIZER_BIONTECH', administeredAt: at('2021-09-01'), atHome: false } })).recordDose;
    expect(first).toMatchObject({ __typename: 'RecordDoseSuccess', record: { dose: 'PRIMARY_1', vaccine: 'PFIZER_BIONTECH', administeredAt: '2021-09-01T09:00:00.000+07:00' } });
    const before = await recordCount();
    expect(await dose(id, 'PRIMARY_2', 'PFIZER_BIONTECH', '2021-09-10')).toMatchObject({ __typename: 'DoseTooSoon', code: 'DOSE_TOO_SOON', earliest: '2021-09-22' });
    expect(await dose(id, 'BOOSTER', 'PFIZER_BIONTECH', '2021-12-10')).toMatchObject({ __typename: 'DoseOutOfOrder', expected: 'PRIMARY_2' });
    expect(await dose(id, 'PRIMARY_1', 'MODERNA', '2021-09-01')).toMatchObject({ __typename: 'DuplicateDose', code: 'DUPLICATE_DOSE' });
    expect(await dose(id, 'PRIMARY_2', 'PFIZER_BIONTECH', '2099-01-01')).toMatchObject({ __typename: 'ValidationError', fields: [{ path: ['input', 'administeredAt'] }] });
    expect(await dose('12345', 'PRIMARY_1', 'PFIZER_BIONTECH', '2021-09-01')).toMatchObject({ __typename: 'ValidationError', fields: [{ path: ['input', 'nationalId'] }] });
    // To anyone but the city, an unknown citizen ID is outside the jurisdiction: one answer for both.
    const unknown = await call(DOSE, { input: { nationalId: nid(999, 1950), dose: 'PRIMARY_1', vaccine: 'PFIZER_BIONTECH', administeredAt: at('2021-09-01') } });
    expect(unknown.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const unknownVaccine = await call(DOSE, { input: { nationalId: id, dose: 'PRIMARY_2', vaccine: 'SPUTNIK_LIGHT', administeredAt: at('2021-10-01') } });
    expect(unknownVaccine.errors?.[0]?.message).toMatch(/SPUTNIK_LIGHT/);
    expect(await recordCount()).toBe(before);
    expect(await dose(id, 'PRIMARY_2', 'PFIZER_BIONTECH', '2021-09-22')).toMatchObject({ __typename: 'RecordDoseSuccess' });
    expect(await dose(id, 'BOOSTER', 'MODERNA', '2021-12-20')).toMatchObject({ __typename: 'DoseTooSoon', earliest: '2021-12-21' });
    expect(await dose(id, 'BOOSTER', 'MODERNA', '2021-12-21')).toMatchObject({ __typename: 'RecordDoseSuccess' });
    // Another district's vaccinator is told what an unknown citizen ID would tell them.
    const outside = await call(DOSE, { input: { nationalId: id, dose: 'ADDITIONAL', vaccine: 'MODERNA', administeredAt: at('2022-01-10') } }, await token('VACCINATOR', { district: '001' }));
    expect(outside.errors?.map((e) => ({ code: e.extensions?.code, message: e.message }))).toEqual(unknown.errors?.map((e) => ({ code: e.extensions?.code, message: e.message })));
  });

  it('records a dose at a facility the facilities subgraph knows, and refuses an unknown one, writing nothing', async () => {
    const id = await resident(2, 1971);
    const sites = () =>
      withDb<any, (string | null)[]>(db, 'vaccination', async (k) =>
        (await sql<{ site: string | null }>`select r.site_facility_id as site from vaccination_record r join resident p on p.id = r.resident_id where p.national_id = ${id} order by r.administered_at`.execute(k)).rows.map((r) => r.site),
      );
    // A made-up facility id: before, it was stored as given.
    expect(await dose(id, 'PRIMARY_1', 'PFIZER_BIONTECH', '2021-09-01', { siteFacilityId: 'BV-NOWHERE' })).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    expect(await sites()).toEqual([]);
    // A hospital in another district's ward: residents are vaccinated wherever they are.
    const key = 'dose-at-bv-doses-1';
    const first = await dose(id, 'PRIMARY_1', 'PFIZER_BIONTECH', '2021-09-01', { siteFacilityId: 'BV-DOSES', idempotencyKey: key });
    expect(first).toMatchObject({ __typename: 'RecordDoseSuccess' });
    expect(await sites()).toEqual(['BV-DOSES']);

    // Without an answer from the graph about the facility, a new dose is refused and nothing is
    // written; a retry of the dose already recorded still gets it, and a resident outside the
    // jurisdiction gets the answer it gets without a site.
    const runtime = stack.subgraphs.vaccination.runtime;
    runtime.useGateway(`http://127.0.0.1:${REFUSED_PORT}/graphql`);
    try {
      const unconfirmed = await call(DOSE, { input: { nationalId: id, dose: 'PRIMARY_2', vaccine: 'PFIZER_BIONTECH', administeredAt: at('2021-09-30'), siteFacilityId: 'BV-DOSES' } });
      expect(unconfirmed.errors?.map((e) => ({ code: e.extensions?.code, message: e.message }))).toEqual([
        { code: 'SERVICE_UNAVAILABLE', message: 'The facility could not be confirmed through the graph; nothing was written. Try again shortly.' },
      ]);
      expect(await sites()).toEqual(['BV-DOSES']);
      expect(await dose(id, 'PRIMARY_1', 'PFIZER_BIONTECH', '2021-09-01', { siteFacilityId: 'BV-DOSES', idempotencyKey: key })).toEqual(first);
      const outside = await call(DOSE, { input: { nationalId: id, dose: 'PRIMARY_2', vaccine: 'PFIZER_BIONTECH', administeredAt: at('2021-09-30'), siteFacilityId: 'BV-DOSES' } }, await token('VACCINATOR', { district: '001' }));
      expect(outside.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    } finally {
      runtime.useGateway(stack.gateway.url);
    }
  });

  it('keeps coverage counters equal to a full recount after 1,000 random doses', async () => {
    const r = new Random('coverage-test');
    const people: string[] = [];
    for (let i = 0; i < 150; i++) people.push(await resident(1000 + i, r.pick([1945, 1960, 1972, 1985, 1999, 2006, 2010, 2015]), r.pick(['00337', '00322', '00328'])));
    const kinds = ['PRIMARY_1', 'PRIMARY_2', 'PRIMARY_3', 'ADDITIONAL', 'BOOSTER'];
    const vaccines = ['PFIZER_BIONTECH', 'ASTRAZENECA', 'JANSSEN', 'ABDALA', 'SINOPHARM_VERO_CELL'];
    const outcomes: Record<string, number> = {};
    let day = Date.parse('2021-07-01T00:00:00Z');
    for (let i = 0; i < 1_000; i++) {
      day += r.int(0, 1) * 86_400_000 * r.int(1, 3);
      const result = await dose(r.pick(people), r.pick(kinds), r.pick(vaccines), new Date(day).toISOString().slice(0, 10));
      outcomes[result.__typename] = (outcomes[result.__typename] ?? 0) + 1;
    }
    expect(outcomes.RecordDoseSuccess).toBeGreaterThan(50);
    const { counters, recount } = await withDb<any, { counters: unknown[]; recount: unknown[] }>(db, 'vaccination', async (k) => ({
      counters: (await sql`select ward_code, birth_year, population, dose1, fully, boosted from coverage where population > 0 order by 1, 2`.execute(k)).rows,
      recount: (
        await sql`
          with history as (
            select r.id, r.ward_code, extract(year from r.date_of_birth)::int as birth_year,
                   count(v.id) as doses,
                   count(v.id) filter (where v.dose like 'PRIMARY%') as primary_doses,
                   bool_or(v.dose = 'BOOSTER') as boosted,
                   (array_agg(v.vaccine order by v.administered_on) filter (where v.dose like 'PRIMARY%'))[1] as first_vaccine
              from resident r left join vaccination_record v on v.resident_id = r.id group by r.id)
          select ward_code, birth_year::smallint as birth_year, count(*)::int as population,
                 count(*) filter (where doses > 0)::int as dose1,
                 count(*) filter (where primary_doses >= case first_vaccine when 'JANSSEN' then 1 when 'ABDALA' then 3 else 2 end)::int as fully,
                 count(*) filter (where boosted)::int as boosted
            from history group by 1, 2 order by 1, 2`.execute(k)
      ).rows,
    }));
    expect(counters).toEqual(recount);
  }, 180_000); // 1,000 doses one after another through the gateway

  it('answers the vaccination part of CityOverview and the gap lists', async () => {
    const elder = await resident(5000, 1940, '00337', { homebound: true, comorbidities: true });
    const request = ok(await call(`mutation H($input: RequestHomeVaccinationInput!) { requestHomeVaccination(input: $input) { __typename } }`, { input: { nationalId: elder, reason: 'Liệt nửa người' } }));
    expect(request.requestHomeVaccination.__typename).toBe('RequestHomeVaccinationSuccess');
    const data = ok(await call(`{ districts { code vaccination { population dose1Coverage dose2Coverage boosterCoverage over50WithoutDose1 adults18PlusDose1Coverage byAgeBand { band population } } } }`, {}, await token('PARTNER')));
    const hoangMai = data.districts.find((d: { code: string }) => d.code === '008').vaccination;
    expect(hoangMai.population).toBeGreaterThan(150);
    expect(hoangMai.byAgeBand.reduce((s: number, b: { population: number }) => s + b.population, 0)).toBe(hoangMai.population);
    expect(hoangMai.over50WithoutDose1).toBeGreaterThanOrEqual(1);
    expect(data.districts.find((d: { code: string }) => d.code === '001').vaccination).toMatchObject({ population: 0, dose1Coverage: 0 });

    const gaps = ok(await call(`{ over50: vaccinationGaps(wardCode: "00337", kind: OVER_50_WITHOUT_DOSE_1, first: 100) { edges { node { nationalId } } }
      home: vaccinationGaps(wardCode: "00337", kind: HOMEBOUND_AWAITING_HOME_VACCINATION) { edges { node { nationalId } } } }`));
    expect(gaps.over50.edges.map((e: { node: { nationalId: string } }) => e.node.nationalId)).toContain(elder);
    expect(gaps.home.edges.map((e: { node: { nationalId: string } }) => e.node.nationalId)).toEqual([elder]);
    expect(await dose(elder, 'PRIMARY_1', 'JANSSEN', '2022-01-05', { atHome: true })).toMatchObject({ __typename: 'RecordDoseSuccess' });
    const after = ok(await call(`{ home: vaccinationGaps(wardCode: "00337", kind: HOMEBOUND_AWAITING_HOME_VACCINATION) { edges { node { id } } } }`));
    expect(after.home.edges).toEqual([]);
  });

  it('gives Patient.vaccination through the citizen ID, only to viewers who may read it', async () => {
    const officer = await token('CITY_OFFICER');
    const id = await resident(7000, 1955);
    await dose(id, 'PRIMARY_1', 'JANSSEN', '2021-10-01');
    const patient = await registerPatient(stack.gateway.url, officer, { nationalId: id, dateOfBirth: '1955-03-15' });
    const query = `query P($id: ID!) { patient(id: $id) { id vaccination { doses fullyVaccinated boosted } } }`;
    expect(ok(await gql(stack.gateway.url, query, { id: patient.id }, { token: officer })).patient.vaccination).toEqual({ doses: 1, fullyVaccinated: true, boosted: false });
    const dashboard = await gql(stack.gateway.url, query, { id: patient.id }, { token: await token('DASHBOARD') });
    expect(dashboard.data?.patient).toEqual({ id: patient.id, vaccination: null });
  });
});
