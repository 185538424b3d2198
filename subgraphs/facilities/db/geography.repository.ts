import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { BedKind } from '../../common/domain/enums.js';
import { NON_TREATMENT_KINDS, type BedCounts, type CapacityUse } from '../domain/capacity.js';
import { toDistrict, toWard, type District, type Ward } from './mappers.js';
import type { DistrictRow, FacilitiesDB } from './tables.js';
import { activeStays, occupiedWithStays } from './quarantine.repository.js';
import { plannedEachTimeIf } from '../../common/db/database.js';

/** Every district, by code. SQL text: every CityOverview lists them, and Kysely compiled the query each time. */
export async function listDistricts(db: Kysely<FacilitiesDB>): Promise<District[]> {
  const { rows } = await db.executeQuery<DistrictRow>(LIST_DISTRICTS);
  return rows.map(toDistrict);
}

const LIST_DISTRICTS = CompiledQuery.raw('select * from district order by code');

export async function districtsByCodes(db: Kysely<FacilitiesDB>, codes: readonly string[]): Promise<District[]> {
  if (codes.length === 0) return [];
  const rows = await db.selectFrom('district').selectAll().where('code', 'in', codes).execute();
  return rows.map(toDistrict);
}

export async function wardsByCodes(db: Kysely<FacilitiesDB>, codes: readonly string[]): Promise<Ward[]> {
  if (codes.length === 0) return [];
  const rows = await db.selectFrom('ward').selectAll().where('code', 'in', codes).execute();
  return rows.map(toWard);
}

export async function wardsByDistricts(db: Kysely<FacilitiesDB>, districtCodes: readonly string[]): Promise<Ward[]> {
  if (districtCodes.length === 0) return [];
  const rows = await db.selectFrom('ward').selectAll().where('district_code', 'in', districtCodes).orderBy('code').execute();
  return rows.map(toWard);
}

export interface AreaBedCounts extends BedCounts {
  area: string;
}

type Area = 'ward_code' | 'district_code';

/**
 * Beds of active facilities, summed per area and kind, for many areas in one statement.
 * `areas` undefined sums the whole city under the area "city". `use` picks treatment beds or
 * quarantine places; the two are never summed together. Districts' and the city's treatment
 * beds come from the rollup `district_capacity` (migration 2026-11-29T02-00-00_district_capacity),
 * the rest from the bed rows.
 */
export async function bedTotalsByArea(
  db: Kysely<FacilitiesDB>,
  area: Area | 'city',
  areas?: readonly string[],
  use: CapacityUse = 'TREATMENT',
): Promise<AreaBedCounts[]> {
  if (areas && areas.length === 0) return [];
  if (use === 'TREATMENT' && area !== 'ward_code') return treatmentBedsFromRollup(db, area, areas);
  return bedTotalsFromBeds(db, area, areas, use);
}

/** Treatment beds of districts or the city from the rollup; a kind whose last bed row went away is left out. */
async function treatmentBedsFromRollup(db: Kysely<FacilitiesDB>, area: 'district_code' | 'city', districts?: readonly string[]): Promise<AreaBedCounts[]> {
  const { rows } = await sql<{ area: string; kind: string; total: number; covid_designated: number; occupied: number }>`
    select ${area === 'city' ? sql`'city'` : sql`district_code`} as area, kind,
           sum(total)::int as total, sum(covid_designated)::int as covid_designated, sum(occupied)::int as occupied
      from district_capacity
     where ${area === 'city' || !districts ? sql`true` : sql`district_code = any(${sql.val([...districts])}::text[])`}
     group by 1, 2
    having sum(beds) > 0`.execute(db);
  return rows.map((r) => ({ area: r.area, kind: r.kind as BedKind, total: r.total, covidDesignated: r.covid_designated, occupied: r.occupied }));
}

/** The same sums from the bed rows themselves (wards, quarantine places, and the rollup's recount). */
export async function bedTotalsFromBeds(
  db: Kysely<FacilitiesDB>,
  area: Area | 'city',
  areas?: readonly string[],
  use: CapacityUse = 'TREATMENT',
): Promise<AreaBedCounts[]> {
  if (areas && areas.length === 0) return [];
  let query = db
    .selectFrom('bed as b')
    .innerJoin('facility as f', 'f.id', 'b.facility_id')
    // Quarantine orders in force count as occupants of quarantine areas only.
    .leftJoin(activeStays(db, use === 'QUARANTINE'), 'stays.facility_id', 'b.facility_id')
    .where('f.status', '=', 'ACTIVE')
    .where('f.kind', use === 'TREATMENT' ? 'not in' : 'in', [...NON_TREATMENT_KINDS])
    .select((eb) => [
      area === 'city' ? sql<string>`'city'`.as('area') : eb.ref(`f.${area}`).as('area'),
      'b.kind',
      eb.fn.sum<number>('b.total').as('total'),
      eb.fn.sum<number>('b.covid_designated').as('covid_designated'),
      eb.fn.sum<number>(occupiedWithStays).as('occupied'),
    ])
    .groupBy(area === 'city' ? ['b.kind'] : [`f.${area}`, 'b.kind']);
  if (area !== 'city' && areas) query = query.where(`f.${area}`, 'in', areas);
  // Planned for each execution's areas when they are many (see PLANNED_EACH_TIME).
  const rows = await query.modifyEnd(plannedEachTimeIf(areas?.length ?? 1)).execute();
  return rows.map((r) => ({
    area: r.area,
    kind: r.kind as BedKind,
    total: Number(r.total),
    covidDesignated: Number(r.covid_designated),
    occupied: Number(r.occupied),
  }));
}

export interface StationCount {
  wardCode: string;
  status: string;
  count: number;
}

export async function mobileStationsByWards(db: Kysely<FacilitiesDB>, wardCodes: readonly string[]): Promise<StationCount[]> {
  if (wardCodes.length === 0) return [];
  const rows = await db
    .selectFrom('facility')
    .where('kind', '=', 'MOBILE_HEALTH_STATION')
    .where('ward_code', 'in', wardCodes)
    .select((eb) => ['ward_code', 'status', eb.fn.countAll<number>().as('count')])
    .groupBy(['ward_code', 'status'])
    .execute();
  return rows.map((r) => ({ wardCode: r.ward_code, status: r.status, count: Number(r.count) }));
}
