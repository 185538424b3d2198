/**
 * A subgraph in a process of its own, for tests that stop, hang or kill it. It listens on the
 * port it is given, or on one the kernel picks (0), and the port is taken from the process's own
 * "listening" log line: a port chosen free beforehand could be taken by another test file's server
 * before the process listens, and the test would then talk to that server (it happened with three
 * Jest workers: the gateway sent vaccination's fields to another file's subgraph).
 */
import type { ChildProcess } from 'node:child_process';
import { spawnEntry } from '../../scripts/processes.js';
import type { SubgraphName } from '../../subgraphs/common/config.js';

export interface SubgraphProcess {
  child: ChildProcess;
  /** Its GraphQL endpoint. */
  url: string;
  port: number;
}

/** Until `origin` answers /readyz as subgraph `name`. */
async function readyAs(origin: string, name: SubgraphName): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const response = await fetch(`${origin}/readyz`);
      const body = (await response.json()) as { service?: string };
      if (body.service !== undefined && body.service !== name) throw new Error(`${origin} is the ${body.service} subgraph, not ${name}`);
      if (response.ok) return;
    } catch (error) {
      if ((error as Error).message.includes(' subgraph, not ')) throw error;
    }
    if (Date.now() > deadline) throw new Error(`the ${name} process at ${origin} was not ready within 30 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function spawnSubgraphProcess(name: SubgraphName, adminUrl: string, port = 0): Promise<SubgraphProcess> {
  const child = spawnEntry(`subgraphs/${name}/main.ts`, {
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', DATABASE_URL: adminUrl, [`${name.toUpperCase()}_PORT`]: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => fail(new Error(`the ${name} process did not listen within 30 s`)), 30_000);
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf('\n')) !== -1) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        let entry: { msg?: string; url?: string };
        try {
          entry = JSON.parse(line);
        } catch {
          continue;
        }
        if (entry.msg === `${name} subgraph listening` && entry.url) {
          done();
          const url = new URL(entry.url);
          // Its log is not read any further; keep the pipe drained so that it never blocks.
          child.stdout!.resume();
          void readyAs(url.origin, name).then(
            () => resolve({ child, url: `${url.origin}/graphql`, port: Number(url.port) }),
            (error: Error) => fail(error),
          );
        }
      }
    };
    const onExit = (code: number | null, signal: string | null) => fail(new Error(`the ${name} process exited before it listened (${signal ?? `code ${code}`})`));
    const done = () => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
    };
    const fail = (error: Error) => {
      done();
      child.kill('SIGKILL');
      reject(error);
    };
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
}
