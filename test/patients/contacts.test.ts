/**
 * F1 contacts and quarantine, through the gateway: recording a contact of a case, quarantine at
 * home and in a concentrated quarantine area (whose occupancy moves while treatment capacity does
 * not), end decisions numbered per ward, and the conversion of an F1 who tests positive into a
 * case from the identity on record, with the person's history readable from the case.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography, withDb } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, ok, subscribe, token, wsClient } from '../support/client.js';
import { ADMIT, registerPatient } from '../support/patients.js';
import { cityDate } from '../../subgraphs/common/graphql/scalars.js';
import { TOPICS } from '../../subgraphs/common/events/catalog.js';

const RECORD = /* GraphQL */ `
  mutation R($i: RecordContactInput!) {
    recordContact(input: $i) { __typename ... on RecordContactSuccess { contact { id } } ... on Error { code message } }
  }`;
const ORDER = /* GraphQL */ `
  mutation O($i: OrderQuarantineInput!) {
    orderQuarantine(input: $i) {
      __typename
      ... on OrderQuarantineSuccess { order { id place active decisionNumber facility { id } } }
      ... on Error { code message }
    }
  }`;
const END = /* GraphQL */ `
  mutation E($i: EndQuarantineInput!) {
    endQuarantine(input: $i) { __typename ... on EndQuarantineSuccess { order { id active endedOn endReason endDecisionNumber } } ... on Error { code message } }
  }`;
const CONVERT = /* GraphQL */ `
  mutation C($i: ConvertContactToCaseInput!) {
    convertContactToCase(input: $i) {
      __typename
      ... on ConvertContactToCaseSuccess { patient { id caseCode status tier } }
      ... on DuplicateActiveCase { existingPatientId }
      ... on Error { code message }
    }
  }`;
const AREA = `query A { facility(id: "Q-AREA") { quarantineCapacity { total occupied available } beds { kind occupied } }
  wards(codes: ["00337"]) { capacity { total occupied available } quarantineCapacity { total occupied available } quarantine { underQuarantine atHome inQuarantineAreas becameCases } }
  districts(codes: ["008"]) { capacity { total occupied available } quarantineCapacity { occupied } quarantine { underQuarantine atHome inQuarantineAreas } } }`;

const today = () => cityDate(new Date());
const daysFromToday = (n: number) => cityDate(new Date(Date.now() + n * 86_400_000));
const codes = (errors: { extensions?: { code?: string } }[] | undefined) => [...new Set((errors ?? []).map((e) => e.extensions?.code))];

