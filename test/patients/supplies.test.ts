/**
 * Supplies through the gateway: stock received, dispensed and corrected at stations, never below
 * zero under concurrent dispensing, counters equal to a recount of the movements; molnupiravir
 * only on a traceable doctor's order; writes outside the jurisdiction refused with nothing
 * written; low-stock alerts live for subscribers of the district only; and the share of home
 * patients who received a package per ward and district.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { TOPICS } from '../../subgraphs/common/events/catalog.js';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography, withDb } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, ok, subscribe, token, wsClient } from '../support/client.js';
import { ADMIT, registerPatient } from '../support/patients.js';

const RECEIVE = /* GraphQL */ `
  mutation R($i: ReceiveStockInput!) {
    receiveStock(input: $i) {
      __typename
      ... on ReceiveStockSuccess { movement { id kind quantity onHandAfter reason recordedBy recordedByRole stock { onHand received } } }
      ... on Error { code message }
    }
  }`;
const ADJUST = /* GraphQL */ `
  mutation A($i: AdjustStockInput!) {
    adjustStock(input: $i) {
      __typename
      ... on AdjustStockSuccess { movement { id kind quantity onHandAfter } }
      ... on OutOfStock { onHand requested }
      ... on Error { code message }
    }
  }`;
const THRESHOLD = /* GraphQL */ `
  mutation T($i: SetStockThresholdInput!) {
    setStockThreshold(input: $i) { __typename ... on SetStockThresholdSuccess { stock { item onHand lowThreshold low } } ... on Error { code message } }
  }`;
const DISPENSE = /* GraphQL */ `
  mutation D($i: DispenseMedicineInput!) {
    dispenseMedicinePackage(input: $i) {
      __typename
      ... on DispenseMedicinePackageSuccess { dispensed { id package station { id } orderReference prescriber } }
      ... on OutOfStock { onHand requested item }
      ... on ValidationError { fields { path message } }
      ... on Error { code message }
    }
  }`;
const STOCK = `query S($id: ID!) { facility(id: $id) { id stock { item received dispensed adjusted onHand lowThreshold low } } }`;
const LOW = `subscription L($d: ID) { stockLow(districtCode: $d) { becameLow cause districtCode stock { item onHand lowThreshold facility { id } } } }`;

const codes = (errors: { extensions?: { code?: string } }[] | undefined) => [...new Set((errors ?? []).map((e) => e.extensions?.code))];

