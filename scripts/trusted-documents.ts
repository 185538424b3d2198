/**
 * Writes gateway/trusted-documents.json, the documents partners may send by hash: every operation
 * of the typed client (gateway/client/generated/persisted-documents.json, written by
 * `npm run codegen`) and every operation of the contract (test/contract/operations.graphql), each
 * printed alone with the fragments it uses and keyed by "sha256:" + the hex sha256 of that text.
 *
 *   tsx scripts/trusted-documents.ts           rewrite the manifest
 *   tsx scripts/trusted-documents.ts --check   fail when it is out of date
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../subgraphs/common/config.js';
import { buildTrustedManifest, TRUSTED_DOCUMENTS_FILE } from '../gateway/trusted-documents.js';

const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');
const client = JSON.parse(read('gateway/client/generated/persisted-documents.json')) as Record<string, string>;
const manifest = `${JSON.stringify(buildTrustedManifest({ client, contract: read('test/contract/operations.graphql') }), null, 2)}\n`;
const target = path.join(REPO_ROOT, TRUSTED_DOCUMENTS_FILE);

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing: out of date
  }
  if (current !== manifest) {
    console.error(`${TRUSTED_DOCUMENTS_FILE} is out of date: run npm run codegen`);
    process.exit(1);
  }
} else {
  writeFileSync(target, manifest);
  console.log(`wrote ${TRUSTED_DOCUMENTS_FILE} (${Object.keys(JSON.parse(manifest) as object).length} documents)`);
}
