/**
 * The typed client (gateway/client/generated) is generated from schema/supergraph.graphql and
 * the operations; this fails when either changed without `npm run codegen`.
 */
import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../subgraphs/common/config.js';

describe('typed client', () => {
  it('is up to date with the supergraph and the operations (npm run codegen)', async () => {
    const bin = path.join(REPO_ROOT, 'node_modules', '.bin', 'graphql-codegen');
    const run = promisify(execFile)(bin, ['--config', 'gateway/client/codegen.yml', '--check'], { cwd: REPO_ROOT, env: { ...process.env, NODE_OPTIONS: '' } });
    await expect(run).resolves.toBeDefined();
  }, 60_000);
});
