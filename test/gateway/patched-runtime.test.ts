/**
 * What the gateway's patches to its runtime remember must still answer each request as the
 * unpatched runtime would (gateway/patches/README.md): whether a parsed document is introspection
 * alone is remembered per document, and equal entity representations are sent once and each
 * given the answer.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, ok, token } from '../support/client.js';
import { registerPatient } from '../support/patients.js';

describe('the patched gateway runtime', () => {
  let db: TestDatabase;
  let stack: Stack;
  let auth: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [{ id: 'PR-SITE', wardCode: '00337', beds: { GENERAL: { total: 4 } } }]);
    stack = await startStack(db);
    auth = await token('CITY_OFFICER');
    await registerPatient(stack.gateway.url, auth, { wardCode: '00337', nationalId: null });
    await stack.settle();
  });
  afterAll(async () => {
    await stack?.close();
    await db?.drop();
  });

  it('answers introspection alone from the schema and plans any other document, every time each comes', async () => {
    const introspection = '{ __schema { queryType { name } } }';
    const mixed = '{ __typename districts(codes: ["008"]) { code cases { active } } }';
    const typename = '{ __typename }';
    // Interleaved and repeated: the parse cache hands each its own document object every time,
    // and what is remembered of one must not answer another.
    for (let round = 0; round < 3; round++) {
      expect(ok(await gql(stack.gateway.url, introspection, {}, { token: auth }))).toEqual({ __schema: { queryType: { name: 'Query' } } });
      expect(ok(await gql(stack.gateway.url, mixed, {}, { token: auth }))).toEqual({ __typename: 'Query', districts: [{ code: '008', cases: { active: 1 } }] });
      expect(ok(await gql(stack.gateway.url, typename, {}, { token: auth }))).toEqual({ __typename: 'Query' });
    }
  });

  it('gives every alias of one entity its answer when the representations are sent once', async () => {
    // Three aliases of district 008 ask patients for the same entity: one representation, three answers.
    const data = ok(
      await gql(
        stack.gateway.url,
        '{ a: district(code: "008") { cases { active } } b: district(code: "008") { cases { active atHome } } c: districts(codes: ["008", "007"]) { code cases { active } } }',
        {},
        { token: auth },
      ),
    );
    expect(data).toEqual({
      a: { cases: { active: 1 } },
      b: { cases: { active: 1, atHome: 1 } },
      c: [
        { code: '008', cases: { active: 1 } },
        { code: '007', cases: { active: 0 } },
      ],
    });
  });
});
