/**
 * GraphiQL over plain HTTP (the browser test, test/e2e/graphiql.browser.test.ts, runs it): the
 * page names only its own origin's assets, the assets are served by the gateway, both go away
 * when GraphiQL is switched off, and the example variables of every contract tab are valid
 * for the operation they go with. The gateway builds its schema from the supergraph alone, so
 * no subgraph runs here.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getVariableValues, parse, type OperationDefinitionNode } from 'graphql';
import { startGateway, type RunningGateway } from '../../gateway/server.js';
import { HEADERS_TEMPLATE, defaultTabs } from '../../gateway/graphiql.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../subgraphs/common/config.js';
import { createLogger } from '../../subgraphs/common/log.js';
import { testConfig } from '../support/stack.js';
import { contractDocument, contractOperations, publicSchema } from '../support/contract.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../subgraphs/common/config.js';

// Nothing listens there: no request of these tests reaches a subgraph.
const nowhere = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, 'http://127.0.0.1:9/graphql'])) as Record<SubgraphName, string>;

describe('GraphiQL from our own assets', () => {
  let gateway: RunningGateway;
  let off: RunningGateway;

  beforeAll(async () => {
    const start = (graphiql: boolean) => startGateway({ config: { ...testConfig, graphiql }, subgraphUrls: nowhere, port: 0, host: '127.0.0.1', log: createLogger('gateway') });
    [gateway, off] = await Promise.all([start(true), start(false)]);
  });
  afterAll(async () => {
    await gateway?.close();
    await off?.close();
  });

  const page = (url: string) => fetch(url, { headers: { accept: 'text/html' } });

  it('serves a page that names no other origin, with a policy that allows none', async () => {
    const res = await page(gateway.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    const html = await res.text();
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toEqual(expect.arrayContaining(['/graphiql/graphiql.js', '/graphiql/graphiql.css']));
    expect(html).not.toContain('Loading');
  });

  it('serves every asset the page and its editor workers load', async () => {
    const origin = new URL(gateway.url).origin;
    for (const [file, type] of [
      ['graphiql.js', /javascript/],
      ['graphiql.css', /text\/css/],
      ['editor.worker.js', /javascript/],
      ['json.worker.js', /javascript/],
      ['graphql.worker.js', /javascript/],
      ['favicon.ico', /image/],
    ] as const) {
      const res = await fetch(`${origin}/graphiql/${file}`);
      expect([file, res.status]).toEqual([file, 200]);
      expect(res.headers.get('content-type')).toMatch(type);
      const body = await res.arrayBuffer();
      expect(body.byteLength).toBeGreaterThan(1000);
      if (file === 'graphiql.js') {
        const text = new TextDecoder().decode(body);
        expect(text).toContain('renderYogaGraphiQL');
        expect(text).not.toMatch(/unpkg\.com|jsdelivr|cdnjs/);
      }
      // The browser revalidates by version and gets no body again.
      const again = await fetch(`${origin}/graphiql/${file}`, { headers: { 'if-none-match': res.headers.get('etag')! } });
      expect(again.status).toBe(304);
    }
    expect((await fetch(`${origin}/graphiql/nothing.js`)).status).toBe(404);
  });

  it('is gone, page and assets, when switched off', async () => {
    expect((await page(off.url)).status).toBe(404);
    expect((await fetch(`${new URL(off.url).origin}/graphiql/graphiql.js`)).status).toBe(404);
  });

  it('opens a tab per contract operation whose example variables fit the operation', () => {
    const schema = publicSchema();
    const source = readFileSync(path.join(REPO_ROOT, 'test/contract/operations.graphql'), 'utf8');
    const tabs = defaultTabs(source);
    expect(tabs).toHaveLength(contractOperations().size);
    expect(tabs[0]!.query).toMatch(/Authorization/);
    expect(tabs[0]!.query).toMatch(/npm run token -- DASHBOARD/);
    for (const definition of contractDocument().definitions) {
      const operation = definition as OperationDefinitionNode;
      const name = operation.name!.value;
      const tab = tabs.find((t) => new RegExp(`^(query|mutation|subscription) ${name}\\b`, 'm').test(t.query));
      expect([name, !!tab]).toEqual([name, true]);
      expect(tab!.headers).toBe(HEADERS_TEMPLATE);
      const parsed = parse(tab!.query).definitions[0] as OperationDefinitionNode;
      const coerced = getVariableValues(schema, parsed.variableDefinitions ?? [], JSON.parse(tab!.variables ?? '{}'));
      expect([name, coerced.errors?.map((e) => e.message) ?? []]).toEqual([name, []]);
    }
  });
});
