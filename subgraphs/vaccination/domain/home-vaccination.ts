/** Who the home-vaccination teams come to. Pure. */
import { ageThisYear } from './schedule.js';

/** Homebound residents of this age or more are vaccinated at home (younger ones only with comorbidities). */
export const HOME_VACCINATION_AGE = 65;

export const mayBeVaccinatedAtHome = (resident: { homebound: boolean; comorbidities: boolean; dateOfBirth: string }, today: string): boolean =>
  resident.homebound && (ageThisYear(resident.dateOfBirth, today) >= HOME_VACCINATION_AGE || resident.comorbidities);

/** The kind of workforce team a home visit is given to (workforce's TeamKind). */
export const HOME_VACCINATION_TEAM = 'HOME_VACCINATION';

/** Whole days a request has waited on `today` (city calendar days). */
export const daysOpen = (requestedOn: string, today: string): number => Math.round((Date.parse(today) - Date.parse(requestedOn)) / 86_400_000);
