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

/**
 * Students from this age on (by year of birth) are in secondary school or university; younger
 * ones are primary pupils, who are not chased on the students' list (their vaccination, the
 * 5–11 campaign, came later).
 */
export const SECONDARY_SCHOOL_AGE = 12;

/** The latest date of birth of someone who is `age` or older this year (ages by year of birth). */
export const bornBy = (today: string, age: number): string => `${Number(today.slice(0, 4)) - age}-12-31`;
