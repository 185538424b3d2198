/** The workforce subgraph schema. */
import { builder } from '../builder.js';
import './worker.js';
import './areas.js';

export const schema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
  federationDirectives: ['@key', '@shareable', '@external', '@requires', '@extends'],
});
