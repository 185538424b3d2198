/**
 * The districts' and the city's treatment capacity come from a rollup (district_capacity) kept in
 * the transaction of every change; it equals the sum over the bed rows after many random writes:
 * admissions and discharges (occupied ± 1), capacity changes, bed kinds added and removed,
 * bed rows changing kind or facility, facilities opened, closed, turned into quarantine areas and
 * back, moved to another district, created with their beds; rolled-back transactions and
 * savepoints, concurrent writers, and TRUNCATE.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql, type Kysely } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography } from '../support/builders.js';
import { connectSubgraphDatabase, type Database } from '../../subgraphs/common/db/database.js';
import { bedTotalsByArea, bedTotalsFromBeds, type AreaBedCounts } from '../../subgraphs/facilities/db/geography.repository.js';
import type { FacilitiesDB } from '../../subgraphs/facilities/db/tables.js';
import { BED_KINDS } from '../../subgraphs/common/domain/enums.js';
import { FACILITY_KINDS, FACILITY_STATUSES } from '../../subgraphs/facilities/domain/facility.js';
import { Random } from '../../scripts/seed/random.js';
import { NON_TREATMENT_KINDS } from '../../subgraphs/facilities/domain/capacity.js';
import { waitUntil } from '../support/wait.js';
import { holdOpen, inTransaction, lockWaiters } from '../support/transactions.js';
import { findWard } from '../../subgraphs/common/admin-units.js';

const WARDS = ['00337', '00340', '00004', '00008', '00592', '00595'];
type Db = Kysely<FacilitiesDB>;

describe('district capacity rollup', () => {
  let database: TestDatabase;
  let facilities: Database<FacilitiesDB>;
  const random = new Random('district-capacity');
  let serial = 0;
  const districts = [...new Set(WARDS.map((w) => findWard(w)!.districtCode))];

  const byKey = (rows: AreaBedCounts[]) => Object.fromEntries(rows.map((r) => [`${r.area}/${r.kind}`, r]));
  const expectRollupMatches = async () => {
    const db = facilities.db;
    expect(byKey(await bedTotalsByArea(db, 'district_code', districts))).toEqual(byKey(await bedTotalsFromBeds(db, 'district_code', districts)));
    expect(byKey(await bedTotalsByArea(db, 'city'))).toEqual(byKey(await bedTotalsFromBeds(db, 'city')));
  };

  const pick = async (db: Db, query: string) => (await sql<{ id: string; kind?: string }>`${sql.raw(query)}`.execute(db)).rows[0];

  const randomWrite = async (db: Db) => {
    const bed = await pick(db, 'select facility_id as id, kind from bed order by random() limit 1');
    const facility = await pick(db, 'select id from facility order by random() limit 1');
    const ward = random.pick(WARDS);
    switch (random.int(0, 11)) {
      case 0:
      case 1:
        // An admission or a discharge.
        if (bed) await sql`update bed set occupied = least(covid_designated, greatest(0, occupied + ${random.pick([1, -1])})) where facility_id = ${bed.id} and kind = ${bed.kind}`.execute(db);
        return;
      case 2:
        // New capacity, never below what is occupied.
        if (bed) {
          const [designated, spare] = [random.int(0, 20), random.int(0, 5)];
          await sql`update bed set covid_designated = greatest(occupied, ${designated}), total = greatest(occupied, ${designated}) + ${spare}
                     where facility_id = ${bed.id} and kind = ${bed.kind}`.execute(db);
        }
        return;
      case 3:
        if (facility) {
          await sql`insert into bed (facility_id, kind, total, covid_designated, occupied) values (${facility.id}, ${random.pick(BED_KINDS)}, 10, 8, ${random.int(0, 8)})
                    on conflict (facility_id, kind) do nothing`.execute(db);
        }
        return;
      case 4:
        if (bed) await sql`delete from bed where facility_id = ${bed.id} and kind = ${bed.kind}`.execute(db);
        return;
      case 5:
        if (facility) await sql`update facility set status = ${random.pick(FACILITY_STATUSES)} where id = ${facility.id}`.execute(db);
        return;
      case 6:
        if (facility) await sql`update facility set kind = ${random.pick(FACILITY_KINDS)} where id = ${facility.id}`.execute(db);
        return;
      case 7:
        if (facility) await sql`update facility set ward_code = ${ward}, district_code = ${findWard(ward)!.districtCode} where id = ${facility.id}`.execute(db);
        return;
      case 8: {
        serial += 1;
        const id = `CS-CAP-${serial}`;
        await sql`insert into facility (id, name, kind, level, ownership, status, ward_code, district_code)
                  values (${id}, ${`Trạm ${id}`}, ${random.pick(FACILITY_KINDS)}, 'DISTRICT', 'PUBLIC', ${random.pick(FACILITY_STATUSES)}, ${ward}, ${findWard(ward)!.districtCode})`.execute(db);
        await sql`insert into bed (facility_id, kind, total, covid_designated, occupied) values (${id}, 'GENERAL', 12, 10, ${random.int(0, 10)})`.execute(db);
        return;
      }
      case 9:
        // A bed row of another kind, or moved to another facility.
        if (bed && facility) {
          await (random.int(0, 1)
            ? sql`update bed set kind = ${random.pick(BED_KINDS)} where facility_id = ${bed.id} and kind = ${bed.kind}
                    and not exists (select 1 from bed o where o.facility_id = ${bed.id} and o.kind <> ${bed.kind})`
            : sql`update bed set facility_id = ${facility.id} where facility_id = ${bed.id} and kind = ${bed.kind}
                    and not exists (select 1 from bed o where o.facility_id = ${facility.id} and o.kind = ${bed.kind})`
          ).execute(db);
        }
        return;
      case 10:
        // Changes in a savepoint that is rolled back, inside a transaction that commits.
        await inTransaction(db, async (trx) => {
          await sql`savepoint s`.execute(trx);
          await randomWrite(trx);
          await randomWrite(trx);
          await sql`rollback to savepoint s`.execute(trx);
          await randomWrite(trx);
        });
        return;
      default:
        // A change that moves nothing counted.
        if (facility) await sql`update facility set name = name || '.' where id = ${facility.id}`.execute(db);
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedGeography(database);
    await createFacilities(
      database,
      WARDS.map((wardCode, i) => ({ id: `CS-CAP-0${i}`, wardCode, beds: { GENERAL: { total: 20, covidDesignated: 15, occupied: 3 }, OXYGEN: { total: 6, covidDesignated: 6 } } })),
    );
    facilities = connectSubgraphDatabase<FacilitiesDB>('facilities', database.roleUrl('facilities'), { maxConnections: 4 });
  });
  afterAll(async () => {
    await facilities?.close();
    await database?.drop();
  });

  it('equals the sum over the bed rows after random writes, committed or rolled back', async () => {
    await expectRollupMatches();
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 80; i++) await randomWrite(facilities.db);
      await expect(
        facilities.db.transaction().execute(async (trx) => {
          for (let i = 0; i < 10; i++) await randomWrite(trx);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      // Several changes in one transaction, committed together.
      await facilities.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 10; i++) await randomWrite(trx);
      });
      await expectRollupMatches();
    }
    // The writes reached the figures: some district has treatment beds occupied.
    expect((await bedTotalsByArea(facilities.db, 'city')).some((b) => b.occupied > 0)).toBe(true);
  });

  it('adds up under concurrent writers', async () => {
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = 0; i < 40; i++) await randomWrite(facilities.db);
      }),
    );
    await expectRollupMatches();
  });

  it('counts a bed row added while its facility closes as the facility ends up', async () => {
    await createFacilities(database, [{ id: 'CS-CAP-RACE', wardCode: '00337', beds: { GENERAL: { total: 10, covidDesignated: 8 } } }]);
    // The facility closes in a transaction that stays open: its trigger has read its beds.
    const closing = await holdOpen(facilities.db, (trx) => sql`update facility set status = 'CLOSED' where id = 'CS-CAP-RACE'`.execute(trx));
    // A bed row added meanwhile, which the closing facility's trigger cannot see.
    let added = false;
    const adding = sql`insert into bed (facility_id, kind, total, covid_designated, occupied) values ('CS-CAP-RACE', 'ICU', 4, 4, 1)`
      .execute(facilities.db)
      .then(() => (added = true));
    await waitUntil(async () => added || (await lockWaiters(facilities.db)) >= 1);
    closing.release();
    await Promise.all([closing.done, adding]);
    await expectRollupMatches();
  });

  it('counts what the rollup migration counts: every kind but quarantine areas', () => {
    // The migration names the kinds in its SQL; the API reads NON_TREATMENT_KINDS.
    expect([...NON_TREATMENT_KINDS]).toEqual(['QUARANTINE_AREA']);
  });

  it('is recounted after TRUNCATE, and counts what is written after', async () => {
    await sql`truncate bed`.execute(facilities.db);
    expect(await bedTotalsByArea(facilities.db, 'city')).toEqual([]);
    for (let i = 0; i < 40; i++) await randomWrite(facilities.db);
    await expectRollupMatches();
  });
});
