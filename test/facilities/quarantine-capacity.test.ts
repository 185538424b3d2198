/**
 * Quarantine areas hold F1 contacts: their places are never treatment capacity for F0 patients,
 * in roll-ups, the bed finder, the daily report's beds or the epidemic level's capacity criterion.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, ok, token } from '../support/client.js';
import { cityDate } from '../../subgraphs/common/graphql/scalars.js';

describe('quarantine areas are not treatment capacity', () => {
  let db: TestDatabase;
  let stack: Stack;
  let city: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    // Hoàng Mai (008): one full treatment site in Hoàng Liệt (00337) and a large, empty
    // quarantine area in the same ward, which (wrongly) says it serves tier 1.
    await createFacilities(db, [
      { id: 'T-SITE', wardCode: '00337', servesTiers: ['TIER_1'], beds: { GENERAL: { total: 10, occupied: 10 } } },
      { id: 'Q-AREA', wardCode: '00337', kind: 'QUARANTINE_AREA', servesTiers: ['TIER_1'], beds: { GENERAL: { total: 300, occupied: 40 } } },
    ]);
    stack = await startStack(db);
    city = await token('CITY_OFFICER');
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  it('leaves quarantine beds out of ward, district and city capacity and shows them apart', async () => {
    const data = ok(
      await gql(
        stack.gateway.url,
        `{ wards(codes: ["00337"]) { capacity { total covidDesignated occupied available } quarantineCapacity { total occupied available } }
           districts(codes: ["008"]) { capacity { total covidDesignated occupied available byKind { kind total } } quarantineCapacity { total occupied available } }
           cityCapacity { total occupied available }
           facility(id: "Q-AREA") { kind beds { kind total occupied } } }`,
        {},
        { token: city },
      ),
    );
    expect(data.wards[0].capacity).toEqual({ total: 10, covidDesignated: 10, occupied: 10, available: 0 });
    expect(data.wards[0].quarantineCapacity).toEqual({ total: 300, occupied: 40, available: 260 });
    expect(data.districts[0].capacity).toMatchObject({ total: 10, covidDesignated: 10, occupied: 10, available: 0 });
    expect(data.districts[0].quarantineCapacity).toEqual({ total: 300, occupied: 40, available: 260 });
    expect(data.cityCapacity).toEqual({ total: 10, occupied: 10, available: 0 });
    // Still visible on the facility itself.
    expect(data.facility).toMatchObject({ kind: 'QUARANTINE_AREA', beds: [{ kind: 'GENERAL', total: 300, occupied: 40 }] });
  });

  it('never offers a quarantine area in the bed finder', async () => {
    const data = ok(await gql(stack.gateway.url, `{ bedFinder(wardCode: "00337", tier: TIER_1, first: 50) { facility { id } } }`, {}, { token: city }));
    expect(data.bedFinder).toEqual([]);
  });

  it('leaves quarantine beds out of the daily report', async () => {
    const data = ok(await gql(stack.gateway.url, `query R($d: Date!) { dailyReport(date: $d, districtCode: "008") { beds { total covidDesignated } } }`, { d: cityDate(new Date()) }, { token: city }));
    expect(data.dailyReport.beds).toEqual({ total: 10, covidDesignated: 10 });
  });

  it('judges the epidemic level’s capacity criterion on treatment beds only', async () => {
    // The treatment site is full: with the quarantine area counted, occupancy would be 50 / 310.
    const data = ok(await gql(stack.gateway.url, `{ districts(codes: ["008"]) { epidemicLevel { inputs { capacityMeets } } } wards(codes: ["00337"]) { epidemicLevel { inputs { capacityMeets } } } }`, {}, { token: city }));
    expect(data.districts[0].epidemicLevel.inputs.capacityMeets).toBe(false);
    expect(data.wards[0].epidemicLevel.inputs.capacityMeets).toBe(false);
  });
});
