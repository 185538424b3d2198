/**
 * Reading an outbox in an order that never skips a row.
 *
 * Identity values are handed out when rows are inserted, not when their transactions commit,
 * so "everything after id 41" can miss a row 40 that commits later. Each row therefore records
 * its writing transaction (`txid`), and a reader only takes rows whose transaction is older than
 * the oldest transaction still running (`pg_snapshot_xmin`): nothing can ever be inserted before
 * such a row in (txid, id) order. Rows of transactions still in flight are left for the next read.
 * The price: a long write transaction anywhere in the cluster delays delivery until it ends.
 */
import { sql, type Kysely } from 'kysely';
import type { EventEnvelope, Position } from './types.js';

interface OutboxRow {
  id: number;
  txid: string;
  topic: string;
  key: string;
  payload: unknown;
  created_at: Date;
  settled: boolean;
}

export interface Batch {
  events: EventEnvelope[];
  /** True when newer rows exist whose transactions are still in flight: read again shortly. */
  pending: boolean;
}

/** Any Kysely instance or transaction; the source schema is named explicitly. */
type Queryable = Kysely<any>;

export async function readOutbox(db: Queryable, source: string, after: Position, limit: number): Promise<Batch> {
  const { rows } = await sql<OutboxRow>`
    select o.id, o.txid::text as txid, o.topic, o.key, o.payload, o.created_at,
           o.txid < pg_snapshot_xmin(pg_current_snapshot()) as settled
      from ${sql.table(`${source}.outbox`)} o
     where (o.txid, o.id) > (${after.txid}::xid8, ${after.id}::bigint)
     order by o.txid, o.id
     limit ${limit}`.execute(db);
  const events: EventEnvelope[] = [];
  for (const row of rows) {
    if (!row.settled) return { events, pending: true };
    events.push({ source, id: row.id, txid: row.txid, topic: row.topic, key: row.key, payload: row.payload, at: row.created_at });
  }
  return { events, pending: false };
}

/** The position of "now": every event committed from here on comes after it. */
export async function currentPosition(db: Queryable): Promise<Position> {
  const { rows } = await sql<{ xmin: string }>`select pg_snapshot_xmin(pg_current_snapshot())::text as xmin`.execute(db);
  return { txid: rows[0]!.xmin, id: 0 };
}

export const positionOf = (event: EventEnvelope): Position => ({ txid: event.txid, id: event.id });
