/**
 * Supplies: stock per place and item, its movements (who, when, why), area totals, the share of
 * home patients who received a medicine package, the stock writes and the live low-stock feed.
 * Stock levels and totals carry no personal data; movements name patients and staff, so only
 * clinical roles over the place read them.
 */
import type { PatientsContext } from '../context.js';
import { builder } from '../builder.js';
import { auditedValue } from './personal-field.js';
import { ValidationError, NotFoundError, ConflictError } from '../../common/domain/errors.js';
import { mayReadCase } from '../../common/auth/jurisdiction.js';
import { areaArgs } from '../../common/graphql/area-args.js';
import { TOPICS } from '../../common/events/catalog.js';
import type { EventEnvelope } from '../../common/events/types.js';
import { decodeCursor, pageSize, toPage } from '../../common/graphql/pagination.js';
import type { StockLevel, StockMovement } from '../db/mappers.js';
import { movementsOf, type AreaStockRow, type CoverageRow } from '../db/supply.repository.js';
import { coverageShare, isLow } from '../domain/supplies.js';
import { OutOfStock } from '../domain/errors.js';
import { recordStockMovement, setStockThreshold, type StockChangedPayload } from '../commands/supplies.js';
import { DistrictRef, FacilityRef, WardRef } from './area-refs.js';
import { PatientRef } from './patient.js';
import { StockMovementKindEnum, SupplyItemEnum } from './enums.js';
import { visible } from './subscriptions.js';

export const StockLevelRef = builder.objectRef<StockLevel>('StockLevel').implement({
  description: 'How much of one item a place holds, with its counters since stock was first kept there.',
  fields: (t) => ({
    item: t.field({ type: SupplyItemEnum, description: 'The item.', resolve: (s) => s.item }),
    facility: t.field({ type: FacilityRef, description: 'The place holding it.', resolve: (s) => ({ id: s.facilityId }) }),
    received: t.exposeInt('received', { description: 'Received in total.' }),
    dispensed: t.exposeInt('dispensed', { description: 'Given out in total.' }),
    adjusted: t.exposeInt('adjusted', { description: 'Net corrections after recounts (negative when stock was found missing).' }),
    onHand: t.exposeInt('onHand', { description: 'On hand now: received − dispensed + adjusted, never below zero.' }),
    lowThreshold: t.exposeInt('lowThreshold', { description: 'At or below this the item counts as low (0: only when none is left).' }),
    low: t.boolean({ description: 'On hand is at or below the threshold.', resolve: (s) => isLow(s.onHand, s.lowThreshold) }),
    updatedAt: t.field({ type: 'DateTime', description: 'Last change.', resolve: (s) => s.updatedAt }),
  }),
});

const StockMovementRef = builder.objectRef<StockMovement>('StockMovement').implement({
  description: 'One change of a stock: what, how much, who, when and why.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Movement id.' }),
    item: t.field({ type: SupplyItemEnum, description: 'The item.', resolve: (m) => m.item }),
    kind: t.field({ type: StockMovementKindEnum, description: 'Received, dispensed or adjusted.', resolve: (m) => m.kind }),
    quantity: t.exposeInt('quantity', { description: 'How many (an adjustment is signed).' }),
    onHandAfter: t.exposeInt('onHandAfter', { description: 'On hand right after this movement.' }),
    reason: t.exposeString('reason', { description: 'Why.' }),
    orderReference: t.string({
      nullable: true,
      description: "The doctor's order a dispense was made on, if any; null, like the patient, when the patient is outside your jurisdiction. Every read is audited.",
      resolve: async (m, _args, ctx) => auditedValue(ctx, 'StockMovement', m.id, 'orderReference', await ifPatientReadable(m, m.orderReference, ctx)),
    }),
    prescriber: t.string({
      nullable: true,
      description: 'The prescribing doctor, if any; null, like the patient, when the patient is outside your jurisdiction. Every read is audited.',
      resolve: async (m, _args, ctx) => auditedValue(ctx, 'StockMovement', m.id, 'prescriber', await ifPatientReadable(m, m.prescriber, ctx)),
    }),
    recordedBy: t.exposeString('actorSubject', { description: 'Who made the movement (the subject of their credential).' }),
    recordedByRole: t.exposeString('actorRole', { description: 'Their role when they made it.' }),
    at: t.field({ type: 'DateTime', description: 'When.', resolve: (m) => m.at }),
    stock: t.field({
      type: StockLevelRef,
      description: 'The stock it changed, as it is now.',
      resolve: async (m, _args, ctx) => (await ctx.loaders.facilityStock.load(m.facilityId)).find((s) => s.item === m.item)!,
    }),
    patient: t.field({
      type: PatientRef,
      nullable: true,
      description: 'The patient a package was given to; null for other movements and for patients outside your jurisdiction.',
      resolve: async (m, _args, ctx) => {
        const patient = m.patientId ? await ctx.loaders.patient.load(m.patientId) : undefined;
        return patient && mayReadCase(ctx.viewer, patient.wardCode) ? patient : null;
      },
    }),
  }),
});

