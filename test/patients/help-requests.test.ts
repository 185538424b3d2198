/**
 * Help requests from partner apps, end to end through the gateway: a partner (the 1022 hotline,
 * a citizen app) opens one for a citizen with their consent and reads only that request's status;
 * the ward station acknowledges and closes it with response times; an unanswered one escalates to
 * the district, whose officers see it in their list and live feed. And where citizens call: the
 * contacts of the ward's stations, published by its officers and readable by partners.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography, withDb } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, ok, subscribe, token, wsClient } from '../support/client.js';
import { HELP_ESCALATION } from '../../subgraphs/patients/index.js';
import type { HelpEscalationJob } from '../../subgraphs/patients/commands/help.js';

const REQUEST_HELP = `mutation H($input: RequestHelpInput!) { requestHelp(input: $input) { __typename
  ... on RequestHelpSuccess { receipt { id status ward { code } districtCode need openedAt acknowledgedAt closedAt } }
  ... on ValidationError { fields { path } } ... on Error { code message } } }`;
const STATUS = `query S($id: ID!) { helpRequestStatus(id: $id) { id status openedAt acknowledgedAt escalatedAt closedAt acknowledgeSeconds closeSeconds } }`;
const FULL = `query F($id: ID!) { helpRequest(id: $id) { id status citizenName callerPhone message need openedByPartner consent { version at } } }`;
const ACK = `mutation A($id: ID!) { acknowledgeHelpRequest(id: $id) { __typename ... on AcknowledgeHelpRequestSuccess { helpRequest { status firstResponseSeconds } } ... on Error { code } } }`;
const CLOSE = `mutation R($input: ResolveHelpRequestInput!) { resolveHelpRequest(input: $input) { __typename ... on ResolveHelpRequestSuccess { helpRequest { status resolution closeSeconds } } } }`;
const LIST = `query L($district: ID, $states: [HelpRequestState!]) { helpRequests(districtCode: $district, states: $states, first: 50) { edges { node { id status escalatedAt citizenName } } } }`;
const DESK = `query D($code: ID!) { district(code: $code) { helpDesk { open unacknowledged escalated oldestUnacknowledgedAt medianFirstResponseSeconds p90FirstResponseSeconds medianCloseSeconds p90CloseSeconds } } }`;
const LIVE = `subscription L($district: ID) { helpRequestChanged(districtCode: $district) { id status ward { code } escalatedAt } }`;

const consent = () => ({ given: true, text: 'Tôi đồng ý chia sẻ tên, số điện thoại và nhu cầu với trạm y tế phường.', version: 'v1', at: new Date(Date.now() - 60_000).toISOString() });
let keys = 0;
const helpInput = (overrides: Record<string, unknown> = {}) => ({
  wardCode: '00337',
  citizenName: 'Nguyễn Thị Cần Giúp',
  phone: '0912 345 678',
  need: 'BREATHING',
  message: 'Mẹ tôi khó thở, SpO2 93 %',
  channel: 'HOTLINE_1022',
  consent: consent(),
  idempotencyKey: `hotline-call-${Date.now()}-${++keys}`,
  ...overrides,
});

describe('help requests from partners', () => {
  let db: TestDatabase;
  let stack: Stack;
  const tokens: Record<string, string> = {};
  const call = (who: string, query: string, variables: Record<string, unknown> = {}) => gql(stack.gateway.url, query, variables, { token: tokens[who] });
  const as = async (who: string, query: string, variables: Record<string, unknown> = {}) => ok(await call(who, query, variables));
  const open = async (who = 'hotline', overrides: Record<string, unknown> = {}) => {
    const res = (await as(who, REQUEST_HELP, { input: helpInput(overrides) })).requestHelp;
    expect(res.__typename).toBe('RequestHelpSuccess');
    return res.receipt as { id: string; status: string };
  };
  const rows = () => withDb<any, number>(db, 'patients', async (k) => Number((await sql<{ n: number }>`select count(*)::int as n from help_request`.execute(k)).rows[0]!.n));

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [
      { id: 'HS-00337', wardCode: '00337', kind: 'HEALTH_STATION', name: 'Trạm y tế Phường Hoàng Liệt' },
      { id: 'CS-00337', wardCode: '00337', name: 'Cơ sở thu dung Hoàng Liệt' },
      // Named to sort before the station, so that the order of helpContacts is by kind, not name.
      { id: 'MS-00337-B', wardCode: '00337', kind: 'MOBILE_HEALTH_STATION', name: 'B Trạm lưu động 2' },
      { id: 'MS-00337-A', wardCode: '00337', kind: 'MOBILE_HEALTH_STATION', name: 'A Trạm lưu động 1' },
      { id: 'MS-00337-S', wardCode: '00337', kind: 'MOBILE_HEALTH_STATION', name: 'A Trạm lưu động dự phòng', status: 'STANDBY' },
    ]);
    stack = await startStack(db);
    tokens.hotline = await token('PARTNER', { subject: 'partner:hotline-1022' });
    tokens.app = await token('PARTNER', { subject: 'partner:citizen-app' });
    tokens.ward = await token('WARD_OFFICER', { ward: '00337' });
    tokens.otherWard = await token('WARD_OFFICER', { ward: '00001' });
    tokens.district = await token('DISTRICT_OFFICER', { district: '008' });
    tokens.city = await token('CITY_OFFICER');
    tokens.dashboard = await token('DASHBOARD');
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  it('a partner opens a request with consent and reads only its status; never another partner’s, never the list or personal data', async () => {
    const receipt = await open();
    expect(receipt).toMatchObject({ status: 'OPEN', ward: { code: '00337' }, districtCode: '008', need: 'BREATHING', acknowledgedAt: null, closedAt: null });
    expect((await as('hotline', STATUS, { id: receipt.id })).helpRequestStatus).toMatchObject({ id: receipt.id, status: 'OPEN', acknowledgeSeconds: null });
    // The other partner gets what an unknown id gets.
    expect((await as('app', STATUS, { id: receipt.id })).helpRequestStatus).toBeNull();
    expect((await as('app', STATUS, { id: '00000000-0000-4000-8000-000000000000' })).helpRequestStatus).toBeNull();
    for (const query of [FULL, LIST]) {
      const res = await call('hotline', query, { id: receipt.id });
      expect(JSON.stringify(res.data ?? {})).not.toContain('Cần Giúp');
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    }
    // The ward station sees who called, and that a partner opened it with consent v1.
    expect((await as('ward', FULL, { id: receipt.id })).helpRequest).toMatchObject({
      status: 'OPEN', citizenName: 'Nguyễn Thị Cần Giúp', callerPhone: '+84912345678', need: 'BREATHING', openedByPartner: true, consent: { version: 'v1' },
    });
  });

  it('an area nobody asked for help in answers zeros, not an error', async () => {
    const res = await call('dashboard', DESK, { code: '001' });
    expect({ errors: res.errors, desk: res.data?.district?.helpDesk }).toEqual({
      errors: undefined,
      desk: { open: 0, unacknowledged: 0, escalated: 0, oldestUnacknowledgedAt: null, medianFirstResponseSeconds: null, p90FirstResponseSeconds: null, medianCloseSeconds: null, p90CloseSeconds: null },
    });
  });

  it('is refused without consent, and writes nothing', async () => {
    const before = await rows();
    for (const input of [helpInput({ consent: null }), helpInput({ consent: { ...consent(), given: false } })]) {
      const res = await call('hotline', REQUEST_HELP, { input });
      // Without any consent the schema refuses the variables before anything runs.
      if (input.consent === null) expect({ data: res.data?.requestHelp ?? null, refused: /consent/.test(res.errors?.[0]?.message ?? '') }).toEqual({ data: null, refused: true });
      else expect(ok(res).requestHelp).toMatchObject({ __typename: 'ValidationError', fields: [{ path: ['input', 'consent', 'given'] }] });
    }
    expect(await rows()).toBe(before);
  });

  it('a retry with the same key returns the same receipt; the key is no way into another partner’s request', async () => {
    const input = helpInput();
    const first = (await as('hotline', REQUEST_HELP, { input })).requestHelp;
    expect((await as('hotline', REQUEST_HELP, { input })).requestHelp).toEqual(first);
    // Keys are per opener: another partner with the same key opens its own request, and is told
    // nothing about the first one.
    const other = (await as('app', REQUEST_HELP, { input })).requestHelp;
    expect(other).toMatchObject({ __typename: 'RequestHelpSuccess' });
    expect(other.receipt.id).not.toBe(first.receipt.id);
    expect((await as('app', REQUEST_HELP, { input })).requestHelp).toEqual(other);
    expect((await as('hotline', REQUEST_HELP, { input: { ...input, message: 'a different call' } })).requestHelp).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
  });

  it('the ward station acknowledges and closes it; the partner sees the times, the district the response-time percentiles', async () => {
    const receipt = await open();
    expect((await as('ward', ACK, { id: receipt.id })).acknowledgeHelpRequest.helpRequest.status).toBe('ACKNOWLEDGED');
    const closed = (await as('ward', CLOSE, { input: { id: receipt.id, resolution: 'Bác sĩ trạm đã đến, đo SpO2 96 %, hướng dẫn nằm sấp' } })).resolveHelpRequest.helpRequest;
    expect(closed.status).toBe('CLOSED');
    const status = (await as('hotline', STATUS, { id: receipt.id })).helpRequestStatus;
    expect(status.status).toBe('CLOSED');
    expect(status.acknowledgeSeconds).toBeGreaterThanOrEqual(0);
    expect(status.closeSeconds).toBeGreaterThanOrEqual(status.acknowledgeSeconds);
    const desk = (await as('dashboard', DESK, { code: '008' })).district.helpDesk;
    expect(desk.medianFirstResponseSeconds).toBeGreaterThanOrEqual(0);
    expect(desk.p90FirstResponseSeconds).toBeGreaterThanOrEqual(desk.medianFirstResponseSeconds);
    expect(desk.p90CloseSeconds).toBeGreaterThanOrEqual(desk.medianCloseSeconds);
  });

  it('an officer outside the ward cannot acknowledge it, and nothing changes', async () => {
    const receipt = await open();
    const res = await call('otherWard', ACK, { id: receipt.id });
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(res)).not.toContain(receipt.id);
    expect((await as('hotline', STATUS, { id: receipt.id })).helpRequestStatus.status).toBe('OPEN');
  });

  it('an unanswered request escalates to the district after the limit: its list, its counts and its live feed', async () => {
    const districtClient = wsClient(stack.gateway.url, { authorization: `Bearer ${tokens.district}` });
    const otherClient = wsClient(stack.gateway.url, { authorization: `Bearer ${tokens.otherWard}` });
    const servedBy = stack.subgraphs.patients.runtime;
    const live = subscribe(districtClient, LIVE, { district: '008' }, { servedBy });
    const other = subscribe(otherClient, LIVE, {}, { servedBy });
    try {
      await Promise.all([live.ready, other.ready]);
      const sweeper = stack.subgraphs.patients.runtime.service<HelpEscalationJob>(HELP_ESCALATION);
      // Everything opened so far and left unanswered escalates in this sweep: start from none.
      await sweeper.sweep(new Date(Date.now() + 24 * 3_600_000));
      await stack.settle();
      live.pending();
      const receipt = await open('app', { wardCode: '00337', need: 'MEDICINE' });
      expect((await live.next(10_000)).data?.helpRequestChanged).toMatchObject({ id: receipt.id, status: 'OPEN', escalatedAt: null });
      expect(await sweeper.sweep()).toBe(0); // not yet due
      const due = new Date(Date.now() + (sweeper.limitMinutes + 1) * 60_000);
      expect(await sweeper.sweep(due)).toBe(1);
      expect(await sweeper.sweep(due)).toBe(0); // escalated once
      const escalated = (await live.next(10_000)).data?.helpRequestChanged;
      expect(escalated).toMatchObject({ id: receipt.id, status: 'ESCALATED', ward: { code: '00337' } });
      expect(escalated.escalatedAt).toEqual(expect.any(String));
      const list = (await as('district', LIST, { district: '008', states: ['ESCALATED'] })).helpRequests.edges.map((e: { node: { id: string } }) => e.node.id);
      expect(list).toContain(receipt.id);
      expect((await as('dashboard', DESK, { code: '008' })).district.helpDesk.escalated).toBeGreaterThanOrEqual(1);
      expect((await as('app', STATUS, { id: receipt.id })).helpRequestStatus.status).toBe('ESCALATED');
      // Acknowledged at last: no longer escalated, and the ward of another district heard nothing.
      expect((await as('ward', ACK, { id: receipt.id })).acknowledgeHelpRequest.helpRequest.status).toBe('ACKNOWLEDGED');
      expect((await live.next(10_000)).data?.helpRequestChanged).toMatchObject({ id: receipt.id, status: 'ACKNOWLEDGED' });
      expect(other.pending()).toEqual([]);
    } finally {
      live.close();
      other.close();
      await districtClient.dispose();
      await otherClient.dispose();
    }
  });

  const SET_CONTACTS = `mutation C($input: SetFacilityContactsInput!) { setFacilityContacts(input: $input) { __typename
    ... on SetFacilityContactsSuccess { facility { id contacts { phones hotline } } } ... on ValidationError { fields { path } } ... on Error { code } } }`;
  const HELP_CONTACTS = `query W($code: ID!) { ward(code: $code) { helpContacts { id name contacts { phones hotline zaloGroups { name link } hours updatedAt } } } }`;

  it('the ward publishes its station’s contacts; a partner reads them; an officer elsewhere cannot change them', async () => {
    const input = {
      facilityId: 'HS-00337',
      phones: ['024 3864 1234', '0912.345.678'],
      hotline: '1022',
      zaloGroups: [{ name: 'Hỗ trợ F0 Hoàng Liệt', link: 'https://zalo.me/g/hoangliet-f0' }],
      hours: '24/7',
    };
    expect((await as('ward', SET_CONTACTS, { input })).setFacilityContacts).toEqual({
      __typename: 'SetFacilityContactsSuccess', facility: { id: 'HS-00337', contacts: { phones: ['+842438641234', '+84912345678'], hotline: '1022' } },
    });
    const contacts = async () => (await as('hotline', HELP_CONTACTS, { code: '00337' })).ward.helpContacts;
    const published = await contacts();
    expect(published).toEqual([
      { id: 'HS-00337', name: 'Trạm y tế Phường Hoàng Liệt', contacts: { phones: ['+842438641234', '+84912345678'], hotline: '1022', zaloGroups: input.zaloGroups, hours: '24/7', updatedAt: expect.any(String) } },
    ]);
    const refused = await call('otherWard', SET_CONTACTS, { input: { ...input, phones: ['0987000000'] } });
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const invalid = (await as('ward', SET_CONTACTS, { input: { ...input, phones: ['12ab'], zaloGroups: [{ name: 'Nhóm', link: 'http://example.com/x' }] } })).setFacilityContacts;
    expect(invalid).toMatchObject({ __typename: 'ValidationError', fields: [{ path: ['input', 'phones', '0'] }, { path: ['input', 'zaloGroups', '0', 'link'] }] });
    expect(await contacts()).toEqual(published);
  });

  it('a ward lists the health station first, then its active mobile stations by name; one on standby or without contacts is left out', async () => {
    const publish = (facilityId: string) => as('ward', SET_CONTACTS, { input: { facilityId, phones: ['0912000111'] } });
    for (const id of ['MS-00337-B', 'MS-00337-A', 'MS-00337-S']) expect((await publish(id)).setFacilityContacts.__typename).toBe('SetFacilityContactsSuccess');
    const ids = (await as('hotline', HELP_CONTACTS, { code: '00337' })).ward.helpContacts.map((f: { id: string }) => f.id);
    expect(ids).toEqual(['HS-00337', 'MS-00337-A', 'MS-00337-B']);
  });
});
