/**
 * The workforce counters behind every area's workforce figures equal a recount of the rows (the
 * statement that scanned health workers, team members, known patients and open care assignments
 * per request) after many random writes: workers registered, deactivated, moved, given another
 * role, origin or cap; teams of every kind formed, members added and removed, a team changing its
 * kind; patients arriving from events, changing status, care setting or ward, forgotten; care
 * assignments taken and ended through the repositories the commands use; rolled-back transactions,
 * concurrent writers and TRUNCATE.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { setupDatabase } from '../../subgraphs/common/db/setup.js';
import { MIGRATIONS } from '../../subgraphs/registry.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { connectSubgraphDatabase, type Database } from '../../subgraphs/common/db/database.js';
import { workersByOriginByArea, workforceStatsByArea, type WorkforceStats } from '../../subgraphs/workforce/db/stats.repository.js';
import { endAssignment, insertAssignment, upsertKnownPatient } from '../../subgraphs/workforce/db/care.repository.js';
import { insertWorker, takeCaseloadPlace, updateWorker } from '../../subgraphs/workforce/db/worker.repository.js';
import { insertTeam } from '../../subgraphs/workforce/db/team.repository.js';
import type { WorkforceDB } from '../../subgraphs/workforce/db/tables.js';
import { CARE_ROLES, HOME_CARE_TEAM, TEAM_KINDS, WORKER_ORIGINS, WORKER_ROLES, type WorkerOrigin } from '../../subgraphs/workforce/domain/workforce.js';
import { CARE_SETTINGS, PATIENT_STATUSES } from '../../subgraphs/common/domain/enums.js';
import { Random } from '../../scripts/seed/random.js';
import { pollUntil } from '../support/wait.js';
import { holdOpen, inTransaction, lockWaiters } from '../support/transactions.js';

const WARDS = [
  { ward: '00337', district: '008' },
  { ward: '00340', district: '008' },
  { ward: '00343', district: '008' },
  { ward: '00004', district: '001' },
  { ward: '00008', district: '001' },
];
const DISTRICTS = [...new Set(WARDS.map((w) => w.district))];
const INCREMENTAL = '2026-12-02T00-00-00_incremental_patient_counts';

type Db = Kysely<WorkforceDB>;

/** A database migrated up to the migration before INCREMENTAL, and the subgraph's connection to it. */
async function databaseBeforeIncremental(): Promise<{ upgrade: TestDatabase; subgraph: Database<WorkforceDB> }> {
  const upgrade = await createTestDatabase({ empty: true });
  const before = { ...MIGRATIONS, workforce: Object.fromEntries(Object.entries(MIGRATIONS.workforce).filter(([name]) => name < INCREMENTAL)) };
  await setupDatabase(upgrade.adminUrl, { migrations: before });
  return { upgrade, subgraph: connectSubgraphDatabase<WorkforceDB>('workforce', upgrade.roleUrl('workforce'), { maxConnections: 4 }) };
}

