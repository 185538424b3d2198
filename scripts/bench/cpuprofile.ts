/**
 * Reads V8 `.cpuprofile` files (what `node --cpu-prof` writes) and summarises where a process
 * spent its CPU: self time per frame, and the same time grouped by the package that owns it.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../../subgraphs/common/config.js';
import { table } from './load.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface FrameTime {
  frame: string;
  group: string;
  selfMs: number;
}

export interface ProfileSummary {
  /** Sampled time that was not idle, in ms. */
  busyMs: number;
  idleMs: number;
  groups: { group: string; selfMs: number }[];
  frames: FrameTime[];
}

/** Packages (as they appear under node_modules) and the group a reader of the profile cares about. */
const PACKAGE_GROUPS: [RegExp, string][] = [
  [/^graphql$/, 'graphql-js'],
  [/^@pothos\//, 'Pothos'],
  [/^@apollo\/(server|server-gateway-interface|utils\.)/, 'Apollo Server'],
  [/^@apollo\/(gateway|query-planner|federation-internals|composition)/, 'Apollo gateway'],
  [/^@apollo\/subgraph$/, 'Apollo subgraph'],
  [/^(express|router|body-parser|raw-body|iconv-lite|etag|send|finalhandler|on-finished|type-is|content-type|accepts|negotiator|mime-types|qs|cookie|fresh|vary|depd|debug|@as-integrations\/express5)$/, 'express'],
  [/^dataloader$/, 'DataLoader'],
  [/^(pg|pg-protocol|pg-types|pg-pool|pg-connection-string|postgres-date|postgres-array|postgres-interval|postgres-bytea|pgpass)$/, 'pg'],
  [/^kysely$/, 'Kysely'],
  [/^(@graphql-hive\/router-runtime|@graphql-hive\/router-query-planner)$/, 'Hive Gateway (Rust planner)'],
  [/^(@graphql-hive|@graphql-mesh|@graphql-tools|@graphql-yoga|graphql-yoga|@envelop|@whatwg-node|@graphql-inspector|@theguild)\b/, 'Hive Gateway'],
  [/^(graphql-ws|ws)$/, 'WebSockets'],
  [/^(pino|pino-std-serializers|sonic-boom|thread-stream|fast-redact|quick-format-unescaped)$/, 'pino'],
  [/^@opentelemetry\//, 'OpenTelemetry'],
  [/^(jose)$/, 'jose (JWT)'],
  [/^@escape\.tech\/graphql-armor/, 'graphql-armor'],
  [/^(tsx|esbuild|get-tsconfig|source-map-support)$/, 'tsx loader'],
];

function packageOf(filePath: string): string | undefined {
  const at = filePath.lastIndexOf('/node_modules/');
  if (at < 0) return undefined;
  const parts = filePath.slice(at + '/node_modules/'.length).split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

/** The group a frame's self time is counted under. */
export function groupOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(program)') return 'V8/native (program)';
  if (!url) {
    // V8 builtins carry no script: JSON and regular expressions are the ones that add up.
    if (/^(JSON\.)?(stringify|parse)$|^JSON/.test(functionName)) return 'JSON';
    return 'V8 builtins';
  }
  if (url.startsWith('node:')) return /^node:(_?http|https|net|stream|internal\/(http|streams|stream_base|net))/.test(url) ? 'Node http/net' : 'Node core';
  const file = url.startsWith('file:') ? fileURLToPath(url) : url;
  const pkg = packageOf(file);
  if (pkg) {
    for (const [pattern, group] of PACKAGE_GROUPS) if (pattern.test(pkg)) return group;
    return `other: ${pkg}`;
  }
  if (file.startsWith(REPO_ROOT)) return 'our code';
  return 'other';
}

function frameName(frame: CallFrame): string {
  const { url, functionName, lineNumber } = frame;
  const name = functionName || '(anonymous)';
  if (!url) return name;
  let file = url.startsWith('file:') ? fileURLToPath(url) : url;
  const at = file.lastIndexOf('/node_modules/');
  file = at >= 0 ? file.slice(at + '/node_modules/'.length) : file.startsWith(REPO_ROOT) ? file.slice(REPO_ROOT.length + 1) : file;
  return `${name} ${file}:${lineNumber + 1}`;
}

/** Self time per frame (samples × their time deltas), grouped by package. */
export function summarizeProfile(profile: CpuProfile, window?: { fromUs: number; toUs: number }): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  // A sample's time is the delta to the next sample (V8 stores the delta before each one).
  // Timestamps are CLOCK_MONOTONIC microseconds, so a window taken in another process applies.
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (window && (at < window.fromUs || at > window.toUs)) continue;
    const next = profile.timeDeltas[i + 1] ?? 0;
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, next));
  }
  const frames = new Map<string, FrameTime>();
  const groups = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const group = groupOf(node.callFrame);
    const key = frameName(node.callFrame);
    const entry = frames.get(key) ?? { frame: key, group, selfMs: 0 };
    entry.selfMs += us / 1000;
    frames.set(key, entry);
    groups.set(group, (groups.get(group) ?? 0) + us / 1000);
  }
  const idleMs = groups.get('idle') ?? 0;
  groups.delete('idle');
  const busyMs = [...groups.values()].reduce((s, v) => s + v, 0);
  return {
    busyMs,
    idleMs,
    groups: [...groups].map(([group, selfMs]) => ({ group, selfMs })).sort((a, b) => b.selfMs - a.selfMs),
    frames: [...frames.values()].filter((f) => f.group !== 'idle').sort((a, b) => b.selfMs - a.selfMs),
  };
}

export function readProfile(file: string): CpuProfile {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
}

const pct = (part: number, whole: number) => `${whole > 0 ? ((100 * part) / whole).toFixed(1) : '0.0'} %`;

/** Markdown: the groups, then the top frames, of one process; `perRequest` divides by requests served. */
export function renderProfile(name: string, summary: ProfileSummary, requests: number, topFrames = 15): string {
  const perRequest = (ms: number) => (requests > 0 ? (ms / requests).toFixed(3) : '–');
  const groups = table(
    ['group', 'self ms', 'share of busy', 'ms per request'],
    summary.groups.map((g) => [g.group, g.selfMs.toFixed(0), pct(g.selfMs, summary.busyMs), perRequest(g.selfMs)]),
  );
  const frames = table(
    ['frame', 'group', 'self ms', 'share'],
    summary.frames.slice(0, topFrames).map((f) => [f.frame.replaceAll('|', '\\|'), f.group, f.selfMs.toFixed(0), pct(f.selfMs, summary.busyMs)]),
  );
  return [
    `##### ${name}: ${summary.busyMs.toFixed(0)} ms busy (${perRequest(summary.busyMs)} ms per request over ${requests} requests), ${summary.idleMs.toFixed(0)} ms idle`,
    groups,
    `Top ${topFrames} frames by self time:`,
    frames,
  ].join('\n\n');
}
