/**
 * Prints a development token.
 *
 *   npm run token -- CITY_OFFICER
 *   npm run token -- WARD_OFFICER --ward 00337
 *   npm run token -- DISTRICT_OFFICER --district 008 --ttl 3600
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../subgraphs/common/config.js';
import { ROLES, isRole } from '../subgraphs/common/auth/viewer.js';
import { findDistrict, findWard } from '../subgraphs/common/admin-units.js';
import { issueDevToken } from '../subgraphs/common/auth/dev-tokens.js';

const usage = `usage: npm run token -- <role> [--ward CODE] [--district CODE] [--ttl SECONDS] [--sub SUBJECT]
roles: ${ROLES.join(', ')}`;

function fail(message: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { ward: { type: 'string' }, district: { type: 'string' }, ttl: { type: 'string' }, sub: { type: 'string' } },
});
const role = positionals[0]?.toUpperCase();
if (!role || !isRole(role)) fail(role ? `unknown role ${role}` : 'a role is required');
if (role === 'WARD_OFFICER' && !values.ward) fail('WARD_OFFICER needs --ward');
if ((role === 'DISTRICT_OFFICER' || role === 'VACCINATOR') && !values.district) fail(`${role} needs --district`);
if (values.ward && !findWard(values.ward)) fail(`no ward has code ${values.ward}`);
if (values.district && !findDistrict(values.district)) fail(`no district has code ${values.district}`);
const ttl = values.ttl ? Number(values.ttl) : undefined;
if (ttl !== undefined && (!Number.isInteger(ttl) || ttl <= 0)) fail('--ttl must be a positive number of seconds');

const config = loadConfig();
if (config.jwksUrl) fail('JWKS_URL is set: tokens come from your identity provider, not from this script');
console.log(await issueDevToken(config, { role, ward: values.ward, district: values.district, ttlSeconds: ttl, subject: values.sub }));
