/**
 * The spreadsheet exports at /reports/… on the real stack: the daily report and the capacity of
 * every facility as CSV and XLSX, read back (CSV by an RFC 4180 reader below, XLSX by
 * read-excel-file) and compared with the same figures asked of /graphql with the same
 * credentials; authentication, what each role may see, bad input and the limits of /graphql.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import { readSheet } from 'read-excel-file/node';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography } from '../support/builders.js';
import { startStack, testConfig, type Stack } from '../support/stack.js';
import { gql, ok, scrapeMetrics, token } from '../support/client.js';
import { metricValue } from '../support/metrics.js';
import { pollUntil } from '../support/wait.js';
import { ADMIT, registerPatient } from '../support/patients.js';
import { startGateway, type RunningGateway } from '../../gateway/server.js';
import { createLogger } from '../../subgraphs/common/log.js';
import { cityDate } from '../../subgraphs/common/graphql/scalars.js';

const PARTNER_KEY = 'dev-partner-key';

const BOM = '\uFEFF';

type Auth = { token?: string; apiKey?: string };
interface Download {
  status: number;
  headers: Headers;
  body: Buffer;
}

/** RFC 4180: fields separated by commas, records by CRLF, quotes around fields that need them, "" for a quote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i += 1;
      } else {
        field += c;
        i += 1;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
      i += 1;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i += 1;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else {
      if (c === '"' || c === '\n' || c === '\r') throw new Error(`not RFC 4180: bare ${JSON.stringify(c)} at ${i}`);
      field += c;
      i += 1;
    }
  }
  if (quoted) throw new Error('not RFC 4180: unterminated quote');
  if (field !== '' || row.length) throw new Error('not RFC 4180: the last record has no CRLF');
  return rows;
}

/** Rows as objects keyed by the header row. */
const byHeader = (rows: unknown[][]) => {
  const [header, ...data] = rows;
  return data.map((r) => Object.fromEntries(header!.map((h, i) => [String(h), r[i] ?? null])));
};

