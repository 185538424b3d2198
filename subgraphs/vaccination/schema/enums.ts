import { builder } from '../builder.js';
import { describedValues } from '../../common/graphql/enums.js';
import { AGE_BANDS, DOSE_KINDS, SCHEDULES, VACCINES, type AgeBand, type Vaccine } from '../domain/schedule.js';
import { GAP_KINDS, SCHOOLING } from '../domain/gaps.js';

const scheduleOf = (v: Vaccine) => {
  const s = SCHEDULES[v];
  return `${s.label}: ${s.primaryDoses}-dose primary series${s.intervalDays ? `, ${s.intervalDays} days apart` : ''}; booster from ${s.boosterAfterDays} days after the last dose.`;
};

export const VaccineEnum = builder.enumType('Vaccine', {
  description: 'The COVID-19 vaccines used in Viet Nam.',
  values: describedValues(VACCINES, Object.fromEntries(VACCINES.map((v) => [v, scheduleOf(v)])) as Record<Vaccine, string>),
});

export const DoseKindEnum = builder.enumType('DoseKind', {
  description: 'Which dose of a person’s schedule.',
  values: describedValues(DOSE_KINDS, {
    PRIMARY_1: 'First dose of the primary series (mũi 1).',
    PRIMARY_2: 'Second dose of the primary series (mũi 2).',
    PRIMARY_3: 'Third primary dose, for three-dose vaccines (Abdala).',
    ADDITIONAL: 'Additional dose for the immunocompromised (mũi bổ sung), at least 28 days after the primary series.',
    BOOSTER: 'Booster dose (mũi nhắc lại), at least 3 months after the last dose.',
  }),
});

export const AgeBandEnum = builder.enumType('AgeBand', {
  description: 'Age bands of the city’s reports, by year of birth (age = this year − year of birth).',
  values: describedValues(
    AGE_BANDS.map((b) => b.band),
    Object.fromEntries(AGE_BANDS.map((b) => [b.band, b.to >= 200 ? `${b.from} and over.` : `${b.from} to ${b.to}.`])) as Record<AgeBand, string>,
  ),
});

export const GapKindEnum = builder.enumType('VaccinationGapKind', {
  description: 'The lists the city chased.',
  values: describedValues(GAP_KINDS, {
    OVER_50_WITHOUT_DOSE_1: 'People aged 50 or more without a first dose.',
    HOMEBOUND_AWAITING_HOME_VACCINATION: 'Homebound elderly or comorbid residents waiting for the home-vaccination team.',
    STUDENTS_NOT_FULLY_VACCINATED:
      'Secondary-school and university students (Resident.schooling SECONDARY or UNIVERSITY) not fully vaccinated (schools reopened only to fully vaccinated students); primary pupils are not on it.',
    REFUSED: 'Residents who refused vaccination and have had no dose since, with the reason and day (Resident.refusal), so they can be visited again.',
    SERIES_OVERDUE:
      'Residents whose next dose is overdue (Resident.nextDoseDueOn has passed): the next primary dose (dose 2, or dose 3 of Abdala) past the interval of their vaccine, or the booster past the booster interval of the vaccine of their primary series (see Vaccine).',
    COMORBID_OVER_50_NOT_FULLY_VACCINATED: 'People aged 50 or more with a comorbidity whose primary series is not complete.',
  }),
});

export const SchoolingEnum = builder.enumType('Schooling', {
  description: 'Where a resident studies, as the ward’s registry records it.',
  values: describedValues(SCHOOLING, {
    NONE: 'Not at school.',
    PRIMARY: 'Primary school pupil (not chased on the students’ list).',
    SECONDARY: 'Lower or upper secondary school student.',
    UNIVERSITY: 'University or college student.',
  }),
});

export const HOME_REQUEST_STATUSES = ['WAITING', 'ASSIGNED', 'DONE', 'CANCELLED'] as const;

export const HomeRequestStatusEnum = builder.enumType('HomeVaccinationStatus', {
  description: 'Where a home-vaccination request stands.',
  values: describedValues(HOME_REQUEST_STATUSES, {
    WAITING: 'Open, not yet given to a team.',
    ASSIGNED: 'Open and given to a home-vaccination team.',
    DONE: 'Closed: a dose was recorded for the resident.',
    CANCELLED: 'Closed without a dose, with a reason.',
  }),
});
