/** The workforce subgraph schema: imports every type file, then builds. */
import { builder } from '../builder.js';
import './enums.js';
import './errors.js';
// Care before workers before teams: the order their mutations appear in the published SDL.
import './care-assignment.js';
import './health-worker.js';
import './team.js';
import './patient.js';
import './workforce-stats.js';
import './district.js';
import './ward.js';
import './facility.js';

export const schema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
  federationDirectives: ['@key', '@shareable', '@external', '@requires', '@extends'],
});
