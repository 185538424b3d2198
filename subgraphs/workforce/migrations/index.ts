import type { Migration } from 'kysely';
import { platformMigrations } from '../../common/db/migrations/index.js';
import * as workforce from './2026-11-22T03-00-00_create_workforce.js';
import * as workforceCounters from './2026-11-28T01-00-00_workforce_counters.js';
import * as incrementalPatientCounts from './2026-12-02T00-00-00_incremental_patient_counts.js';

export const migrations: Record<string, Migration> = {
  ...platformMigrations,
  '2026-11-22T03-00-00_create_workforce': workforce,
  '2026-11-28T01-00-00_workforce_counters': workforceCounters,
  '2026-12-02T00-00-00_incremental_patient_counts': incrementalPatientCounts,
};
