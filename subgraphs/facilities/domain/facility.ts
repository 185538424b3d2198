/**
 * Facility kinds, levels and statuses from the city's directives, and the rules between them.
 * Pure functions: no database, tested on their own.
 */
import type { BedKind, CarePlace, TreatmentTier } from '../../common/domain/enums.js';

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

/** Quarantine areas hold F1 contacts under a quarantine decision; they never treat an F0. */
export const treatsCases = (kind: FacilityKind) => kind !== 'QUARANTINE_AREA';

export type PlacementRefusal =
  | { reason: 'NOT_A_TREATMENT_FACILITY' }
  | { reason: 'TIER_NOT_SERVED' }
  | { reason: 'BED_KIND_NOT_FOR_TIER'; needed: BedKind };

/**
 * Whether a patient of `tier` may take a `bedKind` bed in this facility. The facility's kind and
 * the tiers it serves are hard rules; the bed kind follows the tier unless a clinician records why
 * not (a tier-3 patient in an oxygen bed until an ICU bed frees, say), because the alternative in
 * a full city is no bed at all.
 */
export function placementRefusal(
  facility: { kind: FacilityKind; servesTiers: readonly TreatmentTier[] },
  tier: TreatmentTier,
  bedKind: BedKind,
  bedKindOverridden: boolean,
): PlacementRefusal | undefined {
  if (!treatsCases(facility.kind)) return { reason: 'NOT_A_TREATMENT_FACILITY' };
  if (!facility.servesTiers.includes(tier)) return { reason: 'TIER_NOT_SERVED' };
  const needed = BED_KIND_FOR_TIER[tier];
  if (bedKind !== needed && !bedKindOverridden) return { reason: 'BED_KIND_NOT_FOR_TIER', needed };
  return undefined;
}

/** The report category of a patient in a bed of this facility (quarantine areas hold no patient). */
export function carePlaceOf(kind: FacilityKind, level: FacilityLevel): Exclude<CarePlace, 'HOME'> | null {
  switch (kind) {
    case 'HEALTH_STATION':
    case 'MOBILE_HEALTH_STATION':
      return 'WARD_STATION';
    case 'COLLECTION_SITE':
      return level === 'CITY' || level === 'CENTRAL' ? 'CITY_COLLECTION_SITE' : 'DISTRICT_COLLECTION_SITE';
    case 'HOSPITAL':
      return level === 'CENTRAL' ? 'CENTRAL_HOSPITAL' : 'HOSPITAL';
    case 'QUARANTINE_AREA':
      return null;
  }
}
