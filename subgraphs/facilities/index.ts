/** The facilities subgraph: districts, wards, facilities, beds and admissions. */
import { SubgraphRuntime } from '../common/runtime.js';
import type { SubgraphDefinition } from '../common/service.js';
import { createContext, type FacilitiesContext } from './context.js';
import type { FacilitiesDB } from './db/tables.js';
import { registerConsumers } from './events/consumers.js';
import { migrations } from './migrations/index.js';
import { schema } from './schema/index.js';

export const facilities: SubgraphDefinition<FacilitiesDB, FacilitiesContext> = {
  name: 'facilities',
  schema,
  migrations,
  createRuntime: ({ databaseUrl, log }) => {
    const runtime = new SubgraphRuntime<FacilitiesDB>({ name: 'facilities', databaseUrl, log });
    registerConsumers(runtime);
    return runtime;
  },
  createContext,
};
