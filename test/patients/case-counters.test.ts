/**
 * The case counters behind every area's case figures equal a recount of the cases after many
 * random writes: registrations, tier changes, admissions and discharges, recoveries, deaths,
 * ward corrections, corrected confirmation times, deletions, rolled-back transactions and a
 * truncation, in random order over a few wards of four districts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql, type Kysely } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { connectSubgraphDatabase, type Database } from '../../subgraphs/common/db/database.js';
import { caseStatsByArea, type CaseStatsRow } from '../../subgraphs/patients/db/patient.repository.js';
import type { PatientsDB } from '../../subgraphs/patients/db/tables.js';
import { CARE_SETTINGS, PATIENT_STATUSES, TREATMENT_TIERS } from '../../subgraphs/common/domain/enums.js';
import { Random } from '../../scripts/seed/random.js';
import { waitUntil } from '../support/wait.js';
import { holdOpen, lockWaiters } from '../support/transactions.js';
import * as caseCounters from '../../subgraphs/patients/migrations/2026-11-27T05-00-00_case_counters.js';
import * as newCasesByDistrict from '../../subgraphs/patients/migrations/2026-11-29T01-00-00_new_cases_by_district.js';

const WARDS = [
  { ward: '00337', district: '008' },
  { ward: '00340', district: '008' },
  { ward: '00343', district: '008' },
  { ward: '00004', district: '001' },
  { ward: '00008', district: '001' },
  // Ward codes out of their districts' order (00592 and 00622 are in 019, 00595 and 00620 in 021):
  // moves between them must still lock the districts' day rows in one order.
  { ward: '00592', district: '019' },
  { ward: '00595', district: '021' },
  { ward: '00620', district: '021' },
  { ward: '00622', district: '019' },
];
const HOUR = 3_600_000;

describe('case counters', () => {
  let database: TestDatabase;
  let patients: Database<PatientsDB>;
  const random = new Random('case-counters');
  const now = Date.now();
  // Confirmation times across ten days, so that day boundaries fall inside every window.
  const confirmedAt = () => new Date(now - random.int(0, 240) * HOUR - random.int(0, 3_599_999));
  let serial = 0;

  const insert = async (db = patients.db) => {
    const place = random.pick(WARDS);
    const status = random.pick(PATIENT_STATUSES);
    serial += 1;
    await sql`
      insert into patient (case_code, full_name, date_of_birth, sex, ward_code, district_code, address, confirmed_at, confirmation, tier, status, care_setting, registered_by, ended_at)
      values (${`CC-${serial}`}, 'Nguyễn Văn A', '1980-01-01', 'MALE', ${place.ward}, ${place.district}, 'Số 1', ${confirmedAt()}, 'PCR',
              ${random.pick(TREATMENT_TIERS)}, ${status}, ${random.pick(CARE_SETTINGS)}, 'test', ${status === 'UNDER_TREATMENT' ? null : new Date()})`.execute(db);
  };

  const randomWrite = async (db = patients.db) => {
    const { rows } = await sql<{ id: string }>`select id from patient order by random() limit 1`.execute(db);
    const id = rows[0]?.id;
    const choice = random.int(0, 9);
    if (!id || choice <= 2) return insert(db);
    const place = random.pick(WARDS);
    const status = random.pick(PATIENT_STATUSES);
    const updates = [
      sql`update patient set tier = ${random.pick(TREATMENT_TIERS)} where id = ${id}`,
      sql`update patient set care_setting = ${random.pick(CARE_SETTINGS)} where id = ${id}`,
      sql`update patient set status = ${status}, ended_at = ${status === 'UNDER_TREATMENT' ? null : new Date()} where id = ${id}`,
      sql`update patient set ward_code = ${place.ward}, district_code = ${place.district} where id = ${id}`,
      sql`update patient set confirmed_at = ${confirmedAt()} where id = ${id}`,
      // A daily check: no counted column changes.
      sql`update patient set last_check_at = now(), updated_at = now() where id = ${id}`,
      sql`delete from patient where id = ${id}`,
    ];
    await updates[choice - 3]!.execute(db);
  };

  /** The figures recounted from the cases, as the statistics were computed before the counters. */
  const recount = async (area: 'ward_code' | 'district_code' | 'city', since: Date): Promise<CaseStatsRow[]> => {
    const key = area === 'city' ? sql<string>`'city'` : sql<string>`${sql.ref(area)}`;
    const { rows } = await sql<Record<string, string>>`
      select ${key} as area,
             count(*) filter (where status = 'UNDER_TREATMENT') as active,
             count(*) filter (where status = 'UNDER_TREATMENT' and care_setting = 'HOME') as "atHome",
             count(*) filter (where status = 'UNDER_TREATMENT' and care_setting = 'FACILITY') as "inFacilities",
             count(*) filter (where status = 'UNDER_TREATMENT' and tier = 'TIER_1') as tier1,
             count(*) filter (where status = 'UNDER_TREATMENT' and tier = 'TIER_2') as tier2,
             count(*) filter (where status = 'UNDER_TREATMENT' and tier = 'TIER_3') as tier3,
             count(*) filter (where confirmed_at >= ${since}) as "newLast7Days",
             count(*) filter (where status = 'RECOVERED') as recovered,
             count(*) filter (where status = 'DECEASED') as deaths
        from patient group by 1`.execute(patients.db);
    return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, k === 'area' ? v : Number(v)])) as unknown as CaseStatsRow);
  };

  const nonZero = (row: CaseStatsRow) => Object.entries(row).some(([k, v]) => k !== 'area' && v !== 0);
  const byArea = (rows: CaseStatsRow[]) => Object.fromEntries(rows.filter(nonZero).map((r) => [r.area, r]));

  const expectCountersMatch = async () => {
    // The counter rows themselves, ward by ward.
    const { rows: counters } = await sql<Record<string, string | number>>`
      select ward_code as area, active, at_home as "atHome", in_facilities as "inFacilities", tier1, tier2, tier3, recovered, deaths from case_counter`.execute(patients.db);
    const truth = (await recount('ward_code', new Date(0))).map(({ newLast7Days: _, ...rest }) => rest);
    const withoutZeros = (rows: Record<string, string | number>[]) =>
      Object.fromEntries(rows.filter((r) => Object.entries(r).some(([k, v]) => k !== 'area' && v !== 0)).map((r) => [r.area, r]));
    expect(withoutZeros(counters)).toEqual(withoutZeros(truth as unknown as Record<string, string | number>[]));
    // Windows that start at random instants of the last eight days, a boundary hour included.
    for (const since of [new Date(now - 7 * 24 * HOUR), new Date(now - random.int(1, 190) * HOUR - random.int(0, 3_599_999)), new Date(now - 30 * 24 * HOUR)]) {
      const districts = [...new Set(WARDS.map((w) => w.district))];
      expect(byArea(await caseStatsByArea(patients.db, 'ward_code', WARDS.map((w) => w.ward), since))).toEqual(byArea(await recount('ward_code', since)));
      expect(byArea(await caseStatsByArea(patients.db, 'district_code', districts, since))).toEqual(byArea(await recount('district_code', since)));
      expect(byArea(await caseStatsByArea(patients.db, 'city', undefined, since))).toEqual(byArea(await recount('city', since)));
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    patients = connectSubgraphDatabase<PatientsDB>('patients', database.roleUrl('patients'), { maxConnections: 4 });
  });
  afterAll(async () => {
    await patients?.close();
    await database?.drop();
  });

  it('equal a recount after random writes, committed or rolled back', async () => {
    for (let i = 0; i < 60; i++) await insert();
    await expectCountersMatch();
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 120; i++) await randomWrite();
      // A transaction that fails after several writes leaves no trace in the counters.
      await expect(
        patients.db.transaction().execute(async (trx) => {
          for (let i = 0; i < 10; i++) await randomWrite(trx);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      await expectCountersMatch();
    }
    const { rows } = await sql<{ n: string }>`select count(*) as n from patient`.execute(patients.db);
    expect(Number(rows[0]!.n)).toBeGreaterThan(0);
  });

  it('concurrent writes in the same wards still add up', async () => {
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = 0; i < 40; i++) await randomWrite();
      }),
    );
    await expectCountersMatch();
  });

  describe('lock order', () => {
    const confirmed = new Date(now - 2 * HOUR);
    /** A case of the ward, confirmed at `confirmed`, registered in its own transaction or in `db`'s. */
    const place = async (ward: string, district: string, db: Kysely<PatientsDB> = patients.db) => {
      serial += 1;
      const { rows } = await sql<{ id: string }>`
        insert into patient (case_code, full_name, date_of_birth, sex, ward_code, district_code, address, confirmed_at, confirmation, tier, status, care_setting, registered_by)
        values (${`CC-${serial}`}, 'Trần Thị B', '1975-05-05', 'FEMALE', ${ward}, ${district}, 'Số 2', ${confirmed}, 'PCR', 'TIER_1', 'UNDER_TREATMENT', 'HOME', 'test')
        returning id`.execute(db);
      return rows[0]!.id;
    };
    const waiting = () => lockWaiters(patients.db);

    it('never deadlock when two cases move between districts in opposite directions', async () => {
      // Ward 00620 is in district 021 and 00622 in 019, but 00592 (019) comes before 00595 (021):
      // in ward order, one move would take 021's day row before 019's and the other the reverse.
      const [x, y, z] = [await place('00620', '021'), await place('00592', '019'), await place('00622', '019')];
      // A tier change in ward 00622 holds that ward's counter row until released.
      const blocker = await holdOpen(patients.db, (trx) => sql`update patient set tier = 'TIER_2' where id = ${z}`.execute(trx));
      // x moves 021 → 019 and waits for ward 00622's row; y moves 019 → 021 meanwhile.
      const toward019 = sql`update patient set ward_code = '00622', district_code = '019' where id = ${x}`.execute(patients.db);
      await waitUntil(async () => (await waiting()) >= 1);
      let movedTo021 = false;
      const toward021 = sql`update patient set ward_code = '00595', district_code = '021' where id = ${y}`.execute(patients.db).then(() => (movedTo021 = true));
      // Either y's move went through, or it waits for x's.
      await waitUntil(async () => movedTo021 || (await waiting()) >= 2);
      blocker.release();
      await Promise.all([blocker.done, toward019, toward021]);
      await expectCountersMatch();
    });

    it('never deadlock when a case moves into a ward while another is registered there', async () => {
      const x = await place('00337', '008');
      // A registration in another ward of district 008 holds the district's day row.
      const blocker = await holdOpen(patients.db, (trx) => place('00343', '008', trx));
      // x moves into 00340 and waits for the district's row; a case is registered in 00340 meanwhile.
      const move = sql`update patient set ward_code = '00340' where id = ${x}`.execute(patients.db);
      await waitUntil(async () => (await waiting()) >= 1);
      const registration = place('00340', '008');
      await waitUntil(async () => (await waiting()) >= 2);
      // Taken in the middle, the district's row would go to the move, which would then wait for
      // ward 00340's counter, held by the registration waiting for the district's row.
      blocker.release();
      await Promise.all([blocker.done, move, registration]);
      await expectCountersMatch();
    });
  });

  it('are emptied with the cases by TRUNCATE (the demo seed clears tables that way)', async () => {
    await sql`truncate patient cascade`.execute(patients.db);
    expect(byArea(await caseStatsByArea(patients.db, 'city', undefined, new Date(now - 7 * 24 * HOUR)))).toEqual({});
    for (let i = 0; i < 20; i++) await insert();
    await expectCountersMatch();
  });

  describe('migrations', () => {
    it('take the district day rows away and bring them back, the counts right at each step', async () => {
      for (let i = 0; i < 30; i++) await randomWrite();
      // Each in a transaction, as the migrator runs them.
      const run = (step: (db: Kysely<any>) => Promise<void>) => patients.db.transaction().execute((trx) => step(trx));
      await run(newCasesByDistrict.down);
      // Down: counted per ward as before, by the two-argument function.
      for (let i = 0; i < 30; i++) await randomWrite();
      const wards = WARDS.map((w) => w.ward);
      const since = new Date(now - 7 * 24 * HOUR);
      expect(byArea(await caseStatsByArea(patients.db, 'ward_code', wards, since))).toEqual(byArea(await recount('ward_code', since)));
      // The migration before can go down and up again, and this one up, its backfill included.
      await run(caseCounters.down);
      await run(caseCounters.up);
      await run(newCasesByDistrict.up);
      await expectCountersMatch();
      for (let i = 0; i < 30; i++) await randomWrite();
      await expectCountersMatch();
    });
  });
});
