/**
 * Enumerations that more than one subgraph exposes. Federation requires an enum used by several
 * subgraphs to have the same values everywhere, so they are declared once here.
 */
export const TREATMENT_TIERS = ['TIER_1', 'TIER_2', 'TIER_3'] as const;
export type TreatmentTier = (typeof TREATMENT_TIERS)[number];

export const TREATMENT_TIER_DESCRIPTIONS: Record<TreatmentTier, string> = {
  TIER_1: 'Tầng 1: mild or asymptomatic; about 95 % of cases, mostly treated at home.',
  TIER_2: 'Tầng 2: moderate; needs oxygen-capable beds.',
  TIER_3: 'Tầng 3: severe or critical; needs intensive care.',
};

export const BED_KINDS = ['GENERAL', 'OXYGEN', 'ICU'] as const;
export type BedKind = (typeof BED_KINDS)[number];

export const BED_KIND_DESCRIPTIONS: Record<BedKind, string> = {
  GENERAL: 'Ordinary bed for mild cases (tier 1).',
  OXYGEN: 'Bed with oxygen supply for moderate cases (tier 2).',
  ICU: 'Intensive-care bed with ventilation capacity for severe and critical cases (tier 3).',
};

export const CARE_SETTINGS = ['HOME', 'FACILITY'] as const;
export type CareSetting = (typeof CARE_SETTINGS)[number];

export const PATIENT_STATUSES = ['UNDER_TREATMENT', 'RECOVERED', 'DECEASED'] as const;
export type PatientStatus = (typeof PATIENT_STATUSES)[number];

export const DISCHARGE_OUTCOMES = ['RECOVERED', 'TRANSFERRED_HOME', 'DECEASED', 'TRANSFERRED'] as const;
export type DischargeOutcome = (typeof DISCHARGE_OUTCOMES)[number];

export const DISCHARGE_OUTCOME_DESCRIPTIONS: Record<DischargeOutcome, string> = {
  RECOVERED: 'Recovered and released from treatment.',
  TRANSFERRED_HOME: 'Improved and sent home to continue treatment there (home care).',
  DECEASED: 'Died in the facility.',
  TRANSFERRED: 'Moved to another facility or bed kind (set by transferPatient, not by a discharge).',
};

/**
 * Where a patient under treatment is, in the categories of the city's daily treatment report
 * (13 Jan 2022: at home, district collection sites, city collection sites, hospitals, central
 * hospitals). Ward and mobile stations holding beds are counted apart, so the parts sum to the total.
 */
export const CARE_PLACES = ['HOME', 'WARD_STATION', 'DISTRICT_COLLECTION_SITE', 'CITY_COLLECTION_SITE', 'HOSPITAL', 'CENTRAL_HOSPITAL'] as const;
export type CarePlace = (typeof CARE_PLACES)[number];
