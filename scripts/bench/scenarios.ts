/**
 * The five benchmark scenarios. Each prints progress, bounds its own time and returns a Markdown
 * table with a one-line verdict against the goal of issue 9.
 */
import os from 'node:os';
import { withPgClient } from '../../subgraphs/common/db/postgres.js';
import { connectSubgraphDatabase, subgraphDatabaseUrl } from '../../subgraphs/common/db/database.js';
import { searchFacilities } from '../../subgraphs/facilities/db/facility.repository.js';
import type { FacilitiesDB } from '../../subgraphs/facilities/db/tables.js';
import { print } from 'graphql';
import { leanSubscribe, type LeanSubscription } from './ws-subscriber.js';
import { socketFloor } from './socket-floor.js';
import type { Config } from '../../subgraphs/common/config.js';
import { signViewer, VIEWER_HEADER } from '../../subgraphs/common/auth/internal-token.js';
import { issueDevToken } from '../../subgraphs/common/auth/dev-tokens.js';
import type { Role, Viewer } from '../../subgraphs/common/auth/viewer.js';
import { createLogger } from '../../subgraphs/common/log.js';
import { runtimeOptions } from '../../subgraphs/common/service.js';
import { facilities } from '../../subgraphs/facilities/index.js';
import { admitPatient } from '../../subgraphs/facilities/commands/admissions.js';
import { NoBedAvailable } from '../../subgraphs/facilities/domain/errors.js';
import {
  AdmitPatientDocument,
  CapacityBoardDocument,
  CityOverviewDocument,
  LiveBedsDocument,
  RegisterPatientDocument,
  createHrgClient,
  documentIdOf,
  HrgRequestError,
  type LiveBedsSubscription,
} from '../../gateway/client/index.js';
import { machineBusyMs, type BenchService, type BenchStack } from './stack.js';
import { countedLoop, failedAnswers, httpLoad, httpRequests, loopLoad, ms, percentile, ratio, table, type LoadResult } from './load.js';

export interface Size {
  name: 'tiny' | 'full';
  seconds: number;
  /**
   * When set, each gateway-vs-apollo load sends this many requests instead of running for
   * `seconds`: the tiny size checks that every path answers, and a one-second window can end
   * before the first answer on a busy machine.
   */
  requests?: number;
  rounds: number;
  connections: number;
  subscribers: number[];
  burst: number;
  contentionPatients: number;
  contentionClients: number;
}

export const SIZES: Record<Size['name'], Size> = {
  tiny: { name: 'tiny', seconds: 1, requests: 8, rounds: 1, connections: 4, subscribers: [20], burst: 3, contentionPatients: 24, contentionClients: 6 },
  full: { name: 'full', seconds: 8, rounds: 3, connections: 16, subscribers: [1_000, 5_000, 10_000], burst: 20, contentionPatients: 600, contentionClients: 60 },
};

export interface BenchContext {
  adminUrl: string;
  /** The district every scenario works in: the one with the most facilities. */
  district: string;
  config: Config;
  stack: BenchStack;
  size: Size;
  progress(line: string): void;
  /** Told when a scenario's measured part starts and ends (a profile counts only those samples). */
  onMeasured?(phase: 'start' | 'end'): void;
}

export interface ScenarioResult {
  title: string;
  table: string;
  verdict: string;
  /** Numbers a test can check (a smoke run asserts that nothing was lost or overbooked). */
  figures: Record<string, number>;
}

// The contract's operations, as the typed client has them (gateway/client, from test/contract).
export const CAPACITY_BOARD = print(CapacityBoardDocument);
export const CITY_OVERVIEW = print(CityOverviewDocument);
const LIVE_BEDS = print(LiveBedsDocument);
const ADMIT_PATIENT = print(AdmitPatientDocument);

/**
 * A check of CityOverview answers. Their figures may rightly move between requests: a district's
 * epidemic level may be reassessed, the 7-day window rolls to the moment of the read, and events
 * of earlier writes (another scenario's, in a shared database) may still be applied while the load
 * runs. So every answer must have no errors and the shape of `expected` (the answer before the
 * load): the same districts in the same order, the same names, kinds and enum values, and a number
 * wherever it had one (no field missing or null in its place). Without it an answer with errors
 * (a level that timed out, say) counted as served.
 */
export function cityOverviewCheck(expected: { districts: Record<string, unknown>[] }): (body: string) => boolean {
  // Numbers become one mark, and so does a level's time of assessment (which moves too) when it
  // is a time; other strings, nulls, keys and list lengths stay.
  const isoInstant = /^\d{4}-\d{2}-\d{2}T/;
  const steady = (districts: unknown) =>
    JSON.stringify(districts, (key, value: unknown) => (typeof value === 'number' ? 0 : key === 'assessedAt' ? isoInstant.test(String(value)) : value));
  const want = steady(expected.districts);
  return (body) => {
    const answer = JSON.parse(body) as { data?: { districts?: Record<string, unknown>[] }; errors?: unknown[] };
    const districts = answer.data?.districts;
    return !answer.errors?.length && districts !== undefined && steady(districts) === want;
  };
}

