/**
 * A poison event (one whose handler keeps throwing) must not stall a consumer for good: after a
 * few attempts with backoff it is set aside as a dead letter, counted and logged once, the
 * events after it apply, other consumers never wait for it, and an operator replays it once the
 * handler is fixed, exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { pino } from 'pino';
import { REPO_ROOT } from '../../subgraphs/common/config.js';
import { SubgraphRuntime } from '../../subgraphs/common/runtime.js';
import { publish } from '../../subgraphs/common/events/publish.js';
import { TOPICS } from '../../subgraphs/common/events/catalog.js';
import { createLogger } from '../../subgraphs/common/log.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { withDb } from '../support/builders.js';
import { pollUntil } from '../support/wait.js';

const TOPIC = 'test.poison';

/** A real logger whose lines the test can read. */
function capturingLogger() {
  const lines: any[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines };
}

describe('poison events', () => {
  let db: TestDatabase;
  let publisher: SubgraphRuntime<any>;
  let consumer: SubgraphRuntime<any>;
  const { log, lines } = capturingLogger();
  let fixed = false;
  let attempts = 0;

  const emit = (key: string, payload: Record<string, unknown> = {}) =>
    publisher.db.transaction().execute((trx) => publish(trx, [{ topic: TOPIC, key, payload: { key, ...payload } }]));
  const applied = async (table: string) => (await sql<{ key: string }>`select key from ${sql.table(table)} order by n`.execute(consumer.db as Kysely<any>)).rows.map((r) => r.key);

  beforeAll(async () => {
    db = await createTestDatabase();
    publisher = new SubgraphRuntime<any>({ name: 'facilities', databaseUrl: db.roleUrl('facilities'), log: createLogger('test') });
    await publisher.start();
    await withDb(db, 'patients', async (k) => {
      await sql`create table picky (n bigint generated always as identity, key text not null)`.execute(k);
      await sql`create table easy (n bigint generated always as identity, key text not null)`.execute(k);
    });
    consumer = new SubgraphRuntime<any>({ name: 'patients', databaseUrl: db.roleUrl('patients'), log });
    consumer.addConsumer({
      name: 'test.picky',
      source: 'facilities',
      topics: [TOPIC],
      retry: { maxAttempts: 4, retryBaseMs: 200 },
      handle: async (trx, event) => {
        await sql`insert into picky (key) values (${event.key})`.execute(trx); // undone with the failure
        if ((event.key === 'poison' || (event.payload as { failing?: boolean }).failing) && !fixed) {
          attempts += 1;
          throw new Error('cannot handle poison');
        }
      },
    });
    consumer.addConsumer({
      name: 'test.easy',
      source: 'facilities',
      topics: [TOPIC],
      handle: async (trx, event) => void (await sql`insert into easy (key) values (${event.key})`.execute(trx)),
    });
    await consumer.start();
  });
  afterAll(async () => {
    await consumer?.close();
    await publisher?.close();
    await db?.drop();
  });

  it('sets a failing event aside after N attempts and goes on with later events', async () => {
    await emit('before');
    await emit('poison');
    await emit('after-1');
    await emit('after-2');
    // Another consumer of the same events never waits for the failing one.
    expect(await pollUntil(() => applied('easy'), (keys) => keys.length === 4, { timeoutMs: 2_000, intervalMs: 20 })).toEqual(['before', 'poison', 'after-1', 'after-2']);
    expect(attempts).toBeLessThan(4); // …while the picky one is still backing off

    expect(await pollUntil(() => applied('picky'), (keys) => keys.length === 3, { timeoutMs: 15_000 })).toEqual(['before', 'after-1', 'after-2']);
    expect(attempts).toBe(4);

    const letters = await consumer.consumer('test.picky').deadLetters();
    expect(letters).toEqual([
      expect.objectContaining({ consumer: 'test.picky', source: 'facilities', topic: TOPIC, key: 'poison', payload: { key: 'poison' }, attempts: 4, error: 'cannot handle poison', replayedAt: null }),
    ]);
    expect(await consumer.consumer('test.easy').deadLetters()).toEqual([]);

    const metrics = await consumer.metrics.metrics();
    expect(metrics).toMatch(/^hrg_patients_events_dead_lettered_total\{consumer="test\.picky"\} 1$/m);
    expect(metrics).toMatch(/^hrg_patients_event_dead_letters\{consumer="test\.picky"\} 1$/m);
    expect(metrics).toMatch(/^hrg_patients_event_dead_letters\{consumer="test\.easy"\} 0$/m);
    // The audit log's writer reports through the same registry (README: Security).
    expect(metrics).toMatch(/^hrg_patients_audit_write_failures_total 0$/m);
    expect(metrics).toMatch(/^hrg_patients_audit_entries_waiting 0$/m);
    expect(metrics).toMatch(/^hrg_patients_audit_entries_lost_total 0$/m);

    await emit('after-3'); // the consumer keeps going, and says nothing more about the dead letter
    expect(await pollUntil(() => applied('picky'), (keys) => keys.includes('after-3'))).toContain('after-3');
    const logged = lines.filter((l) => l.consumer === 'test.picky' && /dead letter/.test(l.msg));
    expect(logged).toEqual([expect.objectContaining({ level: 50, key: 'poison', attempts: 4, reason: 'cannot handle poison' })]);
  });

  it('replays a dead letter after the fix exactly once, however often it is asked', async () => {
    const [letter] = await consumer.consumer('test.picky').deadLetters();
    await expect(consumer.consumer('test.picky').replay(letter!.id)).rejects.toThrow('cannot handle poison'); // not fixed yet: nothing changes
    expect(await consumer.consumer('test.picky').deadLetters()).toHaveLength(1);

    fixed = true;
    const results = await Promise.all([consumer.consumer('test.picky').replay(letter!.id), consumer.consumer('test.picky').replay(letter!.id)]);
    expect(results.sort()).toEqual(['already-replayed', 'replayed']);
    expect(await consumer.consumer('test.picky').replay(letter!.id)).toBe('already-replayed');
    expect((await applied('picky')).filter((k) => k === 'poison')).toEqual(['poison']);
    expect(await consumer.consumer('test.picky').deadLetters()).toEqual([]);
    expect((await consumer.consumer('test.picky').deadLetters({ includeReplayed: true }))[0]!.replayedAt).toBeInstanceOf(Date);
    expect(await consumer.metrics.metrics()).toMatch(/^hrg_patients_event_dead_letters\{consumer="test\.picky"\} 0$/m);
  });

  it("does not replay an event older than one of the same record applied since, unless forced", async () => {
    fixed = false;
    // The first event of record k-stale fails and is set aside; a later one of the same record applies.
    await emit('k-stale', { failing: true, version: 1 });
    await emit('k-stale', { version: 2 });
    expect(await pollUntil(() => consumer.consumer('test.picky').deadLetters(), (letters) => letters.some((l) => l.key === 'k-stale'), { timeoutMs: 15_000 })).toEqual([
      expect.objectContaining({ key: 'k-stale', payload: { key: 'k-stale', failing: true, version: 1 } }),
    ]);
    expect(await pollUntil(() => applied('picky'), (keys) => keys.includes('k-stale'), { timeoutMs: 5_000 })).toContain('k-stale');
    fixed = true;
    const [letter] = (await consumer.consumer('test.picky').deadLetters()).filter((l) => l.key === 'k-stale');
    // Applying version 1 now would put the record back to an older state than version 2 left.
    expect(await consumer.consumer('test.picky').replay(letter!.id)).toBe('superseded');
    expect((await applied('picky')).filter((k) => k === 'k-stale')).toHaveLength(1);
    expect(await consumer.consumer('test.picky').deadLetters()).toHaveLength(1);
    // The operator who checked that the handler takes it out of order may force it.
    expect(await consumer.consumer('test.picky').replay(letter!.id, { force: true })).toBe('replayed');
    expect((await applied('picky')).filter((k) => k === 'k-stale')).toHaveLength(2);
  });

  it('replays two set-aside events of one record in order: the later one, never applied, does not supersede the first', async () => {
    fixed = false;
    await emit('k-pair', { failing: true, version: 1 });
    await emit('k-pair', { failing: true, version: 2 });
    const letters = await pollUntil(
      () => consumer.consumer('test.picky').deadLetters(),
      (all) => all.filter((l) => l.key === 'k-pair').length === 2,
      { timeoutMs: 20_000 },
    );
    fixed = true;
    const [first, second] = letters!.filter((l) => l.key === 'k-pair');
    expect(await consumer.consumer('test.picky').replay(first!.id)).toBe('replayed');
    expect(await consumer.consumer('test.picky').replay(second!.id)).toBe('replayed');
    expect((await applied('picky')).filter((k) => k === 'k-pair')).toHaveLength(2);
  });
});

