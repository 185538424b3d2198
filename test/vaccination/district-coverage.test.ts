/**
 * The district rollup of the coverage counters (district × year of birth): kept in the same
 * transaction as every change of `coverage`, it equals a recount from `coverage` and from the
 * dose records after concurrent doses in several wards of one district, and after direct bulk
 * writes (multi-row insert, update moving rows between districts, delete, TRUNCATE).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql, type Kysely } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { seedGeography, withDb } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, ok, token } from '../support/client.js';
import { planGeography } from '../../scripts/seed/facilities-plan.js';
import { Random } from '../../scripts/seed/random.js';
import { cityDate } from '../../subgraphs/common/graphql/scalars.js';
import { AGE_BANDS } from '../../subgraphs/vaccination/domain/schedule.js';

const REGISTER_RESIDENT = `mutation R($input: RegisterResidentInput!) { registerResident(input: $input) { __typename
  ... on RegisterResidentSuccess { resident { id } } ... on Error { code message } } }`;
const DOSE = `mutation D($input: RecordDoseInput!) { recordDose(input: $input) { __typename ... on Error { code message } } }`;

const nid = (n: number, year: number) => `001${year >= 2000 ? 2 : 0}${String(year).slice(2)}${String(n).padStart(6, '0')}`;

/** The rollup's non-empty rows. */
const rollup = (k: Kysely<any>) =>
  sql`select district_code, birth_year, population, dose1, fully, boosted from district_coverage
       where population <> 0 or dose1 <> 0 or fully <> 0 or boosted <> 0 order by 1, 2`.execute(k);
/** The same summed from the ward counters. */
const fromWards = (k: Kysely<any>) =>
  sql`select district_code, birth_year, sum(population)::int as population, sum(dose1)::int as dose1, sum(fully)::int as fully, sum(boosted)::int as boosted
        from coverage group by 1, 2 having sum(population) <> 0 or sum(dose1) <> 0 or sum(fully) <> 0 or sum(boosted) <> 0 order by 1, 2`.execute(k);
/** The same recounted from residents and their dose records. */
const fromRecords = (k: Kysely<any>) =>
  sql`with history as (
        select r.id, r.district_code, extract(year from r.date_of_birth)::int as birth_year,
               count(v.id) as doses,
               count(v.id) filter (where v.dose like 'PRIMARY%') as primary_doses,
               bool_or(v.dose = 'BOOSTER') as boosted,
               (array_agg(v.vaccine order by v.administered_on) filter (where v.dose like 'PRIMARY%'))[1] as first_vaccine
          from resident r left join vaccination_record v on v.resident_id = r.id group by r.id)
      select district_code, birth_year::smallint as birth_year, count(*)::int as population,
             count(*) filter (where doses > 0)::int as dose1,
             count(*) filter (where primary_doses >= case first_vaccine when 'JANSSEN' then 1 when 'ABDALA' then 3 else 2 end)::int as fully,
             count(*) filter (where boosted)::int as boosted
        from history group by 1, 2 order by 1, 2`.execute(k);

