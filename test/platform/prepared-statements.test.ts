/**
 * A subgraph's parameterised statements are prepared once per connection, by name, and then
 * only bound and executed; HRG_PREPARED_STATEMENTS=off sends them unnamed as before.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { PLANNED_EACH_TIME, connectSubgraphDatabase, type Database } from '../../subgraphs/common/db/database.js';
import { bedTotalsFromBeds } from '../../subgraphs/facilities/db/geography.repository.js';
import { caseStatsByArea } from '../../subgraphs/patients/db/patient.repository.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

describe('prepared statements', () => {
  let db: TestDatabase;
  const opened: Database<any>[] = [];
  const connect = (preparedStatements: boolean) => {
    // One connection, so that every statement runs in the session that is asked afterwards.
    const database = connectSubgraphDatabase<any>('facilities', db.roleUrl('facilities'), { maxConnections: 1, preparedStatements });
    opened.push(database);
    return database;
  };
  const prepared = async (database: Database<any>, marker: string) =>
    (await sql<{ name: string }>`select name from pg_prepared_statements where statement like ${`%${marker}%`} and statement not like '%pg_prepared_statements%'`.execute(database.db)).rows;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const database of opened) await database.close();
    await db.drop();
  });

  it('prepares a parameterised statement once and runs it by name after', async () => {
    const database = connect(true);
    for (const n of [1, 2, 3]) {
      const { rows } = await sql<{ n: number }>`select ${n}::int as n /* named-marker */`.execute(database.db);
      expect(rows).toEqual([{ n }]);
    }
    const names = await prepared(database, 'named-marker');
    expect(names).toHaveLength(1);
    expect(names[0]!.name).toMatch(/^hrg_\d+$/);
  });

  it('sends them unnamed when turned off', async () => {
    const database = connect(false);
    const { rows } = await sql<{ n: number }>`select ${7}::int as n /* unnamed-marker */`.execute(database.db);
    expect(rows).toEqual([{ n: 7 }]);
    expect(await prepared(database, 'unnamed-marker')).toEqual([]);
  });

  it('leaves a statement marked to be planned each time unnamed, and so do area figures for many areas', async () => {
    const database = connect(true);
    const { rows } = await sql<{ n: number }>`select ${8}::int as n /* each-time-marker */ ${sql.raw(PLANNED_EACH_TIME)}`.execute(database.db);
    expect(rows).toEqual([{ n: 8 }]);
    expect(await prepared(database, 'each-time-marker')).toEqual([]);
    // All 30 districts first, as the city overview reads them: planned each time, not prepared.
    // (The case figures bind one array, so without the marker 1 and 30 districts would share one
    // text: asking for 30 first on a fresh connection is what shows the difference.)
    const districts = Array.from({ length: 30 }, (_, i) => String(i + 1).padStart(3, '0'));
    const since = new Date(Date.now() - 7 * 86_400_000);
    const patients = connectSubgraphDatabase<any>('patients', db.roleUrl('patients'), { maxConnections: 1 });
    opened.push(patients);
    await bedTotalsFromBeds(database.db, 'district_code', districts);
    expect(await prepared(database, 'covid_designated')).toEqual([]);
    await caseStatsByArea(patients.db, 'district_code', districts, since);
    expect(await prepared(patients, 'new_case_district_day')).toEqual([]);
    // One district's are prepared: the generic plan is faster for a few areas.
    await bedTotalsFromBeds(database.db, 'district_code', ['008']);
    expect(await prepared(database, 'covid_designated')).toHaveLength(1);
    await caseStatsByArea(patients.db, 'district_code', ['008'], since);
    expect(await prepared(patients, 'new_case_district_day')).toHaveLength(1);
  });

  it('answers after a migration changes a table it reads, select * included', async () => {
    const database = connect(true);
    await sql`create table shape_test (id int primary key, label text)`.execute(database.db);
    await sql`insert into shape_test values (1, 'one')`.execute(database.db);
    const readId = () => sql<{ id: number }>`select id from shape_test where id = ${1}`.execute(database.db);
    const readAll = () => database.db.selectFrom('shape_test').selectAll().where('id', '=', 1).execute();
    expect((await readId()).rows).toEqual([{ id: 1 }]);
    expect(await readAll()).toEqual([{ id: 1, label: 'one' }]);
    await sql`alter table shape_test add column extra int`.execute(database.db);
    await sql`create index shape_test_label on shape_test (label)`.execute(database.db);
    expect((await readId()).rows).toEqual([{ id: 1 }]);
    // PostgreSQL refuses the prepared select * now; outside a transaction it is sent again.
    expect(await readAll()).toEqual([{ id: 1, label: 'one', extra: null }]);
    expect(await readAll()).toEqual([{ id: 1, label: 'one', extra: null }]);
  });
});
