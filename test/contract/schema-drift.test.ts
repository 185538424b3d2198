import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { REPO_ROOT, SUBGRAPH_NAMES } from '../../subgraphs/common/config.js';

describe('committed SDL in schema/', () => {
  it('matches what the code produces (npm run schema:check)', () => {
    // Run the real script: the same check a developer runs, in a clean process.
    const run = () =>
      execFileSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'scripts/compose.ts'), '--check'], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        stdio: 'pipe',
      });
    expect(run()).toContain('schema/ is up to date');
  });

  it('holds every subgraph and the supergraph, each field described', () => {
    for (const name of [...SUBGRAPH_NAMES, 'supergraph']) {
      const sdl = readFileSync(path.join(REPO_ROOT, 'schema', `${name}.graphql`), 'utf8');
      expect(sdl.length).toBeGreaterThan(100);
    }
  });
});
