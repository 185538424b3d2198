/**
 * Demo supplies: every seeded ward's health station holds medicine packages, test kits and some
 * oxygen, received in one delivery each (so the counters equal a recount of the movements), with
 * thresholds; a few stations run low, so the dashboard's stock alerts have something to show.
 */
import type { Kysely } from 'kysely';
import type { PatientsDB } from '../../subgraphs/patients/db/tables.js';
import { SUPPLY_ITEMS, type SupplyItem } from '../../subgraphs/patients/domain/supplies.js';
import type { GeographyPlan } from './facilities-plan.js';
import { Random } from './random.js';

/** Typical delivery and threshold per item at a ward station. */
const TYPICAL: Record<SupplyItem, { received: [number, number]; threshold: number }> = {
  MEDICINE_PACKAGE_A: { received: [80, 300], threshold: 30 },
  MEDICINE_PACKAGE_B: { received: [20, 80], threshold: 10 },
  MEDICINE_PACKAGE_C: { received: [10, 60], threshold: 10 },
  RAPID_TEST_KIT: { received: [200, 1000], threshold: 100 },
  OXYGEN_CYLINDER: { received: [2, 10], threshold: 2 },
  OXYGEN_CONCENTRATOR: { received: [0, 4], threshold: 1 },
};

export interface SupplyPlan {
  facilityId: string;
  item: SupplyItem;
  wardCode: string;
  districtCode: string;
  received: number;
  threshold: number;
}

export function planSupplies(geo: GeographyPlan): SupplyPlan[] {
  return geo.wards.flatMap((w) => {
    const r = new Random(`supplies:${w.code}`);
    // About one station in ten got a short delivery: at or under its thresholds.
    const short = r.chance(0.1);
    return SUPPLY_ITEMS.map((item) => {
      const { received: [min, max], threshold } = TYPICAL[item];
      return { facilityId: `HS-${w.code}`, item, wardCode: w.code, districtCode: w.districtCode, received: short ? r.int(0, threshold) : r.int(min, max), threshold };
    });
  });
}

export async function writeSupplies(db: Kysely<PatientsDB>, plan: SupplyPlan[], at: Date): Promise<number> {
  const existing = await db.selectFrom('supply_stock').select('facility_id').limit(1).execute();
  if (existing.length) return 0;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < plan.length; i += 1000) {
      const chunk = plan.slice(i, i + 1000);
      await trx
        .insertInto('supply_stock')
        .values(chunk.map((s) => ({ facility_id: s.facilityId, item: s.item, ward_code: s.wardCode, district_code: s.districtCode, received: s.received, on_hand: s.received, low_threshold: s.threshold, updated_at: at })))
        .execute();
      const movements = chunk.filter((s) => s.received > 0);
      if (movements.length) {
        await trx
          .insertInto('supply_movement')
          .values(movements.map((s) => ({ facility_id: s.facilityId, item: s.item, kind: 'RECEIVED' as const, quantity: s.received, on_hand_after: s.received, reason: 'Demo delivery', actor_subject: 'seed', actor_role: 'CITY_OFFICER', at })))
          .execute();
      }
    }
  });
  return plan.length;
}
