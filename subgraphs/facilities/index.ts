/** The facilities subgraph: districts, wards, facilities, beds and admissions. */
import { SubgraphRuntime } from '../common/runtime.js';
import type { SubgraphDefinition } from '../common/service.js';
import { createContext, type FacilitiesContext } from './context.js';
import type { FacilitiesDB } from './db/tables.js';
import { registerConsumers } from './events/consumers.js';
import { migrations } from './migrations/index.js';
import { schema } from './schema/index.js';
import { ReportCutoffJob, backgroundDb } from '../common/report-cutoff.js';
import { freezeBeds } from './db/report.repository.js';
import { ReferralExpiryJob } from './commands/referrals.js';

export const REPORT_CUTOFF = 'report-cutoff';
export const REFERRAL_EXPIRY = 'referral-expiry';

export const facilities: SubgraphDefinition<FacilitiesDB, FacilitiesContext> = {
  name: 'facilities',
  schema,
  migrations,
  createRuntime: ({ runtime: options, log, config }) => {
    const runtime = new SubgraphRuntime<FacilitiesDB>(options);
    registerConsumers(runtime);
    const background = backgroundDb<FacilitiesDB>(runtime.database.pool);
    runtime.addService(REPORT_CUTOFF, new ReportCutoffJob(log, (day) => freezeBeds(background, day)));
    runtime.addService(REFERRAL_EXPIRY, new ReferralExpiryJob(background, log, config.referralExpiryHours));
    return runtime;
  },
  createContext,
};
