/**
 * Writes gateway/trusted-documents.json, the documents partners may send by hash: every operation
 * of the typed client (gateway/client/generated/persisted-documents.json, written by
 * `npm run codegen`), every operation of the contract (test/contract/operations.graphql), each
 * printed alone with the fragments it uses, and the operations internal clients (subgraphs reading
 * through the gateway) send by id; each keyed by "sha256:" + the hex sha256 of its text.
 *
 *   tsx scripts/trusted-documents.ts           rewrite the manifest
 *   tsx scripts/trusted-documents.ts --check   fail when it is out of date
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../subgraphs/common/config.js';
import { buildTrustedManifest, TRUSTED_DOCUMENTS_FILE } from '../gateway/trusted-documents.js';
import { FACTS as EPIDEMIC_LEVEL_FACTS } from '../subgraphs/patients/events/assessor.js';
import { AREA as QUARANTINE_AREA } from '../subgraphs/patients/commands/quarantine-areas.js';
import { FACILITY as FACILITY_WARD } from '../subgraphs/common/facility-directory.js';
import { TEAM as VACCINATION_TEAM } from '../subgraphs/vaccination/commands/team-directory.js';

/** What internal clients send by id (subgraphs/common/internal-documents.ts). */
const INTERNAL_OPERATIONS = [EPIDEMIC_LEVEL_FACTS, QUARANTINE_AREA, FACILITY_WARD, VACCINATION_TEAM];

const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');
const client = JSON.parse(read('gateway/client/generated/persisted-documents.json')) as Record<string, string>;
const manifest = `${JSON.stringify(buildTrustedManifest({ client, contract: read('test/contract/operations.graphql'), internal: INTERNAL_OPERATIONS }), null, 2)}\n`;
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
