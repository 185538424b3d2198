import type { Migration } from 'kysely';
import * as eventTables from './2026-11-22T00-00-00_create_event_tables.js';
import * as auditLog from './2026-11-22T00-01-00_create_audit_log.js';
import * as demoSeed from './2026-11-22T00-02-00_create_demo_seed.js';
import * as outboxCommitPosition from './2026-11-26T00-00-00_outbox_commit_position.js';
import * as outboxPositionAtCommit from './2026-11-29T00-00-00_outbox_position_at_commit.js';
import * as outboxNotifyAtCommit from './2026-11-30T00-00-00_outbox_notify_at_commit.js';

/** Tables every subgraph schema holds; each subgraph lists these first in its own migrations. */
export const platformMigrations: Record<string, Migration> = {
  '2026-11-22T00-00-00_create_event_tables': eventTables,
  '2026-11-22T00-01-00_create_audit_log': auditLog,
  '2026-11-22T00-02-00_create_demo_seed': demoSeed,
  '2026-11-26T00-00-00_outbox_commit_position': outboxCommitPosition,
  '2026-11-29T00-00-00_outbox_position_at_commit': outboxPositionAtCommit,
  '2026-11-30T00-00-00_outbox_notify_at_commit': outboxNotifyAtCommit,
};
