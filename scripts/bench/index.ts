/**
 * Benchmarks, side by side on one machine, printed as Markdown tables and written to the README.
 *
 *   npm run bench                        all five scenarios at full size (about 10 minutes)
 *   npm run bench -- --only gateway,ladder
 *   npm run bench -- --tiny --no-readme  every scenario at a tiny size (what the smoke test runs)
 *   npm run bench -- --profile capacity|board|city [--connections 1] [--seconds 10] [--scale small|city]
 *                                        one scenario under node --cpu-prof, top frames by package
 *   npm run bench -- --profile fanout [--subscribers 10000] | --profile contention
 *   npm run bench -- --only fanout --subscribers 10000
 *   npm run bench -- --database hrg_mine  databases hrg_mine and hrg_mine_city instead of hrg_bench…
 *
 * Scenarios: gateway (ours vs @apollo/gateway), ladder (raw SQL / subgraph / gateway), fanout
 * (graphql-ws subscribers), contention (admissions into few facilities), city (--scale city).
 * Services run as separate processes on ports 4100-4105; PostgreSQL is the embedded one (or
 * DATABASE_URL's server) with databases hrg_bench and hrg_bench_city (`--database` names others),
 * re-seeded for each run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, loadConfig, type Config } from '../../subgraphs/common/config.js';
import { startPostgres } from '../../subgraphs/common/db/postgres.js';
import { benchDatabaseName, prepare, withDatabase } from './databases.js';
import { PROFILES, runProfile, type ProfileName } from './profile.js';
import { BENCH_ENV, postmasterPid, startBenchStack, type BenchStack } from './stack.js';
import {
  SIZES,
  busiestDistrict,
  cityScale,
  gatewayVersusApollo,
  overheadLadder,
  subscriptionFanOut,
  writesUnderContention,
  type BenchContext,
  type ScenarioResult,
  type Size,
} from './scenarios.js';

export const SCENARIOS = ['gateway', 'ladder', 'fanout', 'contention', 'city'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchOptions {
  /** Superuser URL of the server; the bench creates its own databases on it. */
  serverAdminUrl: string;
  size: Size;
  only?: readonly ScenarioName[];
  basePort?: number;
  /** Name of the small city's database (the city scale's adds `_city`); default hrg_bench. */
  database?: string;
  /** The embedded server's postmaster (see postgresCpuMs); undefined for DATABASE_URL's server. */
  postgresPid?: number;
  progress?: (line: string) => void;
}

