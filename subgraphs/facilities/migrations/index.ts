import type { Migration } from 'kysely';
import { platformMigrations } from '../../common/db/migrations/index.js';
import * as geographyAndFacilities from './2026-11-22T01-00-00_create_geography_and_facilities.js';
import * as bedSnapshots from './2026-11-22T01-10-00_create_bed_snapshots.js';
import * as bedKindOverride from './2026-11-26T06-00-00_admission_bed_kind_override.js';
import * as referrals from './2026-11-26T10-00-00_referrals.js';
import * as quarantineStays from './2026-11-26T10-20-00_quarantine_stays.js';
import * as facilityContacts from './2026-11-27T02-10-00_facility_contacts.js';
import * as districtCapacity from './2026-11-29T02-00-00_district_capacity.js';

export const migrations: Record<string, Migration> = {
  ...platformMigrations,
  '2026-11-22T01-00-00_create_geography_and_facilities': geographyAndFacilities,
  '2026-11-22T01-10-00_create_bed_snapshots': bedSnapshots,
  '2026-11-26T06-00-00_admission_bed_kind_override': bedKindOverride,
  '2026-11-26T10-00-00_referrals': referrals,
  '2026-11-26T10-20-00_quarantine_stays': quarantineStays,
  '2026-11-27T02-10-00_facility_contacts': facilityContacts,
  '2026-11-29T02-00-00_district_capacity': districtCapacity,
};
