/**
 * Coverage counters per ward and year of birth, and doses per ward, day and kind: kept with every
 * registration and dose, summed by area when read (no record scans).
 */
import { CompiledQuery, sql, type Kysely, type Transaction } from 'kysely';
import { AGE_BANDS, type AgeBand, type DoseKind } from '../domain/schedule.js';
import type { AreaCounter, AreaDoseDay } from './mappers.js';
import type { CounterArea, VaccinationDB } from './tables.js';
import { textsByShape } from '../../common/db/database.js';

/** Adds to the counters of one ward and birth year (creating the row when it is the first). */
export async function bumpCoverage(
  trx: Transaction<VaccinationDB>,
  key: { wardCode: string; districtCode: string; birthYear: number },
  delta: { population?: number; dose1?: number; fully?: number; boosted?: number },
): Promise<void> {
  const values = { population: delta.population ?? 0, dose1: delta.dose1 ?? 0, fully: delta.fully ?? 0, boosted: delta.boosted ?? 0 };
  if (!values.population && !values.dose1 && !values.fully && !values.boosted) return;
  // An UPDATE, not an upsert: the check constraint would judge the proposed insert row (a dose
  // without population) before the conflict turned it into an update.
  const updated = await trx
    .updateTable('coverage')
    .set({
      population: sql`population + ${values.population}`,
      dose1: sql`dose1 + ${values.dose1}`,
      fully: sql`fully + ${values.fully}`,
      boosted: sql`boosted + ${values.boosted}`,
    })
    .where('ward_code', '=', key.wardCode)
    .where('birth_year', '=', key.birthYear)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) > 0) return;
  await trx
    .insertInto('coverage')
    .values({ ward_code: key.wardCode, district_code: key.districtCode, birth_year: key.birthYear, ...values })
    .onConflict((oc) =>
      oc.columns(['ward_code', 'birth_year']).doUpdateSet({
        population: sql`coverage.population + ${values.population}`,
        dose1: sql`coverage.dose1 + ${values.dose1}`,
        fully: sql`coverage.fully + ${values.fully}`,
        boosted: sql`coverage.boosted + ${values.boosted}`,
      }),
    )
    .execute();
}

export async function bumpDoseDay(trx: Transaction<VaccinationDB>, key: { wardCode: string; districtCode: string; day: string; dose: DoseKind }): Promise<void> {
  await trx
    .insertInto('dose_day')
    .values({ ward_code: key.wardCode, district_code: key.districtCode, day: key.day, dose: key.dose, count: 1 })
    .onConflict((oc) => oc.columns(['ward_code', 'day', 'dose']).doUpdateSet({ count: sql`dose_day.count + 1` }))
    .execute();
}

/**
 * Counters per area and age band in `year`, for many areas in one statement (the city: one area,
 * 'city'). Wards read their own rows, districts and the city the district rollup
 * (`district_coverage`); PostgreSQL sums the birth years into bands, so an answer is six rows per
 * area instead of about a hundred (the rows' parsing was most of the vaccination subgraph's CPU
 * in CityOverview). Birth years after `year` or more than 200 years before count in no band.
 */
export async function coverageByArea(db: Kysely<VaccinationDB>, area: CounterArea | 'city', year: number, codes?: readonly string[]): Promise<AreaCounter[]> {
  if (codes && codes.length === 0) return [];
  const { rows } = await db.executeQuery<{ area: string; band: AgeBand; population: number; dose1: number; fully: number; boosted: number }>(
    CompiledQuery.raw(coverageText(area, Math.trunc(year), area === 'city' ? 0 : codes!.length), area === 'city' ? [] : [...codes!]),
  );
  return rows.map((r) => ({ area: r.area, band: r.band, population: Number(r.population), dose1: Number(r.dose1), fully: Number(r.fully), boosted: Number(r.boosted) }));
}

/**
 * coverageByArea's statement as SQL text, made once per area kind, year and number of codes (the
 * codes are its parameters, none for the city). Built with Kysely on every call (a CASE of six
 * bands and an `in` list of the codes), it was the vaccination process's largest Kysely frame in
 * CityOverview (0.53 ms per overview under `--profile city`).
 *
 * The codes stay an `in` list of that many parameters, not one array: a named statement's generic
 * plan is costed for its own list, where for `= any($1)` PostgreSQL assumes about ten elements. For
 * the 30 districts that generic plan was a bitmap scan taking 1.5 to 1.8 ms, against 1.1 ms for
 * the plan made for the actual list (EXPLAIN ANALYZE on the city database).
 *
 * Ages are ranges of birth years written into the text (a year changes it once a year): on the
 * column itself PostgreSQL estimates the rows from its statistics and sums them in a hash table.
 * Written as `year - birth_year` it guessed 14 rows of the 2,880 a CityOverview reads and sorted
 * them instead, and evaluated the subtraction up to eight times a row: 1.9 ms a statement against
 * 1.0 ms, in a pgbench of the city's 30 districts. Birth years after `year` or more than 200
 * years before count in no band.
 */
const coverageText = textsByShape((area: CounterArea | 'city', year: number, codes: number): string => {
  const born = (age: number) => String(year - age);
  const band = `case ${AGE_BANDS.map((b) => `when birth_year between ${born(b.to)} and ${born(b.from)} then '${b.band}'`).join(' ')} end`;
  const sums = 'sum(population) as population, sum(dose1) as dose1, sum(fully) as fully, sum(boosted) as boosted';
  const inBands = `birth_year between ${born(200)} and ${born(0)}`;
  const list = Array.from({ length: codes }, (_, i) => `$${i + 1}`).join(', ');
  return area === 'ward_code'
    ? `select ward_code as area, ${band} as band, ${sums} from coverage where ward_code in (${list}) and ${inBands} group by 1, 2`
    : area === 'city'
      ? `select 'city' as area, ${band} as band, ${sums} from district_coverage where ${inBands} group by 1, 2`
      : `select district_code as area, ${band} as band, ${sums} from district_coverage where district_code in (${list}) and ${inBands} group by 1, 2`;
});

/** Doses per area, day and kind from `since` on, oldest first. */
export async function dosesByDay(db: Kysely<VaccinationDB>, area: CounterArea, codes: readonly string[], since: string): Promise<AreaDoseDay[]> {
  if (codes.length === 0) return [];
  const rows = await db
    .selectFrom('dose_day')
    .select([sql<string>`${sql.ref(area)}`.as('area'), 'day', 'dose', (eb) => eb.fn.sum<number>('count').as('count')])
    .where(area, 'in', codes)
    .where('day', '>=', since)
    .groupBy([area, 'day', 'dose'])
    .orderBy('day')
    .execute();
  return rows.map((r) => ({ area: r.area, day: r.day, dose: r.dose, count: Number(r.count) }));
}

/** All doses given on one day in the city (`scope` 'city') or one district (its code). */
export async function dosesGivenOn(db: Kysely<VaccinationDB>, day: string, scope: string): Promise<number> {
  let query = db.selectFrom('dose_day').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('count'), sql<number>`0`).as('n')).where('day', '=', day);
  if (scope !== 'city') query = query.where('district_code', '=', scope);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}