/** CapacityBoard with one field from another subgraph (workforce's Facility.staffOnDuty). */
export const CAPACITY_BOARD_FEDERATED = CAPACITY_BOARD.replace(/^(\s*)beds \{/m, '$1staffOnDuty {\n$1  count\n$1}\n$1beds {');
if (CAPACITY_BOARD_FEDERATED === CAPACITY_BOARD) throw new Error('CapacityBoard has no beds selection to extend');

/** The vaccination part of CityOverview alone (issue 6: all 30 districts under 100 ms). */
const CITY_VACCINATION = /* GraphQL */ `
  query CityVaccination {
    districts { code vaccination { population dose1Coverage dose2Coverage boosterCoverage over50WithoutDose1 } }
  }`;

export async function post(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<any> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: any; errors?: unknown[] };
  if (!res.ok || body.errors) throw new Error(`${res.status} ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
  return body.data;
}

/** The district with the most facilities: CapacityBoard then returns a full page of 50. */
export async function busiestDistrict(adminUrl: string): Promise<string> {
  return withPgClient(adminUrl, async (client) => {
    const { rows } = await client.query<{ code: string }>(
      'select district_code as code from facilities.facility group by district_code order by count(*) desc, district_code limit 1',
    );
    return rows[0]!.code;
  });
}

// ── 1. Our gateway against @apollo/gateway ─────────────────────────────────────────────────────

export async function gatewayVersusApollo(ctx: BenchContext): Promise<ScenarioResult> {
  const { stack, size, district } = ctx;
  if (!stack.apolloUrl) throw new Error('the stack was started without @apollo/gateway');
  const token = await issueDevToken(ctx.config, { role: 'DASHBOARD' });
  const headers = { authorization: `Bearer ${token}` };
  // Distinct clients, as on the city's dashboards: a gateway that merged identical requests in
  // flight would otherwise measure its merging more than itself (ours did, until the merging was
  // turned off: gateway/viewer-forwarding.ts).
  const clients = await distinctClients(ctx);
  const body = JSON.stringify({ query: CAPACITY_BOARD_FEDERATED, variables: { district } });
  // Both must give the same, correct answer before either is timed.
  const expected = await post(stack.gatewayUrl, CAPACITY_BOARD_FEDERATED, { district }, headers);
  const apollo = await post(stack.apolloUrl, CAPACITY_BOARD_FEDERATED, { district }, headers);
  if (JSON.stringify(expected) !== JSON.stringify(apollo)) throw new Error('the two gateways disagree on CapacityBoard');
  const expectBody = JSON.stringify({ data: expected });
  const edges = expected.facilities.edges.length as number;

  // Our gateway with each query planner (when the stack runs both) and @apollo/gateway, alternating.
  const targets: { key: string; label: string; url: string; service: BenchService }[] = stack.plannerUrls
    ? [
        { key: 'js', label: 'Hive Gateway runtime, JS planner (ours)', url: stack.plannerUrls.js, service: stack.plannerUrls.js === stack.gatewayUrl ? 'gateway' : 'other-planner' },
        { key: 'rust', label: 'Hive Gateway runtime, Rust planner (ours)', url: stack.plannerUrls.rust, service: stack.plannerUrls.rust === stack.gatewayUrl ? 'gateway' : 'other-planner' },
      ]
    : [{ key: 'ours', label: 'Hive Gateway runtime (ours)', url: stack.gatewayUrl, service: 'gateway' }];
  for (const target of targets.slice(1)) {
    const answer = await post(target.url, CAPACITY_BOARD_FEDERATED, { district }, headers);
    if (JSON.stringify(answer) !== JSON.stringify(expected)) throw new Error(`${target.label} disagrees on CapacityBoard`);
  }
  targets.push({ key: 'apollo', label: '@apollo/gateway 2.14 + @apollo/server 5', url: stack.apolloUrl, service: 'apollo' });
  const runs = new Map<string, LoadResult[]>(targets.map((t) => [t.key, []]));
  // CPU spent during each target's rounds: by the gateway's own process, and by what every gateway
  // must pay for on these two cores (the subgraphs, PostgreSQL and the load generator), to tell
  // the gateway's cost apart. The whole machine's is kept for a PostgreSQL whose processes are not
  // ours to read (DATABASE_URL): then the rest is everything on the machine but the gateway.
  const cpu = new Map(targets.map((t) => [t.key, { gateway: 0, work: 0, postgres: 0, machine: 0 }]));
  const subgraphs = STACK.filter((s) => s !== 'gateway');
  for (let round = 1; round <= size.rounds; round++) {
    for (const target of round % 2 ? targets : [...targets].reverse()) {
      ctx.progress(`gateway vs apollo: round ${round}/${size.rounds}, ${target.key}, ${size.seconds} s × ${size.connections} connections…`);
      const before = cpuSnapshot(stack, [target.service, ...subgraphs]);
      runs.get(target.key)!.push(await httpLoad({ label: target.key, url: target.url, body, headers: {}, clients, connections: size.connections, seconds: size.seconds, amount: size.requests, expectBody }));
      // Summed over the rounds in ms (one "request"), divided by the requests below.
      const spent = cpuSpent(before, cpuSnapshot(stack, [target.service, ...subgraphs]), 1);
      const sum = cpu.get(target.key)!;
      sum.gateway += spent.services[target.service]!;
      sum.work += subgraphs.reduce((t, s) => t + spent.services[s]!, 0) + spent.postgres + spent.loadGenerator;
      sum.postgres += spent.postgres;
      sum.machine += spent.machine;
    }
  }
  const merged = (label: string, results: LoadResult[]): LoadResult => ({
    label,
    requests: results.reduce((s, r) => s + r.requests, 0),
    rps: results.reduce((s, r) => s + r.rps, 0) / results.length,
    p50: median(results.map((r) => r.p50)),
    p95: median(results.map((r) => r.p95)),
    p99: median(results.map((r) => r.p99)),
    failures: results.reduce((s, r) => s + r.failures, 0),
  });
  const results = targets.map((t) => merged(t.label, runs.get(t.key)!));
  // Per request: the gateway's CPU, and the subgraphs', PostgreSQL's and the load generator's.
  const perRequest = targets.map((t, i) => {
    const spent = cpu.get(t.key)!;
    const requests = Math.max(1, results[i]!.requests);
    return { gateway: spent.gateway / requests, rest: (spent.postgres > 0 ? spent.work : spent.machine - spent.gateway) / requests };
  });
  const theirs = results.at(-1)!;
  const theirCpu = perRequest.at(-1)!;
  const ours = results.slice(0, -1);
  const cpuCell = (v: number) => v.toFixed(2);
  const rows = results.map((r, i) => [r.label, r.rps.toFixed(0), ms(r.p50), ms(r.p95), ms(r.p99), cpuCell(perRequest[i]!.gateway), cpuCell(perRequest[i]!.rest), r.failures]);
  for (const [i, r] of ours.entries()) {
    rows.push([`${r.label} ÷ apollo`, ratio(r.rps, theirs.rps), ratio(r.p50, theirs.p50), ratio(r.p95, theirs.p95), ratio(r.p99, theirs.p99), ratio(perRequest[i]!.gateway, theirCpu.gateway), ratio(perRequest[i]!.rest, theirCpu.rest), '']);
  }
  const bestIndex = ours.reduce((a, _, i) => (ours[i]!.rps > ours[a]!.rps ? i : a), 0);
  const best = ours[bestIndex]!;
  // What any gateway could reach here if it cost nothing: the machine's cores divided by what the
  // rest of the machine spends per request (the lowest measured, so the bound is generous).
  const rest = Math.min(...perRequest.map((p) => p.rest));
  const ceiling = perSecondWithin(rest);
  const figures: Record<string, number> = {
    oursRps: best.rps,
    apolloRps: theirs.rps,
    oursGatewayCpuMs: perRequest[bestIndex]!.gateway,
    apolloGatewayCpuMs: theirCpu.gateway,
    ceilingRps: ceiling,
    failures: results.reduce((s, r) => s + r.failures, 0),
  };
  targets.slice(0, -1).forEach((t, i) => (figures[`${t.key}Rps`] = ours[i]!.rps));
  return {
    title: `Gateway vs @apollo/gateway: CapacityBoard (${edges} facilities of district ${district} with beds and staffOnDuty from workforce), ${size.connections} connections from ${DISTINCT_CLIENTS} dashboards in turn, ${size.rounds} alternating rounds of ${size.seconds} s`,
    table: table(['gateway', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'gateway CPU ms per request', 'subgraphs, PostgreSQL and load generator CPU ms per request', 'failed'], rows),
    verdict:
      `Throughput ${ours.map((r) => `${r.label}: ${ratio(r.rps, theirs.rps)}`).join('; ')} of @apollo/gateway's (goal ≥ 3×). ` +
      `The gateway process's own CPU per request: ${ours.map((r, i) => `${r.label} ${ratio(perRequest[i]!.gateway, theirCpu.gateway)}`).join('; ')} of @apollo/gateway's. ` +
      `The subgraphs, PostgreSQL and the load generator take at least ${rest.toFixed(2)} ms of CPU per request on this machine's ${CORES} cores, ` +
      `so even a gateway that cost nothing would serve at most ${ceiling.toFixed(0)} req/s here: ${ratio(ceiling, theirs.rps)} of @apollo/gateway's throughput.` +
      failedClause(figures.failures!),
    figures,
  };
}