export async function runBench(options: BenchOptions): Promise<ScenarioResult[]> {
  const progress = options.progress ?? (() => {});
  // Tokens are signed with the services' (production-mode) secrets.
  const config: Config = loadConfig({ ...process.env, ...BENCH_ENV, DATABASE_URL: options.serverAdminUrl });
  const only = new Set(options.only ?? SCENARIOS);
  const results: ScenarioResult[] = [];
  const timed = async (name: string, run: () => Promise<ScenarioResult>) => {
    const started = Date.now();
    const result = await run();
    progress(`${name} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    results.push(result);
  };

  const small = withDatabase(options.serverAdminUrl, benchDatabaseName('small', options.database));
  const needsSmall = ['gateway', 'ladder', 'fanout', 'contention'].some((s) => only.has(s as ScenarioName)) || (only.has('city') && options.size.name === 'tiny');
  if (needsSmall) {
    // Re-seeded each run: contention and fan-out admit patients, and every run starts equal.
    await prepare(small, 'small', true, progress);
    const stack = await startBenchStack({ adminUrl: small, basePort: options.basePort, apollo: only.has('gateway'), bothPlanners: only.has('gateway'), postgresPid: options.postgresPid, progress });
    try {
      const ctx: BenchContext = { adminUrl: small, district: await busiestDistrict(small), config, stack, size: options.size, progress };
      if (only.has('gateway')) await timed('gateway vs apollo', () => gatewayVersusApollo(ctx));
      if (only.has('ladder')) await timed('overhead ladder', () => overheadLadder(ctx));
      if (only.has('fanout')) await timed('subscription fan-out', () => subscriptionFanOut(ctx));
      if (only.has('contention')) await timed('writes under contention', () => writesUnderContention(ctx));
      // A tiny run checks the city scenario's code on the small city rather than seeding 8 million people.
      if (only.has('city') && options.size.name === 'tiny') await timed('city scale', () => cityScale(ctx, 'small'));
    } finally {
      await stack.stop();
    }
  }
  if (only.has('city') && options.size.name !== 'tiny') {
    const city = withDatabase(options.serverAdminUrl, benchDatabaseName('city', options.database));
    // Read-only scenario: the city seed is kept between runs (seeding it takes minutes).
    await prepare(city, 'city', false, progress);
    const stack: BenchStack = await startBenchStack({ adminUrl: city, basePort: options.basePort, postgresPid: options.postgresPid, progress });
    try {
      const ctx: BenchContext = { adminUrl: city, district: await busiestDistrict(city), config, stack, size: options.size, progress };
      await timed('city scale', () => cityScale(ctx, 'city'));
    } finally {
      await stack.stop();
    }
  }
  return results;
}

export function renderReport(results: readonly ScenarioResult[], size: Size): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const header = `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, size ${size.name}; load generator, PostgreSQL and services share the machine.`;
  return [header, ...results.map((r) => `#### ${r.title}\n\n${r.table}\n\n${r.verdict}`)].join('\n\n');
}

const BEGIN = '<!-- bench:begin -->';
const END = '<!-- bench:end -->';

export function writeReadme(report: string, file = path.join(REPO_ROOT, 'README.md')): void {
  const readme = fs.readFileSync(file, 'utf8');
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${BEGIN} … ${END} section`);
  fs.writeFileSync(file, `${readme.slice(0, start + BEGIN.length)}\n${report}\n${readme.slice(end)}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tiny: { type: 'boolean', default: false },
      only: { type: 'string' },
      'no-readme': { type: 'boolean', default: false },
      // Lets two benches (or a bench and `npm start`) share a machine.
      'base-port': { type: 'string' },
      profile: { type: 'string' },
      connections: { type: 'string', default: '1' },
      seconds: { type: 'string', default: '10' },
      subscribers: { type: 'string' },
      scale: { type: 'string' },
      'profile-dir': { type: 'string' },
      // Lets two benches share one PostgreSQL server.
      database: { type: 'string', default: 'hrg_bench' },
    },
  });
  if (values.profile !== undefined && !(PROFILES as readonly string[]).includes(values.profile)) {
    console.error(`unknown profile "${values.profile}"; choose from ${PROFILES.join(', ')}`);
    process.exit(2);
  }
  const only = values.only?.split(',').map((s) => s.trim());
  const unknown = only?.filter((s) => !(SCENARIOS as readonly string[]).includes(s));
  if (unknown?.length) {
    console.error(`unknown scenario(s): ${unknown.join(', ')}; choose from ${SCENARIOS.join(', ')}`);
    process.exit(2);
  }
  const sized = SIZES[values.tiny ? 'tiny' : 'full'];
  // --subscribers 10000 (or 1000,10000) runs the fan-out at those sizes only.
  const size = values.subscribers && !values.profile ? { ...sized, subscribers: values.subscribers.split(',').map(Number) } : sized;
  const config = loadConfig();
  const started = Date.now();
  const log = (line: string) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
  const pg = await startPostgres(config, () => {});
  try {
    const basePort = values['base-port'] ? Number(values['base-port']) : undefined;
    if (values.profile) {
      const scenario = values.profile as ProfileName;
      const summary = await runProfile({
        serverAdminUrl: pg.adminUrl,
        config: loadConfig({ ...process.env, ...BENCH_ENV, DATABASE_URL: pg.adminUrl }),
        scenario,
        scale: (values.scale ?? (scenario === 'city' ? 'city' : 'small')) === 'city' ? 'city' : 'small',
        connections: Number(values.connections),
        seconds: Number(values.seconds),
        subscribers: values.subscribers ? Number(values.subscribers) : undefined,
        dir: path.resolve(values['profile-dir'] ?? path.join(os.tmpdir(), 'hrg-profiles', `${scenario}-${new Date().toISOString().replace(/[:.]/g, '-')}`)),
        basePort,
        database: values.database,
        progress: log,
      });
      console.log(`\n${summary}\n`);
    } else {
      // Only the embedded server's processes count as PostgreSQL's CPU (a DATABASE_URL server's pid is unknown here).
      const postgresPid = pg.embedded ? postmasterPid(config.embeddedPostgres.dataDir) : undefined;
      const results = await runBench({ serverAdminUrl: pg.adminUrl, size, only: only as ScenarioName[] | undefined, basePort, database: values.database, postgresPid, progress: log });
      const report = renderReport(results, size);
      console.log(`\n${report}\n`);
      if (!values['no-readme'] && !values.tiny && !only) {
        writeReadme(report);
        log('README.md updated');
      }
    }
  } finally {
    await pg.stop();
  }
  process.exit(0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(REPO_ROOT, 'scripts/bench/index.ts')) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
