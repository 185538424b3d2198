/**
 * Mobile health station planning. The city planned mobile stations per ward from its population
 * and kept them on standby, to be activated on command when the epidemic level rose.
 *
 * The ratio below (one station per 10,000 residents, at least one per ward) is our reading of
 * the Ministry of Health's guidance on mobile stations (Official Letter 7908/BYT-KCB, Sep 2021,
 * "trạm y tế lưu động" serving roughly 10,000 people); we could not confirm the exact figure
 * Hanoi used, so it is data here and easy to change.
 */
export const RESIDENTS_PER_MOBILE_STATION = 10_000;

export function mobileStationsNeeded(population: number): number {
  if (population <= 0) return 0;
  return Math.max(1, Math.ceil(population / RESIDENTS_PER_MOBILE_STATION));
}
