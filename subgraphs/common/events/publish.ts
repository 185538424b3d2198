import { sql, type Transaction } from 'kysely';
import { notifyChannel, type EventTables } from './types.js';

export interface NewEvent<P> {
  topic: string;
  key: string;
  payload: P;
}

/**
 * Writes events to the outbox inside the caller's transaction and queues a NOTIFY, which
 * PostgreSQL delivers only if that transaction commits: a rolled-back change publishes nothing.
 */
export async function publish<DB extends EventTables>(trx: Transaction<DB>, schema: string, events: NewEvent<unknown>[]): Promise<void> {
  if (events.length === 0) return;
  const db = trx as unknown as Transaction<EventTables>;
  await db
    .insertInto('outbox')
    .values(events.map((e) => ({ topic: e.topic, key: e.key, payload: JSON.stringify(e.payload) })))
    .execute();
  await sql`select pg_notify(${notifyChannel(schema)}, '')`.execute(db);
}
