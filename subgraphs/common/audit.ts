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

/** Rows per insert statement (six parameters each, at most 65,535 a statement). */
const WRITTEN_AT_ONCE = 5_000;
/** Entries kept for a later attempt when writes fail, at most (the oldest go first past this). */
const RETAINED_AT_MOST = 100_000;

export class AuditWriter {
  private pending = new Map<string, Entry>();
  /** Entries of batches whose write failed, written again with the next flush. */
  private retained: Entry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  /** Batches whose write failed (each is tried again), and entries given up past RETAINED_AT_MOST. */
  failedWrites = 0;
  lostEntries = 0;

  constructor(
    private readonly db: Kysely<{ audit_log: AuditLogTable }>,
    private readonly log: Logger,
    private readonly flushMs = 200,
  ) {}

  /** Entries recorded and not yet written (pending, or kept after a failed write). */
  get waiting(): number {
    return this.pending.size + this.retained.length;
  }

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

  /**
   * Writes everything recorded so far. A batch that cannot be written (the database away, a lock
   * timeout) is kept and tried again with the next flush, which the next read schedules, rather
   * than lost; it is logged and counted (hrg_<subgraph>_audit_write_failures_total).
   */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.flushing = this.flushing.then(() => {
      const batch = [...this.retained, ...this.pending.values()];
      this.retained = [];
      this.pending = new Map();
      if (batch.length === 0) return;
      return this.write(batch).then(
          () => undefined,
          (error: unknown) => {
            this.failedWrites += 1;
            // Flushes run one after another, so nothing was retained since this one took it all.
            const over = Math.max(0, batch.length - RETAINED_AT_MOST);
            this.lostEntries += over;
            this.retained = batch.slice(over);
            this.log.error({ err: error, entries: batch.length, kept: batch.length - over, lost: over }, 'audit log write failed; the entries are kept for the next flush');
            // Unref'd: a retry alone never keeps a stopping process alive (its pool may be gone).
            this.timer ??= setTimeout(() => void this.flush(), Math.max(this.flushMs, 1_000)).unref();
          },
        );
    });
    return this.flushing;
  }

  /**
   * One transaction of inserts of at most WRITTEN_AT_ONCE rows each: PostgreSQL takes at most
   * 65,535 parameters a statement (six a row), and a backlog kept through an outage is larger.
   */
  private async write(batch: Entry[]): Promise<void> {
    const insert = (db: Kysely<{ audit_log: AuditLogTable }>, rows: Entry[]) =>
      db
        .insertInto('audit_log')
        .values(rows.map((e) => ({ ...e, fields: [...e.fields].sort() })))
        .execute();
    // The usual batch (a few reads in 200 ms) is one statement, without BEGIN and COMMIT around it.
    if (batch.length <= WRITTEN_AT_ONCE) return void (await insert(this.db, batch));
    await this.db.transaction().execute(async (trx) => {
      for (let from = 0; from < batch.length; from += WRITTEN_AT_ONCE) await insert(trx, batch.slice(from, from + WRITTEN_AT_ONCE));
    });
  }
}
