/** The lists of residents the city chased to close vaccination gaps, and their thresholds. Pure. */
export const GAP_KINDS = [
  'OVER_50_WITHOUT_DOSE_1',
  'HOMEBOUND_AWAITING_HOME_VACCINATION',
  'STUDENTS_NOT_FULLY_VACCINATED',
  'REFUSED',
  'SERIES_OVERDUE',
  'COMORBID_OVER_50_NOT_FULLY_VACCINATED',
] as const;
export type GapKind = (typeof GAP_KINDS)[number];

/** The older people chased first: 50 and over. */
export const OLDER_AGE = 50;

/** Where a resident studies, as the ward's registry records it. */
export const SCHOOLING = ['NONE', 'PRIMARY', 'SECONDARY', 'UNIVERSITY'] as const;
export type Schooling = (typeof SCHOOLING)[number];

/**
 * The students' list is secondary-school and university students: primary pupils are not
 * chased on it (their vaccination, the 5–11 campaign, came later).
 */
export const CHASED_SCHOOLING: readonly Schooling[] = ['SECONDARY', 'UNIVERSITY'];

/** Secondary school from this age on (by year of birth), university from the next. */
export const SECONDARY_SCHOOL_AGE = 12;
export const UNIVERSITY_AGE = 18;

/**
 * The school level of a registration that says only "student" (clients of the first contract):
 * guessed from the age, the best the registry can do without being told.
 */
export const schoolingOfStudent = (age: number): Schooling => (age >= UNIVERSITY_AGE ? 'UNIVERSITY' : age >= SECONDARY_SCHOOL_AGE ? 'SECONDARY' : 'PRIMARY');

/** The latest date of birth of someone who is `age` or older this year (ages by year of birth). */
export const bornBy = (today: string, age: number): string => `${Number(today.slice(0, 4)) - age}-12-31`;
