/**
 * A read of an area never assessed waits for the city's facts (beds from facilities, coverage from
 * vaccination, asked through the gateway) for at most half the gateway's upstream timeout. A slow
 * facts request then costs that area's level only; waited out in full, it would outlast the
 * gateway's patience with patients, and every patients field of the answer would be lost with it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography, withDb } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, token } from '../support/client.js';
import { registerPatient } from '../support/patients.js';

const UPSTREAM_TIMEOUT_MS = 3_000;

describe('the facts of an area not assessed yet, when vaccination is slow', () => {
  let db: TestDatabase;
  let stack: Stack;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [{ id: 'FT-SITE', wardCode: '00337', servesTiers: ['TIER_1'], beds: { GENERAL: { total: 10 } } }]);
    // The gateway and the patients subgraph read the same setting, as in one deployment.
    stack = await startStack(db, { upstreamTimeoutMs: UPSTREAM_TIMEOUT_MS }, { upstreamTimeoutMs: UPSTREAM_TIMEOUT_MS });
    await registerPatient(stack.gateway.url, await token('CITY_OFFICER'), { wardCode: '00337', nationalId: null });
    await stack.settle();
  });
  afterAll(async () => {
    await stack?.close();
    await db?.drop();
  });

  it('fails that level alone, before the gateway gives up on patients', async () => {
    await withDb(db, 'patients', (k) => sql`delete from epidemic_level_current where scope = 'DISTRICT' and code = '008'`.execute(k));
    const dashboard = await token('DASHBOARD');
    // Vaccination's coverage tables locked (the wards' and the districts'): its part of the facts
    // request waits for the lock.
    const holder = new pg.Client({ connectionString: db.adminUrl });
    holder.on('error', () => {});
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('lock table vaccination.coverage, vaccination.district_coverage in access exclusive mode');
      const started = Date.now();
      const res = await gql(
        stack.gateway.url,
        `{ figures: districts(codes: ["008"]) { code cases { active } } levels: districts(codes: ["008"]) { code epidemicLevel { level } } }`,
        {},
        { token: dashboard },
      );
      const elapsed = Date.now() - started;
      // The case figures (patients' own, in the same patients request) arrive; only the level
      // fails, and says why (a level is never null, so its district is).
      expect(res.data).toEqual({ figures: [{ code: '008', cases: { active: 1 } }], levels: [null] });
      expect(res.errors?.map((e: { path?: unknown[]; extensions?: { code?: string } }) => [e.extensions?.code, e.path])).toEqual([
        ['SERVICE_UNAVAILABLE', ['levels', 0, 'epidemicLevel']],
      ]);
      // Failed by the bound (half the upstream timeout), not by anything quicker such as a refusal.
      expect(elapsed).toBeGreaterThanOrEqual(UPSTREAM_TIMEOUT_MS / 2 - 100);
      expect(elapsed).toBeLessThan(UPSTREAM_TIMEOUT_MS);
    } finally {
      await holder.query('rollback').catch(() => {});
      await holder.end();
    }
  });
});
