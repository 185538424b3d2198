/**
 * Queries and mutations sent over the gateway's WebSocket are each run for their own sender, as
 * over HTTP. Only subscriptions share an execution (shared-subscriptions.ts): graphql-ws hands
 * every operation to the same hook, and sharing a query or a mutation merged identical ones sent
 * at the same instant by different callers of one scope (two partners), so that one partner got
 * another's answer, two partners' identical requests made one record, and twelve reads by one
 * officer left one audit entry.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import type { Client } from 'graphql-ws';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography, withDb } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, ok, token, wsClient, wsOnce } from '../support/client.js';
import { registerPatient } from '../support/patients.js';

const once = wsOnce;

const REQUEST_HELP = `mutation H($i: RequestHelpInput!) { requestHelp(input: $i) { ... on RequestHelpSuccess { receipt { id } } ... on Error { code message } } }`;
const HELP_STATUS = `query S($id: ID!) { helpRequestStatus(id: $id) { id status need } }`;

const helpInput = (idempotencyKey: string) => ({
  wardCode: '00337',
  citizenName: 'Nguyễn Văn A',
  phone: '0912345678',
  need: 'BREATHING',
  message: 'Khó thở',
  consent: { given: true, text: 'Đồng ý', version: 'v1', at: new Date(Date.now() - 60_000).toISOString() },
  idempotencyKey,
});

describe('queries and mutations over the WebSocket', () => {
  let db: TestDatabase;
  let stack: Stack;
  const clients: Client[] = [];
  const socket = (bearer: string) => {
    const client = wsClient(stack.gateway.url, { authorization: `Bearer ${bearer}` });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [{ id: 'CS-WSO', wardCode: '00337', beds: { GENERAL: { total: 10 } } }]);
    stack = await startStack(db);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await stack.close();
    await db.drop();
  });

  it("never hands one partner another partner's answer, however close together they ask", async () => {
    const alpha = await token('PARTNER', { subject: 'partner:alpha' });
    const beta = await token('PARTNER', { subject: 'partner:beta' });
    const id = ok(await gql(stack.gateway.url, REQUEST_HELP, { i: helpInput('ws-ops-alpha-0001') }, { token: alpha })).requestHelp.receipt.id;
    expect(id).toEqual(expect.any(String));
    const a = socket(alpha);
    const b = socket(beta);
    for (let round = 0; round < 20; round++) {
      const [mine, theirs] = await Promise.all([once(a, HELP_STATUS, { id }), once(b, HELP_STATUS, { id })]);
      expect(mine.data.helpRequestStatus).toMatchObject({ id, need: 'BREATHING' });
      // Beta did not open it: null, as over HTTP.
      expect(theirs).toEqual({ data: { helpRequestStatus: null } });
    }
  });

  it("makes one record per partner of two identical requests sent at the same instant", async () => {
    const gamma = socket(await token('PARTNER', { subject: 'partner:gamma' }));
    const delta = socket(await token('PARTNER', { subject: 'partner:delta' }));
    const same = helpInput('ws-ops-same-key-0001');
    const [g, d] = await Promise.all([once(gamma, REQUEST_HELP, { i: same }), once(delta, REQUEST_HELP, { i: same })]);
    const rows = await withDb(db, 'patients', async (k) =>
      (await sql<{ id: string; opened_by: string }>`select id::text, opened_by from help_request where opened_by in ('partner:gamma', 'partner:delta') order by opened_by`.execute(k)).rows,
    );
    expect(rows.map((r) => r.opened_by)).toEqual(['partner:delta', 'partner:gamma']);
    expect(g.data.requestHelp.receipt.id).toBe(rows.find((r) => r.opened_by === 'partner:gamma')!.id);
    expect(d.data.requestHelp.receipt.id).toBe(rows.find((r) => r.opened_by === 'partner:delta')!.id);
  });

  it('records every read of personal data: twelve identical reads on one socket, twelve audit entries', async () => {
    const city = await token('CITY_OFFICER');
    const patient = await registerPatient(stack.gateway.url, city, { wardCode: '00337', fullName: 'Trần Thị Riêng Tư' });
    const officer = socket(await token('DISTRICT_OFFICER', { district: '008', subject: 'officer:ws-twelve' }));
    const answers = await Promise.all(Array.from({ length: 12 }, () => once(officer, `query P($id: ID!) { patient(id: $id) { fullName } }`, { id: patient.id })));
    expect(answers.map((a) => a.data.patient.fullName)).toEqual(Array(12).fill('Trần Thị Riêng Tư'));
    await stack.subgraphs.patients.runtime.audit.flush();
    const [row] = await withDb(db, 'patients', async (k) =>
      (await sql<{ reads: number }>`select count(*)::int as reads from audit_log where entity = 'Patient' and subject = 'officer:ws-twelve'`.execute(k)).rows,
    );
    expect(row!.reads).toBe(12);
  });
});
