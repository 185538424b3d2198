/**
 * The deterministic demo city: geography, facilities and beds, patients with admissions and
 * check histories. Safe to re-run: the same scale again changes nothing; another scale (or
 * --reset) clears the demo data of every subgraph first.
 */
import { sql, type Kysely } from 'kysely';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../subgraphs/common/config.js';
import { connectSubgraphDatabase, subgraphDatabaseUrl } from '../../subgraphs/common/db/database.js';
import type { FacilitiesDB } from '../../subgraphs/facilities/db/tables.js';
import type { PatientsDB } from '../../subgraphs/patients/db/tables.js';
import { planFacilities, planGeography } from './facilities-plan.js';
import { planPatients, type Scale } from './patients-plan.js';
import { writeFacilities, writePatients, writeWorkforce, type Progress } from './write.js';
import { planWorkforce } from './workforce-plan.js';
import { writeVaccination } from './vaccination.js';
import { planSupplies, writeSupplies } from './supplies.js';
import type { WorkforceDB } from '../../subgraphs/workforce/db/tables.js';
import { compactAfterLoad } from './copy.js';

export type { Scale };

export interface SeedOptions {
  adminUrl: string;
  scale: Scale;
  reset?: boolean;
  progress?: Progress;
  now?: Date;
}

export interface SeedSummary {
  scale: Scale;
  skipped: boolean;
  districts: number;
  wards: number;
  facilities: number;
  patients: number;
  activePatients: number;
  seconds: number;
}

async function withSubgraphDb<DB, T>(adminUrl: string, name: SubgraphName, work: (db: Kysely<DB>) => Promise<T>): Promise<T> {
  const database = connectSubgraphDatabase<DB>(name, subgraphDatabaseUrl(adminUrl, name), { maxConnections: 2 });
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}

async function seededScale(adminUrl: string): Promise<string | undefined> {
  const scales = await Promise.all(
    SUBGRAPH_NAMES.map((name) =>
      withSubgraphDb<{ demo_seed: { id: number; scale: string } }, string | undefined>(adminUrl, name, async (db) =>
        (await db.selectFrom('demo_seed').select('scale').executeTakeFirst())?.scale,
      ),
    ),
  );
  const distinct = new Set(scales);
  return distinct.size === 1 ? scales[0] : 'mixed';
}

/** Empties every table of every subgraph schema except the migration tables. */
async function clearDemoData(adminUrl: string, progress: Progress): Promise<void> {
  for (const name of SUBGRAPH_NAMES) {
    await withSubgraphDb<any, void>(adminUrl, name, async (db) => {
      const { rows } = await sql<{ table_name: string }>`
        select table_name from information_schema.tables
         where table_schema = ${name} and table_type = 'BASE TABLE' and table_name not like 'kysely_migration%'`.execute(db);
      if (rows.length) await sql.raw(`truncate ${rows.map((r) => `"${name}"."${r.table_name}"`).join(', ')} restart identity cascade`).execute(db);
    });
  }
  progress('cleared the previous demo data of every subgraph');
}

export async function seedDemo(options: SeedOptions): Promise<SeedSummary> {
  const started = Date.now();
  const progress = options.progress ?? (() => {});
  const now = options.now ?? new Date();
  // People and cases follow the scale; the facilities, the workforce and the resident registry
  // are planned on the city's populations at every scale (the registry samples them itself).
  const geo = planGeography(options.scale);
  const cityGeo = planGeography('city');
  const facilities = planFacilities(cityGeo);
  const summary = (skipped: boolean, patients = 0, active = 0): SeedSummary => ({
    scale: options.scale,
    skipped,
    districts: geo.districts.length,
    wards: geo.wards.length,
    facilities: facilities.length,
    patients,
    activePatients: active,
    seconds: (Date.now() - started) / 1000,
  });

  const current = await seededScale(options.adminUrl);
  if (current === options.scale && !options.reset) {
    progress(`demo data (${options.scale}) is already in place; nothing to load (use --reset to start over)`);
    // A database seeded before the seed compacted its counters gets them compacted now.
    await compactAfterLoad(options.adminUrl, SUBGRAPH_NAMES, progress);
    return summary(true);
  }
  if (current !== undefined || options.reset) await clearDemoData(options.adminUrl, progress);

  // Each phase is timed and the times are printed at the end: where a seed spends its time.
  const phases: [string, number][] = [];
  const phase = async <T>(name: string, work: () => Promise<T> | T): Promise<T> => {
    const t = Date.now();
    const result = await work();
    phases.push([name, (Date.now() - t) / 1000]);
    return result;
  };
  progress(`planning the ${options.scale} demo city…`);
  const patients = await phase('planning', () => planPatients(options.scale, geo, facilities, now));
  // The registry is generated inside PostgreSQL from the plan alone, in the vaccination
  // database: it runs while the other subgraphs are written (two cores, two connections). Both
  // are awaited before anything is reported, and the first failure is rethrown.
  const others = async () => {
    progress(`facilities: ${facilities.length} facilities`);
    await phase('facilities', () =>
      withSubgraphDb<FacilitiesDB, void>(options.adminUrl, 'facilities', (db) => writeFacilities(db, options.adminUrl, geo, facilities, patients, progress)),
    );
    progress(`patients: ${patients.length} cases`);
    await phase('patients', () => withSubgraphDb<PatientsDB, void>(options.adminUrl, 'patients', (db) => writePatients(db, options.adminUrl, patients, progress)));
    await phase('supplies', () => withSubgraphDb<PatientsDB, number>(options.adminUrl, 'patients', (db) => writeSupplies(db, planSupplies(geo), now)));
    const workforce = planWorkforce(cityGeo, facilities, patients, now);
    progress(`workforce: ${workforce.workers.length} health workers`);
    await phase('workforce', () => withSubgraphDb<WorkforceDB, void>(options.adminUrl, 'workforce', (db) => writeWorkforce(db, options.adminUrl, workforce, patients, progress)));
  };
  progress('vaccination: resident registry and doses (alongside the other subgraphs)');
  const settled = await Promise.allSettled([others(), phase('vaccination', () => writeVaccination(options.adminUrl, options.scale, cityGeo, patients, now, progress))]);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  await phase('compacting', () => compactAfterLoad(options.adminUrl, SUBGRAPH_NAMES, progress));

  for (const name of SUBGRAPH_NAMES) {
    await withSubgraphDb<{ demo_seed: { id: number; scale: string } }, void>(options.adminUrl, name, async (db) => {
      await db
        .insertInto('demo_seed')
        .values({ id: 1, scale: options.scale })
        .onConflict((oc) => oc.column('id').doUpdateSet({ scale: options.scale }))
        .execute();
    });
  }
  progress(`phases: ${phases.map(([name, s]) => `${name} ${s.toFixed(1)} s`).join(', ')}`);
  return summary(false, patients.length, patients.filter((p) => p.status === 'UNDER_TREATMENT').length);
}
