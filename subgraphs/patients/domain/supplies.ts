/**
 * Supplies held by stations and other facilities: the home-treatment medicine packages, rapid
 * test kits and oxygen. Wards procure them; every change is a movement with who, when and why.
 * Oxygen "ATMs" are concentrator stations: their stock is OXYGEN_CONCENTRATOR at that place.
 */
import type { MedicinePackage } from './medicine.js';

export const SUPPLY_ITEMS = [
  'MEDICINE_PACKAGE_A',
  'MEDICINE_PACKAGE_B',
  'MEDICINE_PACKAGE_C',
  'RAPID_TEST_KIT',
  'OXYGEN_CYLINDER',
  'OXYGEN_CONCENTRATOR',
] as const;
export type SupplyItem = (typeof SUPPLY_ITEMS)[number];

export const MOVEMENT_KINDS = ['RECEIVED', 'DISPENSED', 'ADJUSTED'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/** The stock item a medicine package is taken from. */
export const packageItem = (pkg: MedicinePackage): SupplyItem => `MEDICINE_PACKAGE_${pkg}`;

/** The largest quantity one movement may carry: a typo guard, not a warehouse limit. */
export const MAX_MOVEMENT_QUANTITY = 100_000;

/** Low means at or below the threshold; a threshold of 0 raises the alarm only when none is left. */
export const isLow = (onHand: number, threshold: number) => onHand <= threshold;

/** An alert is due when a change (of stock or of threshold) takes a place from not low to low. */
export const becameLow = (before: { onHand: number; lowThreshold: number }, after: { onHand: number; lowThreshold: number }) =>
  !isLow(before.onHand, before.lowThreshold) && isLow(after.onHand, after.lowThreshold);

/** Share of home patients who received at least one package, 0 when there are none. */
export const coverageShare = (withPackage: number, homePatients: number) => (homePatients === 0 ? 0 : withPackage / homePatients);