/**
 * A verdict's last words when answers failed: the rates and percentiles count only the answers
 * that passed, so a verdict read alone must not hide that others did not.
 */
export function failedClause(failures: number): string {
  return failures === 0 ? '' : ` ${failures.toLocaleString('en')} answers failed (errors, a wrong body or no answer); the figures count only the others.`;
}

/** CPU time used so far by some processes of the stack, PostgreSQL, this process and the machine, in ms. */
interface CpuSnapshot {
  services: Partial<Record<BenchService, number>>;
  postgres: number;
  loadGenerator: number;
  machine: number;
}

/** What each process spent per request between two snapshots (ms). */
type CpuSpent = CpuSnapshot;

/** The processes a request through our gateway reaches. */
const STACK: readonly BenchService[] = ['gateway', 'facilities', 'patients', 'workforce', 'vaccination'];

const CORES = os.cpus().length;
/** How many operations a second the machine's cores allow at `ms` of CPU each, and back. */
const perSecondWithin = (ms: number) => (CORES * 1000) / ms;
const msPerOperationAt = (perSecond: number) => (CORES * 1000) / perSecond;

function cpuSnapshot(stack: BenchStack, services: readonly BenchService[] = STACK): CpuSnapshot {
  const usage = process.cpuUsage();
  return {
    services: Object.fromEntries(services.map((s) => [s, stack.cpuMs(s)])),
    postgres: stack.postgresCpuMs(),
    loadGenerator: (usage.user + usage.system) / 1000,
    machine: machineBusyMs(),
  };
}

function cpuSpent(before: CpuSnapshot, after: CpuSnapshot, requests: number): CpuSpent {
  const n = Math.max(1, requests);
  return {
    services: Object.fromEntries(Object.entries(after.services).map(([s, ms]) => [s, (ms - before.services[s as BenchService]!) / n])),
    postgres: (after.postgres - before.postgres) / n,
    loadGenerator: (after.loadGenerator - before.loadGenerator) / n,
    machine: (after.machine - before.machine) / n,
  };
}

function describeCpu(spent: CpuSpent, per: string): string {
  const services = Object.entries(spent.services).filter(([, ms]) => ms! > 0);
  const known = services.reduce((sum, [, ms]) => sum + ms!, 0) + spent.postgres + spent.loadGenerator;
  return (
    `CPU per ${per}: ${services.map(([s, ms]) => `${s} ${ms!.toFixed(1)}`).join(', ')}, PostgreSQL ${spent.postgres.toFixed(1)}, ` +
    `load generator ${spent.loadGenerator.toFixed(1)}, the rest of the machine ${Math.max(0, spent.machine - known).toFixed(1)} ms`
  );
}

/** Clients taken in turn by the distinct-clients loads: more than the connections, so requests in flight come from different clients. */
const DISTINCT_CLIENTS = 64;

