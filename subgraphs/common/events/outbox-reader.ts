/**
 * Reading an outbox in an order that never skips a row, without waiting for other sessions.
 *
 * Identity values are handed out when rows are inserted, not when their transactions commit,
 * so "everything after id 41" can miss a row 40 that commits later. Each row therefore gets a
 * `position` at commit: a deferred trigger, run while PostgreSQL commits the publishing
 * transaction, takes a transaction-level advisory lock of its schema's outbox and only then
 * draws the next values of the outbox's sequence for the transaction's rows. The lock is held
 * until the transaction ends, so a second publisher draws its positions only after the first
 * has committed. PostgreSQL makes a commit visible to new snapshots before it releases the
 * transaction's locks; hence when the row at position N+1 is visible, the transaction that drew
 * N had already committed before N+1 was even drawn: N is visible too (a rolled-back transaction
 * draws nothing; a gap left by a failed commit is stepped over). A reader that has seen N+1 can
 * therefore never later find a row at or below it. Sequence values, unlike max()+1, do not
 * depend on the publisher's snapshot, so this holds under any isolation level.
 *
 * Nothing here looks at other sessions' transactions: a long transaction elsewhere on the
 * server, even one in this database that never publishes, delays nobody. Publishers of one
 * subgraph wait for each other only while one of them commits: never for a round trip.
 */
import { CompiledQuery, sql, type Kysely } from 'kysely';
import { quoteIdent } from '../db/postgres.js';
import { textsByShape } from '../db/database.js';
import type { EventEnvelope, Position } from './types.js';

interface OutboxRow {
  id: string;
  position: string;
  topic: string;
  key: string;
  payload: unknown;
  created_at: Date;
}

/** Any Kysely instance or transaction; the source schema is named explicitly. */
type Queryable = Kysely<any>;

/** Each source's read as SQL text, made once and kept (Kysely's `sql` tag compiled it again every time). */
const readText = textsByShape(
  (source: string) => `select o.id, o.position, o.topic, o.key, o.payload, o.created_at
                         from ${quoteIdent(source)}.outbox o
                        where o.position > $1::bigint
                        order by o.position
                        limit $2`,
);

export async function readOutbox(db: Queryable, source: string, after: Position, limit: number): Promise<EventEnvelope[]> {
  const { rows } = await db.executeQuery<OutboxRow>(CompiledQuery.raw(readText(source), [after, limit]));
  return rows.map((row) => ({
    source,
    id: Number(row.id),
    position: Number(row.position),
    topic: row.topic,
    key: row.key,
    payload: row.payload,
    at: row.created_at,
  }));
}

/** The position of "now": every event committed from here on comes after it. */
export async function currentPosition(db: Queryable, source: string): Promise<Position> {
  const { rows } = await sql<{ head: string }>`select coalesce(max(position), 0) as head from ${sql.table(`${source}.outbox`)}`.execute(db);
  return Number(rows[0]!.head);
}
