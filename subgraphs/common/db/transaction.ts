import { sql, type Kysely, type Transaction } from 'kysely';

/**
 * A transaction whose last statement and COMMIT travel to PostgreSQL as one message (its simple
 * query protocol takes several statements at once; inside BEGIN they run in this transaction,
 * and an error skips the rest, COMMIT included).
 *
 * For a write that holds a contended row lock until it commits: each round trip inside the lock
 * waits for the Node process to get round to the answer, which under load is the largest part
 * of the time the lock is held. `work` returns its value and the final statement as SQL text
 * with literals inlined (never parameters: the simple protocol has none); an error thrown by
 * `work` or by the final message rolls everything back.
 *
 * The transaction object given to `work` is a connection on which BEGIN was sent: it runs
 * queries like a Kysely transaction, but must not open nested transactions.
 */
export async function transactionEndingWith<DB, T>(
  db: Kysely<DB>,
  work: (trx: Transaction<DB>) => Promise<{ value: T; last: string }>,
): Promise<T> {
  return db.connection().execute(async (connection) => {
    await sql`begin`.execute(connection);
    try {
      const { value, last } = await work(connection as unknown as Transaction<DB>);
      await sql.raw(last.trim() === '' ? 'commit' : `${last}; commit`).execute(connection);
      return value;
    } catch (error) {
      // After a failed COMMIT the transaction is already gone; a second end is harmless.
      await sql`rollback`.execute(connection).catch(() => undefined);
      throw error;
    }
  });
}
