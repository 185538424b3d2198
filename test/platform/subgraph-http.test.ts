/**
 * A subgraph's HTTP front (Node's server in front of Apollo Server): clear JSON answers for bad
 * bodies, unknown paths and unsupported encodings, and its operator endpoints.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { testConfig } from '../support/stack.js';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/common/service.js';
import { SUBGRAPHS } from '../../subgraphs/registry.js';
import { createLogger } from '../../subgraphs/common/log.js';
import { signViewer, VIEWER_HEADER } from '../../subgraphs/common/auth/internal-token.js';

describe('subgraph HTTP front', () => {
  let db: TestDatabase;
  let facilities: RunningSubgraph;
  let viewer: string;
  let base: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    facilities = await startSubgraph(SUBGRAPHS.facilities, { databaseUrl: db.roleUrl('facilities'), port: 0, config: testConfig, log: createLogger('facilities') });
    base = facilities.url.replace(/\/graphql$/, '');
    viewer = await signViewer({ subject: 'test', role: 'DASHBOARD' }, testConfig.internalSecret);
  });
  afterAll(async () => {
    await facilities.close();
    await db.drop();
  });

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(facilities.url, { method: 'POST', headers: { 'content-type': 'application/json', [VIEWER_HEADER]: viewer, ...headers }, body });

  it('answers a query, with its length and no-store', async () => {
    const res = await post(JSON.stringify({ query: '{ cityCapacity { total } }' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(text));
    expect(JSON.parse(text)).toEqual({ data: { cityCapacity: { total: 0 } } });
  });

  it('refuses a request without the gateway’s viewer with 401', async () => {
    const res = await fetch(facilities.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ cityCapacity { total } }' }) });
    expect(res.status).toBe(401);
    expect((await res.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('answers malformed JSON, a compressed body and a body that is not JSON with a clear 4xx', async () => {
    const malformed = await post('{"query": ');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ errors: [{ message: 'Malformed JSON body', extensions: { code: 'BAD_REQUEST' } }] });
    const gzip = await post(JSON.stringify({ query: '{ cityCapacity { total } }' }), { 'content-encoding': 'gzip' });
    expect(gzip.status).toBe(415);
    expect((await gzip.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
    const text = await post('query { cityCapacity { total } }', { 'content-type': 'text/plain' });
    expect(text.status).toBe(400);
    const empty = await post('');
    expect(empty.status).toBe(400);
  });

  it('answers unknown paths with a JSON 404, and its health with and without a body (HEAD)', async () => {
    const missing = await fetch(`${base}/nope`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).errors[0].extensions.code).toBe('NOT_FOUND');
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok', service: 'facilities' });
    const head = await fetch(`${base}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const ready = await fetch(`${base}/readyz`);
    expect([200, 503]).toContain(ready.status);
    expect((await ready.json()).service).toBe('facilities');
  });

  it('refuses a NUL anywhere in the variables, an entity fetch’s representations too, and takes the text \\u0000 for what it is', async () => {
    const facility = 'query F($id: ID!) { facility(id: $id) { id } }';
    const entities = 'query E($r: [_Any!]!) { _entities(representations: $r) { ... on District { code } } }';
    const codes = async (res: Response) => ((await res.json()) as { errors?: { extensions: { code: string } }[] }).errors?.map((e) => e.extensions.code) ?? [];
    for (const [query, variables] of [
      [facility, { id: 'CS-\u0000' }],
      [entities, { r: [{ __typename: 'District', code: '001' }, { __typename: 'District', code: '00\u00002' }] }],
      [entities, { r: [{ __typename: 'District', code: '001', ['k\u0000']: 1 }] }],
    ] as const) {
      expect(await codes(await post(JSON.stringify({ query, variables })))).toEqual(['BAD_USER_INPUT']);
    }
    // A backslash followed by "u0000" is six characters of text, not a NUL: no refusal for it.
    const text = await post(JSON.stringify({ query: facility, variables: { id: 'CS-\\u0000' } }));
    expect(text.status).toBe(200);
    expect(await codes(text)).not.toContain('BAD_USER_INPUT');
  });
});
