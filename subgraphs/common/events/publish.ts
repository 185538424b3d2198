import { sql, type RawBuilder, type Transaction } from 'kysely';
import pg from 'pg';
import { notifyChannel, type EventTables } from './types.js';

export interface NewEvent<P> {
  topic: string;
  key: string;
  payload: P;
}

const publishers = new WeakSet<object>();
const notifying = new WeakSet<object>();

/** Has this transaction written to an outbox (and so will take that outbox's position lock at commit)? */
export const hasPublished = (trx: object): boolean => publishers.has(trx);

/**
 * Writes events to the outbox inside the caller's transaction and queues a NOTIFY, which
 * PostgreSQL delivers only if that transaction commits: a rolled-back change publishes nothing.
 *
 * The events get their positions while the transaction commits (a deferred trigger takes the
 * outbox's position lock then), so publishing holds no lock until the commit and may come at
 * any point of the transaction.
 */
export async function publish<DB extends EventTables>(trx: Transaction<DB>, schema: string, events: NewEvent<unknown>[]): Promise<void> {
  if (events.length === 0) return;
  await notifyOnCommit(trx, schema);
  const db = trx as unknown as Transaction<EventTables>;
  await db
    .insertInto('outbox')
    .values(events.map((e) => ({ topic: e.topic, key: e.key, payload: JSON.stringify(e.payload) })))
    .execute();
  publishers.add(trx);
}

/**
 * Queues the NOTIFY that wakes the subgraph's event readers when this transaction commits
 * (PostgreSQL drops it on rollback), once per transaction. `publish` does it; a command that
 * will publish after taking a contended row lock calls it first, to keep that statement out of
 * the time it holds the lock.
 */
export async function notifyOnCommit<DB>(trx: Transaction<DB>, schema: string): Promise<void> {
  if (notifying.has(trx)) return;
  await sql`select pg_notify(${notifyChannel(schema)}, '')`.execute(trx);
  notifying.add(trx);
}

/**
 * The NOTIFY of `notifyOnCommit` as an expression, for a command that folds it into a statement
 * it sends anyway (one round trip less). Call `notified(trx)` once that statement has run, so
 * that `publish` does not queue it again.
 */
export function notifyExpression(schema: string): RawBuilder<unknown> {
  return sql`pg_notify(${notifyChannel(schema)}, '')`;
}

export function notified(trx: object): void {
  notifying.add(trx);
}

/**
 * The outbox insert of `publish` as SQL text with the values inlined as literals, for a command
 * that sends it with its COMMIT in one message (see db/transaction.ts). The transaction must
 * already have queued its NOTIFY (`notifyOnCommit` or `notified`).
 */
export function outboxInsertText(events: NewEvent<unknown>[]): string {
  if (events.length === 0) return '';
  const rows = events.map((e) => `(${pg.escapeLiteral(e.topic)}, ${pg.escapeLiteral(e.key)}, ${pg.escapeLiteral(JSON.stringify(e.payload))}::jsonb)`);
  return `insert into outbox (topic, key, payload) values ${rows.join(', ')}`;
}
