import type { Migration } from 'kysely';
import { platformMigrations } from '../../common/db/migrations/index.js';
import * as patients from './2026-11-22T02-00-00_create_patients.js';
import * as epidemicLevels from './2026-11-22T02-10-00_create_epidemic_levels.js';
import * as dailyReports from './2026-11-22T02-20-00_create_daily_report_snapshots.js';
import * as assessOnEvents from './2026-11-26T06-00-00_assess_on_events.js';
import * as treatmentHistory from './2026-11-26T06-30-00_treatment_snapshot_history.js';
import * as contactsAndQuarantine from './2026-11-26T10-20-00_contacts_and_quarantine.js';
import * as declaredLevels from './2026-11-26T10-40-00_declared_epidemic_levels.js';
import * as supplies from './2026-11-27T01-00-00_supplies.js';
import * as helpFromPartners from './2026-11-27T02-00-00_help_requests_from_partners.js';
import * as reportSubmissions from './2026-11-27T04-00-00_ward_report_submissions.js';
import * as caseCounters from './2026-11-27T05-00-00_case_counters.js';
import * as newCasesByDistrict from './2026-11-29T01-00-00_new_cases_by_district.js';
import * as confirmedIndexWithAreas from './2026-12-01T00-00-00_confirmed_index_with_areas.js';
import * as outboxKeyIndex from './2026-12-03T00-00-00_outbox_key_index.js';

export const migrations: Record<string, Migration> = {
  ...platformMigrations,
  '2026-11-22T02-00-00_create_patients': patients,
  '2026-11-22T02-10-00_create_epidemic_levels': epidemicLevels,
  '2026-11-22T02-20-00_create_daily_report_snapshots': dailyReports,
  '2026-11-26T06-00-00_assess_on_events': assessOnEvents,
  '2026-11-26T06-30-00_treatment_snapshot_history': treatmentHistory,
  '2026-11-26T10-20-00_contacts_and_quarantine': contactsAndQuarantine,
  '2026-11-26T10-40-00_declared_epidemic_levels': declaredLevels,
  '2026-11-27T01-00-00_supplies': supplies,
  '2026-11-27T02-00-00_help_requests_from_partners': helpFromPartners,
  '2026-11-27T04-00-00_ward_report_submissions': reportSubmissions,
  '2026-11-27T05-00-00_case_counters': caseCounters,
  '2026-11-29T01-00-00_new_cases_by_district': newCasesByDistrict,
  '2026-12-01T00-00-00_confirmed_index_with_areas': confirmedIndexWithAreas,
  '2026-12-03T00-00-00_outbox_key_index': outboxKeyIndex,
};