describe('report exports', () => {
  let db: TestDatabase;
  let stack: Stack;
  let origin: string;
  let city: string;
  const today = cityDate(new Date());

  const download = async (path: string, auth: Auth = {}, base = origin): Promise<Download> => {
    const headers: Record<string, string> = {};
    if (auth.token) headers.authorization = `Bearer ${auth.token}`;
    if (auth.apiKey) headers['x-api-key'] = auth.apiKey;
    const res = await fetch(`${base}${path}`, { headers });
    return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
  };
  const csv = (d: Download) => {
    expect(d.status).toBe(200);
    expect(d.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = d.body.toString('utf8');
    expect(text.startsWith(BOM)).toBe(true);
    return byHeader(parseCsv(text.slice(1)));
  };
  const xlsx = async (d: Download) => {
    expect(d.status).toBe(200);
    expect(d.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    return byHeader(await readSheet(d.body));
  };
  const refusal = (d: Download) => JSON.parse(d.body.toString('utf8')) as { errors: { message: string; extensions: { code: string } }[] };

  const REPORT = /* GraphQL */ `query R($date: Date!, $district: ID) { dailyReport(date: $date, districtCode: $district) {
    date district { code name } newCases active activeTier1 activeTier2 activeTier3 atHome inFacilities tierEscalations
    tierDeescalations recoveries deaths helpRequestsOpened helpRequestsAnswered epidemicLevel dosesGiven frozenAt
    beds { total covidDesignated occupied available occupancyRate } } }`;
  const FACILITIES = /* GraphQL */ `query F($district: ID, $after: String) { facilities(filter: { districtCode: $district }, first: 40, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id name kind level ownership status servesTiers district { code name } ward { code name } beds { kind total covidDesignated occupied available } } } } }`;

  const report = async (auth: Auth, district?: string) =>
    ok(await gql(stack.gateway.url, REPORT, { date: today, district }, auth)).dailyReport as Record<string, any>;
  const facilities = async (auth: Auth, district?: string) => {
    const all: Record<string, any>[] = [];
    let after: string | null = null;
    do {
      const page: any = ok(await gql(stack.gateway.url, FACILITIES, { district, after }, auth)).facilities;
      all.push(...page.edges.map((e: any) => e.node));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    return all;
  };

  /** A spreadsheet row of the daily report against the GraphQL answer (cells read back as text or numbers). */
  const expectReportRow = (row: Record<string, unknown>, r: Record<string, any>, area: { code: string; name: string }) => {
    const n = (v: unknown) => (v === null || v === '' ? null : Number(v));
    expect(String(row['Date'])).toBe(r.date);
    expect(row['Area code']).toBe(area.code);
    expect(row['Area']).toBe(area.name);
    const figures: [string, unknown][] = [
      ['New cases', r.newCases],
      ['Active cases', r.active],
      ['Active, tier 1', r.activeTier1],
      ['Active, tier 2', r.activeTier2],
      ['Active, tier 3', r.activeTier3],
      ['At home', r.atHome],
      ['In facilities', r.inFacilities],
      ['Tier escalations', r.tierEscalations],
      ['Tier de-escalations', r.tierDeescalations],
      ['Recoveries', r.recoveries],
      ['Deaths', r.deaths],
      ['Help requests opened', r.helpRequestsOpened],
      ['Help requests answered', r.helpRequestsAnswered],
      ['Epidemic level', r.epidemicLevel],
      ['Doses given', r.dosesGiven],
      ['Treatment beds', r.beds.total],
      ['COVID-designated beds', r.beds.covidDesignated],
      ['Beds occupied', r.beds.occupied],
      ['Beds available', r.beds.available],
      ['Occupancy rate', r.beds.occupancyRate],
    ];
    expect(figures.map(([h]) => [h, n(row[h])])).toEqual(figures);
    expect(row['Frozen at'] === null || row['Frozen at'] === '' ? null : row['Frozen at']).toBe(r.frozenAt);
  };

  /** In CSV, text a spreadsheet would run as a formula gets an apostrophe in front (OWASP's advice on CSV injection). */
  const csvText = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
  const expectFacilityRows = (rows: Record<string, unknown>[], expected: Record<string, any>[], text: (s: string) => string = (s) => s) => {
    const n = (v: unknown) => (v === null || v === '' ? null : Number(v));
    expect(rows.map((r) => r['Facility ID'])).toEqual(expected.map((f) => f.id));
    expected.forEach((f, i) => {
      const row = rows[i]!;
      expect([row['Facility'], row['Kind'], row['Level'], row['Ownership'], row['Status']]).toEqual([text(f.name), f.kind, f.level, f.ownership, f.status]);
      expect(row['Tiers served']).toBe(f.servesTiers.join(' '));
      expect([row['District code'], row['District'], row['Ward code'], row['Ward']]).toEqual([f.district.code, f.district.name, f.ward.code, f.ward.name]);
      for (const kind of ['GENERAL', 'OXYGEN', 'ICU']) {
        const beds = f.beds.find((b: any) => b.kind === kind);
        const cells = ['total', 'COVID-designated', 'occupied', 'available'].map((what) => n(row[`${kind} beds ${what}`] ?? null));
        expect([f.id, kind, cells]).toEqual([f.id, kind, beds ? [beds.total, beds.covidDesignated, beds.occupied, beds.available] : [null, null, null, null]]);
      }
    });
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [
      { id: 'EX-HM-1', name: 'Bệnh viện "Thử", cơ sở 2', wardCode: '00337', kind: 'HOSPITAL', servesTiers: ['TIER_2', 'TIER_3'], beds: { OXYGEN: { total: 20, covidDesignated: 18 }, ICU: { total: 4 } } },
      { id: 'EX-HM-2', name: 'Trạm y tế phường Hoàng Liệt\n(điểm thu dung)', wardCode: '00337', beds: { GENERAL: { total: 10 } } },
      { id: 'EX-BD-1', name: 'Cơ sở thu dung Ba Đình', wardCode: '00001', beds: { GENERAL: { total: 30 }, OXYGEN: { total: 6 } } },
      { id: 'EX-BD-2', name: '=HYPERLINK("x")', wardCode: '00001', status: 'CLOSED', beds: { GENERAL: { total: 5 } } },
    ]);
    stack = await startStack(db);
    origin = new URL(stack.gateway.url).origin;
    city = await token('CITY_OFFICER');
    // A few cases of today in Hoàng Mai, two admitted, so the report has figures.
    const patients = await Promise.all([0, 1, 2].map((i) => registerPatient(stack.gateway.url, city, { tier: i === 0 ? 'TIER_2' : 'TIER_1' })));
    for (const [patient, facilityId, bedKind] of [
      [patients[0]!, 'EX-HM-1', 'OXYGEN'],
      [patients[1]!, 'EX-HM-2', 'GENERAL'],
    ] as const) {
      const admitted = ok(await gql(stack.gateway.url, ADMIT, { input: { patientId: patient.id, facilityId, bedKind } }, { token: city }));
      expect(admitted.admitPatient.__typename).toBe('AdmitPatientSuccess');
    }
    await stack.settle();
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    await db?.drop();
  });

  describe('the daily report', () => {
    it('as CSV for one district: a header row and the figures the graph gives', async () => {
      const d = await download(`/reports/daily-report.csv?district=008&date=${today}`, { token: city });
      expect(d.headers.get('content-disposition')).toBe(`attachment; filename="daily-report-${today}-008.csv"`);
      const rows = csv(d);
      expect(rows).toHaveLength(1);
      const r = await report({ token: city }, '008');
      expect(r.newCases).toBe(3);
      expectReportRow(rows[0]!, r, { code: '008', name: r.district.name });
    });

    it('as XLSX for the city: the city row, then one row per district', async () => {
      const d = await download(`/reports/daily-report.xlsx?date=${today}`, { token: city });
      expect(d.headers.get('content-disposition')).toBe(`attachment; filename="daily-report-${today}-city.xlsx"`);
      const rows = await xlsx(d);
      const districts = ok(await gql(stack.gateway.url, '{ districts { code name } }', {}, { token: city })).districts as { code: string; name: string }[];
      expect(rows.map((r) => r['Area code'])).toEqual(['city', ...districts.map((x) => x.code)]);
      expectReportRow(rows[0]!, await report({ token: city }), { code: 'city', name: 'Hà Nội' });
      const hoangMai = rows.find((r) => r['Area code'] === '008')!;
      expectReportRow(hoangMai, await report({ token: city }, '008'), districts.find((x) => x.code === '008')!);
    });

    it('as CSV for the city, the same as the XLSX', async () => {
      const fromCsv = csv(await download(`/reports/daily-report.csv?date=${today}`, { token: city }));
      const fromXlsx = await xlsx(await download(`/reports/daily-report.xlsx?date=${today}`, { token: city }));
      const text = (rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? '' : String(v)])));
      expect(text(fromCsv)).toEqual(text(fromXlsx));
    });

    it('without a date: the day of the last report past its 07:00 cut-off', async () => {
      const rows = csv(await download('/reports/daily-report.csv?district=008', { token: city }));
      // The report of day D is frozen at 07:00 (city time) on D + 1: seven hours and a day back from now.
      expect(rows[0]!['Date']).toBe(cityDate(new Date(Date.now() - 7 * 3_600_000 - 86_400_000)));
    });
  });

  describe('facility capacity', () => {
    it('as CSV and XLSX: every facility with its beds by kind, as the graph lists them', async () => {
      const expected = await facilities({ token: city });
      expect(expected.length).toBe(4);
      const fromCsv = csv(await download('/reports/facility-capacity.csv', { token: city }));
      expectFacilityRows(fromCsv, expected, csvText);
      const d = await download('/reports/facility-capacity.xlsx', { token: city });
      expect(d.headers.get('content-disposition')).toBe(`attachment; filename="facility-capacity-city-${today}.xlsx"`);
      const fromXlsx = await xlsx(d);
      expectFacilityRows(fromXlsx, expected);
      // Quotes, commas and line breaks survive the CSV; a name that looks like a formula stays text.
      expect(fromCsv.map((r) => r['Facility'])).toContain('Bệnh viện "Thử", cơ sở 2');
      expect(fromCsv.map((r) => r['Facility'])).toContain('Trạm y tế phường Hoàng Liệt\n(điểm thu dung)');
      expect(fromCsv.find((r) => r['Facility ID'] === 'EX-BD-2')!['Facility']).toBe(`'=HYPERLINK("x")`);
      expect(fromXlsx.find((r) => r['Facility ID'] === 'EX-BD-2')!['Facility']).toBe('=HYPERLINK("x")');
    });

    it('for one district', async () => {
      const d = await download('/reports/facility-capacity.csv?district=008', { token: city });
      expect(d.headers.get('content-disposition')).toBe(`attachment; filename="facility-capacity-008-${today}.csv"`);
      const rows = csv(d);
      expectFacilityRows(rows, await facilities({ token: city }, '008'), csvText);
      expect(rows.map((r) => r['Facility ID']).sort()).toEqual(['EX-HM-1', 'EX-HM-2']);
      const occupied = rows.find((r) => r['Facility ID'] === 'EX-HM-1')!['OXYGEN beds occupied'];
      expect(occupied).toBe('1');
    });
  });

  describe('who may download', () => {
    const paths = [`/reports/daily-report.csv?district=008&date=${today}`, `/reports/daily-report.xlsx?date=${today}`, '/reports/facility-capacity.csv', '/reports/facility-capacity.xlsx'];

    it('refuses a request without credentials, or with bad ones, with 401 as /graphql does', async () => {
      for (const path of paths) {
        for (const auth of [{}, { token: 'not-a-token' }, { apiKey: 'wrong-key' }]) {
          const d = await download(path, auth);
          expect([path, d.status]).toEqual([path, 401]);
          expect(d.headers.get('www-authenticate')).toBe('Bearer');
          expect(refusal(d).errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
        }
      }
      const expired = await download(paths[0]!, { token: await token('CITY_OFFICER', { ttlSeconds: -60 }) });
      expect([expired.status, refusal(expired).errors[0]!.message]).toEqual([401, 'Token expired']);
    });

    it('gives a partner, by API key, what the graph gives a partner', async () => {
      const partner = { apiKey: PARTNER_KEY };
      expectReportRow(csv(await download(`/reports/daily-report.csv?district=008&date=${today}`, partner))[0]!, await report(partner, '008'), {
        code: '008',
        name: (await report(partner, '008')).district.name,
      });
      expectFacilityRows(await xlsx(await download('/reports/facility-capacity.xlsx', partner)), await facilities(partner));
    });

    it('gives a ward officer of another district what the graph gives them: the aggregates every role may read', async () => {
      const baDinh = { token: await token('WARD_OFFICER', { ward: '00001' }) };
      const graph = await report(baDinh, '008');
      expectReportRow(csv(await download(`/reports/daily-report.csv?district=008&date=${today}`, baDinh))[0]!, graph, { code: '008', name: graph.district.name });
      expectFacilityRows(csv(await download('/reports/facility-capacity.csv?district=008', baDinh)), await facilities(baDinh, '008'), csvText);
    });
  });

  describe('input and limits', () => {
    it('answers bad input with 400 and the reason, from the graph where the graph decides', async () => {
      const cases: [string, RegExp][] = [
        ['/reports/daily-report.csv?date=2026-02-30', /date must be a day as YYYY-MM-DD/],
        ['/reports/daily-report.csv?date=yesterday', /date must be a day as YYYY-MM-DD/],
        ['/reports/daily-report.csv?date=2100-01-01', /cannot be in the future/],
        ['/reports/daily-report.csv?district=999', /No district has code 999/],
        ['/reports/facility-capacity.csv?date=2026-01-01', /Unknown parameter date/],
        ['/reports/daily-report.csv?district=008&district=001', /district given more than once/],
      ];
      for (const [path, message] of cases) {
        const d = await download(path, { token: city });
        expect([path, d.status]).toEqual([path, 400]);
        expect([path, refusal(d).errors[0]!.message]).toEqual([path, expect.stringMatching(message)]);
        expect(refusal(d).errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
      }
      const unknown = await download('/reports/patients.csv', { token: city });
      expect(unknown.status).toBe(404);
      expect(refusal(unknown).errors[0]!.message).toMatch(/daily-report\.csv.*facility-capacity\.xlsx/);
    });

    it('takes GET only, caps a request body as /graphql does, and counts against the client’s rate limit', async () => {
      const post = await fetch(`${origin}/reports/facility-capacity.csv`, { method: 'POST', headers: { authorization: `Bearer ${city}` }, body: 'x' });
      expect(post.status).toBe(405);
      expect(post.headers.get('allow')).toBe('GET, HEAD');

      // A GET carrying a body over the cap: 413 and the connection closed, as on /graphql.
      const tooLarge = await new Promise<{ status: number; connection?: string }>((resolve, reject) => {
        const req = http.request(`${origin}/reports/facility-capacity.csv`, { method: 'GET', headers: { authorization: `Bearer ${city}`, 'content-length': String(testConfig.maxRequestBytes + 1) } }, (res) => {
          res.resume();
          resolve({ status: res.statusCode!, connection: res.headers.connection });
        });
        req.on('error', reject);
        req.end(Buffer.alloc(testConfig.maxRequestBytes + 1, 'x'));
      });
      expect(tooLarge).toEqual({ status: 413, connection: 'close' });

      const strict: RunningGateway = await startGateway({ config: { ...testConfig, rateLimitPerSecond: 1 }, subgraphUrls: stack.urls, port: 0, host: '127.0.0.1', log: createLogger('gateway') });
      try {
        const base = new URL(strict.url).origin;
        const statuses: number[] = [];
        let retryAfter: string | null = null;
        for (let i = 0; i < 4; i++) {
          const d = await download(`/reports/daily-report.csv?district=008&date=${today}`, { token: city }, base);
          statuses.push(d.status);
          if (d.status === 429) {
            retryAfter = d.headers.get('retry-after');
            expect(refusal(d).errors[0]!.extensions.code).toBe('RATE_LIMITED');
          }
        }
        expect(statuses[0]).toBe(200);
        expect(statuses).toContain(429);
        expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      } finally {
        await strict.close();
      }
    });
  });
});

