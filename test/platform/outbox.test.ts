import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { SubgraphRuntime } from '../../subgraphs/common/runtime.js';
import { publish } from '../../subgraphs/common/events/publish.js';
import type { EventEnvelope } from '../../subgraphs/common/events/types.js';
import { createLogger } from '../../subgraphs/common/log.js';
import { pino } from 'pino';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { pollUntil, waitUntil } from '../support/wait.js';

const TOPIC = 'test.thing-happened';

/** Sessions of this test's database waiting for an advisory lock another session holds. */
async function waitingForAdvisoryLock(db: TestDatabase): Promise<number> {
  const admin = new pg.Client({ connectionString: db.adminUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ n: number }>(
      `select count(*)::int as n from pg_locks l join pg_database d on d.oid = l.database where l.locktype = 'advisory' and not l.granted and d.datname = $1`,
      [db.name],
    );
    return rows[0]!.n;
  } finally {
    await admin.end();
  }
}

function collect(runtime: SubgraphRuntime<any>): EventEnvelope[] {
  const received: EventEnvelope[] = [];
  const iterator = runtime.bus.subscribe(TOPIC);
  void (async () => {
    for await (const event of iterator) received.push(event);
  })();
  return received;
}

describe('event bus: transactional outbox, NOTIFY, catch-up', () => {
  let db: TestDatabase;
  let publisher: SubgraphRuntime<any>;
  const log = createLogger('test');

  const emit = (n: number, label = 'x') =>
    publisher.db.transaction().execute((trx) => publish(trx, [{ topic: TOPIC, key: `${label}-${n}`, payload: { n, label } }]));

  beforeAll(async () => {
    db = await createTestDatabase();
    publisher = new SubgraphRuntime<any>({ name: 'facilities', databaseUrl: db.roleUrl('facilities'), log });
    await publisher.start();
  });
  afterAll(async () => {
    await publisher.close();
    await db.drop();
  });

  it('delivers an event when its transaction commits, and nothing when it rolls back', async () => {
    const received = collect(publisher);
    await emit(1, 'commit');
    await expect(
      publisher.db.transaction().execute(async (trx) => {
        await publish(trx, [{ topic: TOPIC, key: 'rollback', payload: { label: 'rollback' } }]);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await emit(2, 'commit');
    // Events arrive in commit order: had the rolled-back one been delivered, it would be before
    // the second commit's.
    await waitUntil(() => received.some((e) => e.key === 'commit-2'));
    expect(received.map((e) => e.key)).toEqual(['commit-1', 'commit-2']);
  });

  it('numbers events in commit order: one written earlier but committed later comes later, and is not skipped', async () => {
    const received = collect(publisher);
    const slow = await publisher.database.pool.connect();
    try {
      await slow.query('begin');
      await slow.query(`insert into outbox (topic, key, payload) values ($1, 'slow', '{}')`, [TOPIC]);
      await slow.query(`select pg_notify('hrg_outbox_facilities', '')`);
      // Begins after 'slow' was written and commits first: positions are drawn at commit, so it
      // does not wait for 'slow' (nor does any publisher wait for another's round trips).
      await emit(3, 'fast');
      await waitUntil(() => received.length >= 1);
      expect(received.map((e) => e.key)).toEqual(['fast-3']);
      await slow.query('commit');
    } finally {
      slow.release();
    }
    await waitUntil(() => received.length >= 2);
    expect(received.map((e) => e.key)).toEqual(['fast-3', 'slow']);
    expect(received[0]!.position).toBeLessThan(received[1]!.position);
  });

  it('catches up after the listening connection is killed', async () => {
    const received = collect(publisher);
    const admin = new pg.Client({ connectionString: db.adminUrl });
    await admin.connect();
    await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and application_name = 'hrg-notifier'`);
    await admin.end();
    await emit(4, 'after-kill');
    await waitUntil(() => received.some((e) => e.key === 'after-kill-4'));
    expect(received.filter((e) => e.key === 'after-kill-4')).toHaveLength(1);
  });

  it('a durable consumer that was away processes every event exactly once when it returns', async () => {
    const consumerDb = () => new SubgraphRuntime<any>({ name: 'patients', databaseUrl: db.roleUrl('patients'), log });
    const setup = consumerDb();
    // No unique key on purpose: an event applied twice shows up as two rows instead of being
    // refused. The replica lock does more than prevent that: a replica never even runs a batch
    // another one holds. With the lock broken (pg_advisory_xact_lock turned into a no-op) the
    // third replica is seen waiting for no lock, and it enters the held batch too (entered = 2).
    await sql`create table received (event_id bigint not null, key text not null)`.execute(setup.db);
    await setup.close();

    let gate: Promise<void> | undefined;
    let entered = 0;
    const start = async () => {
      const runtime = consumerDb();
      runtime.addConsumer({
        name: 'test.received',
        source: 'facilities',
        topics: [TOPIC],
        handle: async (trx, event) => {
          await sql`insert into received (event_id, key) values (${event.id}, ${event.key})`.execute(trx);
          if (event.key === 'batch-20' && gate) {
            entered += 1;
            await gate;
          }
        },
      });
      await runtime.start();
      return runtime;
    };
    const count = async (k: Kysely<any>) => Number((await sql<{ n: number }>`select count(*)::int as n from received where key like 'batch-%'`.execute(k)).rows[0]!.n);

    const first = await start();
    try {
      for (let i = 0; i < 20; i++) await emit(i, 'batch');
      await waitUntil(async () => (await count(first.db)) === 20);
    } finally {
      await first.close();
    }

    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    for (let i = 20; i < 50; i++) await emit(i, 'batch'); // nobody listening
    const replicas: SubgraphRuntime<any>[] = [];
    try {
      const second = await start();
      replicas.push(second);
      await waitUntil(() => entered === 1); // one replica is inside its batch, holding it open
      const third = await start(); // a replica: it must wait for its turn, not apply the same events
      replicas.push(third);
      expect(await pollUntil(() => waitingForAdvisoryLock(db), (n) => n >= 1)).toBeGreaterThanOrEqual(1);
      expect(entered).toBe(1);
      open();
      await waitUntil(async () => (await count(second.db)) >= 50);
      await Promise.all(replicas.map((r) => r.consumer('test.received').catchUp()));
      const keys = (await sql<{ key: string }>`select key from received where key like 'batch-%' order by event_id`.execute(second.db)).rows.map((r) => r.key);
      expect(keys).toEqual(Array.from({ length: 50 }, (_, i) => `batch-${i}`));
      expect(entered).toBe(1);
    } finally {
      open();
      for (const replica of replicas) await replica.close();
    }
  });

  it('a consumer whose position predates commit-ordered positions resumes right after its last event', async () => {
    for (let i = 0; i < 3; i++) await emit(i, 'legacy');
    const admin = new pg.Client({ connectionString: db.adminUrl });
    await admin.connect();
    try {
      // What the consumer table held before positions existed: the last event's (txid, id).
      const { rows } = await admin.query(`select txid::text as txid, id from facilities.outbox where key = 'legacy-1'`);
      await admin.query(`insert into patients.event_consumer (name, last_txid, last_id) values ('test.legacy', $1::xid8, $2)`, [rows[0].txid, rows[0].id]);
    } finally {
      await admin.end();
    }
    const runtime = new SubgraphRuntime<any>({ name: 'patients', databaseUrl: db.roleUrl('patients'), log });
    const keys: string[] = [];
    runtime.addConsumer({ name: 'test.legacy', source: 'facilities', topics: [TOPIC], handle: async (_trx, event) => void keys.push(event.key) });
    await runtime.consumer('test.legacy').catchUp();
    await emit(3, 'legacy');
    await runtime.consumer('test.legacy').catchUp();
    await runtime.close();
    expect(keys).toEqual(['legacy-2', 'legacy-3']);
  });

  it('caughtUpFor asks about one key: an event of the consumer\'s topics with that key after the stored position, and a legacy position never counts as caught up', async () => {
    const runtime = new SubgraphRuntime<any>({ name: 'patients', databaseUrl: db.roleUrl('patients'), log });
    runtime.addConsumer({ name: 'test.per-key', source: 'facilities', topics: [TOPIC], handle: async () => undefined });
    const consumer = runtime.consumer('test.per-key');
    const ask = async (key: string) => (await sql<{ current: boolean }>`select ${consumer.caughtUpFor(key)} as current`.execute(runtime.db)).rows[0]!.current;
    const admin = new pg.Client({ connectionString: db.adminUrl });
    await admin.connect();
    try {
      await emit(1, 'per-key');
      // No stored position yet: every event of the key is pending; a key with no events is not.
      expect({ one: await ask('per-key-1'), none: await ask('per-key-none') }).toEqual({ one: false, none: true });
      await consumer.catchUp();
      await emit(2, 'per-key');
      await publisher.db.transaction().execute((trx) => publish(trx, [{ topic: 'test.not-consumed', key: 'per-key-1', payload: {} }]));
      // Behind on per-key-2 only; an event of a topic the consumer does not take does not count.
      expect({ one: await ask('per-key-1'), two: await ask('per-key-2') }).toEqual({ one: true, two: false });
      await consumer.catchUp();
      expect(await ask('per-key-2')).toBe(true);
      // A position stored before commit-ordered positions (a txid, no position) never counts as caught up.
      await admin.query(`update patients.event_consumer set last_position = null, last_txid = pg_current_xact_id() where name = 'test.per-key'`);
      expect({ one: await ask('per-key-1'), none: await ask('per-key-none') }).toEqual({ one: false, none: true });
    } finally {
      await admin.end();
      await runtime.close();
    }
  });

  it('applies events in few round trips: four per step besides its handlers\' statements, and one between two handlers', async () => {
    const runtime = new SubgraphRuntime<any>({ name: 'patients', databaseUrl: db.roleUrl('patients'), log });
    try {
      await sql`create table counted (key text not null)`.execute(runtime.db);
      runtime.addConsumer({
        name: 'test.counted',
        source: 'facilities',
        topics: [TOPIC],
        handle: async (trx, event) => void (await sql`insert into counted (key) values (${event.key})`.execute(trx)),
      });
      const consumer = runtime.consumer('test.counted');
      await consumer.catchUp(); // from the start of the stream: every earlier test's events
      const stats = runtime.database.stats;
      const statementsFor = async (events: number) => {
        for (let i = 0; i < events; i++) await emit(i, `counted-${events}`);
        const before = stats.background;
        await consumer.catchUp();
        return stats.background - before;
      };
      // The runtime is not started: nothing but catchUp runs its steps. A catch-up asks whether
      // anything is new (1), then one step: BEGIN with the lock and a savepoint (1), the
      // consumer's row (1), the outbox (1), each handler's insert, a fresh savepoint between two
      // handlers, and the position with COMMIT (1).
      expect({ one: await statementsFor(1), two: await statementsFor(2) }).toEqual({ one: 1 + 3 + 1 + 1, two: 1 + 3 + 2 + 1 + 1 });
      const applied = (await sql<{ key: string }>`select key from counted where key like 'counted-%' order by key`.execute(runtime.db)).rows.map((r) => r.key);
      expect(applied).toEqual(['counted-1-0', 'counted-2-0', 'counted-2-1']);
    } finally {
      await runtime.close();
    }
  });

  it('a publishing transaction sends the outbox insert and nothing else, and its commit alone wakes the readers', async () => {
    const listener = new pg.Client({ connectionString: db.roleUrl('patients') });
    await listener.connect();
    try {
      const heard: string[] = [];
      listener.on('notification', (n) => heard.push(n.channel));
      await listener.query('listen hrg_outbox_facilities');
      const before = publisher.database.stats.queries;
      await emit(1, 'woken');
      // BEGIN, the insert, COMMIT: the outbox's commit trigger numbers the rows and notifies.
      expect(publisher.database.stats.queries - before).toBe(3);
      await waitUntil(() => heard.length === 1);
      // A rolled-back publish notifies nobody: the next committed one is the next notification.
      await publisher.db
        .transaction()
        .execute(async (trx) => {
          await publish(trx, [{ topic: TOPIC, key: 'rolled-back', payload: {} }]);
          throw new Error('roll back');
        })
        .catch(() => undefined);
      await emit(2, 'woken');
      await waitUntil(() => heard.length === 2);
      await listener.query('select 1'); // a notification still in flight would be read before this answer
      expect(heard).toEqual(['hrg_outbox_facilities', 'hrg_outbox_facilities']);
    } finally {
      await listener.end();
    }
  });

  it('a catch-up out of time with events left hands them to the background reader', async () => {
    const runtime = new SubgraphRuntime<any>({ name: 'patients', databaseUrl: db.roleUrl('patients'), log });
    try {
      let applied = 0;
      runtime.addConsumer({ name: 'test.hurried', source: 'facilities', topics: [TOPIC], handle: async () => void (applied += 1) });
      const consumer = runtime.consumer('test.hurried');
      await consumer.catchUp(); // every earlier test's events
      // More than one batch (500), in one transaction.
      await publisher.db.transaction().execute((trx) => publish(trx, Array.from({ length: 501 }, (_, i) => ({ topic: TOPIC, key: `hurried-${i}`, payload: { i } }))));
      applied = 0;
      await consumer.catchUp(0); // one step, then out of time
      expect(applied).toBeLessThan(501);
      // Not started: no NOTIFY and no notifier round wakes this reader, only the catch-up.
      expect(await pollUntil(async () => applied, (n) => n === 501, { timeoutMs: 20_000 })).toBe(501);
    } finally {
      await runtime.close();
    }
  });

  it('undoes only the failing handler\'s writes: the events before it in the same batch stay applied, the failing one applies once later', async () => {
    const runtime = new SubgraphRuntime<any>({ name: 'patients', databaseUrl: db.roleUrl('patients'), log });
    try {
      await sql`create table batch_writes (key text not null)`.execute(runtime.db);
      let fixed = false;
      runtime.addConsumer({
        name: 'test.batch-savepoints',
        source: 'facilities',
        topics: [TOPIC],
        retry: { maxAttempts: 100, retryBaseMs: 1, retryMaxMs: 1 },
        handle: async (trx, event) => {
          if (!event.key.startsWith('savepoint-')) return;
          await sql`insert into batch_writes (key) values (${event.key})`.execute(trx);
          if (event.key === 'savepoint-poison' && !fixed) throw new Error('not yet');
        },
      });
      const consumer = runtime.consumer('test.batch-savepoints');
      await consumer.catchUp(); // every earlier test's events
      // Three events of one transaction: one batch, three handlers, the third failing.
      await publisher.db
        .transaction()
        .execute((trx) => publish(trx, ['savepoint-1', 'savepoint-2', 'savepoint-poison'].map((key) => ({ topic: TOPIC, key, payload: {} }))));
      await consumer.catchUp();
      const written = async () => (await sql<{ key: string }>`select key from batch_writes order by key`.execute(runtime.db)).rows.map((r) => r.key);
      expect(await written()).toEqual(['savepoint-1', 'savepoint-2']);
      expect((await consumer.lag()).failedAttempts).toBe(1);
      fixed = true;
      await waitUntil(async () => {
        await consumer.catchUp();
        return (await consumer.lag()).behind === 0;
      });
      expect(await written()).toEqual(['savepoint-1', 'savepoint-2', 'savepoint-poison']);
    } finally {
      await runtime.close();
    }
  });

  it('a step whose lock wait is cancelled leaves its connection usable, not inside an aborted transaction', async () => {
    // One connection: whatever the step leaves behind, the next query meets it.
    const runtime = new SubgraphRuntime<any>({ name: 'patients', databaseUrl: db.roleUrl('patients'), log, maxConnections: 1 });
    const holder = new pg.Client({ connectionString: db.adminUrl });
    await holder.connect();
    try {
      runtime.addConsumer({ name: 'test.cancelled', source: 'facilities', topics: [TOPIC], handle: async () => {} });
      // An event to apply, whatever ran before: a consumer with nothing to do takes no lock.
      await emit(1, 'cancelled');
      await holder.query('begin');
      await holder.query(`select pg_advisory_xact_lock(hashtextextended('event_consumer:test.cancelled', 0))`);
      const step = runtime.consumer('test.cancelled').catchUp().then(
        () => 'applied',
        (error: { code?: string }) => error.code,
      );
      const waiting = await pollUntil(
        async () => (await holder.query<{ pid: number }>(`select l.pid from pg_locks l join pg_database d on d.oid = l.database
            where l.locktype = 'advisory' and not l.granted and d.datname = current_database()`)).rows[0]?.pid,
        (pid) => pid !== undefined,
      );
      await holder.query('select pg_cancel_backend($1)', [waiting]);
      expect(await step).toBe('57014'); // query_canceled: the caller is told
      await holder.query('rollback');
      expect((await sql<{ ok: number }>`select 1 as ok`.execute(runtime.db)).rows).toEqual([{ ok: 1 }]);
    } finally {
      await holder.query('rollback').catch(() => {});
      await holder.end();
      await runtime.close();
    }
  });

  it('a step that hangs says where it is, and is logged once when the reader is next woken after the threshold', async () => {
    // The runtime's log, captured: what an operator would read.
    const logged: { level: number; msg: string; consumer?: string; phase?: string; position?: number }[] = [];
    const captured = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    const runtime = new SubgraphRuntime<any>({ name: 'patients', databaseUrl: db.roleUrl('patients'), log: captured });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const handled: string[] = [];
    const stalled = () => logged.filter((l) => l.level === 50 && /consumer step has been running/.test(l.msg));
    try {
      // Two consumers of the same events hang on the same one: one with a threshold of 1 s, one
      // with the default (30 s), which must stay quiet.
      for (const [name, stallReportMs] of [['test.hanging', 1_000], ['test.hanging-patient', undefined]] as const) {
        runtime.addConsumer({
          name,
          source: 'facilities',
          topics: [TOPIC],
          stallReportMs,
          handle: async (_trx, event) => {
            if (!event.key.startsWith('hanging-')) return;
            if (event.key === 'hanging-1') await gate;
            if (name === 'test.hanging') handled.push(event.key);
          },
        });
      }
      const consumer = runtime.consumer('test.hanging');
      const patient = runtime.consumer('test.hanging-patient');
      await Promise.all([consumer.catchUp(), patient.catchUp()]); // every earlier test's events
      await runtime.start();
      // Registered after the consumers: told of a NOTIFY once their wake-ups have run.
      let heard = 0;
      runtime.notifier.on('hrg_outbox_facilities', () => (heard += 1));
      await emit(1, 'hanging');
      const hanging = await pollUntil(
        async () => consumer.drainState().steps,
        (steps) => steps.some((s) => s.phase === 'handling'),
      );
      expect((hanging ?? []).map(({ by, phase }) => ({ by, phase }))).toEqual([{ by: 'reader', phase: 'handling' }]);
      // The only event since the catch-up: the head of the outbox.
      const head = (await consumer.lag()).head;
      expect(hanging?.[0]?.position).toBe(head);
      expect(await pollUntil(async () => patient.drainState().steps.map((s) => s.phase), (phases) => phases.includes('handling'))).toEqual(['handling']);
      // Past the threshold (a condition, polled: the step is still in its handler).
      await pollUntil(async () => consumer.drainState().steps[0]?.forMs ?? 0, (ms) => ms > 1_000, { timeoutMs: 10_000 });

      // A wake-up reports the step (the notifier's 5-second round may have done so already);
      // later ones do not report it again.
      const handling = () => stalled().filter((l) => l.phase === 'handling').map(({ consumer: c, position }) => ({ consumer: c, position }));
      let before = heard;
      await emit(2, 'hanging');
      await pollUntil(async () => heard, (n) => n > before);
      expect(handling()).toEqual([{ consumer: 'test.hanging', position: head }]);
      const reported = consumer.stalls;
      before = heard;
      await emit(3, 'hanging');
      await pollUntil(async () => heard, (n) => n > before);
      expect(handling()).toEqual([{ consumer: 'test.hanging', position: head }]);
      expect(consumer.stalls).toBe(reported);
      // How long the step has run, and how long in its handler (no longer than the step).
      const line = stalled().find((l) => l.phase === 'handling') as { forMs?: number; phaseForMs?: number } | undefined;
      expect(line?.forMs).toBeGreaterThan(1_000);
      expect(line?.phaseForMs).toBeLessThanOrEqual(line?.forMs ?? -1);
      // Under its threshold: in the same state through the same wake-ups, not reported.
      expect(patient.drainState().steps.map((s) => s.phase)).toEqual(['handling']);
      expect(patient.stalls).toBe(0);

      release();
      await waitUntil(async () => (await consumer.lag()).behind === 0);
      expect(handled).toEqual(['hanging-1', 'hanging-2', 'hanging-3']);
    } finally {
      release?.();
      await runtime.close();
    }
  });

  it('a step that waits to commit says so, with its phase\'s own time and no event position', async () => {
    const runtime = new SubgraphRuntime<any>({ name: 'patients', databaseUrl: db.roleUrl('patients'), log });
    const holder = new pg.Client({ connectionString: db.roleUrl('patients'), options: '-c search_path=patients' });
    await holder.connect();
    try {
      runtime.addConsumer({ name: 'test.closing', source: 'facilities', topics: [TOPIC], handle: async () => {} });
      const consumer = runtime.consumer('test.closing');
      await consumer.catchUp(); // every earlier test's events; its position row exists from here on
      // Another session holds the consumer's row: the step's closing upsert waits for it.
      await holder.query('begin');
      await holder.query(`select 1 from event_consumer where name = 'test.closing' for update`);
      await emit(1, 'closing');
      const step = consumer.catchUp();
      const closing = await pollUntil(
        async () => consumer.drainState().steps,
        (steps) => steps.some((s) => s.phase === 'closing'),
      );
      expect((closing ?? []).map(({ by, phase, position }) => ({ by, phase, position: position ?? null }))).toEqual([{ by: 'catch-up', phase: 'closing', position: null }]);
      expect(closing?.[0]?.phaseForMs).toBeLessThanOrEqual(closing?.[0]?.forMs ?? -1);
      await holder.query('rollback');
      await step;
      expect(consumer.drainState().steps).toEqual([]);
      expect((await consumer.lag()).behind).toBe(0);
    } finally {
      await holder.query('rollback').catch(() => {});
      await holder.end();
      await runtime.close();
    }
  });

  it('hands handlers a transaction that refuses to open another one (which would commit the step halfway)', async () => {
    const runtime = new SubgraphRuntime<any>({ name: 'patients', databaseUrl: db.roleUrl('patients'), log });
    try {
      const seen: string[] = [];
      runtime.addConsumer({
        name: 'test.nested',
        source: 'facilities',
        topics: [TOPIC],
        handle: async (trx, event) => {
          if (event.key !== 'nested-1') return;
          seen.push(`isTransaction ${trx.isTransaction}`);
          for (const open of [() => trx.transaction(), () => trx.connection()]) {
            try {
              open();
              seen.push('opened');
            } catch {
              seen.push('refused');
            }
          }
        },
      });
      await emit(1, 'nested');
      await runtime.consumer('test.nested').catchUp();
      expect(seen).toEqual(['isTransaction true', 'refused', 'refused']);
    } finally {
      await runtime.close();
    }
  });
});