/** The credentials of DISTINCT_CLIENTS viewers of one role, one token each. */
export function distinctClients(ctx: Pick<BenchContext, 'config'>, role: Role = 'DASHBOARD'): Promise<Record<string, string>[]> {
  return Promise.all(
    Array.from({ length: DISTINCT_CLIENTS }, async (_, i) => ({ authorization: `Bearer ${await issueDevToken(ctx.config, { role, subject: `bench:${role.toLowerCase()}:${i}` })}` })),
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

// ── 2. Overhead ladder: raw SQL, subgraph, gateway ─────────────────────────────────────────────

export async function overheadLadder(ctx: BenchContext): Promise<ScenarioResult> {
  const { stack, size, district } = ctx;
  const token = await issueDevToken(ctx.config, { role: 'DASHBOARD' });
  const viewerToken = await signViewer({ subject: 'bench', role: 'DASHBOARD' }, ctx.config.internalSecret);
  const body = JSON.stringify({ query: CAPACITY_BOARD, variables: { district } });
  const viaGateway = await post(stack.gatewayUrl, CAPACITY_BOARD, { district }, { authorization: `Bearer ${token}` });
  // Distinct clients through the gateway, as in gatewayVersusApollo: one client's identical
  // requests in flight would go to the subgraph once, and the gateway would seem faster than it.
  const clients = await distinctClients(ctx);
  const direct = await post(stack.subgraphUrls.facilities, CAPACITY_BOARD, { district }, { [VIEWER_HEADER]: viewerToken });
  if (JSON.stringify(viaGateway) !== JSON.stringify(direct)) throw new Error('subgraph and gateway disagree on CapacityBoard');

  // The floor: the very statement the subgraph sends for this page (its page of 51, its order, its
  // beds with a quarantine area's occupants, its count), through the same connection settings and
  // named prepared statements, and nothing else: no HTTP, no GraphQL. Its answer must be the
  // page's facilities and beds.
  const database = connectSubgraphDatabase<FacilitiesDB>('facilities', ctx.adminUrl, { maxConnections: size.connections });
  const results: { connections: number; sql: LoadResult; subgraph: LoadResult; gateway: LoadResult }[] = [];
  const page = (facilities: { id: string; beds?: { kind: string; total: number; occupied: number }[] | null }[]) =>
    JSON.stringify(facilities.map((f) => [f.id, (f.beds ?? []).map((b) => [b.kind, b.total, b.occupied])]));
  const edges = viaGateway.facilities.edges as { node: { id: string; beds: { kind: string; total: number; occupied: number }[] } }[];
  const want = page(edges.map((e) => e.node));
  try {
    const sqlOnce = async () => {
      const { facilities, totalCount } = await searchFacilities(database.db, { districtCode: district }, undefined, edges.length + 1, { withBeds: true, withCount: true });
      if (page(facilities.slice(0, edges.length)) !== want || totalCount !== viaGateway.facilities.totalCount) throw new Error('raw SQL disagrees with the API');
    };
    await sqlOnce();
    for (const connections of [1, size.connections]) {
      ctx.progress(`overhead ladder: ${connections} connection(s): raw SQL, subgraph, gateway, ${size.seconds} s each…`);
      const sql = await loopLoad('raw SQL (pg)', connections, size.seconds, sqlOnce);
      const subgraph = await httpLoad({
        label: 'facilities subgraph',
        url: stack.subgraphUrls.facilities,
        body,
        headers: { [VIEWER_HEADER]: viewerToken },
        connections,
        seconds: size.seconds,
        expectBody: JSON.stringify({ data: direct }),
      });
      const gateway = await httpLoad({
        label: 'gateway',
        url: stack.gatewayUrl,
        body,
        headers: {},
        clients,
        connections,
        seconds: size.seconds,
        expectBody: JSON.stringify({ data: viaGateway }),
      });
      results.push({ connections, sql, subgraph, gateway });
    }
  } finally {
    await database.close();
  }
  const rows = results.flatMap(({ connections, sql, subgraph, gateway }) => [
    [connections, sql.label, sql.rps.toFixed(0), ms(sql.p50), ms(sql.p99), '1.00×', sql.failures],
    [connections, subgraph.label, subgraph.rps.toFixed(0), ms(subgraph.p50), ms(subgraph.p99), ratio(subgraph.p50, sql.p50), subgraph.failures],
    [connections, gateway.label, gateway.rps.toFixed(0), ms(gateway.p50), ms(gateway.p99), `${ratio(gateway.p50, sql.p50)} (${ratio(gateway.p50, subgraph.p50)} of subgraph)`, gateway.failures],
  ]);
  const single = results[0]!;
  const failures = results.reduce((s, r) => s + r.sql.failures + r.subgraph.failures + r.gateway.failures, 0);
  return {
    title: `Overhead ladder: the same CapacityBoard page (${district}) as raw SQL, from the facilities subgraph, and through the gateway`,
    table: table(['connections', 'path', 'req/s', 'p50 ms', 'p99 ms', 'p50 vs raw SQL', 'failed'], rows),
    verdict:
      `At 1 connection the facilities subgraph's p50 is ${ratio(single.subgraph.p50, single.sql.p50)} raw SQL's (goal ≤ 2×) and the gateway's ${ratio(single.gateway.p50, single.subgraph.p50)} the subgraph's (goal ≤ 1.5×).` +
      failedClause(failures),
    figures: { gatewayOverSubgraph: single.gateway.p50 / single.subgraph.p50, failures },
  };
}

// ── Shared: patients to admit ──────────────────────────────────────────────────────────────────

let patientCounter = 0;

async function registerPatients(ctx: BenchContext, count: number, wardCode: string): Promise<string[]> {
  const client = createHrgClient({ url: ctx.stack.gatewayUrl, token: await issueDevToken(ctx.config, { role: 'CITY_OFFICER' }) });
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(16, count) }, async () => {
      while (next < count) {
        next += 1;
        patientCounter += 1;
        const { registerPatient: result } = await client.request(RegisterPatientDocument, {
          input: {
            fullName: `Bệnh nhân thử tải ${process.pid}-${patientCounter}`,
            dateOfBirth: '1985-03-02',
            sex: patientCounter % 2 ? 'FEMALE' : 'MALE',
            nationalId: null,
            phone: '0912345678',
            wardCode,
            address: 'Địa chỉ thử tải',
            confirmedAt: new Date(Date.now() - 3_600_000).toISOString(),
            confirmation: 'RAPID_ANTIGEN',
            tier: 'TIER_1', // admitted into GENERAL beds, the bed kind of tier 1
          },
        });
        if (result.__typename !== 'RegisterPatientSuccess') throw new Error(JSON.stringify(result));
        ids.push(result.patient.id);
      }
    }),
  );
  return ids;
}

/**
 * AdmitPatient from the contract; returns the result's type name (success or a typed refusal).
 * With an idempotency key, a transport failure is retried under the same key, which cannot admit
 * twice: after the fan-out's quiet wait with 10,000 sockets open, the first request sometimes
 * meets a reset connection (a kept-alive connection the server closed while the client was busy).
 */
async function admitter(ctx: BenchContext): Promise<(patientId: string, facilityId: string, idempotencyKey?: string) => Promise<string>> {
  const client = createHrgClient({ url: ctx.stack.gatewayUrl, token: await issueDevToken(ctx.config, { role: 'CITY_OFFICER' }) });
  const once = async (patientId: string, facilityId: string, idempotencyKey: string | undefined) =>
    (await client.request(AdmitPatientDocument, { input: { patientId, facilityId, bedKind: 'GENERAL', idempotencyKey } })).admitPatient.__typename;
  return async (patientId, facilityId, idempotencyKey) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await once(patientId, facilityId, idempotencyKey);
      } catch (error) {
        // The same race between the gateway and the subgraph comes back as SERVICE_UNAVAILABLE.
        const transport =
          (error instanceof TypeError && error.message === 'fetch failed') ||
          (error instanceof HrgRequestError && error.errors.some((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE'));
        if (!idempotencyKey || !transport || attempt >= 3) throw error;
        ctx.progress(`admission of ${patientId} failed in transport (${error instanceof Error ? error.message : String(error)}); retrying under its key`);
      }
    }
  };
}

/** Facilities of a district with free GENERAL beds, most free first. */
async function facilitiesWithBeds(adminUrl: string, district: string, limit: number): Promise<{ id: string; ward: string; free: number }[]> {
  return withPgClient(adminUrl, async (client) => {
    const { rows } = await client.query<{ id: string; ward: string; free: number }>(
      `select f.id, f.ward_code as ward, b.covid_designated - b.occupied as free
         from facilities.facility f join facilities.bed b on b.facility_id = f.id
        where f.district_code = $1 and b.kind = 'GENERAL' and f.status in ('ACTIVE', 'STANDBY') and b.covid_designated > b.occupied
          and f.serves_tiers @> array['TIER_1']::text[] and f.kind <> 'QUARANTINE_AREA'
        order by b.covid_designated - b.occupied desc, f.id limit $2`,
      [district, limit],
    );
    return rows;
  });
}

