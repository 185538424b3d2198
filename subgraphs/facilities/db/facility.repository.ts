import { CompiledQuery, sql, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { BedKind, TreatmentTier } from '../../common/domain/enums.js';
import type { FacilityKind, FacilityStatus } from '../domain/facility.js';
import { NON_TREATMENT_KINDS } from '../domain/capacity.js';
import { toBeds, toFacility, type Beds, type Facility } from './mappers.js';
import type { BedRow, FacilitiesDB, FacilityRow } from './tables.js';
import { OCCUPIED_WITH_STAYS_SQL } from './quarantine.repository.js';

export interface FacilityFilter {
  districtCode?: string | null;
  wardCode?: string | null;
  kinds?: readonly FacilityKind[] | null;
  tier?: TreatmentTier | null;
  status?: readonly FacilityStatus[] | null;
  withAvailable?: BedKind | null;
}

/**
 * The filter as SQL conditions on facility row `f`, its values appended to `params`. The page and
 * the count are the hottest reads of the graph (every capacity board), so they are written as SQL
 * text: building and compiling them with Kysely's query builder cost about a millisecond of CPU
 * per board, more than PostgreSQL took to run them.
 */
function filterSql(filter: FacilityFilter, params: unknown[]): string {
  const param = (value: unknown) => `$${params.push(value)}`;
  const conditions: string[] = [];
  if (filter.districtCode) conditions.push(`f.district_code = ${param(filter.districtCode)}`);
  if (filter.wardCode) conditions.push(`f.ward_code = ${param(filter.wardCode)}`);
  if (filter.kinds?.length) conditions.push(`f.kind = any(${param(filter.kinds)})`);
  if (filter.status?.length) conditions.push(`f.status = any(${param(filter.status)})`);
  if (filter.tier) conditions.push(`${param(filter.tier)} = any(f.serves_tiers)`);
  if (filter.withAvailable) {
    conditions.push(`exists (select 1 from bed b where b.facility_id = f.id and b.kind = ${param(filter.withAvailable)} and b.covid_designated > b.occupied)`);
  }
  return conditions.length ? conditions.join(' and ') : 'true';
}

type PageRow = FacilityJson & {
  ward_name: string;
  ward_kind: string;
  ward_population: number;
  ward_district_code: string;
  beds?: BedJson[];
};

/**
 * A page row as one JSON object: what a Facility holds and no more (`created_at` is not part of
 * it), `updated_at` as milliseconds since the epoch, the ward's columns, and the beds when asked.
 *
 * One JSON value per row instead of sixteen columns, from the facilities profile of a capacity
 * board: pg turns every column of every row into a string (a Buffer slice and a UTF-8 decode)
 * and then through its type parser, postgres-date's regular expressions for each timestamp and
 * postgres-array's for the tiers; for 51 rows that was about 800 strings and 100 date parses,
 * where one JSON.parse per row makes the same objects natively.
 */
const pageRowJson = (withBeds: boolean) => `json_build_object(${FACILITY_JSON_FIELDS},
  'ward_name', w.name, 'ward_kind', w.kind, 'ward_population', w.population, 'ward_district_code', w.district_code
  ${withBeds ? `, 'beds', ${BEDS_OF_FACILITY_JSON}` : ''})`;

/** The keys and values of facility row `f` for `json_build_object` (see pageRowJson; fromFacilityJson reads them). */
const FACILITY_JSON_FIELDS = `
  'id', f.id, 'name', f.name, 'kind', f.kind, 'level', f.level, 'ownership', f.ownership, 'status', f.status,
  'ward_code', f.ward_code, 'district_code', f.district_code, 'serves_tiers', f.serves_tiers, 'address', f.address,
  'updated_ms', floor(extract(epoch from f.updated_at) * 1000)`;

/** Facility row `f` as one JSON object, for a statement that reads a facility beside other things. */
export const FACILITY_JSON = `json_build_object(${FACILITY_JSON_FIELDS})`;

/** A facility as FACILITY_JSON makes it: `updated_at` as milliseconds since the epoch. */
export type FacilityJson = Omit<FacilityRow, 'created_at' | 'updated_at'> & { updated_ms: number };
/** A Facility from FACILITY_JSON's object (which it reuses: a page makes 51 of them). */
export const fromFacilityJson = (r: FacilityJson): Facility => toFacility(Object.assign(r, { updated_at: new Date(r.updated_ms) }));

interface BedJson {
  kind: BedRow['kind'];
  total: number;
  covid_designated: number;
  occupied: number;
  /** Milliseconds since the epoch: a number is cheap to turn into a Date, PostgreSQL's JSON timestamp text is not. */
  updated_ms: number;
}

/**
 * The beds of facility row `f` as a JSON array, in bedsByFacilityIds' order and with its counts: a
 * quarantine area's places count the orders in force there as occupants.
 */
const BEDS_OF_FACILITY_JSON = `(
  select coalesce(json_agg(json_build_object(
           'kind', b.kind, 'total', b.total, 'covid_designated', b.covid_designated,
           'updated_ms', floor(extract(epoch from b.updated_at) * 1000),
           'occupied', ${OCCUPIED_WITH_STAYS_SQL})
         order by array_position(array['GENERAL','OXYGEN','ICU'], b.kind)), '[]')
    from bed b
   where b.facility_id = f.id)`;

/**
 * A page of facilities ordered by name then id, after the (name, id) cursor; one row extra tells if
 * more follow. Each row brings its ward (a join on the primary key) and, when `withBeds`, its beds
 * as one JSON array, so that a capacity board is one statement instead of a page, a ward lookup
 * and a bed lookup one after the other. With `withCount`, the same statement counts every match
 * too (a scalar subquery, run once).
 *
 * The page comes back as one JSON array in one row, and the count beside it: one statement, one
 * write to the server and one answer to read, where the page and a separate count on a second
 * connection made two of each (a system call per statement was the facilities process's largest
 * frame for a capacity board), and pg parses one row instead of 51.
 */
export async function searchFacilities(
  db: Kysely<FacilitiesDB>,
  filter: FacilityFilter,
  after: readonly [string, string] | undefined,
  limit: number,
  { withBeds = false, withCount = false }: { withBeds?: boolean; withCount?: boolean } = {},
): Promise<{ facilities: Facility[]; totalCount?: number }> {
  const params: unknown[] = [];
  const filtered = filterSql(filter, params);
  let where = filtered;
  if (after) where += ` and (f.name, f.id) > ($${params.push(after[0])}, $${params.push(after[1])})`;
  const { rows } = await db.executeQuery<{ page: PageRow[]; total?: string }>(
    CompiledQuery.raw(
      `select coalesce((select json_agg(p.facility order by p.name, p.id)
                          from (select f.name, f.id, ${pageRowJson(withBeds)} as facility
                                  from facility f join ward w on w.code = f.ward_code
                                 where ${where}
                                 order by f.name, f.id
                                 limit $${params.push(limit)}) p), '[]') as page
              ${withCount ? `, (${countSql(filtered)}) as total` : ''}`,
      params,
    ),
  );
  const { page, total } = rows[0]!;
  const facilities = page.map((r) => {
    const facility = fromFacilityJson(r);
    facility.ward = { code: r.ward_code, districtCode: r.ward_district_code, name: r.ward_name, kind: r.ward_kind, population: r.ward_population };
    if (r.beds) {
      facility.beds = r.beds.map((b) => ({
        facilityId: r.id,
        kind: b.kind,
        total: b.total,
        covidDesignated: b.covid_designated,
        occupied: b.occupied,
        updatedAt: new Date(b.updated_ms),
      }));
    }
    return facility;
  });
  return total === undefined ? { facilities } : { facilities, totalCount: Number(total) };
}

/** How many facilities the conditions (filterSql) match. */
const countSql = (conditions: string) => `select count(*) from facility f where ${conditions}`;

export async function countFacilities(db: Kysely<FacilitiesDB>, filter: FacilityFilter): Promise<number> {
  const params: unknown[] = [];
  const { rows } = await db.executeQuery<{ count: string }>(CompiledQuery.raw(countSql(filterSql(filter, params)), params));
  return Number(rows[0]!.count);
}

export async function facilitiesByIds(db: Kysely<FacilitiesDB>, ids: readonly string[]): Promise<Facility[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('facility').selectAll().where('id', 'in', ids).execute();
  return rows.map(toFacility);
}

/**
 * The beds of these facilities, each facility's as GENERAL, OXYGEN, ICU, with their occupants
 * (a quarantine area's orders in force included). SQL text with the ids as one array parameter:
 * every admission's answer reads its facility's beds through this, and building the query with
 * Kysely (a join on the active stays, compiled on every call, its text varying with the number of
 * ids) was 239 of the 732 ms Kysely took in the facilities process under `--profile contention`.
 */
export async function bedsByFacilityIds(db: Kysely<FacilitiesDB> | Transaction<FacilitiesDB>, ids: readonly string[]): Promise<Beds[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.executeQuery<BedRow>(CompiledQuery.raw(BEDS_BY_FACILITY_IDS, [ids]));
  return rows.map(toBeds);
}

const BEDS_BY_FACILITY_IDS = `
  select b.facility_id, b.kind, b.total, b.covid_designated, b.updated_at, ${OCCUPIED_WITH_STAYS_SQL} as occupied
    from bed b
   where b.facility_id = any($1::text[])
   order by b.facility_id, array_position(array['GENERAL','OXYGEN','ICU'], b.kind)`;

export interface BedMatchRow {
  facility: Facility;
  bedKind: BedKind;
  available: number;
  rank: number;
}

/**
 * Active facilities serving `tier` with a free bed of `bedKind`, best first: same ward, same
 * district, city-level and central sites, then the rest of the city; within each, most free beds.
 */
export async function findFreeBeds(
  db: Kysely<FacilitiesDB>,
  args: { wardCode: string; districtCode: string; tier: TreatmentTier; bedKind: BedKind; limit: number },
): Promise<BedMatchRow[]> {
  const rows = await db
    .selectFrom('facility as f')
    .innerJoin('bed as b', 'b.facility_id', 'f.id')
    .selectAll('f')
    .select([
      'b.kind as bed_kind',
      sql<number>`b.covid_designated - b.occupied`.as('available'),
      sql<number>`case
          when f.ward_code = ${args.wardCode} then 0
          when f.district_code = ${args.districtCode} then 1
          when f.level in ('CITY', 'CENTRAL') then 2
          else 3 end`.as('rank'),
    ])
    .where('f.status', '=', 'ACTIVE')
    // Quarantine places are for F1 contacts, whatever tiers a facility record claims to serve.
    .where('f.kind', 'not in', [...NON_TREATMENT_KINDS])
    .where(sql<SqlBool>`${args.tier} = any(f.serves_tiers)`)
    .where('b.kind', '=', args.bedKind)
    .whereRef('b.covid_designated', '>', 'b.occupied')
    .orderBy('rank')
    .orderBy('available', 'desc')
    .orderBy('f.id')
    .limit(args.limit)
    .execute();
  return rows.map((r) => ({ facility: toFacility(r), bedKind: r.bed_kind, available: Number(r.available), rank: Number(r.rank) }));
}

export async function lockFacility(trx: Transaction<FacilitiesDB>, id: string): Promise<Facility | undefined> {
  const row = await trx.selectFrom('facility').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row && toFacility(row);
}

export async function updateFacilityStatus(trx: Transaction<FacilitiesDB>, id: string, status: FacilityStatus): Promise<Facility> {
  const row = await trx
    .updateTable('facility')
    .set({ status, updated_at: sql`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toFacility(row);
}