describe('F1 contacts and quarantine', () => {
  let db: TestDatabase;
  let stack: Stack;
  let city: string;
  let ward: string;
  let otherWard: string;
  let dashboard: string;
  let partner: string;
  let indexCase: string;
  let n = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [
      { id: 'T-SITE', wardCode: '00337', servesTiers: ['TIER_1'], beds: { GENERAL: { total: 10, occupied: 4 } } },
      { id: 'Q-AREA', wardCode: '00337', kind: 'QUARANTINE_AREA', servesTiers: [], beds: { GENERAL: { total: 3, occupied: 1 } } },
      { id: 'Q-FAR', wardCode: '00001', kind: 'QUARANTINE_AREA', servesTiers: [], beds: { GENERAL: { total: 50 } } },
    ]);
    stack = await startStack(db);
    city = await token('CITY_OFFICER');
    ward = await token('WARD_OFFICER', { ward: '00337' });
    otherWard = await token('WARD_OFFICER', { ward: '00001' });
    dashboard = await token('DASHBOARD');
    partner = await token('PARTNER');
    indexCase = (await registerPatient(stack.gateway.url, ward, { wardCode: '00337', fullName: 'Nguyễn Văn Chỉ Điểm' })).id;
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  const as = async (who: string, query: string, variables: Record<string, unknown> = {}) => ok(await gql(stack.gateway.url, query, variables, { token: who }));
  const nid = () => `001${String(Date.now() % 1_000_000).padStart(6, '0')}${String(++n).padStart(3, '0')}`;
  const contactInput = (overrides: Record<string, unknown> = {}) => ({
    indexPatientId: indexCase,
    fullName: `Trần Thị Tiếp Xúc ${++n}`,
    dateOfBirth: '1990-03-04',
    sex: 'FEMALE',
    nationalId: nid(),
    phone: '0987654321',
    wardCode: '00337',
    address: `Số ${n} ngõ 8 Linh Đường`,
    exposure: 'HOUSEHOLD',
    exposedOn: daysFromToday(-2),
    ...overrides,
  });
  const record = async (overrides: Record<string, unknown> = {}, who = ward) => {
    const r = await as(who, RECORD, { i: contactInput(overrides) });
    if (r.recordContact.__typename !== 'RecordContactSuccess') throw new Error(JSON.stringify(r));
    return r.recordContact.contact.id as string;
  };
  const decision = () => `${++n}/QĐ-UBND-${randomUUID().slice(0, 6)}`;
  const order = async (contactId: string, place: 'HOME' | 'QUARANTINE_AREA', facilityId?: string, who = ward) =>
    (await as(who, ORDER, { i: { contactId, place, facilityId, decisionNumber: decision(), startsOn: today(), plannedEndOn: daysFromToday(7) } })).orderQuarantine;
  const area = async () => {
    await stack.settle();
    return as(city, AREA);
  };

  it('records a contact of a case, with personal data for the ward’s clinicians only', async () => {
    const input = contactInput({ fullName: 'Lê Văn Riêng Tư', phone: '0912 000 111' });
    const r = await as(ward, RECORD, { i: input });
    expect(r.recordContact.__typename).toBe('RecordContactSuccess');
    const id = r.recordContact.contact.id;
    const q = `query C($id: ID!) { contact(id: $id) { id fullName nationalId phone address dateOfBirth exposure exposedOn indexCase { id } ward { code } activeQuarantine { id } } }`;
    const mine = await as(ward, q, { id });
    expect(mine.contact).toEqual({
      id,
      fullName: 'Lê Văn Riêng Tư',
      nationalId: input.nationalId,
      phone: '+84912000111',
      address: input.address,
      dateOfBirth: '1990-03-04',
      exposure: 'HOUSEHOLD',
      exposedOn: input.exposedOn,
      indexCase: { id: indexCase },
      ward: { code: '00337' },
      activeQuarantine: null,
    });
    for (const who of [dashboard, partner]) {
      const res = await gql(stack.gateway.url, q, { id }, { token: who });
      expect(JSON.stringify(res.data ?? {})).not.toContain('Riêng Tư');
      expect(JSON.stringify(res.data ?? {})).not.toContain(input.nationalId);
      expect(codes(res.errors)).toEqual(['FORBIDDEN']);
    }
    // A clinician of another ward: null, as for a contact that does not exist.
    const foreign = await gql(stack.gateway.url, q, { id }, { token: otherWard });
    expect(foreign).toEqual({ status: 200, data: { contact: null }, errors: undefined });
    expect(await gql(stack.gateway.url, q, { id: randomUUID() }, { token: otherWard })).toEqual(foreign);
    // Listed for the ward's clinicians, filtered by the index case.
    const list = await as(ward, `query L($p: ID!) { contacts(filter: { indexPatientId: $p }, first: 50) { totalCount edges { node { id } } } }`, { p: indexCase });
    expect(list.contacts.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(id);
    expect(codes((await gql(stack.gateway.url, `{ contacts(first: 5) { totalCount } }`, {}, { token: dashboard })).errors)).toEqual(['FORBIDDEN']);
    // Every read of personal data is audited.
    await stack.subgraphs.patients.runtime.audit.flush();
    const rows = await withDb<any, { fields: string[] }[]>(db, 'patients', async (k) =>
      (await sql<{ fields: string[] }>`select fields from audit_log where entity = 'Contact' and entity_id = ${id} and role = 'WARD_OFFICER'`.execute(k)).rows,
    );
    expect(rows).toContainEqual({ fields: ['address', 'dateOfBirth', 'fullName', 'nationalId', 'phone'] });
  });

  it('refuses bad input field by field, and a key reused for another contact', async () => {
    const bad = await as(ward, `mutation R($i: RecordContactInput!) { recordContact(input: $i) { __typename ... on ValidationError { fields { path } } } }`, {
      i: contactInput({ nationalId: '123', phone: '12345', exposedOn: daysFromToday(3), wardCode: '99999' }),
    });
    expect(bad.recordContact.fields.map((f: { path: string[] }) => f.path.join('.')).sort()).toEqual(['input.exposedOn', 'input.nationalId', 'input.phone', 'input.wardCode']);
    const key = `contact-${randomUUID()}`;
    const first = await as(ward, RECORD, { i: contactInput({ idempotencyKey: key, fullName: 'Phí Văn Lặp' }) });
    const again = await as(ward, RECORD, { i: { ...contactInput({ idempotencyKey: key }), fullName: 'Phí Văn Lặp', nationalId: null } });
    expect(again.recordContact.__typename).toBe('ConflictError');
    expect(first.recordContact.__typename).toBe('RecordContactSuccess');
  });

  it('quarantines at home and in an area: the area’s occupancy moves, treatment capacity does not', async () => {
    const before = await area();
    expect(before.facility.quarantineCapacity).toEqual({ total: 3, occupied: 1, available: 2 });
    expect(before.wards[0].capacity).toEqual({ total: 10, occupied: 4, available: 6 });

    const home = await order(await record(), 'HOME');
    expect(home).toMatchObject({ __typename: 'OrderQuarantineSuccess', order: { place: 'HOME', active: true, facility: null } });
    const inArea = await order(await record(), 'QUARANTINE_AREA', 'Q-AREA');
    expect(inArea).toMatchObject({ __typename: 'OrderQuarantineSuccess', order: { place: 'QUARANTINE_AREA', active: true, facility: { id: 'Q-AREA' } } });

    const after = await area();
    expect(after.facility.quarantineCapacity).toEqual({ total: 3, occupied: 2, available: 1 });
    expect(after.facility.beds).toEqual([{ kind: 'GENERAL', occupied: 2 }]);
    expect(after.wards[0].quarantineCapacity).toEqual({ total: 3, occupied: 2, available: 1 });
    expect(after.districts[0].quarantineCapacity).toEqual({ occupied: 2 });
    // Treatment capacity is untouched, in the ward and the district.
    expect(after.wards[0].capacity).toEqual(before.wards[0].capacity);
    expect(after.districts[0].capacity).toEqual(before.districts[0].capacity);
    // The F1 aggregates, for dashboards: one more at home, one more in an area.
    expect(after.wards[0].quarantine.atHome - before.wards[0].quarantine.atHome).toBe(1);
    expect(after.wards[0].quarantine.inQuarantineAreas - before.wards[0].quarantine.inQuarantineAreas).toBe(1);
    const seen = await as(dashboard, `{ wards(codes: ["00337"]) { quarantine { underQuarantine atHome inQuarantineAreas } } cityQuarantine { underQuarantine } }`);
    expect(seen.wards[0].quarantine).toEqual({
      underQuarantine: after.wards[0].quarantine.underQuarantine,
      atHome: after.wards[0].quarantine.atHome,
      inQuarantineAreas: after.wards[0].quarantine.inQuarantineAreas,
    });
    expect(seen.cityQuarantine.underQuarantine).toBeGreaterThanOrEqual(2);

    // A quarantine area still never takes an F0.
    const f0 = await registerPatient(stack.gateway.url, city, { wardCode: '00337', nationalId: null });
    const admit = await as(city, ADMIT, { input: { patientId: f0.id, facilityId: 'Q-AREA', bedKind: 'GENERAL' } });
    expect(admit.admitPatient.__typename).toBe('NotATreatmentFacility');

    // Ending the order frees the place.
    const ended = await as(ward, END, { i: { orderId: inArea.order.id, decisionNumber: decision(), endedOn: today(), reason: 'COMPLETED' } });
    expect(ended.endQuarantine).toMatchObject({ __typename: 'EndQuarantineSuccess', order: { active: false, endedOn: today(), endReason: 'COMPLETED' } });
    expect((await area()).facility.quarantineCapacity).toEqual({ total: 3, occupied: 1, available: 2 });
    const endedHome = await as(ward, END, { i: { orderId: home.order.id, decisionNumber: decision(), endedOn: today(), reason: 'RELEASED_EARLY' } });
    expect(endedHome.endQuarantine.__typename).toBe('EndQuarantineSuccess');
    const twice = await as(ward, END, { i: { orderId: home.order.id, decisionNumber: decision(), endedOn: today(), reason: 'COMPLETED' } });
    expect(twice.endQuarantine.__typename).toBe('QuarantineOrderEnded');
  });

  it('refuses what a quarantine decision may not be', async () => {
    const contact = await record();
    const notArea = await order(contact, 'QUARANTINE_AREA', 'T-SITE');
    expect(notArea.__typename).toBe('NotAQuarantineArea');
    const unknown = await order(contact, 'QUARANTINE_AREA', 'NO-SUCH-AREA');
    expect(unknown.__typename).toBe('NotFoundError');
    // Numbers are unique per issuing ward, start and end decisions alike.
    const number = decision();
    const first = await as(ward, ORDER, { i: { contactId: contact, place: 'HOME', decisionNumber: number, startsOn: today(), plannedEndOn: daysFromToday(7) } });
    expect(first.orderQuarantine.__typename).toBe('OrderQuarantineSuccess');
    const reused = await as(ward, ORDER, { i: { contactId: await record(), place: 'HOME', decisionNumber: number, startsOn: today(), plannedEndOn: daysFromToday(7) } });
    expect(reused.orderQuarantine.__typename).toBe('DuplicateDecisionNumber');
    const endReused = await as(ward, END, { i: { orderId: first.orderQuarantine.order.id, decisionNumber: number, endedOn: today(), reason: 'COMPLETED' } });
    expect(endReused.endQuarantine.__typename).toBe('DuplicateDecisionNumber');
    // One order in force at a time.
    expect((await order(contact, 'HOME')).__typename).toBe('ContactAlreadyQuarantined');
    // TESTED_POSITIVE only through the conversion, which registers the case.
    const positive = await gql(stack.gateway.url, END, { i: { orderId: first.orderQuarantine.order.id, decisionNumber: decision(), endedOn: today(), reason: 'TESTED_POSITIVE' } }, { token: ward });
    expect(positive.data?.endQuarantine.__typename).toBe('ValidationError');
  });

  it('refuses an order into a full quarantine area', async () => {
    // Q-AREA: 3 places, 1 recorded occupant; two orders fill it.
    const orders = [await order(await record(), 'QUARANTINE_AREA', 'Q-AREA'), await order(await record(), 'QUARANTINE_AREA', 'Q-AREA')];
    expect(orders.map((o) => o.__typename)).toEqual(['OrderQuarantineSuccess', 'OrderQuarantineSuccess']);
    await stack.settle();
    expect((await order(await record(), 'QUARANTINE_AREA', 'Q-AREA')).__typename).toBe('QuarantineAreaFull');
    for (const o of orders) {
      const e = await as(ward, END, { i: { orderId: o.order.id, decisionNumber: decision(), endedOn: today(), reason: 'COMPLETED' } });
      expect(e.endQuarantine.__typename).toBe('EndQuarantineSuccess');
    }
    expect((await area()).facility.quarantineCapacity).toEqual({ total: 3, occupied: 1, available: 2 });
  });

  it('counts the orders in force in an area: its capacity stays above them, and live bed feeds see them', async () => {
    await createFacilities(db, [{ id: 'Q-CAP', wardCode: '00337', kind: 'QUARANTINE_AREA', servesTiers: [], beds: { GENERAL: { total: 5 } } }]);
    const client = wsClient(stack.gateway.url, { authorization: `Bearer ${await token('DASHBOARD')}` });
    const feed = subscribe(client, 'subscription { bedOccupancyChanged(facilityId: "Q-CAP") { facility { id } bedKind covidDesignated occupied cause } }', {}, { servedBy: stack.subgraphs.facilities.runtime });
    try {
      await feed.ready;
      const placed = [await order(await record(), 'QUARANTINE_AREA', 'Q-CAP'), await order(await record(), 'QUARANTINE_AREA', 'Q-CAP')];
      expect(placed.map((o) => o.__typename)).toEqual(['OrderQuarantineSuccess', 'OrderQuarantineSuccess']);
      await stack.settle();
      expect((await feed.next()).data?.bedOccupancyChanged).toEqual({ facility: { id: 'Q-CAP' }, bedKind: 'GENERAL', covidDesignated: 5, occupied: 1, cause: 'QUARANTINE_START' });
      expect((await feed.next()).data?.bedOccupancyChanged).toMatchObject({ occupied: 2, cause: 'QUARANTINE_START' });

      const CAPACITY = `mutation C($input: UpdateBedCapacityInput!) { updateBedCapacity(input: $input) { __typename
        ... on UpdateBedCapacitySuccess { beds { total occupied } } ... on ValidationError { fields { path message } } } }`;
      const below = await as(city, CAPACITY, { input: { facilityId: 'Q-CAP', bedKind: 'GENERAL', total: 1, covidDesignated: 1 } });
      expect(below.updateBedCapacity).toMatchObject({ __typename: 'ValidationError', fields: [{ path: ['input', 'covidDesignated'] }] });
      expect(below.updateBedCapacity.fields[0].message).toContain('2');
      const exact = await as(city, CAPACITY, { input: { facilityId: 'Q-CAP', bedKind: 'GENERAL', total: 2, covidDesignated: 2 } });
      expect(exact.updateBedCapacity).toEqual({ __typename: 'UpdateBedCapacitySuccess', beds: { total: 2, occupied: 2 } });
      expect((await feed.next()).data?.bedOccupancyChanged).toMatchObject({ covidDesignated: 2, occupied: 2, cause: 'CAPACITY_CHANGE' });

      const ended = await as(ward, END, { i: { orderId: placed[0].order.id, decisionNumber: decision(), endedOn: today(), reason: 'COMPLETED' } });
      expect(ended.endQuarantine.__typename).toBe('EndQuarantineSuccess');
      await stack.settle();
      expect((await feed.next()).data?.bedOccupancyChanged).toMatchObject({ occupied: 1, cause: 'QUARANTINE_END' });
    } finally {
      feed.close();
      await client.dispose();
    }
  });

  it('converts an F1 who tests positive into an F0 keeping the person’s identity and history', async () => {
    const identity = contactInput({ fullName: 'Đặng Thị Chuyển Đổi', address: 'Số 12 ngõ 40 Giải Phóng', phone: '0977111222' });
    const r = await as(ward, RECORD, { i: identity });
    const contactId = r.recordContact.contact.id as string;
    const startDecision = decision();
    const o = await as(ward, ORDER, { i: { contactId, place: 'QUARANTINE_AREA', facilityId: 'Q-AREA', decisionNumber: startDecision, startsOn: daysFromToday(-1), plannedEndOn: daysFromToday(6) } });
    expect(o.orderQuarantine.__typename).toBe('OrderQuarantineSuccess');
    expect((await area()).facility.quarantineCapacity.occupied).toBe(2);
    const casesBefore = (await as(city, `{ wards(codes: ["00337"]) { cases { active } quarantine { becameCases } } }`)).wards[0];

    // Under an order, the end decision's number is required.
    const missing = await as(ward, CONVERT, { i: { contactId, confirmedAt: new Date(Date.now() - 600_000).toISOString(), confirmation: 'RAPID_ANTIGEN', tier: 'TIER_1' } });
    expect(missing.convertContactToCase.__typename).toBe('ValidationError');

    const endDecision = decision();
    const key = `convert-${randomUUID()}`;
    const input = { contactId, confirmedAt: new Date(Date.now() - 600_000).toISOString(), confirmation: 'RAPID_ANTIGEN', tier: 'TIER_1', endDecisionNumber: endDecision, idempotencyKey: key };
    const converted = await as(ward, CONVERT, { i: input });
    expect(converted.convertContactToCase).toMatchObject({ __typename: 'ConvertContactToCaseSuccess', patient: { status: 'UNDER_TREATMENT', tier: 'TIER_1' } });
    const patientId = converted.convertContactToCase.patient.id as string;
    // A retry with the same key answers the same case.
    expect((await as(ward, CONVERT, { i: input })).convertContactToCase.patient.id).toBe(patientId);
    // The same key with another end decision (or none) is another request: a conflict.
    for (const other of [decision(), null]) {
      expect((await as(ward, CONVERT, { i: { ...input, endDecisionNumber: other } })).convertContactToCase.__typename).toBe('ConflictError');
    }

    // The same person: identity carried over without retyping, and the history readable from the case.
    const p = await as(ward, `query P($id: ID!) { patient(id: $id) { fullName nationalId phone address dateOfBirth sex ward { code }
      contactHistory { id exposure exposedOn indexCase { id } becameCase { id } quarantineOrders { decisionNumber place facility { id } active endReason endDecisionNumber endedOn } } } }`, { id: patientId });
    expect(p.patient).toEqual({
      fullName: 'Đặng Thị Chuyển Đổi',
      nationalId: identity.nationalId,
      phone: '+84977111222',
      address: 'Số 12 ngõ 40 Giải Phóng',
      dateOfBirth: '1990-03-04',
      sex: 'FEMALE',
      ward: { code: '00337' },
      contactHistory: {
        id: contactId,
        exposure: 'HOUSEHOLD',
        exposedOn: identity.exposedOn,
        indexCase: { id: indexCase },
        becameCase: { id: patientId },
        quarantineOrders: [
          { decisionNumber: startDecision, place: 'QUARANTINE_AREA', facility: { id: 'Q-AREA' }, active: false, endReason: 'TESTED_POSITIVE', endDecisionNumber: endDecision, endedOn: cityDate(new Date(input.confirmedAt)) },
        ],
      },
    });
    // The area's place is freed; the case counts; the contact counts as one who became a case.
    const after = await area();
    expect(after.facility.quarantineCapacity.occupied).toBe(1);
    const casesAfter = (await as(city, `{ wards(codes: ["00337"]) { cases { active } quarantine { becameCases } } }`)).wards[0];
    expect(casesAfter.cases.active - casesBefore.cases.active).toBe(1);
    expect(casesAfter.quarantine.becameCases - casesBefore.quarantine.becameCases).toBe(1);
    // Facilities knows the case (it can be admitted to a treatment site).
    const admit = await as(ward, ADMIT, { input: { patientId, facilityId: 'T-SITE', bedKind: 'GENERAL' } });
    expect(admit.admitPatient.__typename).toBe('AdmitPatientSuccess');

    // A contact never quarantined converts without an end decision, and refuses one.
    const unquarantined = await record({ nationalId: null });
    const stray = await as(ward, CONVERT, { i: { contactId: unquarantined, confirmedAt: new Date(Date.now() - 60_000).toISOString(), confirmation: 'PCR', tier: 'TIER_1', endDecisionNumber: decision() } });
    expect(stray.convertContactToCase.__typename).toBe('ValidationError');
    const plain = await as(ward, CONVERT, { i: { contactId: unquarantined, confirmedAt: new Date(Date.now() - 60_000).toISOString(), confirmation: 'PCR', tier: 'TIER_1' } });
    expect(plain.convertContactToCase.__typename).toBe('ConvertContactToCaseSuccess');

    // Converting again is refused; the dashboard sees the case but none of the person's data.
    const again = await as(ward, CONVERT, { i: { ...input, idempotencyKey: null, endDecisionNumber: null } });
    expect(again.convertContactToCase.__typename).toBe('ContactAlreadyConverted');
    const seen = await gql(stack.gateway.url, `query P($id: ID!) { patient(id: $id) { id fullName nationalId contactHistory { id } } }`, { id: patientId }, { token: dashboard });
    expect(seen.data?.patient).toEqual({ id: patientId, fullName: null, nationalId: null, contactHistory: null });
    expect(codes(seen.errors)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(seen.data)).not.toContain('Chuyển Đổi');
  });

  it('refuses the conversion of a person who already has an open case, writing nothing', async () => {
    const nationalId = nid();
    const existing = await registerPatient(stack.gateway.url, ward, { wardCode: '00337', nationalId });
    const contactId = await record({ nationalId });
    const o = await order(contactId, 'HOME');
    expect(o.__typename).toBe('OrderQuarantineSuccess');
    await stack.settle();
    const rows = () =>
      withDb<any, string>(db, 'patients', async (k) => {
        const r = await sql<{ h: string }>`select md5(
          (select string_agg(p::text, '|' order by p.id) from patient p) || (select string_agg(c::text, '|' order by c.id) from contact c) ||
          (select string_agg(q::text, '|' order by q.id) from quarantine_order q) || (select count(*)::text from outbox where topic <> ${TOPICS.epidemicLevelChanged})) as h`.execute(k);
        return r.rows[0]!.h;
      });
    const before = await rows();
    const res = await as(ward, CONVERT, { i: { contactId, confirmedAt: new Date(Date.now() - 60_000).toISOString(), confirmation: 'PCR', tier: 'TIER_2', endDecisionNumber: decision() } });
    expect(res.convertContactToCase).toMatchObject({ __typename: 'DuplicateActiveCase', existingPatientId: existing.id });
    expect(await rows()).toBe(before);
    const c = await as(ward, `query C($id: ID!) { contact(id: $id) { becameCase { id } activeQuarantine { id } } }`, { id: contactId });
    expect(c.contact).toEqual({ becameCase: null, activeQuarantine: { id: o.order.id } });
  });

  it('converts a contact once when two clinicians convert them at the same moment', async () => {
    const contactId = await record();
    const o = await order(contactId, 'QUARANTINE_AREA', 'Q-AREA');
    expect(o.__typename).toBe('OrderQuarantineSuccess');
    const district = await token('DISTRICT_OFFICER', { district: '008' });
    const attempt = (who: string) =>
      as(who, CONVERT, { i: { contactId, confirmedAt: new Date(Date.now() - 60_000).toISOString(), confirmation: 'PCR', tier: 'TIER_1', endDecisionNumber: decision() } });
    const results = (await Promise.all([attempt(ward), attempt(district)])).map((r) => r.convertContactToCase.__typename).sort();
    expect(results).toEqual(['ContactAlreadyConverted', 'ConvertContactToCaseSuccess']);
    const c = await as(ward, `query C($id: ID!) { contact(id: $id) { becameCase { id } quarantineOrders { active endReason } } }`, { id: contactId });
    expect(c.contact.quarantineOrders).toEqual([{ active: false, endReason: 'TESTED_POSITIVE' }]);
    const cases = await withDb<any, number>(db, 'patients', async (k) =>
      Number((await sql<{ n: number }>`select count(*)::int as n from patient p join contact c on c.patient_id = p.id where c.id = ${contactId}`.execute(k)).rows[0]!.n),
    );
    expect(cases).toBe(1);
    expect((await area()).facility.quarantineCapacity.occupied).toBe(1);
  });

  it('refuses writes outside the jurisdiction of every ward they touch', async () => {
    const contactId = await record();
    // Another ward's officer: the contact is not theirs.
    const foreign = await gql(stack.gateway.url, ORDER, { i: { contactId, place: 'HOME', decisionNumber: decision(), startsOn: today(), plannedEndOn: daysFromToday(7) } }, { token: otherWard });
    expect(codes(foreign.errors)).toEqual(['FORBIDDEN']);
    const foreignConvert = await gql(stack.gateway.url, CONVERT, { i: { contactId, confirmedAt: new Date().toISOString(), confirmation: 'PCR', tier: 'TIER_1' } }, { token: otherWard });
    expect(codes(foreignConvert.errors)).toEqual(['FORBIDDEN']);
    // The ward's own officer, into an area of another ward.
    const farArea = await gql(stack.gateway.url, ORDER, { i: { contactId, place: 'QUARANTINE_AREA', facilityId: 'Q-FAR', decisionNumber: decision(), startsOn: today(), plannedEndOn: daysFromToday(7) } }, { token: ward });
    expect(codes(farArea.errors)).toEqual(['FORBIDDEN']);
    // A contact of a case outside the viewer's jurisdiction cannot be recorded, nor one living there.
    const farCase = await registerPatient(stack.gateway.url, city, { wardCode: '00001', nationalId: null });
    expect(codes((await gql(stack.gateway.url, RECORD, { i: contactInput({ indexPatientId: farCase.id }) }, { token: ward })).errors)).toEqual(['FORBIDDEN']);
    expect(codes((await gql(stack.gateway.url, RECORD, { i: contactInput({ wardCode: '00001' }) }, { token: ward })).errors)).toEqual(['FORBIDDEN']);
    // Dashboards and partners write nothing.
    for (const who of [dashboard, partner]) {
      expect(codes((await gql(stack.gateway.url, RECORD, { i: contactInput() }, { token: who })).errors)).toEqual(['FORBIDDEN']);
    }
    // The city officer may order into any area.
    const cityOrder = await order(contactId, 'QUARANTINE_AREA', 'Q-FAR', city);
    expect(cityOrder.__typename).toBe('OrderQuarantineSuccess');
    // And the ward officer may no longer end it (the area is another ward's).
    const end = await gql(stack.gateway.url, END, { i: { orderId: cityOrder.order.id, decisionNumber: decision(), endedOn: today(), reason: 'COMPLETED' } }, { token: ward });
    expect(codes(end.errors)).toEqual(['FORBIDDEN']);
  });
});
