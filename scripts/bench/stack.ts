/**
 * The benchmarked services as real processes, the way they run in production: four subgraphs,
 * our gateway and (optionally) @apollo/gateway on the same supergraph and the same subgraphs.
 * Ports start at a base far from `npm start`'s so that both can run at once.
 */
import type { ChildProcess } from 'node:child_process';
import { spawnEntry, stopProcess } from '../processes.js';
import fs from 'node:fs';
import path from 'node:path';
import { SUBGRAPH_NAMES, loadConfig, type QueryPlanner, type SubgraphName } from '../../subgraphs/common/config.js';

/**
 * The services run as in production (NODE_ENV=production: graphql-js without its development
 * checks, no GraphiQL, no introspection), which needs real secrets: these are the bench's own.
 */
export const BENCH_ENV = {
  NODE_ENV: 'production',
  JWT_SECRET: 'bench-only-jwt-secret-not-for-any-deployment-0001',
  HRG_INTERNAL_SECRET: 'bench-only-internal-secret-not-for-any-deployment-01',
} as const;

/** USER_HZ of Linux's /proc/<pid>/stat times: 100 on every common architecture. */
const CLOCK_TICKS_PER_SECOND = 100;

/** A process of the stack: `other-planner` is the second gateway of `bothPlanners`. */
export type BenchService = SubgraphName | 'gateway' | 'other-planner' | 'apollo';

/**
 * CPU time the whole machine has spent busy since it booted, in ms, over all cores (Linux
 * /proc/stat: every state but idle, iowait and steal, which is time the hypervisor gave to other
 * machines; guest time is already counted in user).
 */
export function machineBusyMs(): number {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  const [user, nice, system, , , irq, softirq] = line.trim().split(/\s+/).slice(1).map(Number);
  return ((user! + nice! + system! + irq! + softirq!) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/**
 * A process's /proc/<pid>/stat: its command, and the fields after the command's closing
 * parenthesis (state is [0], ppid [1]); undefined once it is gone.
 */
function procStat(pid: number | string): { comm: string; fields: string[] } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    return { comm: stat.slice(stat.indexOf('(') + 1, close), fields: stat.slice(close + 2).split(' ') };
  } catch {
    return undefined;
  }
}

const ticksToMs = (ticks: number) => (ticks * 1000) / CLOCK_TICKS_PER_SECOND;

/** CPU time (user + system) of one process, in ms; 0 once it is gone. */
function processCpuMs(pid: number): number {
  const fields = procStat(pid)?.fields;
  // utime and stime are the 12th and 13th fields after the command.
  return fields ? ticksToMs(Number(fields[11]) + Number(fields[12])) : 0;
}

/**
 * CPU time of a PostgreSQL server, in ms: its postmaster's own and its waited-for children's
 * (backends, parallel and autovacuum workers that have exited), plus its live children's. Without
 * a postmaster's pid (a server from DATABASE_URL, whose pid the bench does not know), every
 * `postgres` process on the machine counts, other servers' included.
 */
function postgresCpuMs(postmasterPid?: number): number {
  let total = 0;
  if (postmasterPid !== undefined) {
    const own = procStat(postmasterPid)?.fields;
    // utime, stime, cutime, cstime: the 12th to 15th fields after the command.
    if (own) total += ticksToMs(Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]));
  }
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === postmasterPid) continue;
    const stat = procStat(entry);
    if (!stat) continue; // ended meanwhile
    const counts = postmasterPid !== undefined ? Number(stat.fields[1]) === postmasterPid : stat.comm === 'postgres';
    if (counts) total += ticksToMs(Number(stat.fields[11]) + Number(stat.fields[12]));
  }
  return total;
}

/** The pid of an embedded server's postmaster: the first line of `postmaster.pid` in its data folder. */
export function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n', 1)[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export interface BenchStack {
  gatewayUrl: string;
  /** Our gateway with each query planner, when the stack was started with both. */
  plannerUrls?: Record<QueryPlanner, string>;
  apolloUrl?: string;
  subgraphUrls: Record<SubgraphName, string>;
  /** Resident memory of a service process in bytes (Linux /proc). */
  rss(service: BenchService): number;
  /** CPU time (user + system) a service process has used since it started, in ms (Linux /proc). */
  cpuMs(service: BenchService): number;
  /** CPU time the database server has used, in ms (see postgresCpuMs). */
  postgresCpuMs(): number;
  stop(): Promise<void>;
}

export interface BenchStackOptions {
  adminUrl: string;
  basePort?: number;
  apollo?: boolean;
  /** A second gateway process, so that the two query planners run side by side. */
  bothPlanners?: boolean;
  /** `node --cpu-prof` into `dir` for these services; the profiles are written when the stack stops. */
  profile?: { dir: string; services: readonly (SubgraphName | 'gateway')[] };
  /** The embedded server's postmaster, so that only its processes count as PostgreSQL's CPU. */
  postgresPid?: number;
  /** Extra environment for every service (a variant under test, such as HRG_QUERY_PLANNER). */
  env?: NodeJS.ProcessEnv;
  progress?: (line: string) => void;
}

