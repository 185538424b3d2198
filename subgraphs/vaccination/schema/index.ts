/** The vaccination subgraph schema: imports every type file, then builds. */
import { builder } from '../builder.js';
import './enums.js';
import './errors.js';
// In the order their mutation and query fields appear in the published SDL.
import './record.js';
import './resident.js';
import './home-request.js';
import './sites.js';
import './refusal.js';
import './coverage.js';
import './patient.js';
import './report.js';

export const schema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
  federationDirectives: ['@key', '@shareable', '@external', '@requires', '@extends'],
});