// ── 3. Subscription fan-out ────────────────────────────────────────────────────────────────────

export async function subscriptionFanOut(ctx: BenchContext): Promise<ScenarioResult> {
  const { stack, size, district } = ctx;
  // Every subscriber is a dashboard of its own, with its own credential: one client may hold only
  // HRG_WS_MAX_CONNECTIONS_PER_CLIENT sockets open at once.
  const screenToken = (i: number) => issueDevToken(ctx.config, { role: 'DASHBOARD', subject: `bench:screen:${i}`, ttlSeconds: 3_600 });
  const admit = await admitter(ctx);
  const wsUrl = stack.gatewayUrl.replace(/^http/, 'ws');
  const rows: (string | number)[][] = [];
  const figures = { lost: 0 } as Record<string, number> & { lost: number };
  // Memory is the gateway's resident set with the subscribers open, against one baseline taken
  // before the first one connects (a per-run delta is lost in garbage-collection noise).
  const baseline = stack.rss('gateway');
  // One real event's payload, for the floor below.
  let realPayload: { data: { bedOccupancyChanged: Record<string, unknown> } } | undefined;

  for (const n of size.subscribers) {
    const target = (await facilitiesWithBeds(ctx.adminUrl, district, 1))[0];
    if (!target) throw new Error(`no free GENERAL bed in district ${district}`);
    const [warmUp, ...patients] = await registerPatients(ctx, size.burst + 1, target.ward);
    const delays: number[] = [];
    const received = new Array<number>(n).fill(0);
    // Per event (a subscriber's k-th), the delay of the first subscriber to get it: the path from
    // the commit to the gateway, before the fan-out's own share.
    const firstDelays: number[] = [];
    const subscriptions: LeanSubscription[] = [];
    let acknowledged = 0;
    let failures = 0;
    ctx.progress(`fan-out: opening ${n} graphql-ws subscriptions to LiveBeds…`);
    try {
      for (let i = 0; i < n; i++) {
        // One socket per subscriber, as a dashboard in a browser has.
        const index = i;
        subscriptions.push(
          await leanSubscribe({
            url: wsUrl,
            connectionParams: { authorization: `Bearer ${await screenToken(i)}` },
            query: LIVE_BEDS,
            variables: { district },
            onNext: (result) => {
              // An error in place of an event counts as lost, not delivered.
              const at = (result.data as LiveBedsSubscription | undefined)?.bedOccupancyChanged.at;
              if (!at) return;
              realPayload ??= result as never;
              const delay = Date.now() - Date.parse(at);
              delays.push(delay);
              const k = received[index]!;
              firstDelays[k] = Math.min(firstDelays[k] ?? Infinity, delay);
              received[index] = k + 1;
            },
            onError: () => {
              failures += 1;
            },
          }),
        );
        acknowledged += 1;
        if (acknowledged % 1000 === 0) ctx.progress(`fan-out: ${acknowledged}/${n} subscribed`);
      }
      // Let every subscription reach the subgraph before the burst.
      await new Promise((r) => setTimeout(r, Math.min(10_000, 500 + n)));
      const rssAfter = stack.rss('gateway');
      // The first event of a new shared subscription is measured on its own: the gateway then
      // plans and opens what the later events reuse (see the README), and a dashboard pays that
      // once per subscription, not per event. The burst that follows is the steady state.
      ctx.progress(`fan-out: a first admission at ${target.id} while ${n} subscribers listen…`);
      const warmUpOutcome = await admit(warmUp!, target.id, `bench-fan-out-${warmUp}`);
      if (warmUpOutcome !== 'AdmitPatientSuccess') throw new Error(`admission refused: ${warmUpOutcome}`);
      const warmUpDeadline = Date.now() + 30_000 + n * 6;
      while (delays.length < n && Date.now() < warmUpDeadline) await new Promise((r) => setTimeout(r, 20));
      const firstEvent = delays.splice(0).sort((a, b) => a - b);
      ctx.progress(`fan-out: ${size.burst} admissions at ${target.id} while ${n} subscribers listen…`);
      // CPU used during the burst by the gateway and by this process (the 10,000 client sockets
      // share the two cores with it): is the load generator the bottleneck?
      const gatewayCpuBefore = stack.cpuMs('gateway');
      const clientCpuBefore = process.cpuUsage();
      const burstStarted = performance.now();
      ctx.onMeasured?.('start');
      for (const patientId of patients) {
        const outcome = await admit(patientId, target.id, `bench-fan-out-${patientId}`);
        if (outcome !== 'AdmitPatientSuccess') throw new Error(`admission refused: ${outcome}`);
      }
      const expected = n * patients.length;
      const deadline = Date.now() + 30_000 + n * 6;
      while (delays.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      ctx.onMeasured?.('end');
      const burstMs = performance.now() - burstStarted;
      const gatewayCpu = stack.cpuMs('gateway') - gatewayCpuBefore;
      const clientCpuUsage = process.cpuUsage(clientCpuBefore);
      const clientCpu = (clientCpuUsage.user + clientCpuUsage.system) / 1000;
      await new Promise((r) => setTimeout(r, 300));
      // Every subscriber should have the first event and the burst's, once each.
      const lost = received.reduce((s, count) => s + Math.max(0, patients.length + 1 - count), 0);
      const duplicated = received.reduce((s, count) => s + Math.max(0, count - patients.length - 1), 0);
      delays.sort((a, b) => a - b);
      figures.lost += lost + duplicated;
      rows.push([
        n.toLocaleString('en'),
        patients.length,
        delays.length.toLocaleString('en'),
        ms(percentile(delays, 50)),
        ms(percentile(delays, 99)),
        ms(delays.at(-1) ?? Number.NaN),
        `${ms(percentile(firstDelays.slice(1).sort((a, b) => a - b), 50))} / ${ms(Math.max(...firstDelays.slice(1)))}`,
        `${ms(percentile(firstEvent, 50))} / ${ms(percentile(firstEvent, 99))}`,
        // Below the baseline the collector shrank the heap: no per-subscriber figure then.
        `${(rssAfter / 2 ** 20).toFixed(0)} MiB (${rssAfter > baseline ? `${((rssAfter - baseline) / n / 1024).toFixed(1)} KiB each` : '–'})`,
        `${(burstMs / 1000).toFixed(1)} s: ${(gatewayCpu / 1000).toFixed(1)} s / ${(clientCpu / 1000).toFixed(1)} s`,
        lost,
        duplicated,
      ]);
      figures[`gatewayCpuMs_${n}`] = gatewayCpu;
      figures[`clientCpuMs_${n}`] = clientCpu;
      figures[`p99_${n}`] = percentile(delays, 99);
      // A subscription that failed (an error message, a socket closed early) is counted as lost too.
      figures.lost += failures;
      figures[`subscriberErrors_${n}`] = failures;
    } finally {
      await Promise.all(subscriptions.map((s) => s.close()));
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  const largest = size.subscribers.at(-1)!;
  // The floor: the same sockets, client and payload, written to by a process that does nothing else.
  if (!realPayload) throw new Error('no LiveBeds event arrived');
  const floor = await socketFloor({ subscribers: largest, events: size.burst, payload: realPayload, progress: ctx.progress });
  figures.lost += floor.lost + floor.duplicated;
  figures[`floorP99_${largest}`] = percentile(floor.delays, 99);
  rows.push([
    `${largest.toLocaleString('en')}, the floor: sockets only`,
    `${size.burst} events, one at a time`,
    floor.delays.length.toLocaleString('en'),
    ms(percentile(floor.delays, 50)),
    ms(percentile(floor.delays, 99)),
    ms(floor.delays.at(-1) ?? Number.NaN),
    '–',
    '–',
    '–',
    `${(floor.wallMs / 1000).toFixed(1)} s: ${(floor.serverCpuMs / 1000).toFixed(1)} s / ${(floor.clientCpuMs / 1000).toFixed(1)} s`,
    floor.lost,
    floor.duplicated,
  ]);
  return {
    title: `Subscription fan-out: LiveBeds (district ${district}, with district.cases from patients) on one gateway process, a burst of admissions`,
    table: table(['subscribers', 'admissions', 'events delivered', 'commit→client p50 ms', 'p99 ms', 'max ms', 'first subscriber p50 / max ms', 'first event after subscribing p50 / p99 ms', `gateway RSS (idle ${(baseline / 2 ** 20).toFixed(0)} MiB)`, 'burst: wall / CPU gateway / CPU clients', 'lost', 'duplicated'], rows),
    verdict:
      `At ${largest.toLocaleString('en')} subscribers p99 is ${ms(figures[`p99_${largest}`]!)} ms (goal ≤ 250 ms); ${figures.lost} events lost or duplicated, or subscriptions failed (goal 0). ` +
      `The floor (last row: a process that only writes each event to the same ${largest.toLocaleString('en')} sockets the gateway's way, read by the same clients, one event at a time, no commit, GraphQL or subgraph) ` +
      `reaches its p99 subscriber in ${ms(figures[`floorP99_${largest}`]!)} ms.`,
    figures,
  };
}

// ── 4. Writes under contention ─────────────────────────────────────────────────────────────────

type ContentionPath = 'facilities subgraph' | 'gateway' | 'in process';

/**
 * How an admission is sent by `path`: straight to the facilities subgraph as the gateway forwards
 * it (a signed viewer, the text), or to the gateway as our typed client sends it (a city officer's
 * token, the registered document's id).
 */
async function admissionRequests(ctx: BenchContext, path: ContentionPath): Promise<{ url: string; headers: Record<string, string>; body(patientId: string, facilityId: string): string }> {
  const variables = (patientId: string, facilityId: string) => ({ input: { patientId, facilityId, bedKind: 'GENERAL' } });
  if (path === 'gateway') {
    const documentId = documentIdOf(AdmitPatientDocument);
    if (!documentId) throw new Error('AdmitPatient has no registered document id: run npm run codegen');
    return {
      url: ctx.stack.gatewayUrl,
      headers: { accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${await issueDevToken(ctx.config, { role: 'CITY_OFFICER' })}` },
      body: (patientId, facilityId) => JSON.stringify({ documentId, variables: variables(patientId, facilityId) }),
    };
  }
  const viewerToken = await signViewer({ subject: 'bench-city-officer', role: 'CITY_OFFICER' }, ctx.config.internalSecret);
  return {
    url: ctx.stack.subgraphUrls.facilities,
    headers: { [VIEWER_HEADER]: viewerToken },
    body: (patientId, facilityId) => JSON.stringify({ query: ADMIT_PATIENT, variables: variables(patientId, facilityId) }),
  };
}

/**
 * Deals facilities into `hands` of equal size, the most free beds first, each to the hand with the
 * fewest free beds so far (greedy: close to even, not always the most even deal): the rounds'
 * shares of admissions and refusals, which cost different work, should not differ much by the
 * luck of the deal. What does not fill every hand is left out.
 */
export function dealEvenly<T extends { free: number }>(facilities: T[], hands: number): T[][] {
  const dealt = Array.from({ length: hands }, () => ({ free: 0, items: [] as T[] }));
  const size = Math.floor(facilities.length / hands);
  for (const facility of [...facilities].sort((a, b) => b.free - a.free).slice(0, size * hands)) {
    const hand = dealt.filter((h) => h.items.length < size).reduce((a, b) => (b.free < a.free ? b : a));
    hand.items.push(facility);
    hand.free += facility.free;
  }
  return dealt.map((h) => h.items);
}

/**
 * Resolves once every consumer of every subgraph has applied every committed event (its /readyz
 * lag): a round's registrations set off events in every subgraph, and applying them during the
 * round would be charged to its admissions.
 */
async function consumersCaughtUp(ctx: BenchContext): Promise<void> {
  const deadline = Date.now() + 120_000;
  // Events not yet applied, or undefined when a subgraph could not say (not ready, or its lag
  // could not be read this time): that is "not yet", not a failure, until the deadline.
  const behindAt = async (url: string): Promise<number | undefined> => {
    try {
      const response = await fetch(new URL('/readyz', url), { signal: AbortSignal.timeout(5_000) });
      const ready = (await response.json()) as { consumers?: { behind: number }[] };
      return response.ok && ready.consumers ? ready.consumers.reduce((s, c) => s + c.behind, 0) : undefined;
    } catch {
      return undefined;
    }
  };
  for (;;) {
    const behind = await Promise.all(Object.values(ctx.stack.subgraphUrls).map(behindAt));
    if (behind.every((n) => n === 0)) return;
    if (Date.now() > deadline) throw new Error(`consumers not caught up after 120 s (events behind per subgraph: ${behind.map((n) => n ?? 'unknown').join(', ')})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The contention scenario's floor: the facilities subgraph's admission command (`admitPatient`)
 * called in this process, on a runtime of its own over the facilities role's connections, with no
 * HTTP, no GraphQL and no answer to build. Every statement of the admission, its events and what
 * they set off in the other subgraphs' consumers are the same; what the subgraph adds on top is
 * the request's parsing, validation, execution and the answer's fields. Its CPU is this
 * process's (the table's "load generator").
 */
async function admissionsInProcess(ctx: BenchContext): Promise<{
  run(clients: number, count: number, admissionOf: (i: number) => [patientId: string, facilityId: string], outcomes: Record<string, number>): Promise<{ latencies: number[]; seconds: number }>;
  close(): Promise<void>;
}> {
  const log = createLogger('bench-facilities', 'error');
  const runtime = facilities.createRuntime({ runtime: runtimeOptions('facilities', subgraphDatabaseUrl(ctx.adminUrl, 'facilities'), log, ctx.config), log, config: ctx.config });
  const viewer: Viewer = { subject: 'bench-city-officer', role: 'CITY_OFFICER' };
  // The subgraph's pool is warm when a round starts; this one is opened here, before it, as far as
  // a pool can be: every connection connected. (Its prepared statements are still made by the
  // first admissions on each connection, in the round.)
  const pool = runtime.database.pool;
  const clients = await Promise.all(Array.from({ length: pool.options.max ?? 10 }, () => pool.connect()));
  for (const client of clients) client.release();
  return {
    run: (clients, count, admissionOf, outcomes) =>
      // A closed loop of `clients`, each taking the next patient when its last admission is done.
      countedLoop(clients, count, async (i) => {
        const [patientId, facilityId] = admissionOf(i);
        let kind: string;
        try {
          // A context per admission, as per request: its loaders are the request's.
          const { loaders } = facilities.createContext(runtime, viewer, `bench-${i}`);
          await admitPatient(runtime, viewer, { patientId, facilityId, bedKind: 'GENERAL' }, loaders);
          kind = 'AdmitPatientSuccess';
        } catch (error) {
          kind = error instanceof NoBedAvailable ? 'NoBedAvailable' : 'error';
          if (kind === 'error' && !outcomes.error) ctx.progress(`contention (in process): an admission failed: ${error instanceof Error ? error.message : String(error)}`);
        }
        outcomes[kind] = (outcomes[kind] ?? 0) + 1;
      }),
    close: () => runtime.close(),
  };
}

/**
 * One round of admissions from many clients into a few facilities of the district, by one path;
 * then the invariants over every bed row of the city.
 */
async function contentionRound(
  ctx: BenchContext,
  path: ContentionPath,
  targets: { id: string; ward: string; free: number }[],
): Promise<{ row: (string | number)[]; figures: Record<string, number>; cpu: string }> {
  const { size, district } = ctx;
  if (targets.length === 0) throw new Error(`no free GENERAL bed in district ${district}`);
  const free = targets.reduce((s, t) => s + t.free, 0);
  ctx.progress(`contention (${path}): registering ${size.contentionPatients} patients…`);
  const patients = await registerPatients(ctx, size.contentionPatients, targets[0]!.ward);
  await consumersCaughtUp(ctx);
  const outcomes: Record<string, number> = {};
  const inProcess = path === 'in process' ? await admissionsInProcess(ctx) : undefined;
  const admission = inProcess ? undefined : await admissionRequests(ctx, path as Exclude<ContentionPath, 'in process'>);
  ctx.progress(`contention (${path}): ${patients.length} admissions from ${size.contentionClients} clients into ${targets.length} facilities with ${free} free beds…`);
  // A profile's window is the last round through the stack (the gateway's): the floor's work is
  // in this process, which is not profiled.
  if (!inProcess) ctx.onMeasured?.('start');
  const cpuBefore = cpuSnapshot(ctx.stack);
  // Patient i goes to facility i mod the number of facilities.
  let latencies: number[];
  let seconds: number;
  try {
    if (inProcess) {
      ({ latencies, seconds } = await inProcess.run(size.contentionClients, patients.length, (i) => [patients[i]!, targets[i % targets.length]!.id], outcomes));
    } else {
      const sent = await httpRequests({
        url: admission!.url,
        headers: admission!.headers,
        connections: size.contentionClients,
        count: patients.length,
        bodyOf: (i) => admission!.body(patients[i]!, targets[i % targets.length]!.id),
      });
      ({ latencies, seconds } = sent);
      // As the typed client judges an answer: not 200, not JSON or with errors is an error.
      for (let i = 0; i < patients.length; i++) {
        const answer = sent.answers.get(i);
        let kind = 'error';
        try {
          const body = answer?.status === 200 ? (JSON.parse(answer.text) as { data?: { admitPatient?: { __typename?: string } }; errors?: unknown[] }) : undefined;
          if (body && !body.errors?.length) kind = body.data?.admitPatient?.__typename ?? 'error';
        } catch {
          // not JSON: an error
        }
        outcomes[kind] = (outcomes[kind] ?? 0) + 1;
      }
    }
  } finally {
    await inProcess?.close();
  }
  // The event handlers the admissions set off in patients and workforce run meanwhile; what is
  // still queued at the end falls outside (the consumers keep up in this scenario).
  const cpu = cpuSpent(cpuBefore, cpuSnapshot(ctx.stack), patients.length);
  if (!inProcess) ctx.onMeasured?.('end');
  latencies.sort((a, b) => a - b);

  const [overCapacity, mismatched] = await withPgClient(ctx.adminUrl, async (client) => {
    const count = async (query: string) => Number((await client.query<{ count: string }>(query)).rows[0]!.count);
    return [
      await count('select count(*) from facilities.bed where occupied > covid_designated or occupied < 0'),
      await count(`
        select count(*) from facilities.bed b
         where b.occupied <> (select count(*) from facilities.admission a
                               where a.facility_id = b.facility_id and a.bed_kind = b.kind and a.discharged_at is null)`),
    ];
  });
  const admitted = outcomes.AdmitPatientSuccess ?? 0;
  const errors = (outcomes.error ?? 0) + Object.entries(outcomes).filter(([k]) => k !== 'AdmitPatientSuccess' && k !== 'NoBedAvailable' && k !== 'error').reduce((s, [, n]) => s + n, 0);
  const attemptsPerSecond = patients.length / seconds;
  // Patient i goes to facility i mod 3: each facility can fill its free beds or its attempts.
  const fillable = targets.reduce((sum, t, f) => sum + Math.min(t.free, Math.ceil((patients.length - f) / targets.length)), 0);
  return {
    row: [
      path,
      patients.length,
      size.contentionClients,
      `${targets.length} (${free} free beds)`,
      admitted,
      outcomes.NoBedAvailable ?? 0,
      errors,
      attemptsPerSecond.toFixed(0),
      ms(percentile(latencies, 50)),
      ms(percentile(latencies, 99)),
      overCapacity,
      mismatched,
    ],
    // An admission beyond the free beds would be overbooking even if the counter agreed.
    figures: { admitted, free, overCapacity, mismatched, errors, attemptsPerSecond, overbooked: Math.max(0, admitted - free), fillable },
    cpu: describeCpu(cpu, 'attempt'),
  };
}

export async function writesUnderContention(ctx: BenchContext): Promise<ScenarioResult> {
  // The nine facilities with the most free beds, three to each path, dealt so that the paths
  // meet about as many free beds: the subgraph first, then the gateway, then the floor.
  const candidates = await facilitiesWithBeds(ctx.adminUrl, ctx.district, 9);
  if (candidates.length < 9) throw new Error(`the contention scenario needs 9 facilities with free GENERAL beds in district ${ctx.district}; it has ${candidates.length}`);
  const [forSubgraph, forGateway, forFloor] = dealEvenly(candidates, 3);
  const direct = await contentionRound(ctx, 'facilities subgraph', forSubgraph!);
  const gateway = await contentionRound(ctx, 'gateway', forGateway!);
  const floor = await contentionRound(ctx, 'in process', forFloor!);
  const rounds = [direct, gateway, floor];
  const sum = (key: string) => rounds.reduce((s, r) => s + r.figures[key]!, 0);
  const figures = {
    admitted: sum('admitted'),
    free: sum('free'),
    overCapacity: Math.max(...rounds.map((r) => r.figures.overCapacity!)),
    mismatched: Math.max(...rounds.map((r) => r.figures.mismatched!)),
    overbooked: sum('overbooked'),
    /** Admissions there should have been: each facility's free beds filled, or its every attempt admitted. */
    fillable: sum('fillable'),
    errors: sum('errors'),
    subgraphAttemptsPerSecond: direct.figures.attemptsPerSecond!,
    gatewayAttemptsPerSecond: gateway.figures.attemptsPerSecond!,
    inProcessAttemptsPerSecond: floor.figures.attemptsPerSecond!,
  };
  return {
    title: 'Writes under contention: many clients admitting into few facilities, at the facilities subgraph, through the gateway, and the admission command in process (the floor)',
    table: table(
      ['path', 'admissions tried', 'clients', 'facilities', 'admitted', 'no bed', 'errors', 'attempts/s', 'p50 ms', 'p99 ms', 'over capacity', 'counter ≠ admissions'],
      [direct.row, gateway.row, floor.row],
    ),
    verdict:
      `${figures.subgraphAttemptsPerSecond.toFixed(0)} attempts/s at the facilities subgraph (goal ≥ 500) and ${figures.gatewayAttemptsPerSecond.toFixed(0)} through the gateway (goal ≥ 250); ` +
      `${figures.admitted} admitted of ${figures.free} free beds; ${figures.overCapacity} beds over capacity and ${figures.mismatched} counters out of step (goal 0). ` +
      `At the subgraph, ${direct.cpu}; through the gateway, ${gateway.cpu} (500 attempts/s on ${CORES} cores allow ${msPerOperationAt(500).toFixed(1)} ms in all). ` +
      `The floor (last row: the subgraph's admission command called in the bench's process, no HTTP, GraphQL or answer; the same statements, events and consumers): ` +
      `${figures.inProcessAttemptsPerSecond.toFixed(0)} attempts/s, ${floor.cpu}.`,
    figures,
  };
}

// ── 5. City scale ──────────────────────────────────────────────────────────────────────────────

export async function cityScale(ctx: BenchContext, scale: string): Promise<ScenarioResult> {
  const { stack, size, district } = ctx;
  const token = await issueDevToken(ctx.config, { role: 'CITY_OFFICER' });
  const headers = { authorization: `Bearer ${token}` };
  // Distinct officers (see distinctClients): the answers are the same for all, but the gateway
  // merges only one viewer's requests in flight.
  const clients = await distinctClients(ctx, 'CITY_OFFICER');
  const rows: (string | number)[][] = [];
  const figures = { failures: 0 } as Record<string, number> & { failures: number };
  let breakdown: CpuSpent | undefined;
  for (const [name, query, variables] of [
    ['CityOverview', CITY_OVERVIEW, {}],
    ['District.vaccination × 30', CITY_VACCINATION, {}],
    ['CapacityBoard', CAPACITY_BOARD, { district }],
  ] as const) {
    const data = await post(stack.gatewayUrl, query, variables, headers);
    const body = JSON.stringify({ query, variables });
    for (const connections of [1, size.connections]) {
      ctx.progress(`city scale: ${name}, ${connections} connection(s), ${size.seconds} s…`);
      const before = cpuSnapshot(stack);
      const answers = name === 'CityOverview' ? { check: cityOverviewCheck(data) } : { expectBody: JSON.stringify({ data }) };
      const result = await httpLoad({ label: name, url: stack.gatewayUrl, body, headers: {}, clients, connections, seconds: size.seconds, ...answers });
      if (result.firstMismatch) ctx.progress(`city scale: ${name}: ${failedAnswers(result)}`);
      const spent = cpuSpent(before, cpuSnapshot(stack), result.requests);
      const gateway = spent.services.gateway!;
      rows.push([name, connections, result.rps.toFixed(0), ms(result.p50), ms(result.p95), ms(result.p99), gateway.toFixed(2), (spent.machine - gateway).toFixed(2), result.failures]);
      figures.failures += result.failures;
      if (name === 'CityOverview' && connections > 1) {
        breakdown = spent;
      }
    }
  }
  // At 16 connections the two cores are full: throughput is the cores' time over the CPU the
  // whole machine spends per request, and 150 req/s needs at most cores × 1000 / 150 ms of it.
  return {
    title: `City scale (--scale ${scale}): the dashboard's CityOverview (30 districts × 5 subgraph fields), its vaccination part alone, and CapacityBoard through the gateway`,
    table: table(['operation', 'connections', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'gateway CPU ms per request', 'rest of the machine CPU ms per request', 'failed'], rows),
    verdict:
      `CityOverview p95 ${rows[0]![4]} ms at 1 connection (goal ≤ 100 ms) and ${rows[1]![2]} req/s at ${size.connections} (goal ≥ 150); ` +
      (breakdown
        ? `at ${size.connections} connections the machine spent ${breakdown.machine.toFixed(1)} ms of CPU per CityOverview, ` +
          `where 150 req/s on ${CORES} cores allow ${msPerOperationAt(150).toFixed(1)} ms (${describeCpu(breakdown, 'request')})`
        : '') +
      '; ' +
      `District.vaccination for all 30 districts p50 ${rows[2]![3]} ms, p99 ${rows[2]![5]} ms at 1 connection.` +
      failedClause(figures.failures),
    figures,
  };
}