/** A dispense's details follow its patient: shown only to those who may read that patient's case. */
async function ifPatientReadable<T>(m: { patientId: string | null }, value: T, ctx: PatientsContext): Promise<T | null> {
  if (!m.patientId) return value;
  const patient = await ctx.loaders.patient.load(m.patientId);
  return patient && mayReadCase(ctx.viewer, patient.wardCode) ? value : null;
}

/** The ward of a place, known from its stock rows ('' before any stock was kept there). */
const wardOfPlace = async (facilityId: string, loaders: { facilityStock: { load: (id: string) => Promise<StockLevel[]> } }) =>
  (await loaders.facilityStock.load(facilityId))[0]?.wardCode ?? '';

builder.objectFields(FacilityRef, (t) => ({
    stock: t.field({
      type: [StockLevelRef],
      description: 'Supplies held here, one entry per item ever stocked. No personal data: partners read it too (hotlines send people to oxygen).',
      resolve: (f, _args, ctx) => ctx.loaders.facilityStock.load(f.id),
    }),
    stockMovements: t.connection(
      {
        type: StockMovementRef,
        nullable: true,
        description: 'Stock movements here, newest first. Health officers whose jurisdiction covers the place.',
        authScopes: async (f, _args, ctx) => ({ $all: { clinical: true, ward: await wardOfPlace(f.id, ctx.loaders) } }),
        resolve: async (f, args, ctx) => {
          const size = pageSize(args, 20);
          const after = decodeCursor(args.after, ['timestamp', 'uuid']) as [string, string] | undefined;
          const rows = size === 0 ? [] : await movementsOf(ctx.db, f.id, after, size + 1);
          return toPage(rows, size, (m) => [m.at.toISOString(), m.id], !!after);
        },
      },
      { name: 'StockMovementConnection', description: 'A page of stock movements.' },
      { name: 'StockMovementEdge', description: 'A stock movement.' },
    ),
}));

const AreaStockRef = builder.objectRef<AreaStockRow>('AreaStock').implement({
  description: 'One item summed over every place of an area.',
  fields: (t) => ({
    item: t.field({ type: SupplyItemEnum, description: 'The item.', resolve: (s) => s.item }),
    received: t.exposeInt('received', { description: 'Received in total.' }),
    dispensed: t.exposeInt('dispensed', { description: 'Given out in total.' }),
    onHand: t.exposeInt('onHand', { description: 'On hand now.' }),
    placesLow: t.exposeInt('placesLow', { description: 'Places whose stock of the item is at or below their threshold.' }),
  }),
});

const PackageCoverageRef = builder.objectRef<CoverageRow>('MedicinePackageCoverage').implement({
  description: 'How many home patients under treatment have received a medicine package.',
  fields: (t) => ({
    homePatients: t.exposeInt('homePatients', { description: 'Patients under treatment at home.' }),
    withPackage: t.exposeInt('withPackage', { description: 'Of those, patients who received at least one package.' }),
    share: t.float({ description: 'withPackage / homePatients, 0 to 1 (0 when there are no home patients).', resolve: (c) => coverageShare(c.withPackage, c.homePatients) }),
  }),
});

const AreaSuppliesRef = builder.objectRef<{ code: string; level: 'WARD' | 'DISTRICT' }>('AreaSupplies').implement({
  description: 'Supplies of an area: totals over its places and the medicine-package coverage of its home patients. No personal data.',
  fields: (t) => ({
    items: t.field({
      type: [AreaStockRef],
      description: 'Totals per item stocked anywhere in the area.',
      resolve: (a, _args, ctx) => (a.level === 'WARD' ? ctx.loaders.wardStock : ctx.loaders.districtStock).load(a.code),
    }),
    medicinePackageCoverage: t.field({
      type: PackageCoverageRef,
      description: 'The share of home patients who received a medicine package.',
      resolve: async (a, _args, ctx) =>
        (await (a.level === 'WARD' ? ctx.loaders.wardCoverage : ctx.loaders.districtCoverage).load(a.code)) ?? { area: a.code, homePatients: 0, withPackage: 0 },
    }),
  }),
});

builder.objectFields(WardRef, (t) => ({
  supplies: t.field({ type: AreaSuppliesRef, description: 'Supplies of the ward and its medicine-package coverage.', resolve: (w) => ({ code: w.code, level: 'WARD' as const }) }),
}));
builder.objectFields(DistrictRef, (t) => ({
  supplies: t.field({ type: AreaSuppliesRef, description: 'Supplies of the district and its medicine-package coverage.', resolve: (d) => ({ code: d.code, level: 'DISTRICT' as const }) }),
}));

const StockMoveInput = (name: string, description: string, quantity: string) =>
  builder.inputType(name, {
    description,
    fields: (t) => ({
      facilityId: t.id({ required: true, description: 'The station or facility.' }),
      item: t.field({ type: SupplyItemEnum, required: true, description: 'The item.' }),
      quantity: t.int({ required: true, description: quantity }),
      reason: t.string({ required: true, description: 'Why (supplier and delivery note, recount finding, …).' }),
      idempotencyKey: t.string({ required: false, description: 'Retry-safe key (8 to 128 characters): the same key and input records the movement once.' }),
    }),
  });

