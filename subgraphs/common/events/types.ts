import type { ColumnType, Generated } from 'kysely';

/** The outbox table every subgraph schema holds (created by the common event migration). */
export interface OutboxTable {
  id: Generated<number>;
  txid: Generated<string>;
  topic: string;
  key: string;
  payload: ColumnType<unknown, string, never>;
  created_at: Generated<Date>;
}

export interface EventConsumerTable {
  name: string;
  last_txid: string;
  last_id: number;
  updated_at: Generated<Date>;
}

export interface EventTables {
  outbox: OutboxTable;
  event_consumer: EventConsumerTable;
}

/** A position in an outbox: events are ordered by writing transaction, then by id. */
export interface Position {
  txid: string;
  id: number;
}

export const START_OF_STREAM: Position = { txid: '0', id: 0 };

export interface EventEnvelope<P = unknown> {
  /** Publishing subgraph. */
  source: string;
  id: number;
  txid: string;
  topic: string;
  /** The entity the event is about (facility id, patient id...). */
  key: string;
  payload: P;
  /** When the event was written (commit time of its transaction, within milliseconds). */
  at: Date;
}

export const notifyChannel = (schema: string) => `hrg_outbox_${schema}`;
