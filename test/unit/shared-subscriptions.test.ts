/** Sharing one execution among identical subscribers; slow subscribers are bounded and dropped. */
import { describe, expect, it } from '@jest/globals';
import { SharedSubscriptions, TOO_SLOW, subscriptionKey, viewerScope } from '../../gateway/shared-subscriptions.js';
import { GatewayMetrics } from '../../gateway/metrics.js';
import { metricValue } from '../support/metrics.js';

/** A source we can push into, counting how often it was started and ended. */
function source() {
  const pending: ((v: IteratorResult<any>) => void)[] = [];
  const buffered: any[] = [];
  const state = { started: 0, returned: 0 };
  const start = () => {
    state.started += 1;
    const iterator: AsyncIterableIterator<any> = {
      next: () => (buffered.length ? Promise.resolve({ value: buffered.shift(), done: false }) : new Promise((r) => pending.push(r))),
      return: async () => {
        state.returned += 1;
        for (const r of pending.splice(0)) r({ value: undefined, done: true });
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  };
  const emit = (value: any) => {
    const waiter = pending.shift();
    if (waiter) waiter({ value, done: false });
    else buffered.push(value);
  };
  return { start, emit, state };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('SharedSubscriptions', () => {
  it('starts one execution for identical subscribers and ends it with the last one', async () => {
    const shared = new SharedSubscriptions();
    const s = source();
    const a = (await shared.subscribe('k', s.start)) as AsyncIterableIterator<any>;
    const b = (await shared.subscribe('k', s.start)) as AsyncIterableIterator<any>;
    expect(s.state.started).toBe(1);
    expect(shared.stats).toMatchObject({ shared: 1, subscribers: 2 });
    s.emit({ data: 1 });
    expect(await a.next()).toEqual({ value: { data: 1 }, done: false });
    expect(await b.next()).toEqual({ value: { data: 1 }, done: false });
    await a.return!();
    expect(s.state.returned).toBe(0);
    await b.return!();
    await tick();
    expect(s.state.returned).toBe(1);
    expect(shared.stats).toMatchObject({ shared: 0, subscribers: 0 });
  });

  it('keeps different keys apart', async () => {
    const shared = new SharedSubscriptions();
    const s = source();
    await shared.subscribe('k1', s.start);
    await shared.subscribe('k2', s.start);
    expect(s.state.started).toBe(2);
  });

  it('hands a single result (an error) to every waiting subscriber and keeps nothing', async () => {
    const shared = new SharedSubscriptions();
    const failure = { errors: [{ message: 'Not authorized' }] };
    const results = await Promise.all([shared.subscribe('k', () => failure as any), shared.subscribe('k', () => failure as any)]);
    expect(results).toEqual([failure, failure]);
    await tick();
    expect(shared.stats.shared).toBe(0);
  });

  it('drops a subscriber that falls behind without holding back the others', async () => {
    const shared = new SharedSubscriptions(5);
    const s = source();
    const slow = (await shared.subscribe('k', s.start)) as AsyncIterableIterator<any>;
    const fast = (await shared.subscribe('k', s.start)) as AsyncIterableIterator<any>;
    const received: number[] = [];
    const reading = (async () => {
      for await (const event of fast) {
        received.push(event.data);
        if (event.data === 20) break;
      }
    })();
    for (let i = 1; i <= 20; i++) {
      s.emit({ data: i });
      await tick();
    }
    await reading;
    expect(received).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // The slow one never read: it gets the too-slow error and ends, its backlog released.
    expect(await slow.next()).toEqual({ value: TOO_SLOW, done: false });
    expect(await slow.next()).toEqual({ value: undefined, done: true });
    expect(shared.stats.dropped).toBe(1);
  });

  it('writes results directly to subscribers with a delivery, serialising each result once, and drops one whose backlog is full', async () => {
    const shared = new SharedSubscriptions(3);
    const s = source();
    // A delivery records what it was asked to write; `stalled` pretends its socket never drains.
    const delivery = (stalled: boolean) => {
      const written: string[] = [];
      return { written, write: (json: string) => (written.push(json), true), get backlog() { return stalled ? written.length : 0; } };
    };
    const fast = delivery(false);
    const slow = delivery(true);
    const fastIterator = (await shared.subscribe('k', s.start, fast)) as AsyncIterableIterator<any>;
    const slowIterator = (await shared.subscribe('k', s.start, slow)) as AsyncIterableIterator<any>;
    for (let i = 1; i <= 6; i++) {
      s.emit({ data: { n: i }, errors: i === 6 ? [{ toJSON: () => ({ message: 'partial' }) }] : undefined });
      await tick();
    }
    expect(fast.written).toEqual([1, 2, 3, 4, 5].map((n) => JSON.stringify({ data: { n } })).concat(JSON.stringify({ data: { n: 6 }, errors: [{ message: 'partial' }] })));
    // Three written and never drained: the fourth result finds the backlog full.
    expect(slow.written.slice(0, 3)).toEqual(fast.written.slice(0, 3));
    expect(slow.written.slice(3).map((json) => JSON.parse(json))).toEqual([JSON.parse(JSON.stringify(TOO_SLOW))]);
    expect(await slowIterator.next()).toEqual({ value: undefined, done: true });
    expect(shared.stats).toMatchObject({ dropped: 1, subscribers: 1, serialised: 7, sent: 10 });
    // Nothing went through the iterator of the subscriber still listening.
    const pending = fastIterator.next();
    expect(await Promise.race([pending, new Promise((r) => setImmediate(() => r('nothing yet')))])).toBe('nothing yet');
    await fastIterator.return!();
    expect(await pending).toEqual({ value: undefined, done: true });
  });

  it('reports subscriber queue depth on the gateway’s /metrics: all queued results and the deepest queue', async () => {
    const shared = new SharedSubscriptions(10);
    const metrics = new GatewayMetrics();
    metrics.observeSharedSubscriptions(() => shared.stats);
    const gauge = async (name: string) => metricValue(await metrics.text(), name);
    const s = source();
    const s2 = source();
    const behind = (await shared.subscribe('k', s.start)) as AsyncIterableIterator<any>;
    const keepingUp = (await shared.subscribe('k', s.start)) as AsyncIterableIterator<any>;
    const other = (await shared.subscribe('k2', s2.start)) as AsyncIterableIterator<any>;
    expect(await gauge('hrg_gateway_subscriber_queue_depth')).toBe(0);

    const reading = (async () => {
      for await (const event of keepingUp) if (event.data === 3) break;
    })();
    for (let i = 1; i <= 3; i++) {
      s.emit({ data: i });
      await tick();
    }
    s2.emit({ data: 'x' });
    await tick();
    await reading;
    expect(shared.stats).toMatchObject({ queued: 4, maxQueued: 3 });
    expect(await gauge('hrg_gateway_subscriber_queue_depth')).toBe(4);
    expect(await gauge('hrg_gateway_subscriber_queue_depth_max')).toBe(3);

    await behind.next();
    expect(await gauge('hrg_gateway_subscriber_queue_depth')).toBe(3);
    await behind.return!();
    await other.return!();
    expect(await gauge('hrg_gateway_subscriber_queue_depth')).toBe(0);
    expect(await gauge('hrg_gateway_subscriber_queue_depth_max')).toBe(0);
  });

  it('scopes by role and jurisdiction, and by subject for roles that may see personal data', () => {
    const query = { query: 'subscription { x }', variables: { a: 1 } };
    const key = (viewer: any) => subscriptionKey(viewerScope(viewer), query);
    expect(key({ subject: 'a', role: 'DASHBOARD' })).toBe(key({ subject: 'b', role: 'DASHBOARD' }));
    expect(key({ subject: 'a', role: 'DASHBOARD' })).not.toBe(key({ subject: 'a', role: 'PARTNER' }));
    expect(key({ subject: 'a', role: 'WARD_OFFICER', wardCode: '00337' })).not.toBe(key({ subject: 'b', role: 'WARD_OFFICER', wardCode: '00337' }));
    expect(key({ subject: 'a', role: 'DISTRICT_OFFICER', districtCode: '008' })).not.toBe(key({ subject: 'a', role: 'DISTRICT_OFFICER', districtCode: '009' }));
    expect(subscriptionKey('s', { query: 'q', variables: { a: 1 } })).not.toBe(subscriptionKey('s', { query: 'q', variables: { a: 2 } }));
    // Trusted documents come by id with an empty query: two ids are two documents.
    expect(subscriptionKey('s', { query: '', documentId: 'sha256:a' })).not.toBe(subscriptionKey('s', { query: '', documentId: 'sha256:b' }));
  });
});
