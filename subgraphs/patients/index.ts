/** The patients subgraph: F0 cases, daily checks, tiers, isolation, medicine, help requests. */
import { SubgraphRuntime } from '../common/runtime.js';
import type { SubgraphDefinition } from '../common/service.js';
import { createContext, type PatientsContext } from './context.js';
import type { PatientsDB } from './db/tables.js';
import { registerConsumers } from './events/consumers.js';
import { EpidemicAssessor } from './events/assessor.js';
import { migrations } from './migrations/index.js';
import { schema } from './schema/index.js';

export const ASSESSOR = 'epidemic-assessor';

export const patients: SubgraphDefinition<PatientsDB, PatientsContext> = {
  name: 'patients',
  schema,
  migrations,
  createRuntime: ({ databaseUrl, log, config }) => {
    const runtime = new SubgraphRuntime<PatientsDB>({ name: 'patients', databaseUrl, log });
    registerConsumers(runtime);
    runtime.addService(ASSESSOR, new EpidemicAssessor(runtime, config, log));
    return runtime;
  },
  createContext,
};
