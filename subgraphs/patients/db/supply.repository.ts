/** Stock counters and movements of supplies, and the medicine-package coverage of home patients. */
import { sql, type ExpressionBuilder, type Insertable, type Kysely, type Transaction } from 'kysely';
import { toStockLevel, toStockMovement, type StockLevel, type StockMovement } from './mappers.js';
import type { PatientsDB, SupplyMovementTable } from './tables.js';
import type { SupplyItem } from '../domain/supplies.js';

interface Place {
  facilityId: string;
  item: SupplyItem;
  wardCode: string;
  districtCode: string;
}

const key = (p: { facilityId: string; item: SupplyItem }) => (eb: ExpressionBuilder<PatientsDB, 'supply_stock'>) =>
  eb.and([eb('facility_id', '=', p.facilityId), eb('item', '=', p.item)]);

/** The counter row of a place and item, created empty on first use. */
export async function ensureStock(trx: Transaction<PatientsDB>, p: Place): Promise<void> {
  await trx
    .insertInto('supply_stock')
    .values({ facility_id: p.facilityId, item: p.item, ward_code: p.wardCode, district_code: p.districtCode })
    .onConflict((oc) => oc.columns(['facility_id', 'item']).doNothing())
    .execute();
}

/** The ward of a place that holds (or held) stock, from any of its counter rows. */
export async function placeOf(db: Kysely<PatientsDB>, facilityId: string): Promise<{ wardCode: string } | undefined> {
  const row = await db.selectFrom('supply_stock').select('ward_code').where('facility_id', '=', facilityId).limit(1).executeTakeFirst();
  return row && { wardCode: row.ward_code };
}

/** The places of a ward that keep `item` (a stock row, whatever is on hand). */
export async function stockPlacesOfWard(db: Kysely<PatientsDB>, wardCode: string, item: SupplyItem): Promise<string[]> {
  const rows = await db.selectFrom('supply_stock').select('facility_id').where('ward_code', '=', wardCode).where('item', '=', item).orderBy('facility_id').execute();
  return rows.map((r) => r.facility_id);
}

export async function stockOf(db: Kysely<PatientsDB>, p: { facilityId: string; item: SupplyItem }): Promise<StockLevel | undefined> {
  const row = await db.selectFrom('supply_stock').selectAll().where(key(p)).executeTakeFirst();
  return row && toStockLevel(row);
}

/** Locks the counter row: the writer that holds it is the only one changing that stock. */
export async function lockStock(trx: Transaction<PatientsDB>, p: { facilityId: string; item: SupplyItem }): Promise<StockLevel | undefined> {
  const row = await trx.selectFrom('supply_stock').selectAll().where(key(p)).forUpdate().executeTakeFirst();
  return row && toStockLevel(row);
}

/**
 * Moves stock by `delta` (positive in, negative out) on the counter named, in one conditional
 * statement: it never takes on_hand below zero, and answers undefined when it would have.
 */
export async function moveStock(
  trx: Transaction<PatientsDB>,
  p: { facilityId: string; item: SupplyItem },
  counter: 'received' | 'dispensed' | 'adjusted',
  delta: number,
): Promise<StockLevel | undefined> {
  // dispensed counts upwards while on_hand goes down; received and adjusted move with on_hand.
  const counterDelta = counter === 'dispensed' ? -delta : delta;
  const row = await trx
    .updateTable('supply_stock')
    .set((eb) => ({
      [counter]: eb(counter, '+', counterDelta),
      on_hand: eb('on_hand', '+', delta),
      updated_at: sql<Date>`now()`,
    }))
    .where(key(p))
    .where('on_hand', '>=', -delta)
    .returningAll()
    .executeTakeFirst();
  return row && toStockLevel(row);
}

export async function setThreshold(trx: Transaction<PatientsDB>, p: { facilityId: string; item: SupplyItem }, threshold: number): Promise<StockLevel> {
  const row = await trx
    .updateTable('supply_stock')
    .set({ low_threshold: threshold, updated_at: sql<Date>`now()` })
    .where(key(p))
    .returningAll()
    .executeTakeFirstOrThrow();
  return toStockLevel(row);
}

