import type { Migration } from 'kysely';
import { platformMigrations } from '../../common/db/migrations/index.js';
import * as vaccination from './2026-11-22T04-00-00_create_vaccination.js';
import * as coverage from './2026-11-22T04-10-00_create_coverage_counters.js';
import * as refusals from './2026-11-26T09-30-00_vaccination_refusals.js';
import * as fieldWork from './2026-11-27T03-00-00_vaccination_field_work.js';
import * as lighterDoseIndexes from './2026-11-27T06-00-00_lighter_dose_indexes.js';
import * as districtCoverage from './2026-11-28T05-00-00_district_coverage.js';

export const migrations: Record<string, Migration> = {
  ...platformMigrations,
  '2026-11-22T04-00-00_create_vaccination': vaccination,
  '2026-11-22T04-10-00_create_coverage_counters': coverage,
  '2026-11-26T09-30-00_vaccination_refusals': refusals,
  '2026-11-27T03-00-00_vaccination_field_work': fieldWork,
  '2026-11-27T06-00-00_lighter_dose_indexes': lighterDoseIndexes,
  '2026-11-28T05-00-00_district_coverage': districtCoverage,
};
