/**
 * The seed's compaction of the tables its load rewrote row by row (VACUUM FULL) while autovacuum
 * works on them, as it does right after a load: those tables are the ones with the most dead rows.
 * On a server of this test's own, where autovacuum can be made to look every second and to crawl
 * through one table (the shared test server's autovacuum serves every other test file).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pgLib from 'pg';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';
import { setupDatabase } from '../../subgraphs/common/db/setup.js';
import { withPgClient } from '../../subgraphs/common/db/postgres.js';
import { MIGRATIONS } from '../../subgraphs/registry.js';
import { compactAfterLoad, snapshotsReleased } from '../../scripts/seed/copy.js';
import { waitUntil } from '../support/wait.js';

const pages = (adminUrl: string) =>
  withPgClient(adminUrl, async (client) => (await client.query<{ pages: number }>(`select (pg_relation_size('patients.case_counter') / current_setting('block_size')::int)::int as pages`)).rows[0]!.pages);

describe('the compaction after a seed', () => {
  let pg: PrivatePostgres;
  const configure = (statement: string) =>
    withPgClient(pg.adminUrl, async (client) => {
      await client.query(statement);
      await client.query('select pg_reload_conf()');
    });
  /** A transaction with an id of its own, committed. */
  const commitSomething = () => withPgClient(pg.adminUrl, async (client) => void (await client.query('begin; select pg_current_xact_id(); commit')));

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    await setupDatabase(pg.adminUrl, { migrations: MIGRATIONS });
    // No autovacuum until the second test asks for one: an ANALYZE of the tables just migrated
    // holds a snapshot older than the first test's commits (seconds long on a busy machine).
    await configure(`alter system set autovacuum = off`);
    await waitUntil(
      () => withPgClient(pg.adminUrl, async (client) => (await client.query(`select 1 from pg_stat_activity where backend_type = 'autovacuum worker'`)).rowCount === 0),
      { timeoutMs: 60_000 },
    );
  }, 120_000);
  afterAll(async () => {
    await pg?.dispose();
  });

  it('waits for a snapshot older than the wait, and not for one taken after the last commit before it', async () => {
    const holder = new pgLib.Client({ connectionString: pg.adminUrl });
    await holder.connect();
    try {
      await holder.query('begin isolation level repeatable read');
      await holder.query('select 1'); // the snapshot, held until the end of the transaction
      await commitSomething(); // a transaction the snapshot cannot see: what it deleted must stay
      expect(await snapshotsReleased(pg.adminUrl, 300)).toBe(false);

      await holder.query('commit');
      await holder.query('begin isolation level repeatable read');
      await holder.query('select 1'); // sees every commit so far: holds back nothing
      expect(await snapshotsReleased(pg.adminUrl, 3_000)).toBe(true);
    } finally {
      await holder.query('rollback').catch(() => {});
      await holder.end();
    }
  });

  it('compacts a table that autovacuum is vacuuming (PostgreSQL cancels the autovacuum), and does not wait for the vacuum to finish first', async () => {
    await configure(`alter system set autovacuum = on`);
    await configure(`alter system set autovacuum_naptime = '1s'`);
    await withPgClient(pg.adminUrl, async (client) => {
      await client.query(`insert into patients.case_counter (ward_code, district_code) select lpad(i::text, 5, '0'), '001' from generate_series(1, 600) i`);
      // Bloat it as a one-transaction load does, then let autovacuum find it at once and read
      // it a page every 100 ms (about a minute for the whole table).
      await client.query('begin');
      for (let i = 0; i < 20; i++) await client.query('update patients.case_counter set active = active');
      await client.query('commit');
      await client.query(
        `alter table patients.case_counter set (autovacuum_vacuum_threshold = 0, autovacuum_vacuum_scale_factor = 0,
           autovacuum_vacuum_cost_delay = 100, autovacuum_vacuum_cost_limit = 1)`,
      );
    });
    const bloated = await pages(pg.adminUrl);
    expect(bloated).toBeGreaterThan(50);
    const vacuuming = () =>
      withPgClient(pg.adminUrl, async (client) =>
        (await client.query(`select 1 from pg_stat_progress_vacuum where relid = 'patients.case_counter'::regclass`)).rowCount === 1,
      );
    await waitUntil(vacuuming, { timeoutMs: 60_000 });
    // A commit after the vacuum began: its snapshot is now older than the wait's start, and only
    // being a vacuum keeps it out of the wait.
    await commitSomething();

    // A vacuum's snapshot holds back no row version (PostgreSQL leaves vacuums out of the horizon),
    // so the wait before the compaction does not wait for it.
    expect(await snapshotsReleased(pg.adminUrl, 3_000)).toBe(true);
    expect(await vacuuming()).toBe(true);

    const lines: string[] = [];
    await compactAfterLoad(pg.adminUrl, ['patients'], (line) => lines.push(line));
    expect(lines).toEqual(['compacted the counters and queues the load rewrote row by row, vacuumed the other tables']);
    expect(await pages(pg.adminUrl)).toBeLessThan(bloated / 5);
  }, 120_000);
});
