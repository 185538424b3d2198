/**
 * How far each event consumer is behind, where an operator looks: gauges in the subgraph's
 * /metrics and details in its /readyz, per consumer.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startSubgraphs } from '../support/stack.js';
import type { RunningSubgraph } from '../../subgraphs/common/service.js';
import { PATIENT_PROJECTION } from '../../subgraphs/facilities/events/consumers.js';
import { pollUntil } from '../support/wait.js';
import { scrapeMetrics } from '../support/client.js';
import { metricValue } from '../support/metrics.js';

describe('event consumer lag', () => {
  let db: TestDatabase;
  let facilities: RunningSubgraph;
  let blocker: pg.Client;

  const base = () => facilities.url.replace(/\/graphql$/, '');
  const gauge = async (name: string) => metricValue(await scrapeMetrics(facilities.url), name, { consumer: PATIENT_PROJECTION });
  const readyz = async () => {
    const res = await fetch(`${base()}/readyz`);
    return { status: res.status, body: (await res.json()) as { status: string; consumers: any[] } };
  };
  const publishPatientsEvents = async (n: number) => {
    const patients = new pg.Client({ connectionString: db.roleUrl('patients'), options: '-c search_path=patients' });
    await patients.connect();
    try {
      for (let i = 0; i < n; i++) await patients.query(`insert into outbox (topic, key, payload) values ('test.not-for-facilities', $1, '{}')`, [`k-${i}`]);
      await patients.query(`select pg_notify('hrg_outbox_patients', '')`);
    } finally {
      await patients.end();
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ facilities } = await startSubgraphs(db, ['facilities']));
    blocker = new pg.Client({ connectionString: db.adminUrl });
    await blocker.connect();
  });
  afterAll(async () => {
    await blocker?.end();
    await facilities?.close();
    await db?.drop();
  });

  it('reports events behind the head and the age of the oldest unapplied one, and 0 once caught up', async () => {
    expect(await pollUntil(() => gauge('hrg_facilities_event_consumer_lag_events'), (n) => n === 0)).toBe(0);
    expect(await gauge('hrg_facilities_event_consumer_lag_seconds')).toBe(0);

    // Keep the consumer from applying anything: it takes this lock for every batch.
    await blocker.query(`select pg_advisory_lock(hashtextextended($1, 0))`, [`event_consumer:${PATIENT_PROJECTION}`]);
    try {
      await publishPatientsEvents(3);
      expect(await pollUntil(() => gauge('hrg_facilities_event_consumer_lag_events'), (n) => n === 3)).toBe(3);
      expect(await pollUntil(() => gauge('hrg_facilities_event_consumer_lag_seconds'), (s) => s! > 0)).toBeGreaterThan(0);
      const { status, body } = await readyz();
      expect(status).toBe(200);
      expect(body.status).toBe('ready');
      expect(body.consumers).toEqual([
        expect.objectContaining({ consumer: PATIENT_PROJECTION, source: 'patients', behind: 3, failedAttempts: 0, deadLetters: 0 }),
      ]);
      const [lag] = body.consumers;
      expect(lag.head - lag.position).toBe(3);
      expect(lag.oldestUnappliedSeconds).toBeGreaterThan(0);
    } finally {
      await blocker.query(`select pg_advisory_unlock_all()`);
    }

    expect(await pollUntil(() => gauge('hrg_facilities_event_consumer_lag_events'), (n) => n === 0)).toBe(0);
    expect(await gauge('hrg_facilities_event_consumer_lag_seconds')).toBe(0);
    expect((await readyz()).body.consumers[0]).toMatchObject({ behind: 0, oldestUnappliedSeconds: 0 });
  });
});