export async function insertMovement(trx: Transaction<PatientsDB>, values: Insertable<SupplyMovementTable>): Promise<StockMovement> {
  return toStockMovement(await trx.insertInto('supply_movement').values(values).returningAll().executeTakeFirstOrThrow());
}

/** The movement `actor` made with this retry key (keys are per writer). */
export async function movementByIdempotencyKey(db: Kysely<PatientsDB>, actor: string, idempotencyKey: string): Promise<StockMovement | undefined> {
  const row = await db.selectFrom('supply_movement').selectAll().where('actor_subject', '=', actor).where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
  return row && toStockMovement(row);
}

export async function stockByFacilities(db: Kysely<PatientsDB>, facilityIds: readonly string[]): Promise<StockLevel[]> {
  if (facilityIds.length === 0) return [];
  const rows = await db.selectFrom('supply_stock').selectAll().where('facility_id', 'in', facilityIds).orderBy('facility_id').orderBy('item').execute();
  return rows.map(toStockLevel);
}

/** Movements of one place, newest first, after a (time, id) cursor. */
export async function movementsOf(db: Kysely<PatientsDB>, facilityId: string, after: [string, string] | undefined, limit: number): Promise<StockMovement[]> {
  let q = db.selectFrom('supply_movement').selectAll().where('facility_id', '=', facilityId);
  if (after) q = q.where((eb) => eb.or([eb('at', '<', new Date(after[0])), eb.and([eb('at', '=', new Date(after[0])), eb('id', '<', after[1])])]));
  const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toStockMovement);
}

export interface AreaStockRow {
  area: string;
  item: SupplyItem;
  received: number;
  dispensed: number;
  onHand: number;
  placesLow: number;
}

/** Stock per item summed over the places of each ward or district. */
export async function stockByArea(db: Kysely<PatientsDB>, area: 'ward_code' | 'district_code', codes: readonly string[]): Promise<AreaStockRow[]> {
  if (codes.length === 0) return [];
  const rows = await db
    .selectFrom('supply_stock')
    .where(area, 'in', codes)
    .select([
      sql<string>`${sql.ref(area)}`.as('area'),
      'item',
      sql<string>`sum(received)`.as('received'),
      sql<string>`sum(dispensed)`.as('dispensed'),
      sql<string>`sum(on_hand)`.as('on_hand'),
      sql<string>`count(*) filter (where on_hand <= low_threshold)`.as('low'),
    ])
    .groupBy([area, 'item'])
    .orderBy('item')
    .execute();
  return rows.map((r) => ({ area: r.area, item: r.item, received: Number(r.received), dispensed: Number(r.dispensed), onHand: Number(r.on_hand), placesLow: Number(r.low) }));
}

export interface CoverageRow {
  area: string;
  homePatients: number;
  withPackage: number;
}

/** Home patients under treatment, and how many of them have received at least one medicine package. */
export async function packageCoverageByArea(db: Kysely<PatientsDB>, area: 'ward_code' | 'district_code', codes: readonly string[]): Promise<CoverageRow[]> {
  if (codes.length === 0) return [];
  const rows = await db
    .selectFrom('patient as p')
    .where(`p.${area}`, 'in', codes)
    .where('p.status', '=', 'UNDER_TREATMENT')
    .where('p.care_setting', '=', 'HOME')
    .select([
      sql<string>`p.${sql.ref(area)}`.as('area'),
      sql<string>`count(*)`.as('home'),
      sql<string>`count(*) filter (where exists (select 1 from medicine_package m where m.patient_id = p.id))`.as('with_package'),
    ])
    .groupBy(`p.${area}`)
    .execute();
  return rows.map((r) => ({ area: r.area, homePatients: Number(r.home), withPackage: Number(r.with_package) }));
}