describe('npm run dead-letters', () => {
  let db: TestDatabase;
  const run = (...args: string[]) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/dead-letters.ts', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: db.adminUrl, LOG_LEVEL: 'error' },
    });

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('lists dead letters of every subgraph and replays one through the subgraph’s own consumer, once', async () => {
    // What facilities' patient projection writes when it gives up on an event.
    const payload = { patientId: 'P-DL-1', wardCode: '00337', districtCode: '008', tier: 'F0', status: 'UNDER_TREATMENT', careSetting: 'HOME', confirmedAt: '2026-11-01T00:00:00Z', at: '2026-11-01T00:00:00Z' };
    const id = await withDb(db, 'facilities', async (k) =>
      Number(
        (
          await sql<{ id: string }>`
            insert into dead_letter (consumer, source, event_id, position, topic, key, payload, event_at, error, attempts)
            values ('facilities.patient-projection', 'patients', 41, 41, ${TOPICS.patientRegistered}, 'P-DL-1', ${JSON.stringify(payload)}::jsonb, now(), 'boom', 5)
            returning id`.execute(k)
        ).rows[0]!.id,
      ),
    );
    const listed = await run('list');
    expect(listed.stdout).toContain(`facilities:${id}  facilities.patient-projection  patients event 41`);
    expect(listed.stdout).toContain('boom');

    expect((await run('replay', `facilities:${id}`)).stdout).toContain('replayed');
    expect((await run('replay', `facilities:${id}`)).stdout).toContain('already-replayed, nothing applied');
    const known = await withDb(db, 'facilities', async (k) => (await sql<{ id: string; status: string }>`select id, status from known_patient where id = 'P-DL-1'`.execute(k)).rows);
    expect(known).toEqual([{ id: 'P-DL-1', status: 'UNDER_TREATMENT' }]);
    expect((await run('list')).stdout).toContain('no dead letters waiting for replay');
    expect((await run('list', '--all')).stdout).toContain(`facilities:${id}`);
    await expect(run('replay', 'nowhere:1')).rejects.toMatchObject({ code: 2 });
  }, 120_000);

});
