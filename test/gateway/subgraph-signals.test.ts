/**
 * Every subgraph request carries an abort signal (the client's, the upstream timeout's, the
 * executor's own for shutdown). A request that has finished must take its listeners off the
 * long-lived signals: otherwise they pile up on the executor's shutdown signal between garbage
 * collections, each new listener walks the whole pile (EventTarget checks for duplicates), and
 * Node warns of a leak once an AbortSignal holds more than 10.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { getMaxListeners } from 'node:events';
import pg from 'pg';
import { gql, ok, token } from '../support/client.js';
import { pollUntil } from '../support/wait.js';

const BOARD = /* GraphQL */ `
  query Board($district: ID!) {
    facilities(first: 5, filter: { districtCode: $district }) {
      edges { node { id beds { kind available } staffOnDuty { count } } }
    }
  }`;

describe('abort signals of subgraph requests', () => {
  let db: TestDatabase;
  let stack: Stack;
  let auth: string;
  // The abort listeners each AbortSignal holds now, and the most any one has held.
  const held = new WeakMap<object, Set<unknown>>();
  let most = 0;
  /** Signals that held more than 10 abort listeners at once. */
  const crowded = new Set<AbortSignal>();
  const { addEventListener, removeEventListener } = EventTarget.prototype;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [{ id: 'CS-SIG', wardCode: '00337', beds: { GENERAL: { total: 10 } } }]);
    stack = await startStack(db);
    auth = await token('DASHBOARD');
    EventTarget.prototype.addEventListener = function (this: EventTarget, type: string, listener: unknown, options?: unknown) {
      if (this instanceof AbortSignal && type === 'abort') {
        const listeners = held.get(this) ?? new Set();
        held.set(this, listeners.add(listener));
        most = Math.max(most, listeners.size);
        if (listeners.size > 10) crowded.add(this);
      }
      return addEventListener.call(this, type, listener as EventListener, options as AddEventListenerOptions);
    };
    EventTarget.prototype.removeEventListener = function (this: EventTarget, type: string, listener: unknown, options?: unknown) {
      if (this instanceof AbortSignal && type === 'abort') held.get(this)?.delete(listener);
      return removeEventListener.call(this, type, listener as EventListener, options as EventListenerOptions);
    };
  });
  afterAll(async () => {
    Object.assign(EventTarget.prototype, { addEventListener, removeEventListener });
    await stack?.close();
    await db?.drop();
  });

  it('leaves no listener behind on a long-lived signal, request after request', async () => {
    // Each request reaches facilities and then workforce (staffOnDuty): 60 requests to each.
    for (let i = 0; i < 60; i++) {
      const data = ok(await gql(stack.gateway.url, BOARD, { district: '008' }, { token: auth }));
      expect(data.facilities.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(['CS-SIG']);
    }
    // The gateway runs in this process and its subgraph requests do listen (so the count is real);
    // one request's signals hold a listener or two each, while a pile-up of finished requests'
    // listeners on one signal would be about 60.
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(5);
  });

  it('does not warn of a leak when more than ten requests to one subgraph are in flight at once', async () => {
    most = 0;
    // 40 boards at once, all held at facilities (its table locked) until the gateway has them all
    // in flight.
    const holder = new pg.Client({ connectionString: db.adminUrl });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('lock table facilities.facility in access exclusive mode');
      const pending = Promise.all(Array.from({ length: 40 }, () => gql(stack.gateway.url, BOARD, { district: '008' }, { token: auth })));
      // The executor's shutdown signal holds one listener per request in flight: load, not a leak.
      expect(await pollUntil(async () => most, (n) => n >= 40)).toBeGreaterThanOrEqual(40);
      await holder.query('rollback');
      const answers = await pending;
      expect(answers.map((a) => ok(a).facilities.edges.length)).toEqual(Array.from({ length: 40 }, () => 1));
    } finally {
      await holder.query('rollback').catch(() => {});
      await holder.end();
    }
    // Node warns of a leak ("MaxListenersExceededWarning") when an AbortSignal gets more
    // listeners than its limit (10 unless raised): every signal that held more than 10 had it raised.
    expect(crowded.size).toBeGreaterThan(0);
    expect([...crowded].map((signal) => getMaxListeners(signal) >= 40)).toEqual([...crowded].map(() => true));
  });
});