describe('supplies', () => {
  let db: TestDatabase;
  let stack: Stack;
  let city: string;
  let ward: string;
  let otherWard: string;
  let district: string;
  let otherDistrict: string;
  let partner: string;
  let dashboard: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [
      { id: 'TYT-00337', wardCode: '00337', kind: 'HEALTH_STATION', servesTiers: ['TIER_1'] },
      { id: 'TYT-00340', wardCode: '00340', kind: 'HEALTH_STATION', servesTiers: ['TIER_1'] },
      { id: 'TYT-00001', wardCode: '00001', kind: 'HEALTH_STATION', servesTiers: ['TIER_1'] },
      { id: 'CS-00001', wardCode: '00001', servesTiers: ['TIER_1'], beds: { GENERAL: { total: 5 } } },
      { id: 'CS-00337', wardCode: '00337', servesTiers: ['TIER_1'], beds: { GENERAL: { total: 20 } } },
    ]);
    stack = await startStack(db);
    city = await token('CITY_OFFICER');
    ward = await token('WARD_OFFICER', { ward: '00337' });
    otherWard = await token('WARD_OFFICER', { ward: '00001' });
    district = await token('DISTRICT_OFFICER', { district: '008' });
    otherDistrict = await token('DISTRICT_OFFICER', { district: '001' });
    partner = await token('PARTNER');
    dashboard = await token('DASHBOARD');
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  const as = async (who: string, query: string, variables: Record<string, unknown> = {}) => ok(await gql(stack.gateway.url, query, variables, { token: who }));
  const receive = async (facilityId: string, item: string, quantity: number, who = ward) =>
    (await as(who, RECEIVE, { i: { facilityId, item, quantity, reason: 'Phiếu xuất kho CDC Hà Nội' } })).receiveStock;
  const stockOf = async (facilityId: string, item: string) =>
    ((await as(city, STOCK, { id: facilityId })).facility.stock as { item: string; onHand: number }[]).find((s) => s.item === item);
  const recount = (facilityId: string, item: string) =>
    withDb<any, any>(db, 'patients', async (k) => {
      const { rows } = await sql<{ received: string; dispensed: string; adjusted: string; movements: string }>`
        select coalesce(sum(quantity) filter (where kind = 'RECEIVED'), 0) as received,
               coalesce(sum(quantity) filter (where kind = 'DISPENSED'), 0) as dispensed,
               coalesce(sum(quantity) filter (where kind = 'ADJUSTED'), 0) as adjusted,
               count(*) as movements
          from patients.supply_movement where facility_id = ${facilityId} and item = ${item}`.execute(k);
      const counters = await k.selectFrom('supply_stock').selectAll().where('facility_id', '=', facilityId).where('item', '=', item).executeTakeFirst();
      const r = rows[0]!;
      return { recount: { received: Number(r.received), dispensed: Number(r.dispensed), adjusted: Number(r.adjusted) }, movements: Number(r.movements), counters };
    });

  it('concurrent dispensing never takes stock below zero, and the counters equal a recount', async () => {
    expect((await receive('TYT-00337', 'MEDICINE_PACKAGE_A', 7)).__typename).toBe('ReceiveStockSuccess');
    const patients = await Promise.all(Array.from({ length: 20 }, () => registerPatient(stack.gateway.url, ward, { wardCode: '00337' })));
    const results = await Promise.all(
      patients.map((p) => as(ward, DISPENSE, { i: { patientId: p.id, package: 'A', stationId: 'TYT-00337' } }).then((r) => r.dispenseMedicinePackage)),
    );
    const kinds = results.map((r) => r.__typename);
    expect(kinds.filter((k) => k === 'DispenseMedicinePackageSuccess')).toHaveLength(7);
    expect(kinds.filter((k) => k === 'OutOfStock')).toHaveLength(13);
    expect(results.find((r) => r.__typename === 'OutOfStock')).toMatchObject({ onHand: 0, requested: 1, item: 'MEDICINE_PACKAGE_A' });
    expect(await stockOf('TYT-00337', 'MEDICINE_PACKAGE_A')).toMatchObject({ received: 7, dispensed: 7, adjusted: 0, onHand: 0 });
    const { recount: counted, movements, counters } = await recount('TYT-00337', 'MEDICINE_PACKAGE_A');
    expect(movements).toBe(8);
    expect(counted).toEqual({ received: counters.received, dispensed: counters.dispensed, adjusted: counters.adjusted });
    expect(counters.on_hand).toBe(counted.received - counted.dispensed + counted.adjusted);
    // Each refused dispense wrote nothing: 7 packages recorded, 13 patients without one.
    const recorded = await withDb<any, number>(db, 'patients', async (k) =>
      Number((await k.selectFrom('medicine_package').select(sql<string>`count(*)`.as('n')).where('facility_id', '=', 'TYT-00337').executeTakeFirstOrThrow()).n),
    );
    expect(recorded).toBe(7);
  });

  it('a correction never takes stock below zero; receipts and corrections are replayed once by their idempotency key', async () => {
    await receive('TYT-00337', 'RAPID_TEST_KIT', 50);
    const under = (await as(ward, ADJUST, { i: { facilityId: 'TYT-00337', item: 'RAPID_TEST_KIT', quantity: -51, reason: 'Kiểm kê' } })).adjustStock;
    expect(under).toMatchObject({ __typename: 'OutOfStock', onHand: 50, requested: 51 });
    const key = `adjust-${randomUUID()}`;
    const input = { facilityId: 'TYT-00337', item: 'RAPID_TEST_KIT', quantity: -3, reason: 'Kiểm kê: 3 hộp hỏng', idempotencyKey: key };
    const first = (await as(ward, ADJUST, { i: input })).adjustStock;
    const again = (await as(ward, ADJUST, { i: input })).adjustStock;
    expect(first).toMatchObject({ __typename: 'AdjustStockSuccess', movement: { kind: 'ADJUSTED', quantity: -3, onHandAfter: 47 } });
    expect(again.movement.id).toBe(first.movement.id);
    expect((await as(ward, ADJUST, { i: { ...input, quantity: -4 } })).adjustStock.code).toBe('CONFLICT');
    expect(await stockOf('TYT-00337', 'RAPID_TEST_KIT')).toMatchObject({ received: 50, adjusted: -3, onHand: 47 });
    // Keys are per writer: another officer with the same key makes a movement of their own, and
    // learns nothing of the first.
    const theirs = (await as(district, ADJUST, { i: { ...input, quantity: -2 } })).adjustStock;
    expect(theirs).toMatchObject({ __typename: 'AdjustStockSuccess', movement: { quantity: -2, onHandAfter: 45 } });
    expect(theirs.movement.id).not.toBe(first.movement.id);
    const { recount: counted, counters } = await recount('TYT-00337', 'RAPID_TEST_KIT');
    expect(counted).toEqual({ received: counters.received, dispensed: counters.dispensed, adjusted: counters.adjusted });
  });

  it("without a stationId takes the package from the one place of the patient's ward that keeps it; with none or several, the writer must name it", async () => {
    const patients = await Promise.all([0, 1, 2, 3].map(() => registerPatient(stack.gateway.url, otherWard, { wardCode: '00001' })));
    const dispensed = () => withDb<any, number>(db, 'patients', async (k) =>
      (await sql<{ n: number }>`select count(*)::int as n from medicine_package where patient_id = any(${patients.map((p) => p.id)}::uuid[])`.execute(k)).rows[0]!.n);
    const give = (i: number, extra: Record<string, unknown> = {}) => as(otherWard, DISPENSE, { i: { patientId: patients[i]!.id, package: 'A', ...extra } });

    // No place of ward 00001 keeps package A: nothing can be taken, so nothing is given.
    expect((await give(0)).dispenseMedicinePackage).toMatchObject({ __typename: 'ValidationError', fields: [{ path: ['input', 'stationId'] }] });
    expect(await dispensed()).toBe(0);

    // One place keeps it: that is where the package comes from.
    await receive('TYT-00001', 'MEDICINE_PACKAGE_A', 2, otherWard);
    expect((await give(0)).dispenseMedicinePackage).toMatchObject({ __typename: 'DispenseMedicinePackageSuccess', dispensed: { station: { id: 'TYT-00001' } } });
    expect(await stockOf('TYT-00001', 'MEDICINE_PACKAGE_A')).toMatchObject({ onHand: 1 });

    // Two places keep it: the writer must say which one.
    await receive('CS-00001', 'MEDICINE_PACKAGE_A', 1, otherWard);
    expect((await give(1)).dispenseMedicinePackage).toMatchObject({ __typename: 'ValidationError', fields: [{ path: ['input', 'stationId'] }] });
    expect((await give(1, { stationId: 'CS-00001' })).dispenseMedicinePackage).toMatchObject({ __typename: 'DispenseMedicinePackageSuccess', dispensed: { station: { id: 'CS-00001' } } });
    expect(await dispensed()).toBe(2);
    expect(await stockOf('TYT-00001', 'MEDICINE_PACKAGE_A')).toMatchObject({ onHand: 1, dispensed: 1 });
    expect(await stockOf('CS-00001', 'MEDICINE_PACKAGE_A')).toMatchObject({ onHand: 0, dispensed: 1 });

    // Outside the writer's jurisdiction the answer says nothing about the ward's stock.
    const res = await gql(stack.gateway.url, DISPENSE, { i: { patientId: patients[2]!.id, package: 'A' } }, { token: ward });
    expect({ data: res.data?.dispenseMedicinePackage ?? null, codes: codes(res.errors) }).toEqual({ data: null, codes: ['FORBIDDEN'] });
    expect(await dispensed()).toBe(2);
  });

  it("gives package C (molnupiravir) only on a doctor's order with its reference and prescriber", async () => {
    await receive('TYT-00337', 'MEDICINE_PACKAGE_C', 2);
    const patient = await registerPatient(stack.gateway.url, ward, { wardCode: '00337' });
    const base = { patientId: patient.id, package: 'C', stationId: 'TYT-00337', screened: true, consent: true, doctorOrder: true };
    const refused = (await as(ward, DISPENSE, { i: base })).dispenseMedicinePackage;
    expect(refused.__typename).toBe('ValidationError');
    expect(refused.fields.map((f: { path: string[] }) => f.path.join('.'))).toEqual(['input.orderReference', 'input.prescriber']);
    expect(await stockOf('TYT-00337', 'MEDICINE_PACKAGE_C')).toMatchObject({ onHand: 2, dispensed: 0 });
    const given = (await as(ward, DISPENSE, { i: { ...base, orderReference: 'ĐT-2022-0117', prescriber: 'BS. Lê Văn Kê Đơn' } })).dispenseMedicinePackage;
    expect(given).toMatchObject({ __typename: 'DispenseMedicinePackageSuccess', dispensed: { package: 'C', station: { id: 'TYT-00337' }, orderReference: 'ĐT-2022-0117' } });
    expect(await stockOf('TYT-00337', 'MEDICINE_PACKAGE_C')).toMatchObject({ onHand: 1, dispensed: 1 });
    const movement = await withDb<any, any>(db, 'patients', (k) =>
      k.selectFrom('supply_movement').selectAll().where('facility_id', '=', 'TYT-00337').where('item', '=', 'MEDICINE_PACKAGE_C').where('kind', '=', 'DISPENSED').executeTakeFirstOrThrow(),
    );
    expect(movement).toMatchObject({ patient_id: patient.id, order_reference: 'ĐT-2022-0117', prescriber: 'BS. Lê Văn Kê Đơn', actor_role: 'WARD_OFFICER', quantity: 1 });
    expect(movement.reason).toMatch(/package C/);
  });

  it("records every read of a dispense's order reference and prescriber, on the patient and on the station's movements", async () => {
    const dispensed = await withDb<any, { id: string; patient_id: string }>(db, 'patients', (k) =>
      k.selectFrom('supply_movement').select(['id', 'patient_id']).where('item', '=', 'MEDICINE_PACKAGE_C').where('kind', '=', 'DISPENSED').executeTakeFirstOrThrow(),
    );
    const auditOf = async (entity: string) => {
      await stack.subgraphs.patients.runtime.audit.flush();
      return withDb(db, 'patients', async (k) =>
        (await sql<{ entity_id: string; fields: string[] }>`select entity_id, fields from audit_log where entity = ${entity} and role = 'WARD_OFFICER' order by id`.execute(k)).rows,
      );
    };
    const packages = (await as(ward, `query P($id: ID!) { patient(id: $id) { medicinePackages { id package orderReference prescriber } } }`, { id: dispensed.patient_id })).patient.medicinePackages;
    const c = packages.find((m: { package: string }) => m.package === 'C');
    expect(c).toMatchObject({ orderReference: 'ĐT-2022-0117', prescriber: 'BS. Lê Văn Kê Đơn' });
    expect(await auditOf('MedicineDispensed')).toContainEqual({ entity_id: c.id, fields: ['orderReference', 'prescriber'] });
    const moves = (await as(ward, `query { facility(id: "TYT-00337") { stockMovements(first: 50) { edges { node { id orderReference prescriber } } } } }`)).facility.stockMovements.edges;
    expect(moves.find((e: { node: { id: string } }) => e.node.id === String(dispensed.id)).node).toMatchObject({ orderReference: 'ĐT-2022-0117', prescriber: 'BS. Lê Văn Kê Đơn' });
    const movementReads = await auditOf('StockMovement');
    expect(movementReads).toContainEqual({ entity_id: String(dispensed.id), fields: ['orderReference', 'prescriber'] });
    // Movements without an order (receipts) are not personal data: nothing recorded for them.
    expect(movementReads).toHaveLength(1);
  });

  it('refuses stock writes outside the jurisdiction, before anything is written', async () => {
    await receive('TYT-00001', 'OXYGEN_CYLINDER', 5, city);
    // Stock events only: the epidemic assessor publishes in the same outbox whenever it runs.
    const events = () =>
      withDb<any, number>(db, 'patients', async (k) =>
        Number((await k.selectFrom('outbox').where('topic', '=', TOPICS.stockChanged).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n),
      );
    const before = { events: await events(), stock: await stockOf('TYT-00001', 'OXYGEN_CYLINDER') };
    const foreign = { facilityId: 'TYT-00001', item: 'OXYGEN_CYLINDER', quantity: 1, reason: 'Nhận thêm' };
    for (const who of [ward, district, partner, dashboard]) {
      const res = await gql(stack.gateway.url, RECEIVE, { i: foreign }, { token: who });
      expect(codes(res.errors)).toEqual(['FORBIDDEN']);
      const adjust = await gql(stack.gateway.url, ADJUST, { i: { ...foreign, quantity: -5 } }, { token: who });
      expect(codes(adjust.errors)).toEqual(['FORBIDDEN']);
      const threshold = await gql(stack.gateway.url, THRESHOLD, { i: { facilityId: 'TYT-00001', item: 'OXYGEN_CYLINDER', threshold: 9 } }, { token: who });
      expect(codes(threshold.errors)).toEqual(['FORBIDDEN']);
    }
    expect(await events()).toBe(before.events);
    // A patient of 00337 from a station of another district: jurisdiction over the station is needed too.
    const patient = await registerPatient(stack.gateway.url, ward, { wardCode: '00337' });
    await receive('TYT-00001', 'MEDICINE_PACKAGE_A', 3, city);
    const before2 = { events: await events(), stock: await stockOf('TYT-00001', 'MEDICINE_PACKAGE_A') };
    const dispense = await gql(stack.gateway.url, DISPENSE, { i: { patientId: patient.id, package: 'A', stationId: 'TYT-00001' } }, { token: ward });
    expect(codes(dispense.errors)).toEqual(['FORBIDDEN']);
    // And over the patient: the ward officer of 00001 holds the station but not the patient.
    const other = await gql(stack.gateway.url, DISPENSE, { i: { patientId: patient.id, package: 'A', stationId: 'TYT-00001' } }, { token: otherWard });
    expect(codes(other.errors)).toEqual(['FORBIDDEN']);
    expect(await events()).toBe(before2.events);
    expect(await stockOf('TYT-00001', 'MEDICINE_PACKAGE_A')).toEqual(before2.stock);
    expect(await stockOf('TYT-00001', 'OXYGEN_CYLINDER')).toEqual(before.stock);
  });

  it('alerts subscribers of the district when a stock falls to its threshold, and nobody else', async () => {
    await receive('TYT-00337', 'OXYGEN_CONCENTRATOR', 4);
    ok(await gql(stack.gateway.url, THRESHOLD, { i: { facilityId: 'TYT-00337', item: 'OXYGEN_CONCENTRATOR', threshold: 2 } }, { token: district }));
    const dashWs = wsClient(stack.gateway.url, { authorization: `Bearer ${dashboard}` });
    const inDistrict = wsClient(stack.gateway.url, { authorization: `Bearer ${district}` });
    const outside = wsClient(stack.gateway.url, { authorization: `Bearer ${otherDistrict}` });
    try {
      const forDistrict = subscribe(dashWs, LOW, { d: '008' }, { servedBy: stack.subgraphs.patients.runtime });
      const officer = subscribe(inDistrict, LOW, {}, { servedBy: stack.subgraphs.patients.runtime });
      const foreign = subscribe(outside, LOW, {}, { servedBy: stack.subgraphs.patients.runtime });
      const otherArea = subscribe(dashWs, LOW, { d: '001' }, { servedBy: stack.subgraphs.patients.runtime });
      await Promise.all([forDistrict.ready, officer.ready, foreign.ready, otherArea.ready]);
      // 4 → 3: above the threshold, no alert; 3 → 2: at the threshold, the alert.
      for (const quantity of [-1, -1]) {
        expect((await as(ward, ADJUST, { i: { facilityId: 'TYT-00337', item: 'OXYGEN_CONCENTRATOR', quantity, reason: 'Cho mượn về nhà' } })).adjustStock.__typename).toBe('AdjustStockSuccess');
      }
      const alert = { becameLow: true, cause: 'ADJUSTED', districtCode: '008', stock: { item: 'OXYGEN_CONCENTRATOR', onHand: 2, lowThreshold: 2, facility: { id: 'TYT-00337' } } };
      expect((await forDistrict.next()).data?.stockLow).toEqual(alert);
      expect((await officer.next()).data?.stockLow).toEqual(alert);
      // A later alert in district 001 reaches its district officer: nothing of 008 came before it.
      await receive('TYT-00001', 'RAPID_TEST_KIT', 1, city);
      ok(await gql(stack.gateway.url, THRESHOLD, { i: { facilityId: 'TYT-00001', item: 'RAPID_TEST_KIT', threshold: 1 } }, { token: city }));
      expect((await foreign.next()).data?.stockLow).toMatchObject({ districtCode: '001', cause: 'THRESHOLD', stock: { onHand: 1, facility: { id: 'TYT-00001' } } });
      expect((await otherArea.next()).data?.stockLow).toMatchObject({ districtCode: '001' });
      expect(forDistrict.pending()).toEqual([]);
      expect(officer.pending()).toEqual([]);
      for (const s of [forDistrict, officer, foreign, otherArea]) s.close();
    } finally {
      await Promise.all([dashWs.dispose(), inDistrict.dispose(), outside.dispose()]);
    }
  });

  it('counts the share of home patients who received a package, per ward and district; admitted patients are not home patients', async () => {
    const COVERAGE = `query C { wards(codes: ["00337", "00340"]) { code supplies { medicinePackageCoverage { homePatients withPackage share } } }
      districts(codes: ["008"]) { code supplies { medicinePackageCoverage { homePatients withPackage share } } } }`;
    const coverage = async () => {
      await stack.settle();
      const data = await as(dashboard, COVERAGE);
      const byWard = Object.fromEntries(data.wards.map((w: any) => [w.code, w.supplies.medicinePackageCoverage]));
      return { w00337: byWard['00337'], w00340: byWard['00340'], d008: data.districts[0].supplies.medicinePackageCoverage };
    };
    const before = await coverage();
    const officer340 = await token('WARD_OFFICER', { ward: '00340' });
    await receive('TYT-00340', 'MEDICINE_PACKAGE_A', 10, officer340);
    const [home1, home2, admitted] = await Promise.all([0, 1, 2].map(() => registerPatient(stack.gateway.url, officer340, { wardCode: '00340' })));
    for (const p of [home1!, admitted!]) {
      expect((await as(officer340, DISPENSE, { i: { patientId: p.id, package: 'A', stationId: 'TYT-00340' } })).dispenseMedicinePackage.__typename).toBe('DispenseMedicinePackageSuccess');
    }
    void home2;
    // Admitted to a facility of ward 00337 by the district, who covers both wards.
    expect((await as(district, ADMIT, { input: { patientId: admitted!.id, facilityId: 'CS-00337', bedKind: 'GENERAL' } })).admitPatient.__typename).toBe('AdmitPatientSuccess');
    const after = await coverage();
    expect(after.w00340).toEqual({ homePatients: before.w00340.homePatients + 2, withPackage: before.w00340.withPackage + 1, share: (before.w00340.withPackage + 1) / (before.w00340.homePatients + 2) });
    expect(after.w00337).toEqual(before.w00337);
    expect(after.d008.homePatients).toBe(before.d008.homePatients + 2);
    expect(after.d008.withPackage).toBe(before.d008.withPackage + 1);
    expect(after.d008.share).toBeCloseTo(after.d008.withPackage / after.d008.homePatients, 10);
  });

  it('shows stock to partners (no personal data) and movements only to health officers over the place', async () => {
    const MOVES = `query M { facility(id: "TYT-00337") { stock { item onHand } stockMovements(first: 50) { edges { node { kind quantity reason recordedBy patient { id } } } } } }`;
    const partnerView = await gql(stack.gateway.url, `query { facility(id: "TYT-00337") { stock { item onHand low } } }`, {}, { token: partner });
    expect(partnerView.errors).toBeUndefined();
    expect(partnerView.data.facility.stock.length).toBeGreaterThan(0);
    for (const who of [partner, dashboard, otherWard, otherDistrict]) {
      const res = await gql(stack.gateway.url, MOVES, {}, { token: who });
      expect(codes(res.errors)).toEqual(['FORBIDDEN']);
      expect(res.data?.facility?.stockMovements ?? null).toBeNull();
    }
    const mine = await as(ward, MOVES);
    const moves = mine.facility.stockMovements.edges.map((e: any) => e.node);
    expect(moves.filter((m: any) => m.kind === 'DISPENSED').every((m: any) => m.patient?.id && m.recordedBy)).toBe(true);
    expect(moves.some((m: any) => m.kind === 'RECEIVED' && m.reason === 'Phiếu xuất kho CDC Hà Nội')).toBe(true);
  });
});
