/**
 * The seed's bulk load: tables filled by COPY with their indexes and constraints rebuilt after
 * the load end up with exactly the catalog the migrations made, and a seed that starts again
 * over rows already there (an earlier run stopped before it finished) adds nothing twice.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { withPgClient } from '../../subgraphs/common/db/postgres.js';
import { seedDemo } from '../../scripts/seed/index.js';

const SCHEMAS = ['facilities', 'patients', 'workforce', 'vaccination'];

/** Every index and constraint of the subgraph schemas, by name and definition. */
async function catalog(adminUrl: string): Promise<string[]> {
  return withPgClient(adminUrl, async (client) => {
    const { rows } = await client.query<{ item: string }>(
      `select n.nspname || ' index ' || pg_get_indexdef(i.indexrelid) as item
         from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = any($1)
       union all
       select n.nspname || ' constraint ' || co.conrelid::regclass::text || ' ' || co.conname || ' ' || pg_get_constraintdef(co.oid)
         from pg_constraint co join pg_namespace n on n.oid = co.connamespace
        where n.nspname = any($1) and co.contype in ('p', 'u', 'f', 'x')`,
      [SCHEMAS],
    );
    return rows.map((r) => r.item).sort();
  });
}

async function rowCounts(adminUrl: string): Promise<Record<string, number>> {
  return withPgClient(adminUrl, async (client) => {
    const { rows: tables } = await client.query<{ s: string; t: string }>(
      `select table_schema as s, table_name as t from information_schema.tables
        where table_schema = any($1) and table_type = 'BASE TABLE' and table_name not like 'kysely%' order by 1, 2`,
      [SCHEMAS],
    );
    const counts: Record<string, number> = {};
    for (const { s, t } of tables) counts[`${s}.${t}`] = (await client.query<{ n: number }>(`select count(*)::int as n from "${s}"."${t}"`)).rows[0]!.n;
    return counts;
  });
}

describe('seed bulk load', () => {
  let db: TestDatabase;
  let migrated: string[];
  const now = new Date();

  beforeAll(async () => {
    db = await createTestDatabase();
    migrated = await catalog(db.adminUrl);
    await seedDemo({ adminUrl: db.adminUrl, scale: 'small', now });
  });
  afterAll(async () => {
    await db.drop();
  });

  it('leaves every index and constraint exactly as the migrations created them', async () => {
    expect(migrated.length).toBeGreaterThan(50);
    expect(await catalog(db.adminUrl)).toEqual(migrated);
  });

  it('loads the big tables', async () => {
    const counts = await rowCounts(db.adminUrl);
    expect(counts['patients.patient']).toBeGreaterThan(8_000);
    expect(counts['patients.daily_check']).toBeGreaterThan(30_000);
    expect(counts['vaccination.resident']).toBeGreaterThan(8_000);
    expect(counts['vaccination.vaccination_record']).toBeGreaterThan(counts['vaccination.resident']!);
  });

  it('gives every seeded ward station its stock, some of it low, with counters equal to a recount of the movements', async () => {
    const counts = await rowCounts(db.adminUrl);
    const stations = await withPgClient(db.adminUrl, async (client) =>
      (await client.query<{ stations: number; low: number; off: number }>(
        `select count(distinct s.facility_id)::int as stations,
                count(distinct s.facility_id) filter (where s.on_hand <= s.low_threshold)::int as low,
                count(*) filter (where s.received <> coalesce(m.total, 0))::int as off
           from patients.supply_stock s
           left join (select facility_id, item, sum(quantity) as total from patients.supply_movement where kind = 'RECEIVED' group by 1, 2) m
             using (facility_id, item)`,
      )).rows[0]!,
    );
    const wards = await withPgClient(db.adminUrl, async (client) => (await client.query<{ n: number }>(`select count(distinct ward_code)::int as n from patients.patient`)).rows[0]!.n);
    expect(stations.stations).toBeGreaterThanOrEqual(wards);
    expect(stations.low).toBeGreaterThan(0);
    expect(stations.off).toBe(0);
    expect(counts['patients.supply_stock']).toBe(stations.stations * 6);
  });

  it('adds nothing twice when a seed starts over rows an interrupted run left', async () => {
    const before = await rowCounts(db.adminUrl);
    // A run stopped before it marked the data as seeded: the marker is what it never wrote.
    await withPgClient(db.adminUrl, async (client) => {
      for (const s of SCHEMAS) await client.query(`delete from "${s}".demo_seed`);
    });
    const progress: string[] = [];
    await seedDemo({ adminUrl: db.adminUrl, scale: 'small', now, progress: (m) => progress.push(m) });
    expect(progress.some((m) => m.includes('merged into existing rows'))).toBe(true);
    expect(await rowCounts(db.adminUrl)).toEqual(before);
    expect(await catalog(db.adminUrl)).toEqual(migrated);
  });
});
