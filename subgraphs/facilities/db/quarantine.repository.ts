/**
 * Occupancy of concentrated quarantine areas. An area's places are its GENERAL bed row; its
 * occupants are the people that row records (counted before orders were kept here, or set by
 * operators) plus the quarantine orders in force there, projected from the patients subgraph.
 * The orders are kept apart from the bed row so that the row's own arithmetic (never more
 * occupied than designated) is never broken by an order decided elsewhere.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { BedKind } from '../../common/domain/enums.js';
import type { FacilitiesDB } from './tables.js';

/** The bed kind whose row holds a quarantine area's places. */
export const QUARANTINE_PLACE_KIND: BedKind = 'GENERAL';

/** Orders in force per facility, to be added to its GENERAL row's occupied count (none when not `counted`). */
export function activeStays(db: Kysely<FacilitiesDB> | Transaction<FacilitiesDB>, counted = true) {
  return db
    .selectFrom('quarantine_stay')
    .where('active', '=', true)
    .where(sql<boolean>`${sql.lit(counted)}`)
    .groupBy('facility_id')
    .select((eb) => ['facility_id', eb.fn.countAll<number>().as('n')])
    .as('stays');
}

/** The SQL for a bed row's occupants, orders in force included (bed row aliased `b`). */
export const occupiedWithStays = sql<number>`b.occupied + case when b.kind = ${QUARANTINE_PLACE_KIND} then coalesce(stays.n, 0) else 0 end`;

/** The same count for a bed row `b` read on its own, as SQL text (a correlated count of its stays). */
export const OCCUPIED_WITH_STAYS_SQL = `b.occupied + case when b.kind = '${QUARANTINE_PLACE_KIND}'
  then (select count(*) from quarantine_stay s where s.facility_id = b.facility_id and s.active)::int else 0 end`;

/** The quarantine orders in force in one area now. */
export async function countActiveStays(db: Kysely<FacilitiesDB> | Transaction<FacilitiesDB>, facilityId: string): Promise<number> {
  const row = await db
    .selectFrom('quarantine_stay')
    .where('facility_id', '=', facilityId)
    .where('active', '=', true)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Applies a quarantine order's state to its area: one row per order, so an event applied twice,
 * or a later state of the same order, never counts anyone twice. Answers the area's orders in
 * force before and after (the same when nothing changed), or undefined for an area this database
 * does not hold. The caller holds the facility's lock, as capacity changes do.
 */
export async function applyQuarantineStay(
  trx: Transaction<FacilitiesDB>,
  orderId: string,
  facilityId: string,
  active: boolean,
  at: Date,
): Promise<{ before: number; after: number } | undefined> {
  const known = await trx.selectFrom('facility').select('id').where('id', '=', facilityId).executeTakeFirst();
  if (!known) return undefined; // an area this database does not hold: nothing to count
  const before = await countActiveStays(trx, facilityId);
  await trx
    .insertInto('quarantine_stay')
    .values({ order_id: orderId, facility_id: facilityId, active, updated_at: at })
    .onConflict((oc) => oc.column('order_id').doUpdateSet({ active, updated_at: at }))
    .execute();
  return { before, after: await countActiveStays(trx, facilityId) };
}
