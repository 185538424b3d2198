/** The bench's .cpuprofile reader: self time per frame, grouped by owning package, inside a time window. */
import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../../subgraphs/common/config.js';
import { groupOf, summarizeProfile, type CpuProfile } from '../../scripts/bench/cpuprofile.js';

const file = (relative: string) => pathToFileURL(path.join(REPO_ROOT, relative)).href;
const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });

describe('cpuprofile reader', () => {
  it('groups frames by the package that owns them', () => {
    expect(groupOf(frame('execute', file('node_modules/graphql/execution/execute.js')))).toBe('graphql-js');
    expect(groupOf(frame('x', file('node_modules/@pothos/plugin-scope-auth/esm/index.js')))).toBe('Pothos');
    expect(groupOf(frame('x', file('node_modules/@apollo/server/dist/esm/runHttpQuery.js')))).toBe('Apollo Server');
    expect(groupOf(frame('x', file('node_modules/express/lib/router.js')))).toBe('express');
    expect(groupOf(frame('x', file('node_modules/pg-protocol/dist/parser.js')))).toBe('pg');
    expect(groupOf(frame('x', file('node_modules/dataloader/index.js')))).toBe('DataLoader');
    expect(groupOf(frame('x', file('node_modules/@graphql-hive/router-runtime/dist/index.js')))).toBe('Hive Gateway (Rust planner)');
    expect(groupOf(frame('x', file('node_modules/@graphql-hive/gateway-runtime/dist/index.js')))).toBe('Hive Gateway');
    expect(groupOf(frame('stringify', ''))).toBe('JSON');
    expect(groupOf(frame('(garbage collector)', ''))).toBe('GC');
    expect(groupOf(frame('listOnTimeout', 'node:internal/timers'))).toBe('Node core');
    expect(groupOf(frame('resolve', file('subgraphs/facilities/schema/facility.ts')))).toBe('our code');
  });

  it('charges each sample the time to the next one, counts only samples inside the window and leaves idle out', () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(idle)', '') },
        { id: 2, callFrame: frame('execute', file('node_modules/graphql/execution/execute.js')) },
        { id: 3, callFrame: frame('resolve', file('subgraphs/facilities/schema/facility.ts')) },
      ],
      startTime: 1_000,
      endTime: 2_000,
      // Samples at 1100, 1200, 1500, 1600, 1900 µs.
      samples: [2, 3, 2, 1, 2],
      timeDeltas: [100, 100, 300, 100, 300],
    };
    const all = summarizeProfile(profile);
    expect(all.groups.map((g) => [g.group, Number(g.selfMs.toFixed(3))])).toEqual([['our code', 0.3], ['graphql-js', 0.2]]);
    expect(all.idleMs).toBeCloseTo(0.3);
    expect(all.busyMs).toBeCloseTo(0.5);
    // The window drops the first sample (1100 µs) and the last (1900 µs).
    const windowed = summarizeProfile(profile, { fromUs: 1_150, toUs: 1_800 });
    expect(windowed.frames.map((f) => [f.group, Number(f.selfMs.toFixed(3))])).toEqual([['our code', 0.3], ['graphql-js', 0.1]]);
  });
});
