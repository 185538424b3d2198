import type { ColumnType, Generated } from 'kysely';

/** The outbox table every subgraph schema holds (created by the common event migrations). */
export interface OutboxTable {
  id: Generated<number>;
  /** Commit-ordered, assigned by a trigger (see events/outbox-reader.ts). */
  position: Generated<string>;
  txid: Generated<string>;
  topic: string;
  key: string;
  payload: ColumnType<unknown, string, never>;
  created_at: Generated<Date>;
}

export interface EventConsumerTable {
  name: string;
  /** Outbox position of the last event applied (or dead-lettered). */
  last_position: string | null;
  /** Position of the pre-position columns' era, converted on first read. */
  last_txid: string | null;
  last_id: string | null;
  /** The event the consumer is stuck on, how often it failed, why, and when to try again. */
  failing_position: string | null;
  attempts: Generated<number>;
  last_error: string | null;
  retry_at: Date | null;
  updated_at: Generated<Date>;
}

export interface DeadLetterTable {
  id: Generated<string>;
  consumer: string;
  source: string;
  event_id: string;
  position: string;
  topic: string;
  key: string;
  payload: ColumnType<unknown, string, never>;
  event_at: Date;
  error: string;
  attempts: number;
  failed_at: Generated<Date>;
  replayed_at: Date | null;
}

export interface EventTables {
  outbox: OutboxTable;
  event_consumer: EventConsumerTable;
  dead_letter: DeadLetterTable;
}

/** A position in an outbox: the `position` of the last event read, 0 before the first. */
export type Position = number;

export const START_OF_STREAM: Position = 0;

export interface EventEnvelope<P = unknown> {
  /** Publishing subgraph. */
  source: string;
  id: number;
  /** Commit-ordered position in the publisher's outbox. */
  position: number;
  topic: string;
  /** The entity the event is about (facility id, patient id...). */
  key: string;
  payload: P;
  /** When the event was written (commit time of its transaction, within milliseconds). */
  at: Date;
}

export const notifyChannel = (schema: string) => `hrg_outbox_${schema}`;
