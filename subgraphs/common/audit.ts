/**
 * The personal-data audit log. Resolvers of personal fields report each read; the writer groups
 * reads per request and entity and appends them in batches, off the request's critical path.
 */
import type { Kysely } from 'kysely';
import type { Viewer } from './auth/viewer.js';
import type { Logger } from './log.js';

export interface AuditLogTable {
  id: import('kysely').Generated<number>;
  at: import('kysely').Generated<Date>;
  subject: string;
  role: string;
  request_id: string;
  entity: string;
  entity_id: string;
  fields: string[];
}

interface Entry {
  subject: string;
  role: string;
  request_id: string;
  entity: string;
  entity_id: string;
  fields: Set<string>;
}

export class AuditWriter {
  private pending = new Map<string, Entry>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Kysely<{ audit_log: AuditLogTable }>,
    private readonly log: Logger,
    private readonly flushMs = 200,
  ) {}

  record(viewer: Viewer, requestId: string, entity: string, entityId: string, field: string): void {
    // The subject is part of the key: a request id may come from the client (x-request-id), and
    // two viewers' reads under one id must stay two entries, each under its own subject.
    const key = `${viewer.subject}\u0000${requestId}\u0000${entity}\u0000${entityId}`;
    let entry = this.pending.get(key);
    if (!entry) {
      entry = { subject: viewer.subject, role: viewer.role, request_id: requestId, entity, entity_id: entityId, fields: new Set() };
      this.pending.set(key, entry);
    }
    entry.fields.add(field);
    this.timer ??= setTimeout(() => void this.flush(), this.flushMs);
  }

  /** Writes everything recorded so far. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    if (batch.length === 0) return this.flushing;
    this.flushing = this.flushing.then(() =>
      this.db
        .insertInto('audit_log')
        .values(batch.map((e) => ({ ...e, fields: [...e.fields].sort() })))
        .execute()
        .then(() => undefined)
        .catch((error: unknown) => this.log.error({ err: error, entries: batch.length }, 'audit log write failed')),
    );
    return this.flushing;
  }
}
