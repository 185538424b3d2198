/** The facilities subgraph schema: imports every type file, then builds. */
import { builder } from '../builder.js';
import './enums.js';
import './errors.js';
import './capacity.js';
// Wards before districts: the order their query fields appear in the published SDL.
import './ward.js';
import './district.js';
import './facility.js';
import './bed-finder.js';
import './admission.js';
import './referral.js';
import './capacity-admin.js';
import './contacts.js';
import './subscriptions.js';
import './city.js';
import './report.js';
import './trends.js';

export const schema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
  federationDirectives: ['@key', '@shareable', '@external', '@requires', '@extends'],
});
