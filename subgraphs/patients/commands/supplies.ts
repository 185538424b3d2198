/**
 * Supplies at stations and other facilities: receipts (wards procure them), corrections after a
 * recount, low-stock thresholds. Dispensing a medicine package lives with the rest of the
 * package rules in care.ts and takes its stock through `takeStock` here, in the same transaction.
 *
 * Facilities owns the places and publishes no event when one is created, so the place's ward is
 * asked of the graph before a write (the same registered lookup quarantine orders use); it is
 * kept on the counter row so reads and live feeds need no lookup.
 */
import type { Viewer } from '../../common/auth/viewer.js';
import { assertActsOn, assertCaresFor, notFoundFor } from '../../common/auth/jurisdiction.js';
import { ConflictError, NotFoundError, Problems, ValidationError } from '../../common/domain/errors.js';
import { districtOfWard } from '../../common/admin-units.js';
import { isUniqueViolation } from '../../common/db/errors.js';
import type { Transaction } from '../../common/db/database.js';
import { publish } from '../../common/events/publish.js';
import { TOPICS } from '../../common/events/catalog.js';
import { TEXT_LIMITS, checkId, checkIdempotencyKey, checkText, isUuid } from '../../common/domain/input-rules.js';
import { ensureStock, insertMovement, lockStock, moveStock, movementByIdempotencyKey, placeOf, setThreshold, stockOf, stockPlacesOfWard } from '../db/supply.repository.js';
import type { StockLevel, StockMovement } from '../db/mappers.js';
import type { PatientsDB, SupplyMovementTable } from '../db/tables.js';
import { MAX_MOVEMENT_QUANTITY, becameLow, isLow, type MovementKind, type SupplyItem } from '../domain/supplies.js';
import { OutOfStock } from '../domain/errors.js';
import type { PatientsRuntime } from '../context.js';
import { QUARANTINE_AREAS, type QuarantineAreaDirectory } from './quarantine-areas.js';
import type { Insertable } from 'kysely';
import { patientsByIds } from '../db/patient.repository.js';

/** Published on every change of a place's stock: its whole state, and whether this change made it low. */
export interface StockChangedPayload extends Omit<StockLevel, 'updatedAt'> {
  low: boolean;
  /** This change took the stock from above its threshold to at or below it: the moment to alert. */
  becameLow: boolean;
  cause: MovementKind | 'THRESHOLD';
  at: string;
}

export interface StockPlace {
  facilityId: string;
  wardCode: string;
  districtCode: string;
}

/**
 * The place, after a check that the viewer may change its stock. A place that already holds stock
 * is known here (a facility never changes ward); only a place's first stock asks facilities.
 */
export async function stockPlaceFor(runtime: PatientsRuntime, viewer: Viewer, facilityId: string, requestId: string, action: string): Promise<StockPlace> {
  const known = await placeOf(runtime.db, facilityId);
  const wardCode = known?.wardCode ?? (await runtime.service<QuarantineAreaDirectory>(QUARANTINE_AREAS).lookup(facilityId, requestId, 'facility'))?.wardCode;
  if (!wardCode) throw new NotFoundError('Facility', facilityId);
  assertActsOn(viewer, 'clinical', [wardCode], action);
  return { facilityId, wardCode, districtCode: districtOfWard(wardCode)! };
}

/**
 * Where a package given without a named station comes from: the one place of the patient's ward
 * that keeps that item. None, or several, and the writer must name it (a ValidationError on
 * stationId), so every package given is a package taken from some stock. The patient's
 * jurisdiction is checked first, so the answer tells an outsider nothing about the ward's stock.
 */
export async function wardStockPlace(runtime: PatientsRuntime, viewer: Viewer, patientId: string, item: SupplyItem): Promise<StockPlace> {
  const action = 'dispense medicine to this patient';
  const [patient] = isUuid(patientId) ? await patientsByIds(runtime.db, [patientId]) : [];
  if (!patient) throw notFoundFor(viewer, 'Patient', patientId, action);
  assertCaresFor(viewer, patient.wardCode, action);
  const places = await stockPlacesOfWard(runtime.db, patient.wardCode, item);
  if (places.length !== 1) {
    throw new ValidationError([
      {
        path: ['input', 'stationId'],
        message: places.length === 0 ? `No place of the patient's ward keeps ${item}: name the station it comes from` : `Several places of the patient's ward keep ${item}: name the station it comes from`,
      },
    ]);
  }
  return { facilityId: places[0]!, wardCode: patient.wardCode, districtCode: districtOfWard(patient.wardCode)! };
}

export const stockEvent = (before: { onHand: number; lowThreshold: number }, after: StockLevel, cause: StockChangedPayload['cause']) => ({
  topic: TOPICS.stockChanged,
  key: `${after.facilityId}:${after.item}`,
  payload: {
    facilityId: after.facilityId,
    item: after.item,
    wardCode: after.wardCode,
    districtCode: after.districtCode,
    received: after.received,
    dispensed: after.dispensed,
    adjusted: after.adjusted,
    onHand: after.onHand,
    lowThreshold: after.lowThreshold,
    low: isLow(after.onHand, after.lowThreshold),
    becameLow: becameLow(before, after),
    cause,
    at: after.updatedAt.toISOString(),
  } satisfies StockChangedPayload,
});

type MovementFacts = Omit<Insertable<SupplyMovementTable>, 'on_hand_after' | 'facility_id' | 'item' | 'kind' | 'quantity' | 'actor_subject' | 'actor_role'>;

