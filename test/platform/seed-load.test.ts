/**
 * The seed's bulk load: tables filled by COPY with their indexes and constraints rebuilt after
 * the load end up with exactly the catalog the migrations made, and a seed that starts again
 * over rows already there (an earlier run stopped before it finished) adds nothing twice.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { withPgClient } from '../../subgraphs/common/db/postgres.js';
import { seedDemo } from '../../scripts/seed/index.js';
import { REWRITTEN_BY_THE_LOAD } from '../../scripts/seed/copy.js';
import { stateOf, type DoseKind, type Vaccine } from '../../subgraphs/vaccination/domain/schedule.js';

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

/** A table's heap size in pages. */
async function pagesOf(client: pg.Client, table: string): Promise<number> {
  return (await client.query<{ pages: number }>(`select (pg_relation_size($1::regclass) / current_setting('block_size')::int)::int as pages`, [table])).rows[0]!.pages;
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

  it('leaves the registry frozen and all-visible (COPY … FREEZE, then VACUUM), so that its first reader rewrites no page', async () => {
    await withPgClient(db.adminUrl, async (client) => {
      await client.query('create extension if not exists pg_visibility');
      const { rows } = await client.query<{ table: string; pages: number; all_visible: number; all_frozen: number }>(
        `select t as table, (pg_relation_size(('vaccination.' || t)::regclass) / current_setting('block_size')::int)::int as pages,
                m.all_visible::int, m.all_frozen::int
           from unnest(array['resident', 'vaccination_record']) t cross join lateral pg_visibility_map_summary(('vaccination.' || t)::regclass) m`,
      );
      for (const r of rows) {
        expect(r.pages).toBeGreaterThan(10);
        expect(r).toEqual({ ...r, all_visible: r.pages, all_frozen: r.pages });
      }
      expect(rows.map((r) => r.table)).toEqual(['resident', 'vaccination_record']);
    });
  });

  it("leaves the cases all-visible, so that the count of a day's new cases reads only the index", async () => {
    // The seven-day window's first, partial day is counted from patient(confirmed_at) with ward
    // and district in the index; PostgreSQL answers that from the index alone only on pages the
    // visibility map marks all-visible. Autovacuum marked none after the city seed (it came while
    // the registry's load still held back the horizon): 4.6 ms per CityOverview instead of 2.0.
    await withPgClient(db.adminUrl, async (client) => {
      await client.query('create extension if not exists pg_visibility');
      const { rows } = await client.query<{ table: string; pages: number; all_visible: number }>(
        `select t as table, (pg_relation_size(t::regclass) / current_setting('block_size')::int)::int as pages, m.all_visible::int
           from unnest(array['patients.patient', 'facilities.admission', 'workforce.known_patient']) t cross join lateral pg_visibility_map_summary(t::regclass) m`,
      );
      for (const r of rows) {
        expect(r.pages).toBeGreaterThan(10);
        expect(r).toEqual({ ...r, all_visible: r.pages });
      }
      expect(rows).toHaveLength(3);
    });
  });

  it('leaves the tables its load rewrote row by row as compact as a fresh copy of their rows, and no table over twice that', async () => {
    // The load is one transaction, so a trigger's old row versions cannot be pruned as it goes:
    // the 579 ward counters of the city took 782 pages, and every read of the 30 districts' case
    // figures scanned them all. Other tables may be up to twice their compact size: COPY extends a
    // file many pages at a time (admissions: 32 pages, 17 compact), and the seed updates some once
    // as a whole (beds). At this small scale that limit would not notice every counter (new cases
    // per ward: 54 pages, 38 compact; 533 and 119 at city scale), hence the list's stricter one.
    await withPgClient(db.adminUrl, async (client) => {
      const { rows: tables } = await client.query<{ name: string; pages: number }>(
        `select c.oid::regclass::text as name, (pg_relation_size(c.oid) / current_setting('block_size')::int)::int as pages
           from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = any($1) and c.relkind = 'r' and c.relname not like 'kysely%' order by 1`,
        [SCHEMAS],
      );
      const rewritten = new Set(Object.entries(REWRITTEN_BY_THE_LOAD).flatMap(([schema, names]) => names.map((n) => `${schema}.${n}`)));
      const bloated: string[] = [];
      for (const t of tables) {
        await client.query('drop table if exists seed_copy');
        await client.query(`create temporary table seed_copy as select * from ${t.name}`);
        // Written compactly (a bulk insert may extend a file by many pages at once).
        await client.query('vacuum full seed_copy');
        const copy = await pagesOf(client, 'seed_copy');
        if (t.pages > (rewritten.has(t.name) ? copy + 1 : 2 * copy + 1)) bloated.push(`${t.name}: ${t.pages} pages, ${copy} when copied`);
      }
      expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining([...rewritten]));
      expect(bloated).toEqual([]);
    });
  });

  it('compacts those tables again when the same scale is already seeded (a database seeded before the compaction)', async () => {
    await withPgClient(db.adminUrl, async (client) => {
      // Bloat the case counters as a one-transaction load does: every row rewritten many times.
      await client.query('begin');
      for (let i = 0; i < 20; i++) await client.query('update patients.case_counter set active = active');
      await client.query('commit');
    });
    const pages = () => withPgClient(db.adminUrl, (client) => pagesOf(client, 'patients.case_counter'));
    // VACUUM FULL writes the table into a new file (the compaction ran, whatever it could drop).
    const file = () =>
      withPgClient(db.adminUrl, async (client) => (await client.query<{ file: string }>(`select pg_relation_filenode('patients.case_counter')::text as file`)).rows[0]!.file);
    const bloated = await pages();
    const before = await file();
    const lines: string[] = [];
    const summary = await seedDemo({ adminUrl: db.adminUrl, scale: 'small', now, progress: (l) => lines.push(l) });
    expect(summary.skipped).toBe(true);
    expect(lines).toContain('compacted the counters and queues the load rewrote row by row, vacuumed the other tables');
    expect(bloated).toBeGreaterThan(20);
    expect(await file()).not.toBe(before);
    expect(await pages()).toBeLessThan(bloated / 5);
  });

  it('leaves a table that a running service holds as it is, names it, and compacts the others', async () => {
    const holder = new pg.Client({ connectionString: db.adminUrl });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select count(*) from patients.case_counter'); // a reader's lock, held until commit
      const lines: string[] = [];
      const summary = await seedDemo({ adminUrl: db.adminUrl, scale: 'small', now, progress: (l) => lines.push(l) });
      expect(summary.skipped).toBe(true);
      expect(lines.filter((l) => l.startsWith('compacted'))).toEqual([
        'compacted the counters and queues the load rewrote row by row, vacuumed the other tables, except patients.case_counter (in use for over 2 s; run the seed again to compact them)',
      ]);
    } finally {
      await holder.query('rollback');
      await holder.end();
    }
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

  it('writes coverage counters and daily dose counts equal to a recount of the loaded rows', async () => {
    await withPgClient(db.adminUrl, async (client) => {
      const difference = async (stored: string, recount: string) =>
        (await client.query(`(${stored} except all ${recount}) union all (${recount} except all ${stored})`)).rows;
      const coverage = await difference(
        'select ward_code, district_code, birth_year, population, dose1, fully, boosted from vaccination.coverage',
        `select ward_code, district_code, extract(year from date_of_birth)::smallint, count(*)::int,
                (count(*) filter (where doses > 0))::int, (count(*) filter (where fully_vaccinated))::int, (count(*) filter (where boosted))::int
           from vaccination.resident group by 1, 2, 3`,
      );
      expect(coverage).toEqual([]);
      // The district rollup (its triggers fire on the load's COPY) equals both.
      const rollup = 'select district_code, birth_year, population, dose1, fully, boosted from vaccination.district_coverage';
      expect(
        await difference(rollup, 'select district_code, birth_year, sum(population)::int, sum(dose1)::int, sum(fully)::int, sum(boosted)::int from vaccination.coverage group by 1, 2'),
      ).toEqual([]);
      expect(
        await difference(
          rollup,
          `select district_code, extract(year from date_of_birth)::smallint, count(*)::int,
                  (count(*) filter (where doses > 0))::int, (count(*) filter (where fully_vaccinated))::int, (count(*) filter (where boosted))::int
             from vaccination.resident group by 1, 2`,
        ),
      ).toEqual([]);
      const days = await difference(
        'select ward_code, district_code, day, dose, count from vaccination.dose_day',
        `select r.ward_code, r.district_code, v.administered_on, v.dose, count(*)::int
           from vaccination.vaccination_record v join vaccination.resident r on r.id = v.resident_id group by 1, 2, 3, 4`,
      );
      expect(days).toEqual([]);
      // …and the residents' own counters agree with their doses.
      const { rows: residents } = await client.query(
        `select r.id from vaccination.resident r left join vaccination.vaccination_record v on v.resident_id = r.id
          group by r.id having r.doses <> count(v.id) or r.boosted <> bool_or(coalesce(v.dose = 'BOOSTER', false))
                           or r.last_dose_on is distinct from max(v.administered_on)`,
      );
      expect(residents).toEqual([]);
      const { rows: totals } = await client.query<{ population: number; doses: number }>(
        'select (select sum(population)::int from vaccination.coverage) as population, (select sum(count)::int from vaccination.dose_day) as doses',
      );
      expect(totals[0]!.population).toBeGreaterThan(8_000);
      expect(totals[0]!.doses).toBeGreaterThan(totals[0]!.population);
    });
  });

  it('leaves the case and workforce counters equal to a recount of the loaded rows (their triggers fire during the load or at its commit)', async () => {
    await withPgClient(db.adminUrl, async (client) => {
      const difference = async (stored: string, recount: string) =>
        (await client.query(`(${stored} except all ${recount}) union all (${recount} except all ${stored})`)).rows;
      expect(
        await difference(
          'select ward_code, district_code, active, at_home, in_facilities, tier1, tier2, tier3, recovered, deaths from patients.case_counter',
          `select ward_code, min(district_code), (count(*) filter (where status = 'UNDER_TREATMENT'))::int,
                  (count(*) filter (where status = 'UNDER_TREATMENT' and care_setting = 'HOME'))::int,
                  (count(*) filter (where status = 'UNDER_TREATMENT' and care_setting = 'FACILITY'))::int,
                  (count(*) filter (where status = 'UNDER_TREATMENT' and tier = 'TIER_1'))::int,
                  (count(*) filter (where status = 'UNDER_TREATMENT' and tier = 'TIER_2'))::int,
                  (count(*) filter (where status = 'UNDER_TREATMENT' and tier = 'TIER_3'))::int,
                  (count(*) filter (where status = 'RECOVERED'))::int, (count(*) filter (where status = 'DECEASED'))::int
             from patients.patient group by ward_code`,
        ),
      ).toEqual([]);
      expect(
        await difference(
          'select ward_code, district_code, day, count from patients.new_case_day',
          `select ward_code, min(district_code), (confirmed_at at time zone 'Asia/Ho_Chi_Minh')::date, count(*)::int from patients.patient group by 1, 3`,
        ),
      ).toEqual([]);
      expect(
        await difference(
          'select district_code, kind, beds, total, covid_designated, occupied from facilities.district_capacity where (beds, total, covid_designated, occupied) <> (0, 0, 0, 0)',
          `select f.district_code, b.kind, count(*)::int, sum(b.total)::int, sum(b.covid_designated)::int, sum(b.occupied)::int
             from facilities.bed b join facilities.facility f on f.id = b.facility_id
            where f.status = 'ACTIVE' and f.kind <> 'QUARANTINE_AREA' group by 1, 2`,
        ),
      ).toEqual([]);
      expect(
        await difference(
          'select district_code, day, count from patients.new_case_district_day',
          `select district_code, (confirmed_at at time zone 'Asia/Ho_Chi_Minh')::date, count(*)::int from patients.patient group by 1, 2`,
        ),
      ).toEqual([]);
      // Workforce: the rows that count something (a counter row may stay at zero after changes).
      const workforce = await difference(
        `select ward_code, district_code, workers, care_workers, home_care_workers, at_capacity, home_patients, unassigned
           from workforce.workforce_counter where greatest(workers, home_patients) > 0`,
        `select ward_code, district_code, sum(workers)::int, sum(care_workers)::int, sum(home_care_workers)::int, sum(at_capacity)::int,
                sum(home_patients)::int, sum(unassigned)::int
           from (select home_ward_code as ward_code, home_district_code as district_code, count(*) as workers,
                        count(*) filter (where role in ('DOCTOR', 'PHYSICIAN_ASSISTANT', 'NURSE')) as care_workers,
                        count(*) filter (where exists (select 1 from workforce.team_member m join workforce.team t on t.id = m.team_id
                                                        where m.worker_id = w.id and t.kind = 'HOME_CARE_SUPPORT')) as home_care_workers,
                        count(*) filter (where caseload >= max_caseload) as at_capacity, 0 as home_patients, 0 as unassigned
                   from workforce.health_worker w where active group by 1, 2
                 union all
                 select ward_code, district_code, 0, 0, 0, 0, count(*),
                        count(*) filter (where not exists (select 1 from workforce.care_assignment c where c.patient_id = p.id and c.ended_at is null))
                   from workforce.known_patient p where status = 'UNDER_TREATMENT' and care_setting = 'HOME' group by 1, 2) x
          group by 1, 2`,
      );
      expect(workforce).toEqual([]);
      expect(
        await difference(
          'select ward_code, district_code, e.key, e.value::int from workforce.workforce_counter c cross join jsonb_each_text(c.by_origin) e',
          'select home_ward_code, home_district_code, origin, count(*)::int from workforce.health_worker where active group by 1, 2, 3',
        ),
      ).toEqual([]);
      // The seed reached every figure.
      const { rows } = await client.query<{ workers: number; home_care: number; home: number; unassigned: number; assigned: number }>(
        `select sum(workers)::int as workers, sum(home_care_workers)::int as home_care, sum(home_patients)::int as home, sum(unassigned)::int as unassigned,
                (select count(*)::int from workforce.care_assignment where ended_at is null) as assigned
           from workforce.workforce_counter`,
      );
      expect(rows[0]!.workers).toBeGreaterThan(0);
      expect(rows[0]!.home_care).toBeGreaterThan(0);
      expect(rows[0]!.assigned).toBeGreaterThan(0);
      expect(rows[0]!.home).toBeGreaterThan(rows[0]!.unassigned);
    });
  });

  it("gives every resident the vaccination state the schedule's rules derive from its doses", async () => {
    // The registry is generated in SQL: its series, completion and due dates must be what the
    // domain's stateOf() computes from the same doses (the rules recordDose applies later).
    await withPgClient(db.adminUrl, async (client) => {
      const { rows } = await client.query<{
        id: string; doses: number; primary_doses: number; fully_vaccinated: boolean; boosted: boolean;
        primary_completed_on: string | null; last_dose_on: string | null; next_dose_due_on: string | null;
        history: { dose: DoseKind; vaccine: Vaccine; on: string }[] | null;
      }>(
        `select r.id, r.doses, r.primary_doses, r.fully_vaccinated, r.boosted, r.primary_completed_on::text, r.last_dose_on::text, r.next_dose_due_on::text,
                (select json_agg(json_build_object('dose', v.dose, 'vaccine', v.vaccine, 'on', v.administered_on::text) order by v.administered_on)
                   from vaccination.vaccination_record v where v.resident_id = r.id) as history
           from vaccination.resident r`,
      );
      expect(rows.length).toBeGreaterThan(8_000);
      const wrong = rows.filter((r) => {
        const state = stateOf(r.history ?? []);
        return (
          state.doses !== r.doses ||
          state.primaryDoses !== r.primary_doses ||
          state.fullyVaccinated !== r.fully_vaccinated ||
          state.boosted !== r.boosted ||
          state.primaryCompletedOn !== r.primary_completed_on ||
          state.lastDoseOn !== r.last_dose_on ||
          state.nextDoseDueOn !== r.next_dose_due_on
        );
      });
      expect(wrong.slice(0, 3)).toEqual([]);
      // Every kind of state occurs: none, partial, complete, boosted.
      expect(new Set(rows.map((r) => (r.boosted ? 'boosted' : r.fully_vaccinated ? 'complete' : r.doses > 0 ? 'partial' : 'none'))).size).toBe(4);
    });
  });

  it('is deterministic: the same seed again writes the same residents and doses, ids included', async () => {
    const digest = () =>
      withPgClient(db.adminUrl, async (client) => {
        const { rows } = await client.query<{ residents: string; doses: string; coverage: string; rollup: string }>(
          `select (select md5(string_agg(r::text, ',' order by r.id)) from vaccination.resident r) as residents,
                  (select md5(string_agg(v::text, ',' order by v.id)) from vaccination.vaccination_record v) as doses,
                  (select md5(string_agg(c::text, ',' order by c.ward_code, c.birth_year)) from vaccination.coverage c) as coverage,
                  (select md5(string_agg(d::text, ',' order by d.district_code, d.birth_year)) from vaccination.district_coverage d) as rollup`,
        );
        return rows[0]!;
      });
    const first = await digest();
    await seedDemo({ adminUrl: db.adminUrl, scale: 'small', now, reset: true });
    expect(await digest()).toEqual(first);
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
