/**
 * The README's screenshots, taken from the running demo: starts the stack as `npm start` does
 * (its own script, as a child process, with the small demo city), opens the dashboard in
 * Debian's Chromium with a DASHBOARD token, waits until the six trend charts are drawn, selects
 * a district and waits for its charts, and writes gateway/dashboard/screenshot.png; then runs
 * CityOverview in GraphiQL and writes gateway/graphiql-screenshot.png. Stops the stack at the end.
 *
 *   npm run screenshots [-- --district 008]
 *
 * Ports, database and Chromium come from the environment as for `npm start` (PORT,
 * <SUBGRAPH>_PORT, HRG_PG_PORT, HRG_PG_DATA_DIR, DATABASE_URL) and CHROMIUM_PATH.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT, loadConfig } from '../subgraphs/common/config.js';
import { findDistrict } from '../subgraphs/common/admin-units.js';
import { issueDevToken } from '../subgraphs/common/auth/dev-tokens.js';
import { spawnEntry, stopProcess } from './processes.js';

const { values } = parseArgs({ options: { district: { type: 'string', default: '008' } } });
const district = findDistrict(values.district);
if (!district) {
  console.error(`no district has code ${values.district}`);
  process.exit(2);
}
const config = loadConfig();
const CHROMIUM = config.chromiumPath;
if (!fs.existsSync(CHROMIUM)) {
  console.error(`Chromium not found at ${CHROMIUM}: run scripts/ensure-chromium.sh or set CHROMIUM_PATH`);
  process.exit(2);
}
const DASHBOARD_PNG = path.join(REPO_ROOT, 'gateway/dashboard/screenshot.png');
const GRAPHIQL_PNG = path.join(REPO_ROOT, 'gateway/graphiql-screenshot.png');

/** Starts `npm start`'s script and resolves with the gateway URL it prints once ready. */
function startDemo(): { ready: Promise<string>; stop: () => Promise<void> } {
  const child = spawnEntry('scripts/start.ts', { env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let started = false;
  let stopping = false;
  const ready = new Promise<string>((resolve, reject) => {
    for (const stream of [child.stdout!, child.stderr!]) {
      readline.createInterface({ input: stream }).on('line', (line) => {
        // The stack's start-up is shown; once it is up, only its errors.
        if (!stopping && (!started || /\b(error|fatal)\b/i.test(line))) console.log(`  ${line}`);
        const url = /ready in [\d.]+ s: (\S+)/.exec(line)?.[1];
        if (url) {
          started = true;
          resolve(url);
        }
      });
    }
    child.on('exit', (code, signal) => reject(new Error(`the stack exited before it was ready (${signal ?? `code ${code}`})`)));
  });
  return {
    ready,
    stop: () => {
      stopping = true;
      return stopProcess(child, 15_000);
    },
  };
}

/** Waits until uPlot has drawn all six charts (more than axes and grid on each canvas). */
function waitForCharts(page: Page): Promise<unknown> {
  return page.waitForFunction(
    () => {
      const drawn = [...document.querySelectorAll<HTMLElement>('#trends [data-chart]')].map((box) => {
        const canvas = box.querySelector('canvas');
        if (!canvas || canvas.width === 0) return 0;
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n += 1;
        return n;
      });
      return drawn.length === 6 && drawn.every((n) => n > 2_000);
    },
    undefined,
    { timeout: 30_000, polling: 250 },
  );
}

async function dashboard(browser: Browser, origin: string): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${origin}/dashboard`);
  await page.fill('#token', await issueDevToken(config, { role: 'DASHBOARD' }));
  await page.click('#sign-in');
  await page.locator('#connection.live').waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => document.querySelectorAll('#trends [data-chart] canvas').length === 6, undefined, { timeout: 30_000 });
  await waitForCharts(page);
  await page.selectOption('#district', district!.code);
  await page.waitForFunction((name) => document.querySelector('#trends-district')?.textContent === name, district!.name, { timeout: 30_000 });
  await page.locator(`#city tr.selected[data-district="${district!.code}"]`).waitFor({ timeout: 30_000 });
  await waitForCharts(page);
  await page.screenshot({ path: DASHBOARD_PNG, fullPage: true });
  console.log(`wrote ${path.relative(REPO_ROOT, DASHBOARD_PNG)}`);
  await page.close();
}

async function graphiql(browser: Browser, graphqlUrl: string): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await page.goto(graphqlUrl);
  await page.locator('.graphiql-container .graphiql-query-editor').waitFor({ timeout: 30_000 });
  // The first tab holds CityOverview; the token goes into the headers editor.
  await page.locator('.graphiql-tab').first().click();
  await page.getByRole('button', { name: 'Headers' }).click();
  await page.locator('.graphiql-editor-tool .monaco-editor').last().click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${await issueDevToken(config, { role: 'DASHBOARD' })}` }));
  await page.locator('.graphiql-execute-button').click();
  await page.locator('.graphiql-response').getByText('"districts"').waitFor({ timeout: 30_000 });
  await page.screenshot({ path: GRAPHIQL_PNG });
  console.log(`wrote ${path.relative(REPO_ROOT, GRAPHIQL_PNG)}`);
  await page.close();
}

const demo = startDemo();
let browser: Browser | undefined;
let failed = false;
try {
  const graphqlUrl = await demo.ready;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  await dashboard(browser, new URL(graphqlUrl).origin);
  await graphiql(browser, graphqlUrl);
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await browser?.close();
  await demo.stop();
}
process.exit(failed ? 1 : 0);
