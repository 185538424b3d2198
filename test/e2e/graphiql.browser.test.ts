/**
 * GraphiQL in a real browser (Debian's Chromium through playwright-core) with the network to
 * anything but the gateway blocked: every request the page makes is routed through the test,
 * which lets loopback through and refuses the rest (and Chromium resolves no other host name at
 * all). The page must load from the gateway's own assets, offer the contract operations as tabs,
 * take a token in its headers editor and run a query. A screenshot is saved to
 * test-results/graphiql.png (copied to gateway/graphiql-screenshot.png for the README).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, ok, token } from '../support/client.js';
import { contractOperations } from '../support/contract.js';
import { REPO_ROOT } from '../../subgraphs/common/config.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(REPO_ROOT, 'test-results');

const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) console.warn(`GraphiQL browser tests skipped: Chromium not found at ${CHROMIUM} (see scripts/ensure-chromium.sh, or set CHROMIUM_PATH)`);

const isLoopback = (url: string) => {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:') return true;
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
};

(hasChromium ? describe : describe.skip)('GraphiQL offline', () => {
  let db: TestDatabase;
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const blocked: string[] = [];
  const requested: string[] = [];
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [{ id: 'CS-GIQL', name: 'Cơ sở thu dung Hoàng Mai (thử)', wardCode: '00337', beds: { GENERAL: { total: 12 } } }]);
    stack = await startStack(db);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-quic',
        '--no-first-run',
        '--disable-component-update',
        '--disable-sync',
        // No host name but loopback resolves: a request the routing below missed fails too.
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
      ],
    });
    context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      requested.push(url);
      if (isLoopback(url)) return route.continue();
      blocked.push(url);
      return route.abort('internetdisconnected');
    });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await db?.drop();
  });

  it('loads from the gateway alone, with the contract operations as tabs', async () => {
    await page.goto(new URL(stack.gateway.url).href);
    // The CDN page stays on "Loading …" without the network; ours renders the editor.
    await page.locator('.graphiql-container .graphiql-query-editor').waitFor({ timeout: 30_000 });
    expect(await page.locator('#root').textContent()).not.toMatch(/^Loading/);
    expect(await page.title()).toBe('Hanoi Response Graph');

    const tabs = await page.locator('.graphiql-tab').allTextContents();
    for (const name of contractOperations().keys()) expect(tabs.join(' ')).toContain(name);
    expect(blocked).toEqual([]);
    expect(requested.length).toBeGreaterThan(0);
  }, 60_000);

  it('runs a query with the token pasted into its headers', async () => {
    // The first tab explains the Authorization header and holds CityOverview.
    await page.locator('.graphiql-tab').first().click();
    // Monaco renders spaces as no-break spaces.
    const query = (await page.locator('.graphiql-query-editor').textContent())?.replace(/\u00a0/g, ' ');
    expect(query).toContain('npm run token -- DASHBOARD');
    expect(query).toContain('query CityOverview');

    await page.getByRole('button', { name: 'Headers' }).click();
    const headers = page.locator('.graphiql-editor-tool .monaco-editor').last();
    await headers.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${await token('DASHBOARD')}` }));

    await page.locator('.graphiql-execute-button').click();
    const response = page.locator('.graphiql-response');
    await response.getByText('"districts"').waitFor({ timeout: 30_000 });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'graphiql.png') });
    // The answer the page shows is the gateway's own (its first lines: Monaco draws what is visible).
    const shown = (await response.textContent())?.replace(/\u00a0/g, ' ') ?? '';
    const first = ok(await gql(stack.gateway.url, '{ districts { code name } }', {}, { token: await token('DASHBOARD') })).districts[0];
    expect(shown).toContain(`"code": "${first.code}"`);
    expect(shown).toContain(`"name": "${first.name}"`);
    expect(shown).not.toContain('UNAUTHENTICATED');
    expect(blocked).toEqual([]);
    expect(pageErrors).toEqual([]);
    // A Content-Security-Policy violation would show here (the page allows only its own origin).
    expect(consoleErrors.filter((m) => /Content Security Policy|Refused to/i.test(m))).toEqual([]);
  }, 60_000);
});
