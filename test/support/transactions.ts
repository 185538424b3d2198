/** For tests that interleave transactions on a real PostgreSQL. */
import { sql, type Kysely } from 'kysely';

/** Runs `work` in its own transaction, or in the caller's when `db` already is one. */
export function inTransaction<DB, T>(db: Kysely<DB>, work: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute((trx) => work(trx));
}

/** How many sessions of this database are waiting for a lock. */
export async function lockWaiters(db: Kysely<any>): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`.execute(db);
  return rows[0]!.n;
}

/**
 * Runs `write` in a transaction that then stays open, holding its locks, until `release` is
 * called; `done` settles when it has committed.
 */
export async function holdOpen<DB>(db: Kysely<DB>, write: (trx: Kysely<DB>) => Promise<unknown>): Promise<{ release: () => void; done: Promise<void> }> {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let holding!: () => void;
  const held = new Promise<void>((resolve) => (holding = resolve));
  const done = db.transaction().execute(async (trx) => {
    await write(trx);
    holding();
    await gate;
  });
  // A write that fails settles `done` before the hold: report that instead of waiting for ever.
  await Promise.race([held, done]);
  return { release, done };
}