describe('district coverage rollup', () => {
  let db: TestDatabase;
  let stack: Stack;
  const geo = planGeography();
  const wardsOf = (district: string) => geo.wards.filter((w) => w.districtCode === district).map((w) => w.code);
  const hoangMai = wardsOf('008').slice(0, 4);
  const baDinh = wardsOf('001').slice(0, 2);

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    stack = await startStack(db);
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  it('equals a recount after concurrent doses by vaccinators in several wards of one district', async () => {
    const r = new Random('district-coverage');
    // Few birth years, so that the wards' doses meet on the same district rows.
    const years = [1950, 1965, 1980, 1995, 2010];
    const vaccinators = await Promise.all(hoangMai.map((_, i) => token('VACCINATOR', { district: '008', subject: `vaccinator-${i}` })));
    const baDinhVaccinator = await token('VACCINATOR', { district: '001', subject: 'vaccinator-ba-dinh' });
    const call = (t: string, query: string, variables: Record<string, unknown>) => gql(stack.gateway.url, query, variables, { token: t });
    const register = async (t: string, n: number, wardCode: string) => {
      const year = r.pick(years);
      const result = ok(await call(t, REGISTER_RESIDENT, { input: { nationalId: nid(n, year), fullName: `Cư dân ${n}`, dateOfBirth: `${year}-06-01`, wardCode } })).registerResident;
      expect(result.__typename).toBe('RegisterResidentSuccess');
      return nid(n, year);
    };
    const people = new Map<string, string[]>();
    let n = 0;
    for (const ward of [...hoangMai, ...baDinh]) {
      const list: string[] = [];
      for (let i = 0; i < 12; i++) list.push(await register(baDinh.includes(ward) ? baDinhVaccinator : vaccinators[0]!, ++n, ward));
      people.set(ward, list);
    }

    // One vaccinator per ward of Hoàng Mai (and one in Ba Đình), all at once: each gives the
    // doses of its ward in order, and registers a newcomer now and then.
    const kinds = ['PRIMARY_1', 'PRIMARY_1', 'PRIMARY_2', 'PRIMARY_3', 'BOOSTER'];
    const vaccines = ['PFIZER_BIONTECH', 'ASTRAZENECA', 'JANSSEN', 'ABDALA'];
    const outcomes: Record<string, number> = {};
    const work = [...hoangMai.map((ward, i) => ({ ward, t: vaccinators[i]! })), { ward: baDinh[0]!, t: baDinhVaccinator }].map(async ({ ward, t }, w) => {
      const wr = new Random(`district-coverage:${w}`);
      let day = Date.parse('2021-07-01T00:00:00Z');
      for (let i = 0; i < 60; i++) {
        if (wr.int(0, 9) === 0) people.get(ward)!.push(await register(t, 10_000 * (w + 1) + i, ward));
        day += wr.int(0, 1) * 86_400_000 * wr.int(1, 40);
        const result = ok(
          await call(t, DOSE, {
            input: { nationalId: wr.pick(people.get(ward)!), dose: wr.pick(kinds), vaccine: wr.pick(vaccines), administeredAt: `${new Date(day).toISOString().slice(0, 10)}T09:00:00+07:00` },
          }),
        ).recordDose;
        outcomes[result.__typename] = (outcomes[result.__typename] ?? 0) + 1;
      }
    });
    await Promise.all(work);
    expect(outcomes.RecordDoseSuccess).toBeGreaterThan(60);

    const { counters, wards, records } = await withDb<any, { counters: unknown[]; wards: unknown[]; records: unknown[] }>(db, 'vaccination', async (k) => ({
      counters: (await rollup(k)).rows,
      wards: (await fromWards(k)).rows,
      records: (await fromRecords(k)).rows,
    }));
    expect(counters.length).toBeGreaterThan(5);
    expect(counters).toEqual(wards);
    expect(counters).toEqual(records);

    // District.vaccination reads the rollup, summed into age bands by PostgreSQL: every figure,
    // the ones by age too, is the recount's (ages this year by year of birth).
    const answer = ok(
      await gql(
        stack.gateway.url,
        `{ districts { code vaccination { population dose1 fullyVaccinated boosted over50WithoutDose1 adults18PlusDose1Coverage byAgeBand { band population dose1 fullyVaccinated boosted } } } }`,
        {},
        { token: await token('PARTNER') },
      ),
    );
    const year = Number(cityDate(new Date()).slice(0, 4));
    type Row = { district_code: string; birth_year: number; population: number; dose1: number; fully: number; boosted: number };
    const recounted = (district: string, fromAge = 0, toAge = 200) =>
      (records as Row[])
        .filter((x) => x.district_code === district && year - x.birth_year >= fromAge && year - x.birth_year <= toAge)
        .reduce((t, x) => ({ population: t.population + x.population, dose1: t.dose1 + x.dose1, fully: t.fully + x.fully, boosted: t.boosted + x.boosted }), { population: 0, dose1: 0, fully: 0, boosted: 0 });
    const district = (code: string) => answer.districts.find((d: { code: string }) => d.code === code).vaccination;
    for (const code of ['008', '001']) {
      const all = recounted(code);
      const adults = recounted(code, 18);
      const over50 = recounted(code, 50);
      expect(district(code)).toMatchObject({
        population: all.population,
        dose1: all.dose1,
        fullyVaccinated: all.fully,
        boosted: all.boosted,
        over50WithoutDose1: over50.population - over50.dose1,
        adults18PlusDose1Coverage: adults.population ? adults.dose1 / adults.population : 0,
      });
      expect(district(code).byAgeBand).toEqual(
        AGE_BANDS.map((b) => {
          const t = recounted(code, b.from, b.to);
          return { band: b.band, population: t.population, dose1: t.dose1, fullyVaccinated: t.fully, boosted: t.boosted };
        }),
      );
    }
    expect(recounted('008', 50).population).toBeGreaterThan(0);
  }, 180_000);

  it('answers District.vaccination for every district with one SQL statement, and reads the daily doses only when asked for them', async () => {
    const stats = stack.subgraphs.vaccination.runtime.database.stats;
    const partner = await token('PARTNER');
    const statements = async (query: string) => {
      await stack.settle();
      const before = stats.queries;
      const data = ok(await gql(stack.gateway.url, query, {}, { token: partner }));
      return { data, statements: stats.queries - before };
    };
    // CityOverview's vaccination part: the rollup only.
    const overview = await statements(`{ districts { code vaccination { population dose1Coverage dose2Coverage boosterCoverage over50WithoutDose1 } } }`);
    expect(overview.statements).toBe(1);
    const stored = await withDb<any, number>(db, 'vaccination', async (k) =>
      Number((await sql<{ n: number }>`select coalesce(sum(population), 0)::int as n from district_coverage where district_code = '008'`.execute(k)).rows[0]!.n),
    );
    expect(overview.data.districts.find((d: { code: string }) => d.code === '008').vaccination.population).toBe(stored);
    // With the last 14 days' doses: one more statement, for all districts at once.
    const progress = await statements(`{ districts { code vaccination { population dailyProgress { date doses } } } }`);
    expect(progress.statements).toBe(2);
  });

  it('counts a resident in the age band of this year minus their year of birth, at both edges of every band, for a ward and its district', async () => {
    // A district no other test of this file registers anyone in.
    const district = geo.districts.map((d) => d.code).find((code) => code !== '001' && code !== '008')!;
    const ward = wardsOf(district)[0]!;
    const officer = await token('DISTRICT_OFFICER', { district });
    const year = Number(cityDate(new Date()).slice(0, 4));
    // Each band's youngest and oldest (the open top band: 65 and the oldest date of birth accepted).
    const ages = AGE_BANDS.flatMap((b) => [b.from, Math.min(b.to, year - 1900)]);
    let n = 0;
    for (const age of ages) {
      const born = year - age;
      const result = ok(
        await gql(stack.gateway.url, REGISTER_RESIDENT, { input: { nationalId: nid(900 + ++n, born), fullName: `Cư dân ${age} tuổi`, dateOfBirth: `${born}-01-01`, wardCode: ward } }, { token: officer }),
      ).registerResident;
      expect(result.__typename).toBe('RegisterResidentSuccess');
    }
    const bands = `vaccination { byAgeBand { band population } }`;
    const data = ok(await gql(stack.gateway.url, `query B($d: ID!, $w: ID!) { district(code: $d) { ${bands} } ward(code: $w) { ${bands} } }`, { d: district, w: ward }, { token: officer }));
    const expected = AGE_BANDS.map((b) => ({ band: b.band, population: 2 }));
    expect(data.district.vaccination.byAgeBand).toEqual(expected);
    expect(data.ward.vaccination.byAgeBand).toEqual(expected);
  });

  it('follows bulk writes of the ward counters: multi-row inserts, moves between districts, deletes, rolled-back changes and TRUNCATE', async () => {
    await withDb<any, void>(db, 'vaccination', async (k) => {
      const check = async () => expect((await rollup(k)).rows).toEqual((await fromWards(k)).rows);
      await sql`truncate coverage`.execute(k);
      expect((await rollup(k)).rows).toEqual([]);
      // A COPY-like load: many rows of several wards and districts in one statement.
      await sql`insert into coverage (ward_code, district_code, birth_year, population, dose1, fully, boosted)
                select w.code, w.district, y, 10 + y % 7, 5 + y % 5, 3 + y % 3, y % 2
                  from (values (${hoangMai[0]}, '008'), (${hoangMai[1]}, '008'), (${hoangMai[2]}, '008'), (${baDinh[0]}, '001'), (${baDinh[1]}, '001')) as w(code, district),
                       generate_series(1930, 2021) as y`.execute(k);
      await check();
      // A ward's rows corrected to another district, others changed, some deleted.
      await sql`update coverage set district_code = '001' where ward_code = ${hoangMai[2]!}`.execute(k);
      await check();
      await sql`update coverage set population = population + 2, dose1 = dose1 + 1 where birth_year between 1950 and 1960`.execute(k);
      await check();
      await sql`delete from coverage where ward_code = ${hoangMai[1]!} or birth_year < 1940`.execute(k);
      await check();
      // A change that is rolled back leaves no trace in the rollup either.
      const before = (await rollup(k)).rows;
      await expect(
        k.transaction().execute(async (trx) => {
          await sql`update coverage set population = population + 100 where ward_code = ${hoangMai[0]!}`.execute(trx);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect((await rollup(k)).rows).toEqual(before);
      await sql`truncate coverage`.execute(k);
      expect((await rollup(k)).rows).toEqual([]);
    });
  });
});
