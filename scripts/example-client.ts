/**
 * The typed client in use, as the integration team would write it: find a bed for a patient,
 * then watch the district's beds live.
 *
 *   npm start                                     (another terminal)
 *   npm run example -- --ward 00337 --tier TIER_2 [--events 5] [--url http://localhost:4000/graphql]
 *
 * Credentials: HRG_TOKEN (a JWT) or HRG_API_KEY; without either, a development DASHBOARD token is
 * issued with the development secret (never accepted where a JWKS is configured).
 */
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { createHrgClient, FindBedDocument, LiveBedsDocument, type TreatmentTier } from '../gateway/client/index.js';
import { loadConfig } from '../subgraphs/common/config.js';
import { issueDevToken } from '../subgraphs/common/auth/dev-tokens.js';

const TIERS = ['TIER_1', 'TIER_2', 'TIER_3', 'TIER_4'];
const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    ward: { type: 'string', default: '00337' },
    tier: { type: 'string', default: 'TIER_2' },
    events: { type: 'string' },
  },
});
if (!/^\d{5}$/.test(values.ward!)) {
  console.error(`--ward must be a five-digit official ward code, e.g. 00337; got "${values.ward}"`);
  process.exit(2);
}
if (!TIERS.includes(values.tier!)) {
  console.error(`--tier must be one of ${TIERS.join(', ')}; got "${values.tier}"`);
  process.exit(2);
}
const maxEvents = values.events === undefined ? Number.POSITIVE_INFINITY : Number(values.events);

const config = loadConfig();
const url = values.url ?? config.gatewayUrl;
const apiKey = process.env.HRG_API_KEY;
const token = process.env.HRG_TOKEN ?? (apiKey ? undefined : await issueDevToken(config, { role: 'DASHBOARD', subject: 'example-client' }));
const client = createHrgClient({ url, token, apiKey, webSocketImpl: WebSocket });

const { bedFinder } = await client.request(FindBedDocument, { ward: values.ward!, tier: values.tier as TreatmentTier });
console.log(`FindBed ${values.tier} near ward ${values.ward}:`);
if (bedFinder.length === 0) console.log('  no free bed in the city for this tier');
for (const match of bedFinder) {
  console.log(`  ${String(match.available).padStart(4)} free ${match.bedKind.padEnd(14)} ${match.facility.name} (${match.facility.district.name})`);
}

const district = bedFinder[0]?.facility.district.code;
console.log(`\nLiveBeds for district ${district ?? '(all)'}; Ctrl-C to stop…`);
let seen = 0;
process.on('SIGINT', () => void client.dispose().then(() => process.exit(0)));
for await (const { bedOccupancyChanged: e } of client.subscribe(LiveBedsDocument, { district })) {
  console.log(`  ${e.at} ${e.facility.name}: ${e.bedKind} ${e.occupied}/${e.total} occupied (${e.cause}); district active cases ${e.facility.district.cases.active}`);
  if (++seen >= maxEvents) break;
}
await client.dispose();
