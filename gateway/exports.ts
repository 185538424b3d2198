/**
 * Spreadsheet downloads for the health department, at /reports/… on the gateway:
 *
 *   GET /reports/daily-report.csv|xlsx?date=YYYY-MM-DD&district=008
 *   GET /reports/facility-capacity.csv|xlsx?district=008
 *
 * Same credentials as /graphql (Authorization: Bearer … or X-API-Key), the same per-client rate
 * limit and request-body cap, and no data of their own: each download runs GraphQL operations
 * through the gateway's own execution with the caller's viewer, so the subgraphs authorize every
 * field exactly as for /graphql, and graphql-armor, the upstream timeout and error masking apply.
 * A refusal by the graph becomes the matching HTTP status with the graph's message; a download
 * is never a spreadsheet with figures missing.
 *
 * CSV: RFC 4180 (comma, CRLF, quotes where needed), UTF-8 with a byte-order mark so that Excel
 * reads Vietnamese names right; text that a spreadsheet would take for a formula is prefixed
 * with an apostrophe. XLSX: one sheet, the header row frozen, written by write-excel-file.
 */
import type http from 'node:http';
import writeXlsxFile from 'write-excel-file/node';
import type { Config } from '../subgraphs/common/config.js';
import type { Logger } from '../subgraphs/common/log.js';
import type { Viewer } from '../subgraphs/common/auth/viewer.js';
import { cityDate } from '../subgraphs/common/graphql/scalars.js';
import { lastDueDay } from '../subgraphs/common/report-cutoff.js';
import { context as otelContext, trace } from '@opentelemetry/api';
import { SpanKind, endSpan, extractContext, tracer } from '../subgraphs/common/tracing.js';
import { credentialRefusal, rateLimited, type CredentialRefusal, type Credentials } from './auth.js';
import { readLimitedBody } from './body-limit.js';
import { header, refuse as refuseJson } from './respond.js';
import { isValidCalendarDate } from '../subgraphs/common/domain/dates.js';

export const REPORTS_PATH = '/reports';

// ── The table both formats are written from ────────────────────────────────────────────────────

export type Cell = string | number | null;

export interface Column {
  title: string;
  /** Spreadsheet column width in characters. */
  width: number;
}

export interface Table {
  sheet: string;
  columns: Column[];
  rows: Cell[][];
}

/** A text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first). */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvField(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return String(cell);
  const text = FORMULA_START.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 with CRLF after every record, UTF-8 with a byte-order mark. */
export function toCsv(table: Table): Buffer {
  const lines = [table.columns.map((c) => csvField(c.title)), ...table.rows.map((row) => row.map(csvField))];
  return Buffer.from(`\uFEFF${lines.map((fields) => `${fields.join(',')}\r\n`).join('')}`, 'utf8');
}

export async function toXlsx(table: Table): Promise<Buffer> {
  const header = table.columns.map((c) => ({ value: c.title, fontWeight: 'bold' as const }));
  // Strings stay strings (write-excel-file writes no formula unless asked), so no apostrophe here.
  return writeXlsxFile([header, ...table.rows], {
    sheet: table.sheet,
    columns: table.columns.map((c) => ({ width: c.width })),
    stickyRowsCount: 1,
  }).toBuffer();
}

// ── Refusals ────────────────────────────────────────────────────────────────────────────────────

export class ExportRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  static from(refusal: CredentialRefusal): ExportRefusal {
    return new ExportRefusal(refusal.status, refusal.code, refusal.message, refusal.headers);
  }
}

interface GraphQLErrorJson {
  message: string;
  extensions?: { code?: string };
}

const STATUS_BY_CODE: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  GRAPHQL_PARSE_FAILED: 400,
  BAD_REQUEST: 400,
  QUERY_TOO_COMPLEX: 400,
  SERVICE_UNAVAILABLE: 502,
  UPSTREAM_TIMEOUT: 504,
};

/**
 * The refusal for a GraphQL answer with errors: the most telling error decides (authentication,
 * then authorization, then input, then the rest). Input errors keep the graph's message.
 */
