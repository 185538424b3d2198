import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { BedKind, TreatmentTier } from '../../common/domain/enums.js';
import type { FacilityKind, FacilityStatus } from '../domain/facility.js';
import { NON_TREATMENT_KINDS } from '../domain/capacity.js';
import { toBeds, toFacility, type Beds, type Facility } from './mappers.js';
import type { FacilitiesDB } from './tables.js';
import { activeStays, occupiedWithStays } from './quarantine.repository.js';

export interface FacilityFilter {
  districtCode?: string | null;
  wardCode?: string | null;
  kinds?: readonly FacilityKind[] | null;
  tier?: TreatmentTier | null;
  status?: readonly FacilityStatus[] | null;
  withAvailable?: BedKind | null;
}

function matches(eb: ExpressionBuilder<FacilitiesDB & { f: FacilitiesDB['facility'] }, 'f'>, filter: FacilityFilter): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = [];
  if (filter.districtCode) conditions.push(eb('f.district_code', '=', filter.districtCode));
  if (filter.wardCode) conditions.push(eb('f.ward_code', '=', filter.wardCode));
  if (filter.kinds?.length) conditions.push(eb('f.kind', 'in', filter.kinds));
  if (filter.status?.length) conditions.push(eb('f.status', 'in', filter.status));
  if (filter.tier) conditions.push(sql<SqlBool>`${filter.tier} = any(f.serves_tiers)`);
  if (filter.withAvailable) {
    conditions.push(
      eb.exists(
        eb
          .selectFrom('bed as b')
          .select(sql`1`.as('one'))
          .whereRef('b.facility_id', '=', 'f.id')
          .where('b.kind', '=', filter.withAvailable)
          .whereRef('b.covid_designated', '>', 'b.occupied'),
      ),
    );
  }
  return eb.and(conditions);
}

/** A page of facilities ordered by name then id, after the (name, id) cursor; one row extra tells if more follow. */
export async function searchFacilities(
  db: Kysely<FacilitiesDB>,
  filter: FacilityFilter,
  after: readonly [string, string] | undefined,
  limit: number,
): Promise<Facility[]> {
  let query = db
    .selectFrom('facility as f')
    .selectAll('f')
    .where((eb) => matches(eb, filter));
  if (after) query = query.where((eb) => eb(eb.refTuple('f.name', 'f.id'), '>', eb.tuple(after[0], after[1])));
  const rows = await query.orderBy('f.name').orderBy('f.id').limit(limit).execute();
  return rows.map(toFacility);
}

export async function countFacilities(db: Kysely<FacilitiesDB>, filter: FacilityFilter): Promise<number> {
  const row = await db
    .selectFrom('facility as f')
    .where((eb) => matches(eb, filter))
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function facilitiesByIds(db: Kysely<FacilitiesDB>, ids: readonly string[]): Promise<Facility[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('facility').selectAll().where('id', 'in', ids).execute();
  return rows.map(toFacility);
}

export async function bedsByFacilityIds(db: Kysely<FacilitiesDB>, ids: readonly string[]): Promise<Beds[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('bed as b')
    .leftJoin(activeStays(db), 'stays.facility_id', 'b.facility_id')
    .select(['b.facility_id', 'b.kind', 'b.total', 'b.covid_designated', 'b.updated_at', occupiedWithStays.as('occupied')])
    .where('b.facility_id', 'in', ids)
    .orderBy('b.facility_id')
    .orderBy(sql`array_position(array['GENERAL','OXYGEN','ICU'], b.kind)`)
    .execute();
  return rows.map((r) => toBeds({ ...r, occupied: Number(r.occupied) }));
}

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