/** Whether a backend of this database waits for a lock while adding a team member. */
async function memberInsertWaits(db: Kysely<WorkforceDB>): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pg_stat_activity
     where wait_event_type = 'Lock' and query ilike '%insert into "team_member"%' and datname = current_database()`.execute(db);
  return rows[0]!.n > 0;
}


type Figures = WorkforceStats & { byOrigin: Partial<Record<WorkerOrigin, number>> };

/** What the API reads: the counters' figures and, apart, their workers per origin. */
async function figures(db: Db, area: 'ward' | 'district', codes: readonly string[]): Promise<Figures[]> {
  const origins = new Map((await workersByOriginByArea(db, area, codes)).map((o) => [o.area, o.byOrigin]));
  return (await workforceStatsByArea(db, area, codes)).map((s) => ({ ...s, byOrigin: origins.get(s.area) ?? {} }));
}

/** The figures recounted from the rows: the statement workforceStatsByArea ran before the counters. */
async function recount(db: Db, area: 'ward' | 'district', codes: readonly string[]): Promise<Figures[]> {
  const workerArea = area === 'ward' ? 'w.home_ward_code' : 'w.home_district_code';
  const patientArea = area === 'ward' ? 'p.ward_code' : 'p.district_code';
  const { rows } = await sql<{
    area: string; workers: number; by_origin: Partial<Record<WorkerOrigin, number>> | null; care_workers: number;
    home_care_workers: number; at_capacity: number; home_patients: number; unassigned: number;
  }>`
    with codes as (select unnest(${sql.val([...codes])}::text[]) as area),
    w as (
      select ${sql.ref(workerArea)} as area,
             count(*) filter (where w.active)::int as workers,
             count(*) filter (where w.active and w.role = any(${sql.val([...CARE_ROLES])}::text[]))::int as care_workers,
             count(*) filter (where w.active and exists (
               select 1 from team_member m join team t on t.id = m.team_id where m.worker_id = w.id and t.kind = ${HOME_CARE_TEAM}))::int as home_care_workers,
             count(*) filter (where w.active and w.caseload >= w.max_caseload)::int as at_capacity
        from health_worker w where ${sql.ref(workerArea)} in (select area from codes) group by 1),
    o as (
      select area, jsonb_object_agg(origin, n) as by_origin from (
        select ${sql.ref(workerArea)} as area, w.origin, count(*)::int as n from health_worker w
         where w.active and ${sql.ref(workerArea)} in (select area from codes) group by 1, 2) x group by area),
    p as (
      select ${sql.ref(patientArea)} as area, count(*)::int as home_patients,
             count(*) filter (where not exists (select 1 from care_assignment c where c.patient_id = p.id and c.ended_at is null))::int as unassigned
        from known_patient p
       where p.status = 'UNDER_TREATMENT' and p.care_setting = 'HOME' and ${sql.ref(patientArea)} in (select area from codes) group by 1)
    select codes.area, coalesce(w.workers, 0) as workers, o.by_origin, coalesce(w.care_workers, 0) as care_workers,
           coalesce(w.home_care_workers, 0) as home_care_workers, coalesce(w.at_capacity, 0) as at_capacity,
           coalesce(p.home_patients, 0) as home_patients, coalesce(p.unassigned, 0) as unassigned
      from codes left join w on w.area = codes.area left join o on o.area = codes.area left join p on p.area = codes.area`.execute(db);
  return rows.map((r) => ({
    level: area, area: r.area, workers: r.workers, byOrigin: r.by_origin ?? {}, careWorkers: r.care_workers, homeCareWorkers: r.home_care_workers,
    atCapacity: r.at_capacity, homePatients: r.home_patients, unassignedHomePatients: r.unassigned,
  }));
}

const byArea = (rows: Figures[]) => Object.fromEntries(rows.map((r) => [r.area, r]));

describe('workforce counters', () => {
  let database: TestDatabase;
  let workforce: Database<WorkforceDB>;
  const random = new Random('workforce-counters');
  let serial = 0;

  const pickId = async (db: Db, query: { execute(db: Db): Promise<{ rows: { id: string }[] }> }): Promise<string | undefined> => (await query.execute(db)).rows[0]?.id;

  const newWorker = async (db: Db) => {
    const place = random.pick(WARDS);
    serial += 1;
    await insertWorker(db, {
      id: `HW-C-${serial}`, fullName: 'Lê Thị Điều Dưỡng', phone: null, role: random.pick(WORKER_ROLES), origin: random.pick(WORKER_ORIGINS),
      homeWardCode: place.ward, homeDistrictCode: place.district, maxCaseload: random.int(1, 3),
    });
  };


  const newPatient = async (db: Db) => {
    const place = random.pick(WARDS);
    serial += 1;
    await inTransaction(db, (trx) =>
      upsertKnownPatient(trx as never, {
        id: `P-C-${serial}`, wardCode: place.ward, districtCode: place.district,
        // Mostly home patients under treatment, the ones the figures are about.
        status: random.int(0, 3) === 0 ? random.pick(PATIENT_STATUSES) : 'UNDER_TREATMENT',
        careSetting: random.int(0, 3) === 0 ? random.pick(CARE_SETTINGS) : 'HOME',
        at: new Date(),
      }),
    );
  };

  /** One random write; `trx` runs it inside a caller's transaction instead of its own. */
  const randomWrite = async (db: Db) => {
    const worker = await pickId(db, sql<{ id: string }>`select id from health_worker order by random() limit 1`);
    const patient = await pickId(db, sql<{ id: string }>`select id from known_patient order by random() limit 1`);
    const place = random.pick(WARDS);
    switch (random.int(0, 15)) {
      case 0:
        return newWorker(db);
      case 1:
        return newPatient(db);
      case 2:
        if (worker) await inTransaction(db, (trx) => updateWorker(trx as never, worker, { active: random.int(0, 2) > 0 }));
        return;
      case 3:
        // A new cap, never below the caseload (the table's check): crosses the cap both ways.
        if (worker) await sql`update health_worker set max_caseload = greatest(caseload, 1, ${random.int(0, 3)}) where id = ${worker}`.execute(db);
        return;
      case 4:
        if (worker) await sql`update health_worker set role = ${random.pick(WORKER_ROLES)}, origin = ${random.pick(WORKER_ORIGINS)} where id = ${worker}`.execute(db);
        return;
      case 5:
        if (worker) await sql`update health_worker set home_ward_code = ${place.ward}, home_district_code = ${place.district} where id = ${worker}`.execute(db);
        return;
      case 6: {
        const members = (await sql<{ id: string }>`select id from health_worker order by random() limit ${random.int(0, 3)}`.execute(db)).rows.map((r) => r.id);
        serial += 1;
        await inTransaction(db, (trx) =>
          insertTeam(trx as never, { id: `T-C-${serial}`, name: 'Tổ', kind: random.pick(TEAM_KINDS), wardCode: place.ward, districtCode: place.district, leadWorkerId: null, memberIds: members }),
        );
        return;
      }
      case 7: {
        const team = await pickId(db, sql<{ id: string }>`select id from team order by random() limit 1`);
        if (team && worker) await sql`insert into team_member (team_id, worker_id) values (${team}, ${worker}) on conflict do nothing`.execute(db);
        return;
      }
      case 8:
        await sql`delete from team_member where ctid = (select ctid from team_member order by random() limit 1)`.execute(db);
        return;
      case 9:
        await sql`update team set kind = ${random.pick(TEAM_KINDS)} where id = (select id from team order by random() limit 1)`.execute(db);
        return;
      case 10:
      case 11: {
        // What assignCare does: a place with the worker, then the assignment.
        const open = await pickId(
          db,
          sql<{ id: string }>`select id from known_patient p where not exists (select 1 from care_assignment c where c.patient_id = p.id and c.ended_at is null) order by random() limit 1`,
        );
        if (!open || !worker) return;
        await inTransaction(db, async (trx) => {
          if (await takeCaseloadPlace(trx as never, worker)) await insertAssignment(trx as never, open, worker, 'test');
        });
        return;
      }
      case 12:
        if (patient) await inTransaction(db, (trx) => endAssignment(trx as never, patient, 'ENDED_BY_STAFF'));
        return;
      case 13:
        // A state event from the patients subgraph (a later one; an admission, recovery, ward correction…).
        if (patient)
          await inTransaction(db, (trx) =>
            upsertKnownPatient(trx as never, { id: patient, wardCode: place.ward, districtCode: place.district, status: random.pick(PATIENT_STATUSES), careSetting: random.pick(CARE_SETTINGS), at: new Date() }),
          );
        return;
      case 14:
        // An event that changes nothing counted.
        if (patient) await sql`update known_patient set updated_at = now() where id = ${patient}`.execute(db);
        return;
      default:
        if (patient) await sql`delete from known_patient where id = ${patient}`.execute(db);
    }
  };

  const expectCountersMatch = async (db: Db = workforce.db) => {
    expect(byArea(await figures(db, 'ward', WARDS.map((w) => w.ward)))).toEqual(byArea(await recount(db, 'ward', WARDS.map((w) => w.ward))));
    expect(byArea(await figures(db, 'district', DISTRICTS))).toEqual(byArea(await recount(db, 'district', DISTRICTS)));
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    workforce = connectSubgraphDatabase<WorkforceDB>('workforce', database.roleUrl('workforce'), { maxConnections: 4 });
  });
  afterAll(async () => {
    await workforce?.close();
    await database?.drop();
  });

  it('equal a recount after random writes, committed or rolled back', async () => {
    for (let i = 0; i < 15; i++) await newWorker(workforce.db);
    for (let i = 0; i < 40; i++) await newPatient(workforce.db);
    await expectCountersMatch();
    for (let round = 0; round < 4; round++) {
      // Checked after every write: a recount of a ward by a later write would hide a missed one.
      for (let i = 0; i < 150; i++) {
        await randomWrite(workforce.db);
        await expectCountersMatch();
      }
      // A transaction that fails after several writes leaves no trace in the counters.
      await expect(
        workforce.db.transaction().execute(async (trx) => {
          for (let i = 0; i < 10; i++) await randomWrite(trx);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      await expectCountersMatch();
    }
    // The random writes reached every figure.
    const [city] = await recount(workforce.db, 'district', ['008']);
    const { rows } = await sql<{ assigned: number; home_care: number; at_cap: number }>`
      select (select count(*)::int from care_assignment where ended_at is null) as assigned,
             (select count(distinct m.worker_id)::int from team_member m join team t on t.id = m.team_id where t.kind = ${HOME_CARE_TEAM}) as home_care,
             (select count(*)::int from health_worker where caseload >= max_caseload) as at_cap`.execute(workforce.db);
    expect(rows[0]!.assigned).toBeGreaterThan(0);
    expect(rows[0]!.home_care).toBeGreaterThan(0);
    expect(rows[0]!.at_cap).toBeGreaterThan(0);
    expect(city!.workers).toBeGreaterThan(0);
  });

  it("count a change of one patient from that patient's rows, not the ward's other patients", async () => {
    // A ward with a few thousand patients at home, as the busiest wards had at the wave's peak.
    // Recounting its figures on every change read every one of them (and probed each one's care
    // assignment) while the ward's counter row stayed locked: an admission's event cost 2.7 ms of
    // PostgreSQL in a ward of 600. A change now costs the same in any ward.
    const db = workforce.db;
    const ward = WARDS[1]!;
    const homePatients = 3_000;
    await sql`
      insert into known_patient (id, ward_code, district_code, status, care_setting, updated_at)
      select 'P-BIG-' || n, ${ward.ward}, ${ward.district}, 'UNDER_TREATMENT', 'HOME', timestamptz '2022-01-01 00:00+07' from generate_series(1, ${homePatients}) n`.execute(db);
    const homeBefore = (await workforceStatsByArea(db, 'ward', [ward.ward]))[0]!.homePatients;
    // As autovacuum would after such a load: the planner then knows the table is not small (on a
    // table of a few pages, reading it all is the cheaper plan, and the count below means nothing).
    await sql`analyze known_patient`.execute(db);
    await expectCountersMatch();

    // What this session has read of the two tables, so far (statistics not yet sent are counted:
    // they are sent between transactions, so a difference within one transaction is exact).
    const readSoFar = async (trx: Db) => {
      const { rows } = await sql<{ relname: string; tuples: number; scans: number }>`
        select relname, (seq_tup_read + idx_tup_fetch)::int as tuples, (seq_scan + idx_scan)::int as scans
          from pg_stat_xact_user_tables where schemaname = 'workforce' and relname in ('known_patient', 'care_assignment')`.execute(trx);
      return Object.fromEntries(rows.map((r) => [r.relname, r]));
    };
    const reads = await db.transaction().execute(async (trx) => {
      const before = await readSoFar(trx);
      await upsertKnownPatient(trx, { id: 'P-BIG-7', wardCode: ward.ward, districtCode: ward.district, status: 'UNDER_TREATMENT', careSetting: 'FACILITY', at: new Date() });
      // The counters are kept when the transaction commits (deferred triggers): run them now.
      await sql`set constraints all immediate`.execute(trx);
      const after = await readSoFar(trx);
      return {
        patientRows: after.known_patient!.tuples - before.known_patient!.tuples,
        assignmentLookups: after.care_assignment!.scans - before.care_assignment!.scans,
      };
    });
    await expectCountersMatch();
    // The change happened (the event is newer than the stored state) and was counted.
    expect((await workforceStatsByArea(db, 'ward', [ward.ward]))[0]!.homePatients).toBe(homeBefore - 1);
    expect(reads.patientRows).toBeLessThan(10);
    expect(reads.assignmentLookups).toBeLessThan(10);
  });

  it('concurrent writers in the same wards still add up', async () => {
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = 0; i < 40; i++) {
          try {
            await randomWrite(workforce.db);
          } catch (error) {
            // Two writers racing for the same patient's assignment or the same membership (the
            // table's keys refuse the second), or a lock-order deadlock: the command layer retries
            // those; here the write is simply lost, as the transaction was.
            const code = (error as { code?: string }).code;
            if (code !== '23505' && code !== '40P01' && code !== '23503') throw error;
          }
        }
      }),
    );
    await expectCountersMatch();
  });

  it('count a member who joins while the team changes kind by the kind that commits', async () => {
    // T1 makes a team a home-care team; before it commits, T2 adds a worker of another ward to it.
    // Each recounts at commit only the wards it saw: without T2 waiting for T1 (the membership
    // trigger's share lock on the team), T2 counts the new member by the old kind and T1 never
    // looks at the member's ward, which then stays wrong.
    const db = workforce.db;
    const suffix = `${Date.now()}`;
    const lead = { id: `race-lead-${suffix}`, ward: WARDS[0]! };
    const joiner = { id: `race-joiner-${suffix}`, ward: WARDS[3]! };
    for (const w of [lead, joiner]) {
      await insertWorker(db, { id: w.id, fullName: 'Nguyễn Văn Đua', phone: null, role: 'NURSE', origin: 'PUBLIC_STAFF', homeWardCode: w.ward.ward, homeDistrictCode: w.ward.district, maxCaseload: 10 });
    }
    const otherKind = TEAM_KINDS.find((k) => k !== HOME_CARE_TEAM)!;
    const teamId = `race-team-${suffix}`;
    await db.transaction().execute((trx) => insertTeam(trx, { id: teamId, name: 'Tổ đua', kind: otherKind, wardCode: lead.ward.ward, districtCode: lead.ward.district, leadWorkerId: lead.id, memberIds: [lead.id] }));

    const t1 = await db.startTransaction().execute();
    await t1.updateTable('team').set({ kind: HOME_CARE_TEAM }).where('id', '=', teamId).execute();
    const t2 = (async () => {
      const trx = await db.startTransaction().execute();
      await trx.insertInto('team_member').values({ team_id: teamId, worker_id: joiner.id }).execute();
      await trx.commit().execute();
    })();
    // Let T2 run as far as it can: either it waits for T1's team row (the fix) or it commits.
    let settled = false;
    void t2.finally(() => (settled = true));
    const waits = await pollUntil(() => memberInsertWaits(db), (w) => w || settled, { intervalMs: 10 });
    const t2State = waits ? 'waiting' : settled ? 'committed' : 'neither';
    await t1.commit().execute();
    await t2;
    await expectCountersMatch();
    expect(t2State).toBe('waiting');
  });

  it('are exact after an upgrade of a database that holds data, its undoing and its redoing', async () => {
    // Patient figures moved from a recount per ward to a difference per patient (migration
    // INCREMENTAL): its backfill must match what the old triggers counted, its down migration must
    // give the old triggers back, and either must go on counting writes correctly.
    const { upgrade, subgraph } = await databaseBeforeIncremental();
    // The migration alone, as the migrator runs it: the schema's owner, in a transaction.
    const owner = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: upgrade.roleUrl('workforce'), max: 1, options: '-c search_path=workforce' }) }) });
    const migration = MIGRATIONS.workforce[INCREMENTAL]!;
    const writeAndCheck = async () => {
      for (let i = 0; i < 40; i++) await randomWrite(subgraph.db);
      await expectCountersMatch(subgraph.db);
    };
    try {
      for (let i = 0; i < 10; i++) await newWorker(subgraph.db);
      for (let i = 0; i < 30; i++) await newPatient(subgraph.db);
      await writeAndCheck();
      await setupDatabase(upgrade.adminUrl, { migrations: MIGRATIONS });
      await expectCountersMatch(subgraph.db);
      const counted = await sql<{ n: number }>`select count(*)::int as n from workforce_patient_counted`.execute(subgraph.db);
      expect(counted.rows[0]!.n).toBeGreaterThan(0);
      await writeAndCheck();
      await owner.transaction().execute((trx) => migration.down!(trx));
      await expectCountersMatch(subgraph.db);
      await writeAndCheck();
      await owner.transaction().execute((trx) => migration.up(trx));
      await expectCountersMatch(subgraph.db);
      await writeAndCheck();
    } finally {
      await owner.destroy();
      await subgraph.close();
      await upgrade.drop();
    }
  });

  it('are exact when a write arrives while the upgrade runs', async () => {
    // A write that began under the old triggers and finished under the new ones would be noted
    // the old way (its ward, not its patient), and the new commit would move nothing for it: the
    // upgrade holds writers off the tables whose triggers it replaces until it commits. (A care
    // assignment: the upgrade's own DDL on known_patient already holds that table's writers.)
    const { upgrade, subgraph } = await databaseBeforeIncremental();
    const place = WARDS[2]!;
    try {
      await insertWorker(subgraph.db, { id: 'HW-UP', fullName: 'Trần Thị Nâng Cấp', phone: null, role: 'NURSE', origin: 'PUBLIC_STAFF', homeWardCode: place.ward, homeDistrictCode: place.district, maxCaseload: 5 });
      for (const id of ['P-UP-1', 'P-UP-2']) {
        await inTransaction(subgraph.db, (trx) =>
          upsertKnownPatient(trx as never, { id, wardCode: place.ward, districtCode: place.district, status: 'UNDER_TREATMENT', careSetting: 'HOME', at: new Date('2022-01-01T00:00:00Z') }),
        );
      }
      // A reader of the ward's counter row pauses the upgrade halfway (its backfill rewrites the counters).
      const holder = await holdOpen(subgraph.db, (trx) => sql`select 1 from workforce_counter where ward_code = ${place.ward} for update`.execute(trx));
      const migrating = setupDatabase(upgrade.adminUrl, { migrations: MIGRATIONS });
      await pollUntil(() => lockWaiters(subgraph.db), (n) => n >= 1, { intervalMs: 10 });
      // What assignCare writes: a caseload place, then the assignment (P-UP-1 is then not unassigned).
      const writing = inTransaction(subgraph.db, async (trx) => {
        if (!(await takeCaseloadPlace(trx as never, 'HW-UP'))) throw new Error('no caseload place');
        await insertAssignment(trx as never, 'P-UP-1', 'HW-UP', 'test');
      });
      await pollUntil(() => lockWaiters(subgraph.db), (n) => n >= 2, { intervalMs: 10 });
      holder.release();
      await Promise.all([holder.done, migrating, writing]);
      await expectCountersMatch(subgraph.db);
      expect((await workforceStatsByArea(subgraph.db, 'ward', [place.ward]))[0]!.unassignedHomePatients).toBe(1);
    } finally {
      await subgraph.close();
      await upgrade.drop();
    }
  });

  it('are recounted after a TRUNCATE (the demo seed clears tables that way)', async () => {
    await sql`truncate team_member`.execute(workforce.db);
    await expectCountersMatch();
    await sql`truncate care_assignment`.execute(workforce.db);
    await expectCountersMatch();
    await sql`truncate known_patient, health_worker cascade`.execute(workforce.db);
    expect((await workforceStatsByArea(workforce.db, 'district', DISTRICTS)).every((s) => s.workers === 0 && s.homePatients === 0)).toBe(true);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from workforce_counter`.execute(workforce.db);
    expect(rows[0]!.n).toBe(0);
    for (let i = 0; i < 10; i++) await newWorker(workforce.db);
    for (let i = 0; i < 10; i++) await newPatient(workforce.db);
    await expectCountersMatch();
  });
});