const ReceiveStockInput = StockMoveInput('ReceiveStockInput', 'Supplies received at a place.', 'How many arrived (1 to 100,000).');
const AdjustStockInput = StockMoveInput('AdjustStockInput', 'A correction after a recount.', 'The change, signed (−100,000 to 100,000, not 0); may not take on hand below zero.');

const SetStockThresholdInput = builder.inputType('SetStockThresholdInput', {
  description: 'The low-stock threshold of an item at a place.',
  fields: (t) => ({
    facilityId: t.id({ required: true, description: 'The station or facility.' }),
    item: t.field({ type: SupplyItemEnum, required: true, description: 'The item.' }),
    threshold: t.int({ required: true, description: 'At or below this on hand the item is low (0 to 100,000).' }),
  }),
});

const movementData = { name: 'movement', description: 'The movement recorded.' };

builder.mutationFields((t) => ({
  receiveStock: t.field({
    type: StockMovementRef,
    description: "Record supplies received at a place. The place's ward, district or city health officers.",
    authScopes: { clinical: true },
    errors: { types: [ValidationError, NotFoundError, ConflictError], dataField: movementData },
    args: { input: t.arg({ type: ReceiveStockInput, required: true, description: 'What arrived.' }) },
    resolve: (_root, { input }, ctx) => recordStockMovement(ctx.runtime, ctx.viewer, 'RECEIVED', { ...input, facilityId: String(input.facilityId) }, ctx.requestId),
  }),
  adjustStock: t.field({
    type: StockMovementRef,
    description: "Correct a stock after a recount, with the reason. The place's ward, district or city health officers.",
    authScopes: { clinical: true },
    errors: { types: [ValidationError, NotFoundError, ConflictError, OutOfStock], dataField: movementData },
    args: { input: t.arg({ type: AdjustStockInput, required: true, description: 'The correction.' }) },
    resolve: (_root, { input }, ctx) => recordStockMovement(ctx.runtime, ctx.viewer, 'ADJUSTED', { ...input, facilityId: String(input.facilityId) }, ctx.requestId),
  }),
  setStockThreshold: t.field({
    type: StockLevelRef,
    description: "Set the low-stock threshold of an item at a place. The place's ward, district or city health officers.",
    authScopes: { clinical: true },
    errors: { types: [ValidationError, NotFoundError], dataField: { name: 'stock', description: 'The stock with its new threshold.' } },
    args: { input: t.arg({ type: SetStockThresholdInput, required: true, description: 'The threshold.' }) },
    resolve: (_root, { input }, ctx) => setStockThreshold(ctx.runtime, ctx.viewer, { ...input, facilityId: String(input.facilityId) }, ctx.requestId),
  }),
}));

const StockChangeEventRef = builder.objectRef<StockChangedPayload>('StockChangeEvent').implement({
  description: "A place's stock of an item changed.",
  fields: (t) => ({
    stock: t.field({
      type: StockLevelRef,
      description: 'The stock as this change left it.',
      resolve: (e) => ({ ...e, updatedAt: new Date(e.at) }),
    }),
    cause: t.string({ description: 'RECEIVED, DISPENSED, ADJUSTED or THRESHOLD.', resolve: (e) => e.cause }),
    becameLow: t.exposeBoolean('becameLow', { description: 'This change took the stock from above its threshold to at or below it.' }),
    wardCode: t.exposeID('wardCode', { description: "The place's ward." }),
    districtCode: t.exposeID('districtCode', { description: "The place's district." }),
    at: t.field({ type: 'DateTime', description: 'When.', resolve: (e) => new Date(e.at) }),
  }),
});

const feed = (description: string, onlyAlerts: boolean) =>
  builder.subscriptionField(onlyAlerts ? 'stockLow' : 'stockChanged', (t) =>
    t.field({
      type: StockChangeEventRef,
      description,
      authScopes: { liveFeeds: true },
      args: {
        districtCode: t.arg.id({ required: false, description: 'Only this district.' }),
        wardCode: t.arg.id({ required: false, description: 'Only this ward.' }),
      },
      subscribe: (_root, args, ctx) => {
        const inArea = visible(ctx.viewer, areaArgs(args), true);
        return ctx.runtime.bus.subscribe<StockChangedPayload>(TOPICS.stockChanged, {
          onEach: ctx.renewLoaders,
          filter: (e) => inArea(e) && (!onlyAlerts || e.becameLow),
        });
      },
      resolve: (event: EventEnvelope<StockChangedPayload>) => event.payload,
    }),
  );

feed('Every stock change, optionally for one district or ward; dashboards, and health officers in their jurisdiction.', false);
feed('Low-stock alerts: a stock fell to or below its threshold. Optionally for one district or ward; dashboards, and health officers in their jurisdiction.', true);
