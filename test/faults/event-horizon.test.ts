/**
 * A transaction left open in another database of the same PostgreSQL server (a migration, an
 * analyst's psql session) must not hold back this database's events: consumers and subscriptions
 * keep receiving them within the usual delay for as long as it stays open.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { SubgraphRuntime } from '../../subgraphs/common/runtime.js';
import { publish } from '../../subgraphs/common/events/publish.js';
import type { EventEnvelope } from '../../subgraphs/common/events/types.js';
import { createLogger } from '../../subgraphs/common/log.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { pollUntil } from '../support/wait.js';

const TOPIC = 'test.horizon';
/** How long the other database's transaction stays open: the scenario, not a wait for a condition. */
const HOLD_MS = 30_000;
/** What "the usual delay" may be on a busy test machine. */
const USUAL_DELAY_MS = 3_000;

describe('a long transaction in another database', () => {
  let db: TestDatabase;
  let other: TestDatabase;
  let publisher: SubgraphRuntime<any>;
  let consumer: SubgraphRuntime<any>;
  const log = createLogger('test');

  beforeAll(async () => {
    db = await createTestDatabase();
    other = await createTestDatabase({ empty: true });
    publisher = new SubgraphRuntime<any>({ name: 'facilities', databaseUrl: db.roleUrl('facilities'), log });
    await publisher.start();
    const setup = new SubgraphRuntime<any>({ name: 'patients', databaseUrl: db.roleUrl('patients'), log });
    await sql`create table seen (key text not null)`.execute(setup.db);
    await setup.close();
    consumer = new SubgraphRuntime<any>({ name: 'patients', databaseUrl: db.roleUrl('patients'), log });
    consumer.addConsumer({
      name: 'test.horizon',
      source: 'facilities',
      topics: [TOPIC],
      handle: async (trx, event) => void (await sql`insert into seen (key) values (${event.key})`.execute(trx)),
    });
    await consumer.start();
  });
  afterAll(async () => {
    await consumer?.close();
    await publisher?.close();
    await other?.drop();
    await db?.drop();
  });

  it('does not delay this database’s events to a consumer or a subscription', async () => {
    const received: EventEnvelope[] = [];
    const iterator = publisher.bus.subscribe(TOPIC);
    void (async () => {
      for await (const event of iterator) received.push(event);
    })();
    const seen = async (k: Kysely<any>) => (await sql<{ key: string }>`select key from seen`.execute(k)).rows.map((r) => r.key);

    const holder = new pg.Client({ connectionString: other.adminUrl });
    await holder.connect();
    const delays: number[] = [];
    let hold: NodeJS.Timeout | undefined;
    try {
      await holder.query('begin');
      await holder.query('select txid_current()'); // an xid: every snapshot on the server now lists it as running
      let open = true;
      hold = setTimeout(() => (open = false), HOLD_MS);
      for (let n = 0; open; n++) {
        const key = `during-${n}`;
        const sent = Date.now();
        await publisher.db.transaction().execute((trx) => publish(trx, [{ topic: TOPIC, key, payload: { n } }]));
        const arrived = await pollUntil(
          async () => received.some((e) => e.key === key) && (await seen(consumer.db)).includes(key),
          (ok) => ok,
          { timeoutMs: USUAL_DELAY_MS, intervalMs: 20 },
        );
        expect({ key, arrived }).toEqual({ key, arrived: true });
        delays.push(Date.now() - sent);
      }
    } finally {
      clearTimeout(hold);
      await holder.query('rollback').catch(() => {});
      await holder.end();
      await iterator.return?.();
    }
    expect(delays.length).toBeGreaterThan(3);
    expect(Math.max(...delays)).toBeLessThan(USUAL_DELAY_MS);
  }, HOLD_MS + 60_000);
});
