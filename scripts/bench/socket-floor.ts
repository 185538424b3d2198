/**
 * The floor of the fan-out benchmark on this machine: the same number of subscriber sockets, the
 * same client code and the same event payload as the LiveBeds fan-out, served by a process that
 * only writes each event to every socket the gateway's way (socket-floor-server.ts). Each event is
 * sent once the one before it has reached every subscriber, so no event waits behind another:
 * its p99 is the least time one event can take to reach the 99th percentile of its subscribers
 * here, before any commit, GraphQL execution or subgraph has been paid for.
 */
import type { ChildProcess } from 'node:child_process';
import { spawnEntry, stopProcess } from '../processes.js';
import { leanSubscribe, type LeanSubscription } from './ws-subscriber.js';

export interface SocketFloor {
  /** Write → client delay of every delivery, ms, sorted. */
  delays: number[];
  /** CPU of the writing process and of this process (the clients) over the events, ms. */
  serverCpuMs: number;
  clientCpuMs: number;
  /** From the first event's send to the last delivery, ms. */
  wallMs: number;
  /** Deliveries that did not arrive (a failed subscription's included), and subscriptions that failed. */
  lost: number;
  /** Deliveries of an event a subscriber already had. */
  duplicated: number;
}

type FromServer = { port?: number; written?: number; cpuMs?: number };
type FloorPayload = { data: { bedOccupancyChanged: Record<string, unknown> } };

/**
 * `payload` is one real event's `next` payload; each event sent is a copy with `at` set to the
 * moment it is sent and `floorEvent` to its number (the subscribers count arrivals per event).
 */
export async function socketFloor(options: { subscribers: number; events: number; payload: FloorPayload; progress: (line: string) => void }): Promise<SocketFloor> {
  const { subscribers: n, events, payload, progress } = options;
  const child = spawnEntry('scripts/bench/socket-floor-server.ts', { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  // A failed spawn or a send to a process that is gone: nextMessage reports it.
  child.on('error', (error) => stderr.push(`${error.message}\n`));
  const subscriptions: LeanSubscription[] = [];
  try {
    const port = (await nextMessage(child, (m) => m.port !== undefined, stderr)).port!;
    const received = new Array<number>(n).fill(0);
    const arrivals = new Map<number, number>();
    const delays: number[] = [];
    const failed = new Set<number>();
    progress(`fan-out floor: opening ${n} sockets to a process that only writes…`);
    for (let i = 0; i < n; i++) {
      const index = i;
      subscriptions.push(
        await leanSubscribe({
          url: `ws://127.0.0.1:${port}`,
          connectionParams: {},
          query: 'subscription { bedOccupancyChanged { at } }',
          onNext: (result) => {
            const event = (result.data as { bedOccupancyChanged?: { at?: string; floorEvent?: number } } | undefined)?.bedOccupancyChanged;
            if (!event?.at || event.floorEvent === undefined) return;
            delays.push(Date.now() - Date.parse(event.at));
            received[index]! += 1;
            arrivals.set(event.floorEvent, (arrivals.get(event.floorEvent) ?? 0) + 1);
          },
          onError: () => {
            failed.add(index);
          },
        }),
      );
    }
    let sent = 0;
    const send = async (): Promise<FromServer & { event: number }> => {
      const event = sent++;
      const json = JSON.stringify({ ...payload, data: { ...payload.data, bedOccupancyChanged: { ...payload.data.bedOccupancyChanged, at: new Date().toISOString(), floorEvent: event } } });
      const reply = nextMessage(child, (m) => m.written !== undefined, stderr);
      child.send({ send: json });
      return { ...(await reply), event };
    };
    // Until `count` subscribers have the event, or every one that has not has failed.
    const arrived = async (event: number, count: number) => {
      const deadline = Date.now() + 30_000 + n * 6;
      while ((arrivals.get(event) ?? 0) < count - failed.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    };
    // A first event until every subscription has reached the server (its `subscribe` may still be on the way).
    let serverBefore = 0;
    for (let attempt = 0; ; attempt++) {
      const { written, cpuMs, event } = await send();
      await arrived(event, written!);
      delays.splice(0);
      received.fill(0);
      serverBefore = cpuMs!;
      if (written === n) break;
      if (attempt > 100) throw new Error(`the floor's server has ${written} of ${n} subscriptions`);
      await new Promise((r) => setTimeout(r, 100));
    }
    progress(`fan-out floor: ${events} events to ${n} subscribers, each once the one before it arrived everywhere…`);
    const clientBefore = process.cpuUsage();
    const started = performance.now();
    let serverAfter = serverBefore;
    for (let k = 1; k <= events; k++) {
      const { cpuMs, event } = await send();
      serverAfter = cpuMs!;
      await arrived(event, n);
    }
    const wallMs = performance.now() - started;
    const client = process.cpuUsage(clientBefore);
    return {
      wallMs,
      delays: delays.sort((a, b) => a - b),
      serverCpuMs: serverAfter - serverBefore,
      clientCpuMs: (client.user + client.system) / 1000,
      lost: received.reduce((s, c) => s + Math.max(0, events - c), 0) + failed.size,
      duplicated: received.reduce((s, c) => s + Math.max(0, c - events), 0),
    };
  } finally {
    await Promise.all(subscriptions.map((s) => s.close().catch(() => {})));
    if (child.connected) child.disconnect();
    await stopProcess(child, 5_000);
  }
}

/** The child's next message that `wanted` accepts; rejects at once when the child is gone, or when it goes. */
function nextMessage(child: ChildProcess, wanted: (m: FromServer) => boolean, stderr: string[]): Promise<FromServer> {
  return new Promise((resolve, reject) => {
    const gone = () => new Error(`the fan-out floor's server exited:\n${stderr.join('')}`);
    if (child.exitCode !== null || child.signalCode !== null || !child.connected) return reject(gone());
    const onMessage = (m: FromServer) => {
      if (!wanted(m)) return;
      cleanup();
      resolve(m);
    };
    const onExit = () => {
      cleanup();
      reject(gone());
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
      child.off('disconnect', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
    child.on('disconnect', onExit);
  });
}
