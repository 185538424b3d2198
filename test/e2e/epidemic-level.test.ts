/** A ward driven from level 1 to level 3 by new cases, seen live through the gateway; reads only read. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { seedGeography } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, ok, subscribe, token, wsClient } from '../support/client.js';
import { registerPatient } from '../support/patients.js';
import { planGeography } from '../../scripts/seed/facilities-plan.js';
import { contractOperations } from '../support/contract.js';
import { ASSESSOR } from '../../subgraphs/patients/index.js';
import type { EpidemicAssessor } from '../../subgraphs/patients/events/assessor.js';

describe('epidemic level', () => {
  let db: TestDatabase;
  let stack: Stack;
  // The smallest ward of Hoàn Kiếm: few cases move it across bands.
  const ward = planGeography().wards.filter((w) => w.districtCode === '002').sort((a, b) => a.population - b.population)[0]!;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    stack = await startStack(db);
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  it('rises from 1 to 3 as cases are registered, with an epidemicLevelChanged event at each step', async () => {
    const city = await token('CITY_OFFICER');
    const assessor = stack.subgraphs.patients.runtime.service<EpidemicAssessor>(ASSESSOR);
    // The day's assessment at start found no vaccination yet: level 2 (band A, low coverage).
    await assessor.settle();
    const vaccinator = await token('VACCINATOR', { district: '002' });
    // High coverage: every registered adult has a complete (single-dose) series.
    for (let i = 0; i < 10; i++) {
      const nationalId = `0010${60 + i}0000${String(i).padStart(2, '0')}`;
      ok(await gql(stack.gateway.url, `mutation R($i: RegisterResidentInput!) { registerResident(input: $i) { __typename } }`, { i: { nationalId, fullName: 'Cư dân', dateOfBirth: `19${60 + i}-01-01`, wardCode: ward.code } }, { token: vaccinator }));
      ok(await gql(stack.gateway.url, `mutation D($i: RecordDoseInput!) { recordDose(input: $i) { __typename } }`, { i: { nationalId, dose: 'PRIMARY_1', vaccine: 'JANSSEN', administeredAt: '2021-10-01T09:00:00+07:00' } }, { token: vaccinator }));
    }
    const client = wsClient(stack.gateway.url, { authorization: `Bearer ${await token('DASHBOARD')}` });
    const sub = subscribe(client, `subscription { epidemicLevelChanged(districtCode: "002") { scope ward { code } district { code } level previousLevel colour } }`, {}, {
      servedBy: stack.subgraphs.patients.runtime,
    });
    const wardEvents: { level: number; previousLevel: number | null; colour: string }[] = [];
    const nextWardEvent = async () => {
      for (;;) {
        const event = (await sub.next(15_000)).data!.epidemicLevelChanged;
        if (event.scope === 'WARD' && event.ward.code === ward.code) return event;
      }
    };
    try {
      await sub.ready;
      const level = async () => ok(await gql(stack.gateway.url, `query W($c: [ID!]!) { wards(codes: $c) { epidemicLevel { level inputs { caseBand highCoverage capacityMeets } } } }`, { c: [ward.code] }, { token: city })).wards[0].epidemicLevel;
      expect(await level()).toEqual({ level: 2, inputs: { caseBand: 'A', highCoverage: false, capacityMeets: true } });
      // Coverage publishes no events: the next daily assessment picks it up.
      assessor.assessCity();
      wardEvents.push(await nextWardEvent());
      expect(await level()).toEqual({ level: 1, inputs: { caseBand: 'A', highCoverage: true, capacityMeets: true } });

      const casesFor = (per100k: number) => Math.ceil((per100k * ward.population) / 100_000);
      let registered = 0;
      for (const target of [casesFor(20), casesFor(50)]) {
        while (registered < target) {
          await registerPatient(stack.gateway.url, city, { wardCode: ward.code, nationalId: null });
          registered += 1;
        }
        wardEvents.push(await nextWardEvent());
      }
      expect(wardEvents.map((e) => [e.level, e.previousLevel, e.colour])).toEqual([
        [1, 2, 'GREEN'],
        [2, 1, 'YELLOW'],
        [3, 2, 'ORANGE'],
      ]);
      const history = ok(await gql(stack.gateway.url, `query W($c: [ID!]!) { wards(codes: $c) { epidemicLevelHistory { level previousLevel } } }`, { c: [ward.code] }, { token: city }));
      expect(history.wards[0].epidemicLevelHistory.map((h: { level: number }) => h.level)).toEqual([2, 1, 2, 3]);
    } finally {
      sub.close();
      await client.dispose();
    }
  });

  it('CityOverview runs end to end with every part', async () => {
    const data = ok(await gql(stack.gateway.url, contractOperations().get('CityOverview')!, {}, { token: await token('DASHBOARD') }));
    expect(data.districts).toHaveLength(30);
    const d = data.districts.find((x: { code: string }) => x.code === '002');
    expect(d).toMatchObject({
      code: '002',
      name: 'Quận Hoàn Kiếm',
      kind: 'URBAN_DISTRICT',
      capacity: { total: 0, byKind: [{ kind: 'GENERAL' }, { kind: 'OXYGEN' }, { kind: 'ICU' }] },
      cases: { byTier: [{ tier: 'TIER_1' }, { tier: 'TIER_2' }, { tier: 'TIER_3' }] },
      vaccination: { population: 10, dose1Coverage: 1, dose2Coverage: 1, over50WithoutDose1: 0 },
      workforce: { workers: 0 },
      epidemicLevel: { level: expect.any(Number), assessedAt: expect.stringMatching(/\+07:00$/) },
    });
    expect(d.cases.active).toBeGreaterThan(0);
  });
});
