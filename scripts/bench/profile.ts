/**
 * `npm run bench -- --profile capacity|city|fanout|contention`: one scenario's load through the
 * gateway with `node --cpu-prof` on the gateway and the subgraphs the operation reaches, then the
 * self time of each process grouped by package and its top frames. Only samples taken while the
 * measured load ran are counted (start-up and warm-up are left out): for fanout, the burst of
 * admissions until every subscriber has every event; for contention, the admissions.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config, SubgraphName } from '../../subgraphs/common/config.js';
import { issueDevToken } from '../../subgraphs/common/auth/dev-tokens.js';
import { benchDatabaseName, prepare, withDatabase } from './databases.js';
import { CAPACITY_BOARD, CAPACITY_BOARD_FEDERATED, CITY_OVERVIEW, cityOverviewCheck, distinctClients, SIZES, busiestDistrict, post, subscriptionFanOut, writesUnderContention, type ScenarioResult } from './scenarios.js';
import { startBenchStack } from './stack.js';
import { failedAnswers, httpLoad, ms } from './load.js';
import { readProfile, renderProfile, summarizeProfile } from './cpuprofile.js';

/**
 * capacity: CapacityBoard (facilities alone) from one dashboard; board: the same page with
 * staffOnDuty from workforce, from 64 distinct dashboards, as the gateway-vs-@apollo/gateway goal
 * measures it; city: CityOverview; fanout and contention: those scenarios.
 */
export const PROFILES = ['capacity', 'board', 'city', 'fanout', 'contention'] as const;
export type ProfileName = (typeof PROFILES)[number];