export function refusalFor(errors: readonly GraphQLErrorJson[]): ExportRefusal {
  const rank = (e: GraphQLErrorJson) => {
    const status = STATUS_BY_CODE[e.extensions?.code ?? ''] ?? 500;
    return status === 401 ? 0 : status === 403 ? 1 : status === 400 ? 2 : 3;
  };
  const error = [...errors].sort((a, b) => rank(a) - rank(b))[0]!;
  const code = error.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
  const status = STATUS_BY_CODE[code] ?? 500;
  // Variable coercion (a bad Date) reports its code as BAD_USER_INPUT already.
  return new ExportRefusal(status, status === 400 && code !== 'BAD_USER_INPUT' && code !== 'QUERY_TOO_COMPLEX' ? 'BAD_USER_INPUT' : code, error.message);
}

const badInput = (message: string) => new ExportRefusal(400, 'BAD_USER_INPUT', message);

/** The client hung up before its download was ready: nothing more is run for it. */
class ExportAbandoned extends Error {}

// ── The reports ─────────────────────────────────────────────────────────────────────────────────

type Run = (operationName: string, query: string, variables: Record<string, unknown>) => Promise<Record<string, any>>;

interface ReportDefinition {
  /** Query parameters the report takes. */
  parameters: readonly string[];
  /** The download's file name, without extension. */
  fileName(params: URLSearchParams, now: Date): string;
  build(params: URLSearchParams, run: Run, now: Date): Promise<Table>;
}

function checkDay(value: string): string {
  if (!isValidCalendarDate(value)) throw badInput(`date must be a day as YYYY-MM-DD, e.g. 2022-01-13 (got "${value}")`);
  return value;
}

const DAILY_REPORT_FIELDS = /* GraphQL */ `
  fragment DailyReportRow on DailyReport {
    date newCases active activeTier1 activeTier2 activeTier3 atHome inFacilities tierEscalations tierDeescalations
    recoveries deaths helpRequestsOpened helpRequestsAnswered epidemicLevel dosesGiven frozenAt
    beds { total covidDesignated occupied available occupancyRate }
  }`;

export const CITY_DAILY_REPORT = /* GraphQL */ `
  query CityDailyReportExport($date: Date!) {
    city: dailyReport(date: $date) { ...DailyReportRow }
    districts { code name history(from: $date, to: $date) { ...DailyReportRow } }
  }
  ${DAILY_REPORT_FIELDS}`;

export const DISTRICT_DAILY_REPORT = /* GraphQL */ `
  query DistrictDailyReportExport($date: Date!, $district: ID!) {
    dailyReport(date: $date, districtCode: $district) { district { code name } ...DailyReportRow }
  }
  ${DAILY_REPORT_FIELDS}`;

/** The names the exports' operations carry (metrics label them by name). */
export const EXPORT_OPERATIONS = ['CityDailyReportExport', 'DistrictDailyReportExport', 'FacilityCapacityExport'] as const;

const CITY_NAME = 'Hà Nội';

const DAILY_COLUMNS: [title: string, width: number, value: (r: Record<string, any>) => Cell][] = [
  ['New cases', 10, (r) => r.newCases],
  ['Active cases', 12, (r) => r.active],
  ['Active, tier 1', 12, (r) => r.activeTier1],
  ['Active, tier 2', 12, (r) => r.activeTier2],
  ['Active, tier 3', 12, (r) => r.activeTier3],
  ['At home', 10, (r) => r.atHome],
  ['In facilities', 12, (r) => r.inFacilities],
  ['Tier escalations', 14, (r) => r.tierEscalations],
  ['Tier de-escalations', 16, (r) => r.tierDeescalations],
  ['Recoveries', 10, (r) => r.recoveries],
  ['Deaths', 8, (r) => r.deaths],
  ['Help requests opened', 18, (r) => r.helpRequestsOpened],
  ['Help requests answered', 20, (r) => r.helpRequestsAnswered],
  ['Epidemic level', 12, (r) => r.epidemicLevel ?? null],
  ['Doses given', 10, (r) => r.dosesGiven],
  ['Treatment beds', 12, (r) => r.beds.total],
  ['COVID-designated beds', 18, (r) => r.beds.covidDesignated],
  ['Beds occupied', 12, (r) => r.beds.occupied],
  ['Beds available', 12, (r) => r.beds.available],
  ['Occupancy rate', 12, (r) => r.beds.occupancyRate],
  ['Frozen at', 30, (r) => r.frozenAt ?? null],
];