export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const base = options.basePort ?? 4100;
  const ports = { gateway: base, facilities: base + 1, patients: base + 2, workforce: base + 3, vaccination: base + 4, apollo: base + 5, other: base + 6 };
  const subgraphUrls = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, `http://127.0.0.1:${ports[n]}/graphql`])) as Record<SubgraphName, string>;
  const gatewayUrl = `http://127.0.0.1:${ports.gateway}/graphql`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_OPTIONS: '',
    ...BENCH_ENV,
    LOG_LEVEL: 'warn',
    DATABASE_URL: options.adminUrl,
    HOST: '127.0.0.1',
    PORT: String(ports.gateway),
    GATEWAY_URL: gatewayUrl,
    // The load comes from one client: the per-client limit (100/s by default) would measure itself.
    HRG_RATE_LIMIT: '100000000',
    ...Object.fromEntries(SUBGRAPH_NAMES.map((n) => [`${n.toUpperCase()}_PORT`, String(ports[n])])),
    ...options.env,
  };
  const planner = loadConfig(env).queryPlanner;
  const otherPlanner: QueryPlanner = planner === 'js' ? 'rust' : 'js';
  const children = new Map<string, ChildProcess>();
  const stderr = new Map<string, string[]>();
  const run = (name: string, entry: string, args: string[] = [], extraEnv: NodeJS.ProcessEnv = {}) => {
    const profiled = options.profile?.services.includes(name as SubgraphName | 'gateway');
    // One folder per service: tsx's module-loader thread writes a profile of its own there too.
    const nodeArgs = profiled ? ['--cpu-prof', `--cpu-prof-dir=${path.join(options.profile!.dir, name)}`] : [];
    const child = spawnEntry(entry, { args, nodeArgs, env: { ...env, ...extraEnv }, stdio: ['ignore', 'ignore', 'pipe'] });
    const lines: string[] = [];
    stderr.set(name, lines);
    child.stderr!.on('data', (chunk: Buffer) => {
      lines.push(chunk.toString());
      if (lines.length > 50) lines.shift();
    });
    children.set(name, child);
  };

  const stop = async () => {
    await Promise.all([...children.values()].map((child) => stopProcess(child, 5_000)));
  };

  const waitReady = async (name: string, url: string) => {
    const deadline = Date.now() + 180_000; // a loaded machine starts tsx slowly
    for (;;) {
      const child = children.get(name)!;
      if (child.exitCode !== null) throw new Error(`${name} exited during start:\n${stderr.get(name)!.join('')}`);
      if (await fetch(url).then((r) => r.ok, () => false)) return;
      if (Date.now() > deadline) throw new Error(`${name} not ready within 180 s:\n${stderr.get(name)!.join('')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  try {
    options.progress?.('starting four subgraphs…');
    for (const name of SUBGRAPH_NAMES) run(name, `subgraphs/${name}/main.ts`);
    await Promise.all(SUBGRAPH_NAMES.map((n) => waitReady(n, `http://127.0.0.1:${ports[n]}/readyz`)));
    options.progress?.(options.apollo ? 'starting our gateway and @apollo/gateway…' : 'starting the gateway…');
    run('gateway', 'gateway/main.ts');
    if (options.apollo) run('apollo', 'scripts/bench/apollo-gateway.ts', ['--port', String(ports.apollo)]);
    if (options.bothPlanners) run('other-planner', 'gateway/main.ts', [], { PORT: String(ports.other), HRG_QUERY_PLANNER: otherPlanner });
    await waitReady('gateway', `http://127.0.0.1:${ports.gateway}/readyz`);
    if (options.bothPlanners) await waitReady('other-planner', `http://127.0.0.1:${ports.other}/readyz`);
    if (options.apollo) await waitReady('apollo', `http://127.0.0.1:${ports.apollo}/healthz`);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    gatewayUrl,
    plannerUrls: options.bothPlanners
      ? ({ [planner]: gatewayUrl, [otherPlanner]: `http://127.0.0.1:${ports.other}/graphql` } as Record<QueryPlanner, string>)
      : undefined,
    apolloUrl: options.apollo ? `http://127.0.0.1:${ports.apollo}/graphql` : undefined,
    subgraphUrls,
    rss(service) {
      const pid = children.get(service)?.pid;
      if (!pid) return 0;
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return kb * 1024;
    },
    cpuMs(service) {
      const pid = children.get(service)?.pid;
      return pid ? processCpuMs(pid) : 0;
    },
    postgresCpuMs: () => postgresCpuMs(options.postgresPid),
    stop,
  };
}
