/** Every subgraph of the graph, for the scripts, the gateway and the tests. */
import type { SubgraphName } from './common/config.js';
import type { SubgraphDefinition } from './common/service.js';
import type { MigrationSet } from './common/db/setup.js';
import { facilities } from './facilities/index.js';
import { patients } from './patients/index.js';
import { workforce } from './workforce/index.js';
import { vaccination } from './vaccination/index.js';

export const SUBGRAPHS: Record<SubgraphName, SubgraphDefinition> = { facilities, patients, workforce, vaccination };

export const MIGRATIONS: Record<SubgraphName, MigrationSet> = {
  facilities: facilities.migrations,
  patients: patients.migrations,
  workforce: workforce.migrations,
  vaccination: vaccination.migrations,
};
