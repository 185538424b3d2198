/** The patients subgraph: F0 cases, daily checks, tiers, isolation, medicine, help requests. */
import { SubgraphRuntime } from '../common/runtime.js';
import type { SubgraphDefinition } from '../common/service.js';
import { createContext, type PatientsContext } from './context.js';
import type { PatientsDB } from './db/tables.js';
import { registerConsumers } from './events/consumers.js';
import { EpidemicAssessor } from './events/assessor.js';
import { ASSESSOR } from './events/area-facts.js';
import { migrations } from './migrations/index.js';
import { schema } from './schema/index.js';
import { ReportCutoffJob, backgroundDb } from '../common/report-cutoff.js';
import { freezeReports } from './db/report.repository.js';
import { QUARANTINE_AREAS, QuarantineAreaDirectory } from './commands/quarantine-areas.js';
import { HelpEscalationJob } from './commands/help.js';

export { ASSESSOR };
export const REPORT_CUTOFF = 'report-cutoff';
export const HELP_ESCALATION = 'help-escalation';

export const patients: SubgraphDefinition<PatientsDB, PatientsContext> = {
  name: 'patients',
  schema,
  migrations,
  createRuntime: ({ runtime: options, log, config }) => {
    const runtime = new SubgraphRuntime<PatientsDB>(options);
    registerConsumers(runtime);
    const background = backgroundDb<PatientsDB>(runtime.database.pool);
    runtime.addService(ASSESSOR, new EpidemicAssessor(runtime, config, log));
    runtime.addService(QUARANTINE_AREAS, new QuarantineAreaDirectory(config, log));
    runtime.addService(REPORT_CUTOFF, new ReportCutoffJob(log, (day) => freezeReports(background, day)));
    runtime.addService(HELP_ESCALATION, new HelpEscalationJob(background, log, config.helpEscalationMinutes));
    return runtime;
  },
  createContext,
};
