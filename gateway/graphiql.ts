/**
 * GraphiQL from our own assets, so the explorer works without the internet. Yoga's default page
 * loads its script, styles and editor workers from a public CDN and stays on "Loading …"
 * offline; here the page is ours and every asset comes from `@graphql-yoga/render-graphiql`
 * (Yoga's GraphiQL, bundled into that npm package) through the gateway at /graphiql/…, so a
 * Content-Security-Policy of the page's own origin holds. The bundle (about 9 MB of text) is
 * imported on the first request, not at start-up.
 *
 * The page opens with the contract operations (test/contract/operations.graphql) as tabs, each
 * with example variables, and a first tab that explains the Authorization header.
 */
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parse, type OperationDefinitionNode } from 'graphql';
import { REPO_ROOT, type Config } from '../subgraphs/common/config.js';
import { cityDate } from '../subgraphs/common/graphql/scalars.js';

export const GRAPHIQL_ASSETS = '/graphiql';
const CONTRACT_OPERATIONS = path.join(REPO_ROOT, 'test/contract/operations.graphql');
const TITLE = 'Hanoi Response Graph';

/** What the headers editor holds in every tab until the user pastes a token. */
export const HEADERS_TEMPLATE = JSON.stringify({ Authorization: 'Bearer <paste the output of: npm run token -- DASHBOARD>' }, null, 2);