/**
 * Moves stock and records the movement, in the caller's transaction, which publishes the returned
 * event as its last write. `quantity`
 * is what the movement records (positive for receipts and dispenses, signed for adjustments).
 * Throws OutOfStock, before anything is written, when it would take on hand below zero.
 */
export async function takeStock(
  trx: Transaction<PatientsDB>,
  viewer: Viewer,
  place: StockPlace & { item: SupplyItem },
  kind: MovementKind,
  quantity: number,
  facts: MovementFacts,
): Promise<{ movement: StockMovement; stock: StockLevel; event: ReturnType<typeof stockEvent> }> {
  const delta = kind === 'DISPENSED' ? -quantity : quantity;
  if (kind !== 'DISPENSED') await ensureStock(trx, place);
  const counter = kind === 'RECEIVED' ? 'received' : kind === 'DISPENSED' ? 'dispensed' : 'adjusted';
  const stock = await moveStock(trx, place, counter, delta);
  if (!stock) throw new OutOfStock(place.facilityId, place.item, (await stockOf(trx, place))?.onHand ?? 0, -delta);
  const movement = await insertMovement(trx, {
    ...facts,
    facility_id: place.facilityId,
    item: place.item,
    kind,
    quantity,
    on_hand_after: stock.onHand,
    actor_subject: viewer.subject,
    actor_role: viewer.role,
  });
  return { movement, stock, event: stockEvent({ onHand: stock.onHand - delta, lowThreshold: stock.lowThreshold }, stock, kind) };
}

export interface StockMoveInput {
  facilityId: string;
  item: SupplyItem;
  quantity: number;
  reason: string;
  idempotencyKey?: string | null;
}

/** A receipt (positive quantity) or a correction after a recount (signed, never zero). */
export async function recordStockMovement(
  runtime: PatientsRuntime,
  viewer: Viewer,
  kind: 'RECEIVED' | 'ADJUSTED',
  input: StockMoveInput,
  requestId: string,
): Promise<StockMovement> {
  const problems = new Problems();
  const facilityId = checkId(problems, input.facilityId, ['input', 'facilityId'], 'facilityId');
  const reason = checkText(problems, input.reason, ['input', 'reason'], 'reason', { max: TEXT_LIMITS.REASON });
  const least = kind === 'RECEIVED' ? 1 : -MAX_MOVEMENT_QUANTITY;
  problems.check(
    Number.isInteger(input.quantity) && input.quantity >= least && input.quantity <= MAX_MOVEMENT_QUANTITY && input.quantity !== 0,
    ['input', 'quantity'],
    kind === 'RECEIVED' ? `quantity must be 1 to ${MAX_MOVEMENT_QUANTITY}` : `quantity must be a change of 1 to ${MAX_MOVEMENT_QUANTITY} either way`,
  );
  checkIdempotencyKey(problems, input.idempotencyKey, ['input', 'idempotencyKey']);
  problems.throwIfAny();
  const action = kind === 'RECEIVED' ? 'receive stock at this facility' : 'adjust stock at this facility';
  const place = await stockPlaceFor(runtime, viewer, facilityId, requestId, action);
  const replay = (m: StockMovement) => {
    const same = m.kind === kind && m.facilityId === place.facilityId && m.item === input.item && m.quantity === input.quantity && m.reason === reason;
    if (!same) throw new ConflictError('This idempotencyKey was already used for a different stock movement; use a new key for a new movement');
    return m;
  };
  if (input.idempotencyKey) {
    const existing = await movementByIdempotencyKey(runtime.db, viewer.subject, input.idempotencyKey);
    if (existing) return replay(existing);
  }
  try {
    return await runtime.db.transaction().execute(async (trx) => {
      const { movement, event } = await takeStock(trx, viewer, { ...place, item: input.item }, kind, input.quantity, { reason, idempotency_key: input.idempotencyKey ?? null });
      await publish(trx, [event]);
      return movement;
    });
  } catch (error) {
    if (input.idempotencyKey && isUniqueViolation(error, 'supply_movement_actor_key')) {
      const existing = await movementByIdempotencyKey(runtime.db, viewer.subject, input.idempotencyKey);
      if (existing) return replay(existing);
    }
    throw error;
  }
}

/** The level at or below which a place's item counts as low (and the live alert fires). */
export async function setStockThreshold(
  runtime: PatientsRuntime,
  viewer: Viewer,
  input: { facilityId: string; item: SupplyItem; threshold: number },
  requestId: string,
): Promise<StockLevel> {
  const problems = new Problems();
  const facilityId = checkId(problems, input.facilityId, ['input', 'facilityId'], 'facilityId');
  problems.check(
    Number.isInteger(input.threshold) && input.threshold >= 0 && input.threshold <= MAX_MOVEMENT_QUANTITY,
    ['input', 'threshold'],
    `threshold must be 0 to ${MAX_MOVEMENT_QUANTITY}`,
  );
  problems.throwIfAny();
  const place = { ...(await stockPlaceFor(runtime, viewer, facilityId, requestId, 'set a stock threshold at this facility')), item: input.item };
  return runtime.db.transaction().execute(async (trx) => {
    await ensureStock(trx, place);
    const before = (await lockStock(trx, place))!;
    if (before.lowThreshold === input.threshold) return before;
    const after = await setThreshold(trx, place, input.threshold);
    await publish(trx, [stockEvent(before, after, 'THRESHOLD')]);
    return after;
  });
}