const dailyRow = (r: Record<string, any>, area: { code: string; name: string }): Cell[] => [r.date, area.code, area.name, ...DAILY_COLUMNS.map(([, , value]) => value(r))];

const dayParam = (params: URLSearchParams, now: Date) => (params.has('date') ? checkDay(params.get('date')!) : lastDueDay(now));

const dailyReport: ReportDefinition = {
  parameters: ['date', 'district'],
  fileName: (params, now) => `daily-report-${dayParam(params, now)}-${params.get('district') ?? 'city'}`,
  async build(params, run, now) {
    const date = dayParam(params, now);
    const district = params.get('district');
    const columns: Column[] = [
      { title: 'Date', width: 12 },
      { title: 'Area code', width: 10 },
      { title: 'Area', width: 24 },
      ...DAILY_COLUMNS.map(([title, width]) => ({ title, width })),
    ];
    if (district !== null) {
      const data = await run('DistrictDailyReportExport', DISTRICT_DAILY_REPORT, { date, district });
      const r = data.dailyReport;
      return { sheet: 'Daily report', columns, rows: [dailyRow(r, { code: r.district.code, name: r.district.name })] };
    }
    const data = await run('CityDailyReportExport', CITY_DAILY_REPORT, { date });
    const rows = [dailyRow(data.city, { code: 'city', name: CITY_NAME })];
    for (const d of data.districts as { code: string; name: string; history: Record<string, any>[] }[]) {
      for (const r of d.history) rows.push(dailyRow(r, d));
    }
    return { sheet: 'Daily report', columns, rows };
  },
};

export const FACILITY_CAPACITY = /* GraphQL */ `
  query FacilityCapacityExport($district: ID, $after: String) {
    facilities(filter: { districtCode: $district }, first: 40, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node {
        id name kind level ownership status servesTiers
        district { code name } ward { code name }
        beds { kind total covidDesignated occupied available }
      } }
    }
  }`;

/** Bed kinds in the order the schema lists them; a kind added later follows, as it appears. */
const BED_KIND_ORDER = ['GENERAL', 'OXYGEN', 'ICU'];
/**
 * 40 facilities a page: graphql-armor's cost limit (5,000) counts a literal page size, and a
 * facility row costs about 106, so 40 stays under it as any client's request must. 1,000 pages
 * are far beyond the city's facilities: a stop if paging never ends.
 */
const MAX_PAGES = 1_000;

