/** The lists of residents the city chased to close vaccination gaps. */
export const GAP_KINDS = ['OVER_50_WITHOUT_DOSE_1', 'HOMEBOUND_AWAITING_HOME_VACCINATION', 'STUDENTS_NOT_FULLY_VACCINATED'] as const;
export type GapKind = (typeof GAP_KINDS)[number];
