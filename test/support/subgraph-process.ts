/**
 * A subgraph in a process of its own, for tests that stop, hang or kill it. It listens on the
 * port it is given, or on one the kernel picks (0), and the port is taken from the process's own
 * "listening" log line: a port chosen free beforehand could be taken by another test file's server
 * before the process listens, and the test would then talk to that server (it happened with three
 * Jest workers: the gateway sent vaccination's fields to another file's subgraph).
 */
import type { ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { spawnEntry } from '../../scripts/processes.js';
import type { SubgraphName } from '../../subgraphs/common/config.js';
import { pollUntil } from './wait.js';

export interface SubgraphProcess {
  child: ChildProcess;
  /** Its GraphQL endpoint. */
  url: string;
  port: number;
}

/** The URL the process says it listens on (its log line), or a rejection when it exits or stays silent for 30 s. */
function listeningUrl(child: ChildProcess, name: SubgraphName): Promise<URL> {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    const timer = setTimeout(() => finish(new Error(`the ${name} process did not listen within 30 s`)), 30_000);
    const onExit = (code: number | null, signal: string | null) => finish(new Error(`the ${name} process exited before it listened (${signal ?? `code ${code}`})`));
    const finish = (error: Error | undefined, url?: URL) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      lines.close();
      // Its log is not read any further; keep the pipe drained so that it never blocks.
      child.stdout!.resume();
      if (error) reject(error);
      else resolve(url!);
    };
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === `${name} subgraph listening` && entry.url) finish(undefined, new URL(entry.url));
      } catch {
        // not a log entry
      }
    });
    child.once('exit', onExit);
  });
}

export async function spawnSubgraphProcess(name: SubgraphName, adminUrl: string, port = 0): Promise<SubgraphProcess> {
  const child = spawnEntry(`subgraphs/${name}/main.ts`, {
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', DATABASE_URL: adminUrl, [`${name.toUpperCase()}_PORT`]: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const { origin, port: listening } = await listeningUrl(child, name);
    // Ready, and this subgraph: an answer from any other one means the port is someone else's.
    const ready = await pollUntil(
      async () => {
        const response = await fetch(`${origin}/readyz`);
        return { ok: response.ok, service: ((await response.json()) as { service?: string }).service };
      },
      (r) => (r.ok && r.service === name) || (r.service !== undefined && r.service !== name),
      { timeoutMs: 30_000 },
    );
    if (ready?.service !== name) throw new Error(`${origin} is ${ready ? `the ${ready.service} subgraph, not ${name}` : `not ready within 30 s`}`);
    if (!ready.ok) throw new Error(`the ${name} process at ${origin} was not ready within 30 s`);
    return { child, url: `${origin}/graphql`, port: Number(listening) };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}
