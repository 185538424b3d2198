/** Rules of mobile vaccination points and sessions. Pure. */

/** Hanoi's extent (with a margin): coordinates outside it are a typo, not a point of the city. */
export const HANOI_BOUNDS = { minLatitude: 20.5, maxLatitude: 21.45, minLongitude: 105.25, maxLongitude: 106.05 } as const;

export const insideHanoi = (latitude: number, longitude: number): boolean =>
  latitude >= HANOI_BOUNDS.minLatitude && latitude <= HANOI_BOUNDS.maxLatitude && longitude >= HANOI_BOUNDS.minLongitude && longitude <= HANOI_BOUNDS.maxLongitude;

/** A session is one day's opening at most. */
export const MAX_SESSION_HOURS = 24;
/** More doses than a large mobile team gives in a day is a typo. */
export const MAX_PLANNED_DOSES = 5_000;

/** Is `at` inside the session's hours (start included, end excluded)? */
export const withinSession = (at: Date, session: { startsAt: Date; endsAt: Date }): boolean =>
  at.getTime() >= session.startsAt.getTime() && at.getTime() < session.endsAt.getTime();
