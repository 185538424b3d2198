/** Who the home-vaccination teams come to. Pure. */
import { ageThisYear } from './schedule.js';

/** Homebound residents of this age or more are vaccinated at home (younger ones only with comorbidities). */
export const HOME_VACCINATION_AGE = 65;

export const mayBeVaccinatedAtHome = (resident: { homebound: boolean; comorbidities: boolean; dateOfBirth: string }, today: string): boolean =>
  resident.homebound && (ageThisYear(resident.dateOfBirth, today) >= HOME_VACCINATION_AGE || resident.comorbidities);