const facilityCapacity: ReportDefinition = {
  parameters: ['district'],
  fileName: (params, now) => `facility-capacity-${params.get('district') ?? 'city'}-${cityDate(now)}`,
  async build(params, run) {
    const district = params.get('district');
    const facilities: Record<string, any>[] = [];
    let after: string | null = null;
    for (let page = 0; ; page++) {
      if (page === MAX_PAGES) throw new ExportRefusal(500, 'INTERNAL_SERVER_ERROR', `More than ${MAX_PAGES} pages of facilities: the export stopped`);
      const data = await run('FacilityCapacityExport', FACILITY_CAPACITY, { district, after });
      facilities.push(...data.facilities.edges.map((e: { node: Record<string, any> }) => e.node));
      if (!data.facilities.pageInfo.hasNextPage) break;
      after = data.facilities.pageInfo.endCursor;
    }
    const seen = new Set(facilities.flatMap((f) => f.beds.map((b: { kind: string }) => b.kind)));
    const kinds = [...BED_KIND_ORDER, ...[...seen].filter((k) => !BED_KIND_ORDER.includes(k))];
    const parts = [
      ['total', 'total'],
      ['COVID-designated', 'covidDesignated'],
      ['occupied', 'occupied'],
      ['available', 'available'],
    ] as const;
    const columns: Column[] = [
      { title: 'Facility ID', width: 14 },
      { title: 'Facility', width: 44 },
      { title: 'Kind', width: 22 },
      { title: 'Level', width: 10 },
      { title: 'Ownership', width: 10 },
      { title: 'Status', width: 10 },
      { title: 'Tiers served', width: 20 },
      { title: 'District code', width: 10 },
      { title: 'District', width: 22 },
      { title: 'Ward code', width: 10 },
      { title: 'Ward', width: 24 },
      ...kinds.flatMap((kind) => parts.map(([title]) => ({ title: `${kind} beds ${title}`, width: 12 }))),
    ];
    const rows = facilities.map((f): Cell[] => [
      f.id,
      f.name,
      f.kind,
      f.level,
      f.ownership,
      f.status,
      (f.servesTiers as string[]).join(' '),
      f.district.code,
      f.district.name,
      f.ward.code,
      f.ward.name,
      // A kind the facility lacks stays empty: no such beds, as the graph says by leaving it out.
      ...kinds.flatMap((kind) => {
        const beds = f.beds.find((b: { kind: string }) => b.kind === kind);
        return parts.map(([, field]) => (beds ? (beds[field] as number) : null));
      }),
    ]);
    return { sheet: 'Facility capacity', columns, rows };
  },
};

