/**
 * Apollo Server hashes every request's query text with @apollo/utils.createhash, which looked
 * Node's crypto up with `module.require("crypto")` on every call. Each lookup runs the module
 * resolver, and with our services running under tsx, tsx's resolver hook too: about 2.5 % of the
 * facilities subgraph's CPU on a CapacityBoard page. The patch in gateway/patches looks it up once.
 *
 * Jest's own module system stands in for Node's, so the check runs in a plain Node process that
 * counts the resolver's calls.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';

const require = createRequire(import.meta.url);

const PROBE = `
const Module = require('node:module');
const { createHash: nodeHash } = require('node:crypto');
const [file] = process.argv.slice(1);
const { createHash } = require(file);
createHash('sha256');
let resolves = 0;
const resolve = Module._resolveFilename;
Module._resolveFilename = function (...args) { resolves++; return resolve.apply(this, args); };
const same = createHash('sha256').update('{ facilities { totalCount } }').digest('hex') ===
  nodeHash('sha256').update('{ facilities { totalCount } }').digest('hex');
for (let i = 0; i < 100; i++) createHash('sha256').update('q' + i).digest('hex');
console.log(JSON.stringify({ resolves, same }));
`;

describe('@apollo/utils.createhash (patched)', () => {
  // Apollo Server's copy, and @apollo/gateway's (the benchmark's comparison gateway).
  const copies = {
    '@apollo/server': require.resolve('@apollo/utils.createhash', { paths: [require.resolve('@apollo/server')] }),
    '@apollo/gateway': require.resolve('@apollo/utils.createhash', { paths: [require.resolve('@apollo/gateway')] }),
  };

  it.each(Object.entries(copies))("%s's copy hashes as Node's crypto does, without resolving a module per call", (_, file) => {
    const out = JSON.parse(execFileSync(process.execPath, ['-e', PROBE, file], { encoding: 'utf8' })) as { resolves: number; same: boolean };
    expect(out).toEqual({ resolves: 0, same: true });
  });
});
