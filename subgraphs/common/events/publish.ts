import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import pg from 'pg';
import type { EventTables } from './types.js';
import { transactionWithEnds } from '../db/database.js';

export interface NewEvent<P> {
  topic: string;
  key: string;
  payload: P;
}

const publishers = new WeakSet<object>();

/** Has this transaction written to an outbox (and so will take that outbox's position lock at commit)? */
export const hasPublished = (trx: object): boolean => publishers.has(trx);

/**
 * Writes events to the outbox inside the caller's transaction: one statement. The events get
 * their positions while the transaction commits (a deferred trigger takes the outbox's position
 * lock then), so publishing holds no lock until the commit and may come at any point of the
 * transaction. The same trigger sends the NOTIFY that wakes the event readers, which PostgreSQL
 * delivers only if the transaction commits: a rolled-back change publishes nothing.
 */
export async function publish<DB extends EventTables>(trx: Transaction<DB>, events: NewEvent<unknown>[]): Promise<void> {
  if (events.length === 0) return;
  await trx.executeQuery(CompiledQuery.raw(insertText(events.length), events.flatMap((e) => [e.topic, e.key, JSON.stringify(e.payload)])));
  publishers.add(trx);
}

/** The outbox insert of n events as SQL text, kept for the usual few (Kysely's builder made it on every publish). */
const insertTexts: string[] = [];
const INSERT_TEXTS_KEPT = 64;
function insertText(n: number): string {
  const kept = insertTexts[n];
  if (kept) return kept;
  const text = `insert into outbox (topic, key, payload) values ${Array.from({ length: n }, (_, i) => `($${3 * i + 1}, $${3 * i + 2}, $${3 * i + 3})`).join(', ')}`;
  if (n <= INSERT_TEXTS_KEPT) insertTexts[n] = text;
  return text;
}

/** A value inlined into SQL text as a literal; only strings, never anything else. */
function literal(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new TypeError(`An event's ${what} must be a string`);
  return pg.escapeLiteral(value);
}

/**
 * A transaction whose events and COMMIT travel to PostgreSQL as one message: PostgreSQL's simple
 * query protocol takes several statements at once (inside BEGIN they run in this transaction, and
 * an error skips the rest, COMMIT included), with the values inlined as escaped literals since
 * that protocol has no parameters. Only text built here precedes the COMMIT.
 *
 * For a write that holds a contended row lock until it commits: every round trip inside the lock
 * waits for the Node process to get round to the answer, which under load is most of the time
 * the lock is held. `work` returns its value and the events to publish; an error thrown by `work`
 * or by the final message rolls everything back.
 *
 * The transaction object given to `work` is a connection on which BEGIN was sent: it runs
 * queries as a Kysely transaction does and refuses to open another; it must not call `publish`.
 */
export async function transactionPublishingAtCommit<DB, T>(
  db: Kysely<DB>,
  work: (trx: Transaction<DB>) => Promise<{ value: T; events: NewEvent<unknown>[] }>,
): Promise<T> {
  return transactionWithEnds(db, 'begin', async (trx) => {
    const { value, events } = await work(trx);
    const statements: string[] = [];
    if (events.length > 0) {
      const rows = events.map((e) => `(${literal(e.topic, 'topic')}, ${literal(e.key, 'key')}, ${literal(JSON.stringify(e.payload), 'payload')}::jsonb)`);
      // The outbox's commit trigger numbers them and sends the NOTIFY.
      statements.push(`insert into outbox (topic, key, payload) values ${rows.join(', ')}`);
    }
    statements.push('commit');
    return { value, closing: statements.join(';\n') };
  });
}
