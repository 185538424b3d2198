/**
 * The dashboard in a real browser (Debian's Chromium driven by playwright-core) against the real
 * stack: sign in with a DASHBOARD token, admit a patient through the API and see the bed count
 * change on the page without a reload; change a tier and see it in the feed; see the trend charts
 * drawn (uPlot canvases with pixels on them) and their last day follow those changes; take the gateway
 * away and back and see the page reconnect and re-query what it missed. A screenshot is saved to
 * test-results/dashboard.png. The stock alerts panel shows an alert raised through the API.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography } from '../support/builders.js';
import { startStack, testConfig, type Stack } from '../support/stack.js';
import { startGateway } from '../../gateway/server.js';
import { createLogger } from '../../subgraphs/common/log.js';
import { gql, ok, token } from '../support/client.js';
import { ADMIT, registerPatient } from '../support/patients.js';
import { REPO_ROOT } from '../../subgraphs/common/config.js';
import { HELP_ESCALATION } from '../../subgraphs/patients/index.js';
import type { HelpEscalationJob } from '../../subgraphs/patients/commands/help.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(REPO_ROOT, 'test-results');

// npm test installs Chromium where it can (scripts/ensure-chromium.sh); where it cannot, say so.
const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) console.warn(`dashboard browser tests skipped: Chromium not found at ${CHROMIUM} (see scripts/ensure-chromium.sh, or set CHROMIUM_PATH)`);

(hasChromium ? describe : describe.skip)('dashboard in a browser', () => {
  let db: TestDatabase;
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [
      { id: 'CS-DASH', name: 'Cơ sở thu dung Hoàng Mai (thử)', wardCode: '00337', beds: { GENERAL: { total: 10 }, OXYGEN: { total: 4 } } },
    ]);
    stack = await startStack(db);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await db?.drop();
  });

  const cell = (kind: string) => page.locator(`#facilities tr[data-facility="CS-DASH"] td[data-kind="${kind}"]`);

  /** Each trend chart's canvas: its size, pixels drawn at all, and pixels near `colour` (r, g, b). */
  const canvases = (colour: [number, number, number] = [0, 0, 0]) =>
    page.evaluate((rgb) => {
      return [...document.querySelectorAll<HTMLElement>('#trends [data-chart]')].map((box) => {
        const canvas = box.querySelector('canvas');
        if (!canvas) return { chart: box.dataset.chart!, width: 0, height: 0, drawn: 0, coloured: 0, title: '' };
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        let drawn = 0;
        let coloured = 0;
        for (let i = 0; i < data.length; i += 4) {
          if (data[i + 3]! === 0) continue;
          drawn += 1;
          if (Math.abs(data[i]! - rgb[0]) + Math.abs(data[i + 1]! - rgb[1]) + Math.abs(data[i + 2]! - rgb[2]) < 40) coloured += 1;
        }
        return { chart: box.dataset.chart!, width: canvas.width, height: canvas.height, drawn, coloured, title: box.querySelector('.u-title')?.textContent ?? '' };
      });
    }, colour);

  it('signs in with a DASHBOARD token and shows the city and the district', async () => {
    const origin = new URL(stack.gateway.url).origin;
    await page.goto(`${origin}/dashboard?district=008`);
    await page.fill('#token', await token('DASHBOARD'));
    await page.click('#sign-in');
    await page.locator('#connection.live').waitFor({ timeout: 15_000 });
    expect(await page.locator('#city tbody tr').count()).toBe(30);
    expect(await page.locator('#district').inputValue()).toBe('008');
    expect(await cell('GENERAL').textContent()).toBe('0 / 10');
    expect(await cell('OXYGEN').textContent()).toBe('0 / 4');
  });

  it('draws the trend charts of the city and the district', async () => {
    await page.waitForFunction(() => document.querySelectorAll('#trends [data-chart] canvas').length === 6, undefined, { timeout: 10_000 });
    const charts = await canvases();
    expect(charts.map((c) => c.chart).sort()).toEqual(['city-beds', 'city-new', 'city-tiers', 'district-beds', 'district-new', 'district-tiers']);
    for (const c of charts) {
      expect(c.width).toBeGreaterThan(100);
      expect(c.height).toBeGreaterThan(50);
      expect(c.drawn).toBeGreaterThan(500); // axes, grid and series
    }
    expect(charts.find((c) => c.chart === 'city-new')!.title).toBe('New cases a day');
    expect(await page.locator('#trends [data-chart="district-beds"]').getAttribute('data-days')).toBe('30');
    expect(await page.locator('#trends-district').textContent()).toBe('Quận Hoàng Mai');
  });

  it('shows an admission made through the API without a reload', async () => {
    const city = await token('CITY_OFFICER');
    const patient = await registerPatient(stack.gateway.url, city, { nationalId: null });
    const admitted = ok(await gql(stack.gateway.url, ADMIT, { input: { patientId: patient.id, facilityId: 'CS-DASH', bedKind: 'GENERAL' } }, { token: city }));
    expect(admitted.admitPatient.__typename).toBe('AdmitPatientSuccess');

    await page.waitForFunction(
      () => document.querySelector('#facilities tr[data-facility="CS-DASH"] td[data-kind="GENERAL"]')?.textContent === '1 / 10',
      undefined,
      { timeout: 10_000 },
    );
    await page.waitForFunction(() => /1 active case/.test(document.querySelector('#district-cases')?.textContent ?? ''), undefined, { timeout: 10_000 });

    const changed = ok(
      await gql(
        stack.gateway.url,
        `mutation C($input: ChangeTierInput!) { changeTier(input: $input) { __typename ... on Error { message } } }`,
        { input: { patientId: patient.id, to: 'TIER_3', reason: 'SpO2 93 %' } },
        { token: city },
      ),
    );
    expect(changed.changeTier.__typename).toBe('ChangeTierSuccess');
    await page.waitForFunction(
      (caseCode) => [...document.querySelectorAll('#feed li')].some((li) => li.textContent?.includes(caseCode) && li.textContent.includes('T1 ↑ T3')),
      patient.caseCode,
      { timeout: 10_000 },
    );
    // The trends follow: today's general beds of the district and the city, today's tier 3.
    for (const chart of ['district-beds', 'city-beds']) {
      await page.waitForFunction((c) => /general:1,/.test(document.querySelector(`[data-chart="${c}"]`)?.getAttribute('data-latest') ?? ''), chart, { timeout: 15_000 });
    }
    await page.waitForFunction(() => /T3:1$/.test(document.querySelector('[data-chart="district-tiers"]')?.getAttribute('data-latest') ?? ''), undefined, { timeout: 15_000 });
    // …and are drawn: the general-bed line (blue) and the tier-3 line (red) are on the canvases.
    const blue = await canvases([0x3b, 0x82, 0xf6]);
    expect(blue.find((c) => c.chart === 'district-beds')!.coloured).toBeGreaterThan(20);
    const red = await canvases([0xdc, 0x26, 0x26]);
    expect(red.find((c) => c.chart === 'district-tiers')!.coloured).toBeGreaterThan(20);
    // The page never reloaded: the same document, signed in, still live.
    expect(await page.locator('#connection.live').count()).toBe(1);

    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('shows the open help requests of the district live: a partner’s request, then its escalation', async () => {
    const stat = (name: string) => page.locator(`#help [data-help="${name}"] b`).textContent();
    await page.locator('#help .help-none:not([hidden])').waitFor({ timeout: 10_000 });
    expect(await page.locator('#help-district').textContent()).toBe('Quận Hoàng Mai');
    expect(await stat('open')).toBe('0');
    const partner = await token('PARTNER', { subject: 'partner:dashboard-test' });
    const opened = ok(await gql(stack.gateway.url, `mutation H($i: RequestHelpInput!) { requestHelp(input: $i) { __typename } }`, {
      i: { wardCode: '00337', citizenName: 'Lê Thị Chờ', phone: '0988777666', need: 'BREATHING', message: 'Khó thở', idempotencyKey: 'dashboard-help-0001',
        consent: { given: true, text: 'Đồng ý chia sẻ với trạm y tế phường', version: 'v1', at: new Date(Date.now() - 60_000).toISOString() } },
    }, { token: partner }));
    expect(opened.requestHelp.__typename).toBe('RequestHelpSuccess');
    await page.locator('#help-wards tr[data-ward="00337"]').waitFor({ timeout: 10_000 });
    expect(await stat('unacknowledged')).toBe('1');
    expect(await page.locator('#help-wards tr[data-ward="00337"] td').allTextContents()).toEqual(['Phường Hoàng Liệt', '1', '1', '0', expect.stringMatching(/ s$/)]);
    const sweeper = stack.subgraphs.patients.runtime.service<HelpEscalationJob>(HELP_ESCALATION);
    expect(await sweeper.sweep(new Date(Date.now() + (sweeper.limitMinutes + 1) * 60_000))).toBe(1);
    await page.waitForFunction(() => document.querySelector('#help [data-help="escalated"] b')?.textContent === '1', undefined, { timeout: 10_000 });
    expect(await page.locator('#help [data-help="escalated"].alert').count()).toBe(1);
    // Aggregates only: the caller's name never reaches the dashboard.
    expect(await page.content()).not.toContain('Lê Thị Chờ');
    expect(pageErrors).toEqual([]);
  });

  it("shows the district's stock alerts, live", async () => {
    const panel = page.locator('#stock-alerts');
    await panel.locator('ol.low li', { hasText: 'no station is low' }).waitFor({ timeout: 10_000 });
    const city = await token('CITY_OFFICER');
    const write = async (query: string, i: Record<string, unknown>) => {
      const data = ok(await gql(stack.gateway.url, query, { i }, { token: city }));
      const result = Object.values(data)[0] as { __typename: string };
      expect(result.__typename).toMatch(/Success$/);
    };
    const place = { facilityId: 'CS-DASH', item: 'OXYGEN_CYLINDER' };
    await write(`mutation R($i: ReceiveStockInput!) { receiveStock(input: $i) { __typename } }`, { ...place, quantity: 3, reason: 'Sở Y tế cấp' });
    await write(`mutation T($i: SetStockThresholdInput!) { setStockThreshold(input: $i) { __typename } }`, { ...place, threshold: 1 });
    await write(`mutation A($i: AdjustStockInput!) { adjustStock(input: $i) { __typename } }`, { ...place, quantity: -2, reason: 'Cho bệnh nhân mượn về nhà' });
    const alert = panel.locator('ol.live li[data-facility="CS-DASH"][data-item="OXYGEN_CYLINDER"]');
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.textContent()).toContain('O₂ cylinders down to 1');
    expect(pageErrors).toEqual([]);
  });

  it('refuses a bad token with a clear message', async () => {
    const fresh = await browser.newPage();
    await fresh.goto(`${new URL(stack.gateway.url).origin}/dashboard`);
    await fresh.fill('#token', 'not-a-token');
    await fresh.click('#sign-in');
    await fresh.locator('#signin-error:not([hidden])').waitFor({ timeout: 10_000 });
    expect(await fresh.locator('#signin-error').textContent()).toMatch(/Sign-in refused/);
    expect(await fresh.locator('#app').isHidden()).toBe(true);
    await fresh.close();
  });

  it('signs out when the token expires, instead of reconnecting with it', async () => {
    const fresh = await browser.newPage();
    try {
      await fresh.goto(`${new URL(stack.gateway.url).origin}/dashboard?district=008`);
      await fresh.fill('#token', await token('DASHBOARD', { ttlSeconds: 4 }));
      await fresh.click('#sign-in');
      await fresh.locator('#connection.live').waitFor({ timeout: 10_000 });
      await fresh.locator('#signin-error:not([hidden])').waitFor({ timeout: 15_000 });
      expect(await fresh.locator('#signin-error').textContent()).toMatch(/Session ended: Token expired/);
      expect(await fresh.locator('#app').isHidden()).toBe(true);
    } finally {
      await fresh.close();
    }
  }, 30_000);

  it('offers the development login only outside production', async () => {
    const devLogin = (url: string) => fetch(new URL('/dashboard/dev-token', url), { method: 'POST' });
    const issued = await devLogin(stack.gateway.url);
    expect(issued.status).toBe(200);
    const { token: devToken } = (await issued.json()) as { token: string };
    expect(ok(await gql(stack.gateway.url, '{ districts { code } }', {}, { token: devToken })).districts).toHaveLength(30);

    const production = await startGateway({ config: { ...testConfig, env: 'production' }, subgraphUrls: stack.urls, port: 0, host: '127.0.0.1', log: createLogger('gateway') });
    try {
      expect((await devLogin(production.url)).status).toBe(404);
      expect((await fetch(new URL('/dashboard', production.url))).status).toBe(200); // the page itself stays
    } finally {
      await production.close();
    }
  });

  it('shows the drop, reconnects by itself and re-queries what it missed', async () => {
    const { port } = stack.gateway;
    await stack.gateway.close();
    await page.locator('#connection.live').waitFor({ state: 'detached', timeout: 10_000 });
    const replacement = await startGateway({ config: testConfig, subgraphUrls: stack.urls, port, host: '127.0.0.1', log: createLogger('gateway') });
    try {
      // Admitted while the page is away: no event reaches it, only the re-query can show it.
      const city = await token('CITY_OFFICER');
      const patient = await registerPatient(replacement.url, city, { nationalId: null, tier: 'TIER_2' });
      const admitted = ok(await gql(replacement.url, ADMIT, { input: { patientId: patient.id, facilityId: 'CS-DASH', bedKind: 'OXYGEN' } }, { token: city }));
      expect(admitted.admitPatient.__typename).toBe('AdmitPatientSuccess');
      await page.locator('#connection.live').waitFor({ timeout: 30_000 });
      await page.waitForFunction(
        () => document.querySelector('#facilities tr[data-facility="CS-DASH"] td[data-kind="OXYGEN"]')?.textContent === '1 / 4',
        undefined,
        { timeout: 10_000 },
      );
      expect(pageErrors).toEqual([]);
    } finally {
      await replacement.close();
    }
  }, 60_000);
});
