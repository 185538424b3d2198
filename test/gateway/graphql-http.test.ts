/**
 * The gateway speaks the GraphQL-over-HTTP specification: the graphql-http package's server
 * audits run against it: no audit errs, and none even warns (SHOULD and MAY included).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { serverAudits } from 'graphql-http';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { seedGeography } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { token } from '../support/client.js';

describe('GraphQL over HTTP audit', () => {
  let db: TestDatabase;
  let stack: Stack;
  let auth: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    stack = await startStack(db);
    auth = await token('DASHBOARD');
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  it('passes every audit against the gateway', async () => {
    // The gateway requires credentials; the audits send none, so every request gets a token.
    const fetchFn: typeof fetch = (input, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${auth}`);
      return fetch(input, { ...init, headers });
    };
    const audits = serverAudits({ url: stack.gateway.url, fetchFn });
    const results = await Promise.all(audits.map(async (audit) => ({ audit, result: await audit.fn() })));
    expect(results.length).toBeGreaterThan(20);
    const errors = results.filter((r) => r.result.status === 'error').map((r) => `${r.audit.name}: ${JSON.stringify(r.result)}`);
    expect(errors).toEqual([]);
    const notOk = results.filter((r) => r.result.status !== 'ok').map((r) => `${r.result.status} ${r.audit.id} ${r.audit.name}`);
    expect(notOk).toEqual([]);
  });
});
