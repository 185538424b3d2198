/**
 * A request that catches a projection up first (to judge a write on the latest state) must not
 * fail because the projection's step met a deadlock with a concurrent writer: the step applied
 * nothing, so catching up tries again.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql, type Kysely } from 'kysely';
import { SubgraphRuntime } from '../../subgraphs/common/runtime.js';
import { publish } from '../../subgraphs/common/events/publish.js';
import { TOPICS } from '../../subgraphs/common/events/catalog.js';
import { createLogger } from '../../subgraphs/common/log.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { withDb } from '../support/builders.js';
import { waitUntil } from '../support/wait.js';

const TOPIC = TOPICS.bedOccupancy;

describe('catching up through a transient failure', () => {
  let db: TestDatabase;
  let publisher: SubgraphRuntime<any>;
  let consumer: SubgraphRuntime<any>;
  let deadlocks = 0;
  /** Keys whose handler waits for the test to let it go: a step held part-way, after its read. */
  const held = new Map<string, { reached: () => void; released: Promise<void> }>();

  beforeAll(async () => {
    db = await createTestDatabase();
    publisher = new SubgraphRuntime<any>({ name: 'facilities', databaseUrl: db.roleUrl('facilities'), log: createLogger('test') });
    await publisher.start();
    await withDb(db, 'patients', async (k) => void (await sql`create table seen (key text not null)`.execute(k)));
    // Not started: no background loop, so every step is the one catchUp() takes.
    consumer = new SubgraphRuntime<any>({ name: 'patients', databaseUrl: db.roleUrl('patients'), log: createLogger('test') });
    consumer.addConsumer({
      name: 'test.deadlocking',
      source: 'facilities',
      topics: [TOPIC],
      handle: async (trx, event) => {
        if (deadlocks < 2) {
          deadlocks += 1;
          throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
        }
        const hold = held.get(event.key);
        if (hold) {
          hold.reached();
          await hold.released;
        }
        await sql`insert into seen (key) values (${event.key})`.execute(trx);
      },
    });
  });
  afterAll(async () => {
    await consumer.close();
    await publisher.close();
    await db.drop();
  });

  it('retries the step instead of throwing at the caller, and applies the event once', async () => {
    await publisher.db.transaction().execute((trx) => publish(trx, [{ topic: TOPIC, key: 'k1', payload: { key: 'k1' } }]));
    await expect(consumer.consumer('test.deadlocking').catchUp()).resolves.toBeUndefined();
    expect(deadlocks).toBe(2);
    const seen = (await sql<{ key: string }>`select key from seen`.execute(consumer.db as Kysely<any>)).rows.map((r) => r.key);
    expect(seen).toEqual(['k1']);
  });

  it('lets concurrent requests share one catch-up instead of queueing for the consumer lock one by one', async () => {
    // Sixty admissions at once each catch the patients projection up first. When an event is
    // pending, each used to run its own steps, every one taking the consumer's lock in turn.
    await publisher.db.transaction().execute((trx) => publish(trx, [{ topic: TOPIC, key: 'k2', payload: { key: 'k2' } }]));
    const stats = consumer.database.stats;
    const before = stats.background;
    await Promise.all(Array.from({ length: 60 }, () => consumer.consumer('test.deadlocking').catchUp()));
    const statements = stats.background - before;
    const seen = (await sql<{ key: string }>`select key from seen order by key`.execute(consumer.db as Kysely<any>)).rows.map((r) => r.key);
    expect(seen).toEqual(['k1', 'k2']);
    // Sixty first reads, then one shared run (a step that applies, a step that finds nothing):
    // some 75 statements, where sixty separate runs take over 400.
    expect(statements).toBeLessThan(100);
  });

  it('a request that arrives while a shared run is under way waits for a run that starts after it', async () => {
    const consumerOf = consumer.consumer('test.deadlocking');
    let reached!: () => void;
    let release!: () => void;
    const k3Reached = new Promise<void>((r) => (reached = r));
    held.set('k3', { reached, released: new Promise<void>((r) => (release = r)) });
    await publisher.db.transaction().execute((trx) => publish(trx, [{ topic: TOPIC, key: 'k3', payload: { key: 'k3' } }]));
    const first = consumerOf.catchUp();
    // The first run has read the outbox (k3 was the head) and is applying k3: it will not look again.
    await k3Reached;
    await publisher.db.transaction().execute((trx) => publish(trx, [{ topic: TOPIC, key: 'k4', payload: { key: 'k4' } }]));
    let secondDone = false;
    const second = consumerOf.catchUp().then(() => void (secondDone = true));
    // The second caller has found the run under way and queued behind it (the shared next run).
    await waitUntil(() => (consumerOf as unknown as { next?: Promise<void> }).next !== undefined, { intervalMs: 5 });
    expect(secondDone).toBe(false);
    release();
    await Promise.all([first, second]);
    const seen = (await sql<{ key: string }>`select key from seen order by key`.execute(consumer.db as Kysely<any>)).rows.map((r) => r.key);
    // Had the second caller joined the run under way, it would have returned without k4.
    expect(seen).toEqual(['k1', 'k2', 'k3', 'k4']);
  });
});