export interface ProfileOptions {
  serverAdminUrl: string;
  config: Config;
  scenario: ProfileName;
  /** `small` seeds the small demo city (quick); `city` the full one (kept between runs). */
  scale: 'small' | 'city';
  connections: number;
  seconds: number;
  /** fanout: how many subscribers (default 10,000). */
  subscribers?: number;
  dir: string;
  basePort?: number;
  /** Name of the small city's database (the city's adds `_city`); default hrg_bench. */
  database?: string;
  env?: NodeJS.ProcessEnv;
  progress: (line: string) => void;
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/** Runs the profile and returns its Markdown summary (also written to `<dir>/summary.md`). */
export async function runProfile(options: ProfileOptions): Promise<string> {
  const { scenario, progress } = options;
  const database = benchDatabaseName(options.scale, options.database);
  const adminUrl = withDatabase(options.serverAdminUrl, database);
  await prepare(adminUrl, options.scale, options.scale !== 'city', progress);
  // CapacityBoard is answered by facilities alone; CityOverview reaches all four subgraphs; the
  // fan-out's events come from facilities with district.cases from patients; admissions are
  // facilities', but every one sets off event handlers in patients and then in workforce and
  // facilities, which share the two cores with it.
  const services: (SubgraphName | 'gateway')[] =
    scenario === 'capacity'
      ? ['gateway', 'facilities']
      : scenario === 'board'
        ? ['gateway', 'facilities', 'workforce']
        : scenario === 'fanout'
        ? ['gateway', 'facilities', 'patients']
        : ['gateway', 'facilities', 'patients', 'workforce', 'vaccination'];
  fs.mkdirSync(options.dir, { recursive: true });
  for (const service of services) fs.rmSync(path.join(options.dir, service), { recursive: true, force: true });

  const stack = await startBenchStack({ adminUrl, basePort: options.basePort, profile: { dir: options.dir, services }, env: options.env, progress });
  let window: { fromUs: number; toUs: number };
  let requests: number;
  let line: string;
  try {
    if (scenario === 'fanout' || scenario === 'contention') {
      const measured = await profileScenario(options, adminUrl, stack);
      window = measured.window;
      requests = measured.requests;
      line = measured.line;
    } else {
      const role = scenario === 'city' ? 'CITY_OFFICER' : 'DASHBOARD';
      const headers = { authorization: `Bearer ${await issueDevToken(options.config, { role })}` };
      const [query, variables] =
        scenario === 'city' ? [CITY_OVERVIEW, {}] : [scenario === 'board' ? CAPACITY_BOARD_FEDERATED : CAPACITY_BOARD, { district: await busiestDistrict(adminUrl) }];
      const data = await post(stack.gatewayUrl, query, variables, headers);
      const body = JSON.stringify({ query, variables });
      const expected = scenario === 'city' ? { check: cityOverviewCheck(data) } : { expectBody: JSON.stringify({ data }) };
      const clients = scenario === 'board' ? await distinctClients(options) : undefined;
      const load = async (seconds: number) => {
        const result = await httpLoad({ label: scenario, url: stack.gatewayUrl, body, headers: clients ? {} : headers, clients, connections: options.connections, seconds, ...expected });
        if (result.firstMismatch) progress(`profile ${scenario}: ${failedAnswers(result)}`);
        return result;
      };
      progress(`profile ${scenario}: warming up 2 s…`);
      await load(2);
      progress(`profile ${scenario}: ${options.seconds} s × ${options.connections} connection(s) under --cpu-prof…`);
      const fromUs = nowUs();
      const result = await load(options.seconds);
      window = { fromUs, toUs: nowUs() };
      requests = result.requests;
      line = `${result.requests} requests, ${result.rps.toFixed(0)} req/s, p50 ${ms(result.p50)} ms, p99 ${ms(result.p99)} ms, ${result.failures} failed (the profiler slows every process)`;
    }
  } finally {
    // SIGTERM makes each service exit normally, which is when V8 writes its profile.
    await stack.stop();
  }

  const what =
    scenario === 'fanout'
      ? `${(options.subscribers ?? DEFAULT_SUBSCRIBERS).toLocaleString('en')} subscribers, one burst (per request: per event delivered)`
      : scenario === 'contention'
        ? 'the contention scenario at full size (per request: per admission attempt)'
        : `${options.connections} connection(s), ${options.seconds} s through the gateway`;
  const sections = [`#### Profile: ${scenario} (--scale ${options.scale}), ${what}\n\n${line}`];
  for (const service of services) {
    const folder = path.join(options.dir, service);
    const files = fs.existsSync(folder) ? fs.readdirSync(folder).filter((f) => f.endsWith('.cpuprofile')) : [];
    // The main thread is the busiest one; the module-loader thread idles while the load runs.
    const [busiest] = files
      .map((f) => summarizeProfile(readProfile(path.join(folder, f)), window))
      .sort((a, b) => b.busyMs - a.busyMs);
    sections.push(busiest ? renderProfile(service, busiest, requests) : `##### ${service}: no profile written`);
  }
  const summary = sections.join('\n\n');
  fs.writeFileSync(path.join(options.dir, 'summary.md'), `${summary}\n`);
  return summary;
}

const DEFAULT_SUBSCRIBERS = 10_000;

/** Runs the fan-out or contention scenario itself; the window is its measured part. */
async function profileScenario(
  options: ProfileOptions,
  adminUrl: string,
  stack: Awaited<ReturnType<typeof startBenchStack>>,
): Promise<{ window: { fromUs: number; toUs: number }; requests: number; line: string }> {
  const window = { fromUs: 0, toUs: 0 };
  const size = { ...SIZES.full, subscribers: [options.subscribers ?? DEFAULT_SUBSCRIBERS] };
  const ctx = {
    adminUrl,
    district: await busiestDistrict(adminUrl),
    config: options.config,
    stack,
    size,
    progress: options.progress,
    onMeasured: (phase: 'start' | 'end') => {
      if (phase === 'start') window.fromUs = nowUs();
      else window.toUs = nowUs();
    },
  };
  options.progress(`profile ${options.scenario}: running the scenario under --cpu-prof…`);
  const result: ScenarioResult =
    options.scenario === 'fanout' ? await subscriptionFanOut(ctx) : await writesUnderContention(ctx);
  const requests = options.scenario === 'fanout' ? size.subscribers[0]! * size.burst : size.contentionPatients;
  return { window, requests, line: `${result.table}\n\n${result.verdict} (the profiler slows every process)` };
}
