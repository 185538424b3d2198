/** The workforce subgraph: health workers, teams, assignments and caseloads. */
import { SubgraphRuntime } from '../common/runtime.js';
import type { SubgraphDefinition } from '../common/service.js';
import { createContext, type WorkforceContext } from './context.js';
import type { WorkforceDB } from './db/tables.js';
import { registerConsumers } from './events/consumers.js';
import { FACILITY_DIRECTORY, FacilityDirectory } from '../common/facility-directory.js';
import { migrations } from './migrations/index.js';
import { schema } from './schema/index.js';

export const workforce: SubgraphDefinition<WorkforceDB, WorkforceContext> = {
  name: 'workforce',
  schema,
  migrations,
  createRuntime: ({ runtime: options, log, config }) => {
    const runtime = new SubgraphRuntime<WorkforceDB>(options);
    registerConsumers(runtime);
    runtime.addService(FACILITY_DIRECTORY, new FacilityDirectory(config, log, 'system:workforce-facility-directory'));
    return runtime;
  },
  createContext,
};
