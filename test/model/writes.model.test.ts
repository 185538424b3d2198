/**
 * The write API against a reference model (test/model/model.ts): about 180 random writes by
 * every role, inside and outside their jurisdiction, some of them concurrent, through the
 * gateway; after every step the answer and the settled databases must be the model's.
 * `npm run fuzz` runs the same property for as many steps as asked.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { answerTable, checkOutboxReplay, INVARIANTS, startHarness, writesProperty, type Harness } from './harness.js';

const SEED = Number(process.env.HRG_MODEL_SEED ?? 20261126);
const RUNS = Number(process.env.HRG_MODEL_RUNS ?? 6);
const MAX_COMMANDS = 50;

describe('writes checked against a model', () => {
  let db: TestDatabase;
  let h: Harness;

  beforeAll(async () => {
    db = await createTestDatabase();
    h = await startHarness(db);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await db?.drop();
  });

  it(
    'answers and state equal the model after every step, and the outbox rebuilds the bed counters',
    async () => {
      console.log(`model-based writes: seed ${SEED} (HRG_MODEL_SEED to replay), ${RUNS} runs of up to ${MAX_COMMANDS} commands; invariants:\n- ${INVARIANTS.join('\n- ')}`);
      const started = Date.now();
      await fc.assert(writesProperty(h, MAX_COMMANDS), { seed: SEED, numRuns: RUNS });
      const replay = await checkOutboxReplay(h);
      console.log(`model-based writes: ${h.steps} steps in ${h.runs} runs, ${((Date.now() - started) / 1000).toFixed(1)} s; outbox replay: ${replay.events} events rebuild ${replay.counters} counters`);
      console.log(`answers: ${answerTable(h)}`);
      expect(h.steps).toBeGreaterThan(100);
      expect(replay.counters).toBeGreaterThan(0);
    },
    240_000,
  );
});
