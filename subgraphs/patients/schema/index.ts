/** The patients subgraph schema. */
import { builder } from '../builder.js';
import './enums.js';
import './errors.js';
import './geography.js';
import './epidemic.js';
import './declared-level.js';
import './patient.js';
import './clinical.js';
import './help.js';
import './subscriptions.js';
import './supplies.js';
import './report.js';
import './report-duty.js';
import './treatment.js';
import './contacts.js';
import './trends.js';

export const schema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
  federationDirectives: ['@key', '@shareable', '@external', '@requires', '@extends'],
});
