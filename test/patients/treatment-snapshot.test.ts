/**
 * The treatment snapshot (contract operation TreatmentSnapshot): where patients under treatment
 * are, by the report's categories, from history — so a past day answers as it was — with parts
 * that sum to the total and agree with the live case counts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, ok, token } from '../support/client.js';
import { contractOperations } from '../support/contract.js';
import { pollUntil } from '../support/wait.js';
import { registerPatient } from '../support/patients.js';
import { cityDate } from '../../subgraphs/common/graphql/scalars.js';

const DAY = 86_400_000;
const PLACES = ['atHome', 'wardStations', 'districtCollectionSites', 'cityCollectionSites', 'hospitals', 'centralHospitals', 'facilitiesUncategorised'] as const;
const SNAPSHOT_ALL = `query S($district: ID, $date: Date) { treatmentSnapshot(districtCode: $district, date: $date) {
  date underTreatment ${PLACES.join(' ')} critical byTier { tier count } } }`;

describe('treatment snapshot', () => {
  let db: TestDatabase;
  let stack: Stack;
  let city: string;
  const snapshotOp = contractOperations().get('TreatmentSnapshot')!;
  const call = async (query: string, variables: Record<string, unknown>) => ok(await gql(stack.gateway.url, query, variables, { token: city }));
  const admit = async (patientId: string, facilityId: string, bedKind: string) => {
    const res = await call(`mutation A($i: AdmitPatientInput!) { admitPatient(input: $i) { __typename ... on Error { message } } }`, { i: { patientId, facilityId, bedKind } });
    expect(res.admitPatient.__typename).toBe('AdmitPatientSuccess');
  };
  const snapshot = async (variables: Record<string, unknown>) => (await call(SNAPSHOT_ALL, variables)).treatmentSnapshot;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [
      { id: 'TYT', wardCode: '00337', kind: 'HEALTH_STATION', level: 'WARD', servesTiers: ['TIER_1'], beds: { GENERAL: { total: 5 } } },
      { id: 'CS-D', wardCode: '00337', kind: 'COLLECTION_SITE', level: 'DISTRICT', servesTiers: ['TIER_1', 'TIER_2'], beds: { GENERAL: { total: 5 }, OXYGEN: { total: 5 } } },
      { id: 'CS-C', wardCode: '00331', kind: 'COLLECTION_SITE', level: 'CITY', servesTiers: ['TIER_1', 'TIER_2'], beds: { GENERAL: { total: 5 } } },
      { id: 'H-D', wardCode: '00331', kind: 'HOSPITAL', level: 'DISTRICT', servesTiers: ['TIER_1', 'TIER_2', 'TIER_3'], beds: { OXYGEN: { total: 5 }, ICU: { total: 5 } } },
      { id: 'H-C', wardCode: '00331', kind: 'HOSPITAL', level: 'CENTRAL', servesTiers: ['TIER_2', 'TIER_3'], beds: { ICU: { total: 5 } } },
    ]);
    stack = await startStack(db);
    city = await token('CITY_OFFICER');
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  it('counts each place of care, tier and critical; parts sum to the total and match the live case counts', async () => {
    const twoDaysAgo = new Date(Date.now() - 2 * DAY).toISOString();
    const home = await Promise.all([1, 2, 3].map(() => registerPatient(stack.gateway.url, city, { wardCode: '00337', confirmedAt: twoDaysAgo })));
    const station = await registerPatient(stack.gateway.url, city, { wardCode: '00337' });
    await admit(station.id, 'TYT', 'GENERAL');
    const districtSite = await registerPatient(stack.gateway.url, city, { wardCode: '00337', tier: 'TIER_2' });
    await admit(districtSite.id, 'CS-D', 'OXYGEN');
    const citySite = await registerPatient(stack.gateway.url, city, { wardCode: '00331' });
    await admit(citySite.id, 'CS-C', 'GENERAL');
    const hospital = await registerPatient(stack.gateway.url, city, { wardCode: '00331', tier: 'TIER_2' });
    await admit(hospital.id, 'H-D', 'OXYGEN');
    const central = await registerPatient(stack.gateway.url, city, { wardCode: '00331', tier: 'TIER_3' });
    await admit(central.id, 'H-C', 'ICU');
    // Recorded critical on a tier change; another tier-3 patient is not critical.
    const critical = await registerPatient(stack.gateway.url, city, { wardCode: '00331', tier: 'TIER_2' });
    await admit(critical.id, 'H-D', 'OXYGEN');
    const changed = await call(`mutation C($i: ChangeTierInput!) { changeTier(input: $i) { __typename } }`, { i: { patientId: critical.id, to: 'TIER_3', reason: 'SpO2 85 %, thở máy', critical: true } });
    expect(changed.changeTier.__typename).toBe('ChangeTierSuccess');
    // Another district's patient is not in district 008's snapshot.
    await registerPatient(stack.gateway.url, city, { wardCode: '10441' });

    const expected = {
      underTreatment: 9, atHome: 3, wardStations: 1, districtCollectionSites: 1, cityCollectionSites: 1, hospitals: 2, centralHospitals: 1, facilitiesUncategorised: 0, critical: 1,
      byTier: [{ tier: 'TIER_1', count: 5 }, { tier: 'TIER_2', count: 2 }, { tier: 'TIER_3', count: 2 }],
    };
    // Admissions reach the patients subgraph through events.
    const seen = await pollUntil(() => snapshot({ district: '008' }), (s) => s.atHome === 3 && s.hospitals === 2, { timeoutMs: 20_000 });
    expect(seen).toMatchObject(expected);
    expect(PLACES.reduce((sum, p) => sum + seen![p], 0)).toBe(seen!.underTreatment);

    // The contract's own operation answers the same, and agrees with District.cases now.
    const contract = (await call(snapshotOp, { district: '008' })).treatmentSnapshot;
    expect(contract).toMatchObject({ date: cityDate(new Date()), underTreatment: 9, atHome: 3, critical: 1 });
    const cases = (await call(`{ district(code: "008") { cases { active atHome inFacilities byTier { tier count } } } }`, {})).district.cases;
    expect(cases).toEqual({ active: 9, atHome: 3, inFacilities: 6, byTier: expected.byTier });
    const cityWide = await snapshot({});
    const cityCases = (await call(`{ cityCases { active byTier { tier count } } }`, {})).cityCases;
    expect({ total: cityWide.underTreatment, byTier: cityWide.byTier }).toEqual({ total: cityCases.active, byTier: cityCases.byTier });

    // Yesterday, from history: only the three confirmed two days ago, at home. Closing a case
    // today does not change yesterday.
    // Today one of them recovers, one moves to tier 2 and one is admitted: yesterday must still
    // show them as they were (a query reading the current columns would not).
    const yesterday = cityDate(new Date(Date.now() - DAY));
    ok(await gql(stack.gateway.url, `mutation C($i: CloseCaseInput!) { closeCase(input: $i) { __typename } }`, { i: { patientId: home[0]!.id, outcome: 'RECOVERED' } }, { token: city }));
    expect((await call(`mutation C($i: ChangeTierInput!) { changeTier(input: $i) { __typename } }`, { i: { patientId: home[1]!.id, to: 'TIER_2', reason: 'SpO2 95 %' } })).changeTier.__typename).toBe('ChangeTierSuccess');
    await admit(home[2]!.id, 'CS-D', 'GENERAL');
    const today = await pollUntil(() => snapshot({ district: '008' }), (s) => s.districtCollectionSites === 2, { timeoutMs: 20_000 });
    expect(today).toMatchObject({ underTreatment: 8, atHome: 1, districtCollectionSites: 2, byTier: [{ tier: 'TIER_1', count: 3 }, { tier: 'TIER_2', count: 3 }, { tier: 'TIER_3', count: 2 }] });
    expect(await snapshot({ district: '008', date: yesterday })).toMatchObject({
      date: yesterday, underTreatment: 3, atHome: 3, districtCollectionSites: 0, hospitals: 0, critical: 0,
      byTier: [{ tier: 'TIER_1', count: 3 }, { tier: 'TIER_2', count: 0 }, { tier: 'TIER_3', count: 0 }],
    });
  });

  it('refuses a future date, an unknown district, and critical outside tier 3', async () => {
    const tomorrow = cityDate(new Date(Date.now() + 2 * DAY));
    const future = await gql(stack.gateway.url, SNAPSHOT_ALL, { date: tomorrow }, { token: city });
    expect(future.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const unknown = await gql(stack.gateway.url, SNAPSHOT_ALL, { district: '999' }, { token: city });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const patient = await registerPatient(stack.gateway.url, city, { wardCode: '00337' });
    const wrong = await call(`mutation C($i: ChangeTierInput!) { changeTier(input: $i) { __typename ... on ValidationError { fields { path } } } }`, { i: { patientId: patient.id, to: 'TIER_2', reason: 'SpO2 95 %', critical: true } });
    expect(wrong.changeTier).toEqual({ __typename: 'ValidationError', fields: [{ path: ['input', 'critical'] }] });
  });

  it('is aggregates only: every role reads it, partners included', async () => {
    for (const role of ['PARTNER', 'DASHBOARD', 'VACCINATOR'] as const) {
      const res = await gql(stack.gateway.url, snapshotOp, { district: '008' }, { token: await token(role, role === 'VACCINATOR' ? { district: '008' } : {}) });
      expect({ role, errors: res.errors }).toEqual({ role, errors: undefined });
    }
  });
});
