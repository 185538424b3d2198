/**
 * gateway/trusted-documents.json registers the typed client's and the contract's operations for
 * partners; this fails when either changed without `npm run codegen` (which rewrites it).
 */
import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse, print } from 'graphql';
import { readFileSync } from 'node:fs';
import { REPO_ROOT } from '../../subgraphs/common/config.js';
import { loadTrustedDocuments } from '../../gateway/trusted-documents.js';
import { documentHash } from '../../subgraphs/common/internal-documents.js';

describe('trusted documents manifest', () => {
  it('is up to date with the typed client and the contract (npm run codegen)', async () => {
    const bin = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
    const run = promisify(execFile)(bin, ['scripts/trusted-documents.ts', '--check'], { cwd: REPO_ROOT, env: { ...process.env, NODE_OPTIONS: '' } });
    await expect(run).resolves.toBeDefined();
  }, 60_000);

  it('holds every contract operation under the sha256 of its text, and every document of the typed client', () => {
    const manifest = loadTrustedDocuments();
    for (const [id, text] of manifest) expect(documentHash(text)).toBe(id);
    const contract = parse(readFileSync(path.join(REPO_ROOT, 'test/contract/operations.graphql'), 'utf8'));
    for (const operation of contract.definitions) {
      const text = print({ kind: 'Document', definitions: [operation] } as never);
      expect(manifest.get(documentHash(text))).toBe(text);
    }
    const client = JSON.parse(readFileSync(path.join(REPO_ROOT, 'gateway/client/generated/persisted-documents.json'), 'utf8')) as Record<string, string>;
    for (const [id, text] of Object.entries(client)) expect(manifest.get(id)).toBe(text);
  });
});
