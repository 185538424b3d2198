/** The vaccination subgraph: resident registry, doses and coverage. */
import { SubgraphRuntime } from '../common/runtime.js';
import type { SubgraphDefinition } from '../common/service.js';
import { createContext, type VaccinationContext } from './context.js';
import type { VaccinationDB } from './db/tables.js';
import { TEAM_DIRECTORY, TeamDirectory } from './commands/team-directory.js';
import { FACILITY_DIRECTORY, FacilityDirectory } from '../common/facility-directory.js';
import { migrations } from './migrations/index.js';
import { schema } from './schema/index.js';

export const vaccination: SubgraphDefinition<VaccinationDB, VaccinationContext> = {
  name: 'vaccination',
  schema,
  migrations,
  createRuntime: ({ runtime: options, log, config }) => {
    const runtime = new SubgraphRuntime<VaccinationDB>(options);
    runtime.addService(TEAM_DIRECTORY, new TeamDirectory(config, log));
    runtime.addService(FACILITY_DIRECTORY, new FacilityDirectory(config, log, 'system:vaccination-facility-directory'));
    return runtime;
  },
  createContext,
};
