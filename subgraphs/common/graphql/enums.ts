/**
 * Options for enums that several subgraphs expose. Federation requires such an enum to have the
 * same values everywhere; declaring them once keeps values and descriptions identical.
 * Use: `builder.enumType('TreatmentTier', treatmentTierEnum)`.
 */
import {
  BED_KINDS,
  BED_KIND_DESCRIPTIONS,
  CARE_SETTINGS,
  DISCHARGE_OUTCOMES,
  DISCHARGE_OUTCOME_DESCRIPTIONS,
  PATIENT_STATUSES,
  TREATMENT_TIERS,
  TREATMENT_TIER_DESCRIPTIONS,
  type CareSetting,
  type PatientStatus,
} from '../domain/enums.js';

export function describedValues<T extends string>(list: readonly T[], descriptions: Record<T, string>): Record<T, { description: string }> {
  return Object.fromEntries(list.map((v) => [v, { description: descriptions[v] }])) as Record<T, { description: string }>;
}

export const treatmentTierEnum = {
  description: 'Treatment tier of a COVID-19 case under the Ministry of Health guidance (tầng điều trị).',
  values: describedValues(TREATMENT_TIERS, TREATMENT_TIER_DESCRIPTIONS),
};

export const bedKindEnum = {
  description: 'Kind of bed, by the care it supports.',
  values: describedValues(BED_KINDS, BED_KIND_DESCRIPTIONS),
};

export const careSettingEnum = {
  description: 'Where a patient is being treated.',
  values: describedValues<CareSetting>(CARE_SETTINGS, {
    HOME: 'At home, followed by the ward health station (điều trị tại nhà).',
    FACILITY: 'Admitted to a facility bed.',
  }),
};

export const patientStatusEnum = {
  description: 'Course of a case.',
  values: describedValues<PatientStatus>(PATIENT_STATUSES, {
    UNDER_TREATMENT: 'Confirmed and under treatment (F0).',
    RECOVERED: 'Recovered; treatment ended.',
    DECEASED: 'Died.',
  }),
};

export const dischargeOutcomeEnum = {
  description: 'How an admission ended.',
  values: describedValues(DISCHARGE_OUTCOMES, DISCHARGE_OUTCOME_DESCRIPTIONS),
};