const SECURITY_HEADERS = {
  // Monaco (the editor) adds <style> elements at run time, hence 'unsafe-inline' for styles only.
  'content-security-policy':
    "default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self' ws: wss:",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const INTRO = `# ${TITLE}: GraphiQL, served by the gateway itself (it needs no internet).
#
# Every request needs credentials. Open "Headers" below and put a token there:
#   { "Authorization": "Bearer <token>" }
# Get a development token in a terminal:
#   npm run token -- DASHBOARD           (aggregates and live updates)
#   npm run token -- CITY_OFFICER        (everything)
#   npm run token -- WARD_OFFICER --ward 00337
#   npm run token -- DISTRICT_OFFICER --district 008
# Partner apps send { "X-API-Key": "dev-partner-key" } instead (development only).
# A missing or bad token answers 401 UNAUTHENTICATED; a field your role may not see, FORBIDDEN.
#
# The other tabs hold the contract operations our clients rely on, with example variables:
# run the queries as they are; the mutations need ids from earlier answers.

`;

/**
 * Example variables for each contract operation. `now` keeps timestamps in the past; placeholders
 * in angle brackets stand for ids that only an earlier answer gives.
 */
export function exampleVariables(now: Date = new Date()): Record<string, Record<string, unknown>> {
  const at = new Date(now.getTime() - 60_000).toISOString();
  const today = cityDate(now);
  return {
    CapacityBoard: { district: '008', first: 20 },
    FindBed: { ward: '00337', tier: 'TIER_2' },
    CityOverview: {},
    LiveBeds: { district: '008' },
    LiveTiers: { district: '008' },
    RegisterPatient: {
      input: {
        fullName: 'Nguyễn Thị Lan',
        dateOfBirth: '1987-03-14',
        sex: 'FEMALE',
        nationalId: '001187012345',
        phone: '0912345678',
        wardCode: '00337',
        address: 'Số 12 ngõ 5 Linh Đàm, Hoàng Liệt',
        confirmedAt: at,
        confirmation: 'RAPID_ANTIGEN',
        tier: 'TIER_1',
      },
    },
    RecordDailyCheck: { input: { patientId: '<id from RegisterPatient>', at, spo2: 96, temperatureC: 37.8 } },
    ChangeTier: { input: { patientId: '<id from RegisterPatient>', to: 'TIER_2', reason: 'SpO2 94 % on the daily check' } },
    AdmitPatient: { input: { patientId: '<id from RegisterPatient>', facilityId: '<facility id from FindBed>', bedKind: 'OXYGEN' } },
    DischargePatient: { input: { admissionId: '<admission id from AdmitPatient>', outcome: 'RECOVERED' } },
    RecordDose: { input: { nationalId: '001187012345', dose: 'PRIMARY_1', vaccine: 'ASTRAZENECA', administeredAt: at, atHome: true } },
    TreatmentSnapshot: { district: '008' },
    OpenReferrals: { hours: 4, district: '008' },
    SubmitDailyReport: { input: { wardCode: '00337', date: today, idempotencyKey: `report-00337-${today}` } },
    ReportDuty: { date: today },
    DataEntryLag: { wards: ['00337', '00331'], district: '008' },
    HelpContacts: { ward: '00337' },
    RequestHelp: {
      input: {
        wardCode: '00337',
        citizenName: 'Trần Văn Gọi',
        phone: '0912345678',
        need: 'BREATHING',
        message: 'Khó thở về đêm, SpO2 93 %',
        channel: 'HOTLINE_1022',
        consent: { given: true, text: 'Đồng ý chia sẻ thông tin với trạm y tế phường', version: 'v1', at },
        idempotencyKey: 'hotline-call-0001',
      },
    },
    HelpRequestStatus: { id: '<receipt id from RequestHelp>' },
    DistrictSupplies: { district: '008' },
    ReceiveStock: { input: { facilityId: '<a ward health station id>', item: 'MEDICINE_PACKAGE_A', quantity: 50, reason: 'Phiếu xuất kho CDC Hà Nội' } },
    DispenseMedicinePackage: { input: { patientId: '<id from RegisterPatient>', package: 'A' } },
    LiveStockAlerts: { district: '008' },
    VaccinationSites: { district: '008' },
    OpenHomeVaccinations: { ward: '00337' },
  };
}

export interface GraphiQLTab {
  query: string;
  variables?: string;
  headers: string;
}

/** The contract's operations, each as its own document text, in file order. */
export function contractOperations(source: string): { name: string; text: string }[] {
  return parse(source)
    .definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition' && !!d.name && !!d.loc)
    .map((op) => ({ name: op.name!.value, text: source.slice(op.loc!.start, op.loc!.end) }));
}

/** The tabs the page opens with: the introduction with CityOverview, then every other operation. */
export function defaultTabs(source: string | undefined, now: Date = new Date()): GraphiQLTab[] {
  const operations = source ? contractOperations(source) : [];
  const examples = exampleVariables(now);
  const tab = (name: string, text: string, prefix = ''): GraphiQLTab => {
    const variables = examples[name];
    return { query: prefix + text, headers: HEADERS_TEMPLATE, ...(variables && Object.keys(variables).length ? { variables: JSON.stringify(variables, null, 2) } : {}) };
  };
  const first = operations.find((op) => op.name === 'CityOverview');
  const intro = first ? tab(first.name, first.text, INTRO) : { query: `${INTRO}query Districts {\n  districts { code name }\n}\n`, headers: HEADERS_TEMPLATE };
  return [intro, ...operations.filter((op) => op !== first).map((op) => tab(op.name, op.text))];
}

/** JSON that is safe inside a <script> element (no "</script>", no HTML comment openers). */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

export function renderPage(options: { endpoint: string; tabs: GraphiQLTab[] }): string {
  const settings = {
    title: TITLE,
    endpoint: options.endpoint,
    defaultTabs: options.tabs,
    defaultHeaders: HEADERS_TEMPLATE,
    defaultEditorToolsVisibility: 'headers',
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${TITLE}</title>
<link rel="icon" href="${GRAPHIQL_ASSETS}/favicon.ico">
<link rel="stylesheet" href="${GRAPHIQL_ASSETS}/graphiql.css">
</head>
<body id="body" class="no-focus-outline">
<noscript>GraphiQL needs JavaScript.</noscript>
<div id="root"></div>
<script id="graphiql-settings" type="application/json">${scriptJson(settings)}</script>
<script src="${GRAPHIQL_ASSETS}/graphiql.js"></script>
</body>
</html>
`;
}

type Assets = typeof import('@graphql-yoga/render-graphiql/graphiql');

/** The served script: where Monaco finds its workers, the GraphiQL bundle, then the start. */
function script(assets: Assets): string {
  return `self.MonacoEnvironment = {
  globalAPI: false,
  getWorkerUrl: function (_moduleId, label) {
    return ${JSON.stringify(GRAPHIQL_ASSETS)} + '/' + (label === 'json' || label === 'graphql' ? label : 'editor') + '.worker.js';
  },
};
${assets.js};
YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), JSON.parse(document.getElementById('graphiql-settings').textContent));
`;
}

const VERSION = (createRequire(import.meta.url)('@graphql-yoga/render-graphiql/package.json') as { version: string }).version;

export interface GraphiQLHandler {
  /** The page itself (a browser's GET of /graphql). */
  page(req: http.IncomingMessage, res: http.ServerResponse): void;
  /** Answers /graphiql/… asset paths; returns false for any other path. */
  assets(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): boolean;
}

export function graphiql(config: Config, endpoint: string): GraphiQLHandler {
  let contract: string | undefined;
  try {
    contract = fs.readFileSync(CONTRACT_OPERATIONS, 'utf8');
  } catch {
    contract = undefined; // an installation without the tests: the introduction tab only
  }
  let loaded: Promise<Map<string, { type: string; body: string | Buffer }>> | undefined;
  const load = () =>
    (loaded ??= import('@graphql-yoga/render-graphiql/graphiql').then((assets) => {
      const files = new Map<string, { type: string; body: string | Buffer }>();
      const js = 'text/javascript; charset=utf-8';
      files.set('/graphiql.js', { type: js, body: script(assets) });
      files.set('/graphiql.css', { type: 'text/css; charset=utf-8', body: assets.css });
      files.set('/editor.worker.js', { type: js, body: assets.editorWorkerService });
      files.set('/json.worker.js', { type: js, body: assets.jsonWorker });
      files.set('/graphql.worker.js', { type: js, body: assets.graphqlWorker });
      const icon = /^data:([^;,]+);base64,(.*)$/.exec(assets.favicon);
      if (icon) files.set('/favicon.ico', { type: icon[1]!, body: Buffer.from(icon[2]!, 'base64') });
      return files;
    }));

  const send = (res: http.ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': type, ...SECURITY_HEADERS, ...extra });
    res.end(body);
  };
  const notFound = (res: http.ServerResponse, message: string) =>
    send(res, 404, 'application/json; charset=utf-8', JSON.stringify({ errors: [{ message, extensions: { code: 'NOT_FOUND' } }] }));

  return {
    page(_req, res) {
      if (!config.graphiql) return notFound(res, 'GraphiQL is switched off here');
      send(res, 200, 'text/html; charset=utf-8', renderPage({ endpoint, tabs: defaultTabs(contract) }), { 'cache-control': 'no-cache' });
    },
    assets(req, res, pathname) {
      if (!pathname.startsWith(`${GRAPHIQL_ASSETS}/`)) return false;
      if (!config.graphiql) {
        notFound(res, 'GraphiQL is switched off here');
        return true;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed', { allow: 'GET, HEAD' });
        return true;
      }
      const file = pathname.slice(GRAPHIQL_ASSETS.length);
      // Assets change only with the package: revalidate by its version.
      const etag = `"render-graphiql-${VERSION}"`;
      const caching = { 'cache-control': 'no-cache', etag };
      void load().then(
        (files) => {
          const asset = files.get(file);
          if (!asset) notFound(res, 'Not found');
          else if (req.headers['if-none-match'] === etag) {
            res.writeHead(304, caching);
            res.end();
          } else send(res, 200, asset.type, req.method === 'HEAD' ? '' : asset.body, caching);
        },
        (error: unknown) => send(res, 500, 'text/plain; charset=utf-8', `GraphiQL unavailable: ${(error as Error).message}`),
      );
      return true;
    },
  };
}
