/** The vaccination subgraph schema. */
import { builder } from '../builder.js';
import './vaccination.js';
import './report.js';

export const schema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
  federationDirectives: ['@key', '@shareable', '@external', '@requires', '@extends'],
});
