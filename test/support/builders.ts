/** Small seed builders: the data a test needs, written straight to the owning schema. */
import { Kysely } from 'kysely';
import { connectSubgraphDatabase } from '../../subgraphs/common/db/database.js';
import type { SubgraphName } from '../../subgraphs/common/config.js';
import type { FacilitiesDB } from '../../subgraphs/facilities/db/tables.js';
import type { BedKind, TreatmentTier } from '../../subgraphs/common/domain/enums.js';
import type { FacilityKind, FacilityLevel, FacilityStatus } from '../../subgraphs/facilities/domain/facility.js';
import { findWard } from '../../subgraphs/common/admin-units.js';
import { planGeography } from '../../scripts/seed/facilities-plan.js';
import type { TestDatabase } from './database.js';

export async function withDb<DB, T>(db: TestDatabase, subgraph: SubgraphName, work: (k: Kysely<DB>) => Promise<T>): Promise<T> {
  const database = connectSubgraphDatabase<DB>(subgraph, db.roleUrl(subgraph), { maxConnections: 2 });
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}

/** The city's 30 districts and 579 wards with demo populations. */
export async function seedGeography(db: TestDatabase): Promise<void> {
  const geo = planGeography();
  await withDb<FacilitiesDB, void>(db, 'facilities', async (k) => {
    await k.insertInto('district').values(geo.districts).execute();
    await k
      .insertInto('ward')
      .values(geo.wards.map((w) => ({ code: w.code, district_code: w.districtCode, name: w.name, kind: w.kind, population: w.population })))
      .execute();
  });
}

export interface FacilitySpec {
  id: string;
  wardCode: string;
  name?: string;
  kind?: FacilityKind;
  level?: FacilityLevel;
  status?: FacilityStatus;
  servesTiers?: TreatmentTier[];
  beds?: Partial<Record<BedKind, { total: number; covidDesignated?: number; occupied?: number }>>;
}

export async function createFacilities(db: TestDatabase, specs: FacilitySpec[]): Promise<void> {
  await withDb<FacilitiesDB, void>(db, 'facilities', async (k) => {
    await k
      .insertInto('facility')
      .values(
        specs.map((s) => ({
          id: s.id,
          name: s.name ?? `Test facility ${s.id}`,
          kind: s.kind ?? 'COLLECTION_SITE',
          level: s.level ?? 'DISTRICT',
          ownership: 'PUBLIC' as const,
          status: s.status ?? 'ACTIVE',
          ward_code: s.wardCode,
          district_code: findWard(s.wardCode)!.districtCode,
          serves_tiers: s.servesTiers ?? ['TIER_1', 'TIER_2'],
          address: null,
        })),
      )
      .execute();
    const beds = specs.flatMap((s) =>
      Object.entries(s.beds ?? { GENERAL: { total: 10 } }).map(([kind, b]) => ({
        facility_id: s.id,
        kind: kind as BedKind,
        total: b!.total,
        covid_designated: b!.covidDesignated ?? b!.total,
        occupied: b!.occupied ?? 0,
      })),
    );
    if (beds.length) await k.insertInto('bed').values(beds).execute();
  });
}