describe('an export whose client leaves', () => {
  // 2,000 facilities: the city's capacity export pages through them 40 at a time, 50 operations.
  const FACILITIES = 2_000;
  const PAGES = FACILITIES / 40;
  let db: TestDatabase;
  let stack: Stack;
  let city: string;
  /** Operations of this name the gateway has answered, from its /metrics. */
  const operations = async (name: string) => metricValue(await scrapeMetrics(stack.gateway.url), 'graphql_envelop_request', { operationName: name }) ?? 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(
      db,
      Array.from({ length: FACILITIES }, (_, i) => ({ id: `AB-${String(i).padStart(4, '0')}`, wardCode: i % 2 ? '00337' : '00001' })),
    );
    stack = await startStack(db);
    city = await token('CITY_OFFICER');
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    await db?.drop();
  });

  it('stops running its operations: a client that hangs up cannot keep the gateway paging for nothing', async () => {
    const origin = new URL(stack.gateway.url).origin;
    const req = http.request(`${origin}/reports/facility-capacity.csv`, { headers: { authorization: `Bearer ${city}` } });
    req.on('error', () => {}); // destroyed below, on purpose
    req.end();
    expect(await pollUntil(() => operations('FacilityCapacityExport'), (n) => n >= 2, { timeoutMs: 30_000, intervalMs: 20 })).toBeGreaterThanOrEqual(2);
    req.destroy();
    // Until the gateway says it let the export go, or the export has run every page anyway.
    const after = await pollUntil(
      async () => ({ pages: await operations('FacilityCapacityExport'), abandoned: metricValue(await scrapeMetrics(stack.gateway.url), 'hrg_gateway_report_exports_abandoned_total') ?? 0 }),
      (s) => s.abandoned >= 1 || s.pages >= PAGES,
      { timeoutMs: 60_000, intervalMs: 20 },
    );
    expect({ abandoned: after?.abandoned, allPagesRan: (after?.pages ?? 0) >= PAGES }).toEqual({ abandoned: 1, allPagesRan: false });
    // And no page after it: one more export (one page, a district with none of them) adds one operation.
    const pages = await operations('FacilityCapacityExport');
    const res = await fetch(`${origin}/reports/facility-capacity.csv?district=030`, { headers: { authorization: `Bearer ${city}` } });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    expect(await operations('FacilityCapacityExport')).toBe(pages + 1);
  });
});
