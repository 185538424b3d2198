import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

describe('one login role per subgraph', () => {
  let db: TestDatabase;
  let patients: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase();
    patients = new pg.Client({ connectionString: db.roleUrl('patients'), options: '-c search_path=patients' });
    await patients.connect();
  });
  afterAll(async () => {
    await patients.end();
    await db.drop();
  });

  it('uses its own schema', async () => {
    const { rows } = await patients.query('select count(*)::int as n from patient');
    expect(rows[0].n).toBe(0);
  });

  it.each([
    ['facilities.facility', 'select * from facilities.facility'],
    ['facilities.admission', 'select * from facilities.admission'],
    ['workforce.health_worker', 'select * from workforce.health_worker'],
    ['vaccination.resident', 'select * from vaccination.resident'],
  ])('is refused a cross-schema query on %s', async (_name, query) => {
    await expect(patients.query(query)).rejects.toMatchObject({ code: '42501' }); // insufficient_privilege
  });

  it('cannot write into another schema or create objects in public', async () => {
    await expect(patients.query(`insert into facilities.outbox (topic, key, payload) values ('x', 'x', '{}')`)).rejects.toMatchObject({ code: '42501' });
    await expect(patients.query('create table public.sneaky (id int)')).rejects.toMatchObject({ code: '42501' });
  });

  it('may read the other subgraphs’ outboxes: their published event streams', async () => {
    const { rows } = await patients.query('select count(*)::int as n from facilities.outbox');
    expect(rows[0].n).toBe(0);
  });
});
