/** Waiting in tests: a free port, and polling for a state the system reaches asynchronously. */
import net from 'node:net';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A port where nothing listens, for "the other side is down": connections to it are refused. Not
 * a port found free (`freePort`): another test file's server may take that one meanwhile, and the
 * test would then talk to it. No test server binds port 1 (every one asks for port 0, which the
 * kernel picks above 1024).
 */
export const REFUSED_PORT = 1;

/** A port free now, for a server to take at once; another file's server may take it meanwhile. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * Calls `probe` until `done(value)` holds or the time is up, and returns the last value, so that
 * the caller's assertion shows what was seen. A probe that throws counts as not done yet.
 */
export async function pollUntil<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 10_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let value: T | undefined;
    try {
      value = await probe();
      if (done(value)) return value;
    } catch {
      value = undefined;
    }
    if (Date.now() >= deadline) return value;
    await sleep(intervalMs);
  }
}

/** Waits until `check` holds, and fails the test when it does not in time. */
export async function waitUntil(check: () => boolean | Promise<boolean>, options: { timeoutMs?: number; intervalMs?: number } = {}): Promise<void> {
  if (!(await pollUntil(async () => check(), (met) => met, options))) throw new Error(`condition not met within ${options.timeoutMs ?? 10_000} ms: ${check}`);
}
