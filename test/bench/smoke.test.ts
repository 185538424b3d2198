/**
 * Every benchmark scenario at a tiny size, so that `npm run bench` cannot rot: real processes,
 * real load, and the invariants the full run reports (nothing lost, nothing overbooked, every
 * answer equal to the expected one) hold here too. Speed is never asserted.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';
import { SCENARIOS, renderReport, runBench } from '../../scripts/bench/index.js';
import { SIZES, type ScenarioResult } from '../../scripts/bench/scenarios.js';

describe('npm run bench (tiny)', () => {
  // Its own server: seeding holds a long transaction, which would stall other files' events.
  let pg: PrivatePostgres;
  let results: ScenarioResult[];

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    results = await runBench({
      serverAdminUrl: pg.adminUrl,
      size: SIZES.tiny,
      basePort: 4300 + (process.pid % 40) * 10,
    });
  }, 300_000);
  afterAll(async () => {
    await pg?.dispose();
  });

  it('runs all five scenarios and renders a table for each', () => {
    expect(results).toHaveLength(SCENARIOS.length);
    const report = renderReport(results, SIZES.tiny);
    for (const result of results) {
      expect(report).toContain(result.title);
      expect(result.table.split('\n').length).toBeGreaterThanOrEqual(3);
    }
  });

  it('finds the same answers through every path and loses nothing', () => {
    const [gateway, ladder, fanout, contention, city] = results;
    expect(gateway!.figures).toMatchObject({ failures: 0 });
    expect(gateway!.figures.oursRps).toBeGreaterThan(0);
    expect(gateway!.figures.apolloRps).toBeGreaterThan(0);
    // CPU per request is read from /proc in ticks of 10 ms: a tiny run may see none, never a NaN.
    for (const key of ['oursGatewayCpuMs', 'apolloGatewayCpuMs', 'ceilingRps'] as const) expect(gateway!.figures[key]).toBeGreaterThanOrEqual(0);
    expect(gateway!.figures.failures).toBe(0);
    expect(ladder!.figures.failures).toBe(0);
    expect(fanout!.figures.lost).toBe(0);
    // Three rounds (at the facilities subgraph, through the gateway, the command in process), each filling what it can.
    expect(contention!.figures).toMatchObject({ overCapacity: 0, mismatched: 0, errors: 0, overbooked: 0 });
    expect(contention!.figures.admitted).toBeGreaterThanOrEqual(SIZES.tiny.contentionPatients);
    expect(contention!.figures.admitted).toBe(contention!.figures.fillable);
    expect(city!.figures.failures).toBe(0);
  });
});