const REPORTS: Record<string, ReportDefinition> = { 'daily-report': dailyReport, 'facility-capacity': facilityCapacity };
const FORMATS = {
  csv: { type: 'text/csv; charset=utf-8', write: async (t: Table) => toCsv(t) },
  xlsx: { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', write: toXlsx },
} as const;
const AVAILABLE = Object.keys(REPORTS).flatMap((name) => Object.keys(FORMATS).map((ext) => `${REPORTS_PATH}/${name}.${ext}`));

// ── The HTTP side ───────────────────────────────────────────────────────────────────────────────

export interface ExportDependencies<C extends { viewer?: Viewer }> {
  config: Config;
  log: Logger;
  /** The gateway's authentication: the caller's context, or an AuthenticationError. */
  authenticate(credentials: Credentials): Promise<C>;
  /** The gateway's per-client rate limit: 0, or the seconds to wait. */
  rateLimit(subject: string): Promise<number>;
  /** One GraphQL request through the gateway's own execution, with the caller's context. */
  execute(body: { query: string; variables: Record<string, unknown>; operationName: string }, context: C): Promise<Response>;
  /** Told when a client hangs up before its download is ready (the export then stops). */
  onAbandoned?(): void;
}

export interface ExportHandler {
  /** Answers /reports… paths; returns false for any other path. */
  handle(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): boolean;
}

/** A refusal in the API's error shape; a download already under way can only be cut off. */
function refuse(res: http.ServerResponse, refusal: ExportRefusal): void {
  if (res.headersSent) res.destroy();
  else refuseJson(res, refusal.status, refusal.code, refusal.message, refusal.headers);
}

export function reportExports<C extends { viewer?: Viewer }>(deps: ExportDependencies<C>): ExportHandler {
  const { config, log } = deps;

  const run =
    (context: C, left: AbortSignal): Run =>
    async (operationName, query, variables) => {
      // A report of many pages stops at the next one once its client has gone: otherwise anyone
      // could start the city's exports and hang up, over and over, and keep the graph busy.
      left.throwIfAborted();
      // Each operation counts against the client's rate limit, as a request to /graphql would.
      const wait = await deps.rateLimit(context.viewer!.subject);
      if (wait > 0) throw ExportRefusal.from(rateLimited(wait));
      const response = await deps.execute({ query, variables, operationName }, context);
      const result = (await response.json()) as { data?: Record<string, any> | null; errors?: GraphQLErrorJson[] };
      if (result.errors?.length) throw refusalFor(result.errors);
      if (!result.data) throw new ExportRefusal(500, 'INTERNAL_SERVER_ERROR', `The graph gave no data (HTTP ${response.status})`);
      return result.data;
    };

  const serve = async (req: http.IncomingMessage, res: http.ServerResponse, report: ReportDefinition, format: keyof typeof FORMATS, params: URLSearchParams, left: AbortSignal) => {
    let context: C;
    try {
      context = await deps.authenticate({ authorization: header(req, 'authorization'), apiKey: header(req, 'x-api-key') });
    } catch (error) {
      throw ExportRefusal.from(await credentialRefusal(error, req.socket.remoteAddress, { rateLimit: deps.rateLimit, log }));
    }
    for (const name of new Set(params.keys())) {
      if (!report.parameters.includes(name)) throw badInput(`Unknown parameter ${name}: this report takes ${report.parameters.join(', ')}`);
      if (params.getAll(name).length > 1) throw badInput(`${name} given more than once`);
    }
    const now = new Date();
    const table = await report.build(params, run(context, left), now);
    left.throwIfAborted();
    const body = await FORMATS[format].write(table);
    left.throwIfAborted();
    res.writeHead(200, {
      'content-type': FORMATS[format].type,
      'content-disposition': `attachment; filename="${report.fileName(params, now).replace(/[^\w.-]/g, '_')}.${format}"`,
      'content-length': String(body.length),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  return {
    handle(req, res, pathname) {
      if (pathname !== REPORTS_PATH && !pathname.startsWith(`${REPORTS_PATH}/`)) return false;
      const match = /^\/reports\/([a-z-]+)\.(csv|xlsx)$/.exec(pathname);
      const report = match ? REPORTS[match[1]!] : undefined;
      if (!match || !report) {
        refuse(res, new ExportRefusal(404, 'NOT_FOUND', `Not found: the reports are ${AVAILABLE.join(', ')}`));
        return true;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        refuse(res, new ExportRefusal(405, 'METHOD_NOT_ALLOWED', 'Method not allowed: download reports with GET', { allow: 'GET, HEAD' }));
        return true;
      }
      const params = new URL(req.url ?? '/', 'http://gateway').searchParams;
      const parent = extractContext((name) => req.headers[name]);
      const span = tracer('gateway').startSpan(`report ${match[1]}.${match[2]}`, { kind: SpanKind.SERVER, attributes: { 'hrg.service': 'gateway' } }, parent);
      // 'close' before the response was finished: the client hung up (or its connection broke).
      // The export's next step throws ExportAbandoned (throwIfAborted throws the reason).
      const left = new AbortController();
      res.once('close', () => {
        if (!res.writableFinished) left.abort(new ExportAbandoned());
        span.setAttribute('http.response.status_code', res.statusCode);
        endSpan(span, res.statusCode >= 500 ? new Error(`HTTP ${res.statusCode}`) : undefined);
      });
      // The body cap of /graphql: a download has no body, and one over the cap is not read.
      readLimitedBody(req, config.maxRequestBytes).then(
        (body) => {
          if (!body) {
            refuse(res, new ExportRefusal(413, 'BAD_USER_INPUT', `Request body too large: at most ${config.maxRequestBytes} bytes`, { connection: 'close' }));
            return;
          }
          void otelContext.with(trace.setSpan(parent, span), () =>
            serve(req, res, report, match[2] as keyof typeof FORMATS, params, left.signal).catch((error: unknown) => {
              if (error instanceof ExportAbandoned) {
                span.setAttribute('hrg.export.abandoned', true);
                log.info({ report: pathname }, 'report export abandoned: the client hung up before it was ready');
                deps.onAbandoned?.();
              } else if (error instanceof ExportRefusal) refuse(res, error);
              else {
                log.error({ err: error }, 'report export failed');
                refuse(res, new ExportRefusal(500, 'INTERNAL_SERVER_ERROR', 'Internal server error'));
              }
            }),
          );
        },
        () => req.destroy(),
      );
      return true;
    },
  };
}
