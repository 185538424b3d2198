/**
 * Facility kinds, levels and statuses from the city's directives, and the rules between them.
 * Pure functions: no database, tested on their own.
 */
import type { BedKind, TreatmentTier } from '../../common/domain/enums.js';

export const FACILITY_KINDS = ['HEALTH_STATION', 'MOBILE_HEALTH_STATION', 'COLLECTION_SITE', 'HOSPITAL', 'QUARANTINE_AREA'] as const;
export type FacilityKind = (typeof FACILITY_KINDS)[number];

export const FACILITY_KIND_DESCRIPTIONS: Record<FacilityKind, string> = {
  HEALTH_STATION: 'Trạm y tế: the ward or commune health station; manages F0 treated at home.',
  MOBILE_HEALTH_STATION: 'Trạm y tế lưu động: mobile health station, planned per population and epidemic level, kept on standby and activated on command.',
  COLLECTION_SITE: 'Cơ sở thu dung, điều trị F0: collection and treatment site for F0, run by a district or by the city.',
  HOSPITAL: 'Hospital (district, city or central level; public or private).',
  QUARANTINE_AREA: 'Khu cách ly tập trung: concentrated quarantine area.',
};

export const FACILITY_LEVELS = ['WARD', 'DISTRICT', 'CITY', 'CENTRAL'] as const;
export type FacilityLevel = (typeof FACILITY_LEVELS)[number];

export const FACILITY_STATUSES = ['PLANNED', 'STANDBY', 'ACTIVE', 'CLOSED'] as const;
export type FacilityStatus = (typeof FACILITY_STATUSES)[number];

export const OWNERSHIPS = ['PUBLIC', 'PRIVATE'] as const;
export type Ownership = (typeof OWNERSHIPS)[number];

/** The bed a patient of each tier needs (tier 1 general, tier 2 oxygen, tier 3 intensive care). */
export const BED_KIND_FOR_TIER: Record<TreatmentTier, BedKind> = {
  TIER_1: 'GENERAL',
  TIER_2: 'OXYGEN',
  TIER_3: 'ICU',
};

/**
 * Allowed status changes. Mobile stations go PLANNED → STANDBY → ACTIVE on command and may
 * stand down to STANDBY; any facility may close, and a closed one may be put back on standby.
 */
const TRANSITIONS: Record<FacilityStatus, readonly FacilityStatus[]> = {
  PLANNED: ['STANDBY', 'ACTIVE', 'CLOSED'],
  STANDBY: ['ACTIVE', 'CLOSED'],
  ACTIVE: ['STANDBY', 'CLOSED'],
  CLOSED: ['STANDBY'],
};

export function canChangeStatus(from: FacilityStatus, to: FacilityStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Only active facilities admit patients. */
export const admitsPatients = (status: FacilityStatus) => status === 'ACTIVE';
