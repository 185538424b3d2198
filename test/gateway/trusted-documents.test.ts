/**
 * Trusted documents: in production a partner key may send only registered documents, by id;
 * officers may still send any document. The typed client sends ids, and gets its data.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import WebSocket from 'ws';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography } from '../support/builders.js';
import { testConfig } from '../support/stack.js';
import { gql, ok, subscribe, wsClient } from '../support/client.js';
import { pollUntil } from '../support/wait.js';
import { ADMIT, registerPatient } from '../support/patients.js';
import { loadConfig, SUBGRAPH_NAMES, type Config, type SubgraphName } from '../../subgraphs/common/config.js';
import { createLogger } from '../../subgraphs/common/log.js';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/common/service.js';
import { SUBGRAPHS } from '../../subgraphs/registry.js';
import { issueDevToken } from '../../subgraphs/common/auth/dev-tokens.js';
import { startGateway, type RunningGateway } from '../../gateway/server.js';
import { loadTrustedDocuments, TRUSTED_DOCUMENT_NOT_FOUND, TRUSTED_DOCUMENT_REQUIRED } from '../../gateway/trusted-documents.js';
import { documentHash } from '../../subgraphs/common/internal-documents.js';
import { AREA, QUARANTINE_AREAS, type QuarantineAreaDirectory } from '../../subgraphs/patients/commands/quarantine-areas.js';
import { FACILITY, FACILITY_DIRECTORY, type FacilityDirectory } from '../../subgraphs/common/facility-directory.js';
import { FACTS } from '../../subgraphs/patients/events/assessor.js';
import { CityOverviewDocument, createHrgClient, documentIdOf, FindBedDocument, HrgRequestError, LiveBedsDocument } from '../../gateway/client/index.js';

const PARTNER_KEY = 'partner-key-of-the-hotline-0000000000001';
const CITY_OVERVIEW_TEXT = `query CityOverview {
  districts { code name epidemicLevel { level assessedAt } }
}`;

describe('trusted documents in production', () => {
  let db: TestDatabase;
  let production: Config;
  let gateway: RunningGateway;
  let subgraphs: RunningSubgraph[] = [];
  let facilities: RunningSubgraph;
  let officer: string;
  const url = () => gateway.url;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [{ id: 'CS-T', wardCode: '00337', beds: { GENERAL: { total: 10 } } }]);
    production = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://127.0.0.1/unused-by-this-test',
      JWT_SECRET: 'a-production-jwt-secret-for-the-trusted-documents-test',
      HRG_INTERNAL_SECRET: 'a-production-internal-secret-for-the-trusted-documents-test',
      HRG_API_KEYS: `${PARTNER_KEY}=hotline-1022`,
      HRG_RATE_LIMIT: '100000',
      LOG_LEVEL: 'silent',
    });
    expect(production.partnerTrustedDocumentsOnly).toBe(true);
    // The subgraphs trust what this gateway forwards: the same internal secret.
    const subgraphConfig: Config = { ...testConfig, internalSecret: production.internalSecret, jwtSecret: production.jwtSecret };
    subgraphs = await Promise.all(
      SUBGRAPH_NAMES.map((name) => startSubgraph(SUBGRAPHS[name], { databaseUrl: db.roleUrl(name), port: 0, config: subgraphConfig, log: createLogger(name) })),
    );
    facilities = subgraphs.find((s) => s.name === 'facilities')!;
    const urls = Object.fromEntries(subgraphs.map((s) => [s.name, s.url])) as Record<SubgraphName, string>;
    gateway = await startGateway({ config: production, subgraphUrls: urls, port: 0, host: '127.0.0.1', log: createLogger('gateway') });
    // As a deployment's GATEWAY_URL does: the subgraphs' internal clients (the epidemic assessor,
    // which also reads the facts of an area not yet assessed) reach this gateway.
    for (const subgraph of subgraphs) subgraph.runtime.useGateway(gateway.url);
    officer = await issueDevToken(production, { role: 'CITY_OFFICER' });
  });
  afterAll(async () => {
    await gateway?.close();
    await Promise.all(subgraphs.map((s) => s.close()));
    await db?.drop();
  });

  const post = async (body: Record<string, unknown>, headers: Record<string, string>) => {
    const res = await fetch(url(), { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers }, body: JSON.stringify(body) });
    return { status: res.status, ...((await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] }) };
  };
  const asPartner = { 'x-api-key': PARTNER_KEY };

  it('runs a registered document that a partner sends by id (Hive documentId, or Apollo persisted-query hash)', async () => {
    const id = documentIdOf(CityOverviewDocument)!;
    expect(loadTrustedDocuments().has(id)).toBe(true);
    const byId = await post({ documentId: id }, asPartner);
    expect(byId.errors).toBeUndefined();
    expect(byId.data.districts).toHaveLength(30);
    expect(byId.data.districts[0]).toHaveProperty('capacity.total');

    const apollo = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: id.replace(/^sha256:/, '') } } }, asPartner);
    expect(apollo.errors).toBeUndefined();
    expect(apollo.data.districts).toHaveLength(30);
  });

  it('refuses text from a partner, even the text of a registered operation, with a code that says what to do', async () => {
    const text = await post({ query: CITY_OVERVIEW_TEXT }, asPartner);
    expect(text.status).toBe(400);
    expect(text.data).toBeUndefined();
    expect(text.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: TRUSTED_DOCUMENT_REQUIRED }) })]);
    expect(text.errors![0]!.message).toMatch(/documentId/);

    const unknown = await post({ documentId: documentHash(CITY_OVERVIEW_TEXT) }, asPartner);
    expect(unknown.status).toBe(400);
    expect(unknown.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: TRUSTED_DOCUMENT_NOT_FOUND }) })]);
  });

  it("serves a partner's spreadsheet export: the gateway's own documents are not the partner's text", async () => {
    const download = await fetch(url().replace(/\/graphql$/, '/reports/facility-capacity.csv?district=008'), { headers: asPartner });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    // A partner still cannot send that same kind of text itself.
    const text = await post({ query: '{ facilities(filter: { districtCode: "008" }) { totalCount } }' }, asPartner);
    expect(text.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: TRUSTED_DOCUMENT_REQUIRED }) })]);
  });

  it("lets an officer's token send any document (within the limits), and registered ones by id too", async () => {
    const text = ok(await gql(url(), CITY_OVERVIEW_TEXT, {}, { token: officer }));
    expect(text.districts).toHaveLength(30);
    expect(Object.keys(text.districts[0])).toEqual(['code', 'name', 'epidemicLevel']);
    const byId = await post({ documentId: documentIdOf(FindBedDocument), variables: { ward: '00337', tier: 'TIER_1' } }, { authorization: `Bearer ${officer}` });
    expect(byId.errors).toBeUndefined();
    expect(byId.data.bedFinder.map((b: { facility: { id: string } }) => b.facility.id)).toEqual(['CS-T']);
  });

  it('the typed client sends ids, not text, and a partner gets its data', async () => {
    const bodies: string[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = (input, init) => {
      if (String(input) === url() && typeof init?.body === 'string') bodies.push(init.body);
      return realFetch(input, init);
    };
    try {
      const client = createHrgClient({ url: url(), apiKey: PARTNER_KEY });
      const { bedFinder } = await client.request(FindBedDocument, { ward: '00337', tier: 'TIER_1' });
      expect(bedFinder.map((b) => b.facility.id)).toEqual(['CS-T']);
      const { districts } = await client.request(CityOverviewDocument, {});
      expect(districts).toHaveLength(30);
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(bodies.map((b) => JSON.parse(b))).toEqual([
      { documentId: documentIdOf(FindBedDocument), variables: { ward: '00337', tier: 'TIER_1' } },
      { documentId: documentIdOf(CityOverviewDocument), variables: {} },
    ]);
    // Opting out sends the text, which a partner may not.
    const texts = createHrgClient({ url: url(), apiKey: PARTNER_KEY, documentIds: false });
    const refused = await texts.request(CityOverviewDocument, {}).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HrgRequestError);
    expect((refused as HrgRequestError).errors[0]!.extensions?.code).toBe(TRUSTED_DOCUMENT_REQUIRED);
  });

  it('over graphql-ws too: partner text is refused, the typed client subscribes by id and receives events', async () => {
    const raw = wsClient(url(), { apiKey: PARTNER_KEY });
    const refused = subscribe(raw, `subscription { bedOccupancyChanged(districtCode: "008") { occupied } }`, {}, { refused: true });
    await refused.ready;
    const refusal = await refused.next();
    expect(JSON.stringify(refusal.errors)).toContain(TRUSTED_DOCUMENT_REQUIRED);
    refused.close();
    await raw.dispose();

    const client = createHrgClient({ url: url(), apiKey: PARTNER_KEY, webSocketImpl: WebSocket });
    const started = facilities.runtime.bus.stats.started;
    const events = client.subscribe(LiveBedsDocument, { district: '008' });
    const first = events.next();
    try {
      expect(await pollUntil(async () => facilities.runtime.bus.stats.started, (n) => n > started)).toBeGreaterThan(started);
      const patient = await registerPatient(url(), officer, { nationalId: null });
      const admitted = ok(await gql(url(), ADMIT, { input: { patientId: patient.id, facilityId: 'CS-T', bedKind: 'GENERAL' } }, { token: officer }));
      expect(admitted.admitPatient.__typename).toBe('AdmitPatientSuccess');
      const event = await first;
      expect(event.done).toBe(false);
      expect(event.value).toMatchObject({ bedOccupancyChanged: { facility: { id: 'CS-T' }, occupied: 1, total: 10, cause: 'ADMISSION' } });
    } finally {
      await events.return?.();
      await client.dispose();
    }
  });

  it("internal clients (a subgraph reading through the gateway with a PARTNER credential) are served", async () => {
    const subgraph = (name: SubgraphName) => subgraphs.find((s) => s.name === name)!;
    const workforce = subgraph('workforce').runtime.service<FacilityDirectory>(FACILITY_DIRECTORY);
    const patients = subgraph('patients').runtime.service<QuarantineAreaDirectory>(QUARANTINE_AREAS);
    workforce.useGateway(url());
    patients.useGateway(url());
    await expect(workforce.find('CS-T', 'internal-1')).resolves.toEqual({ id: 'CS-T', wardCode: '00337' });
    await expect(patients.lookup('CS-T', 'internal-2')).resolves.toMatchObject({ id: 'CS-T', kind: 'COLLECTION_SITE', wardCode: '00337', available: null });
    // The epidemic assessor's read, as it sends it, runs for a PARTNER service token too.
    const partner = await issueDevToken(production, { role: 'PARTNER', subject: 'system:internal' });
    for (const text of [AREA, FACILITY, FACTS]) expect(loadTrustedDocuments().get(documentHash(text))).toBe(text);
    const facts = await post({ documentId: documentHash(FACTS), variables: { wards: ['00337'], districts: ['008'] } }, { authorization: `Bearer ${partner}` });
    expect(facts.errors).toBeUndefined();
    expect(facts.data.wards[0]).toMatchObject({ code: '00337', capacity: { covidDesignated: expect.any(Number) } });
  });
});
