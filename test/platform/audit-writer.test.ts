/**
 * The personal-data audit log's writer groups one request's reads of one record into one entry,
 * and never merges two viewers': a request id may come from the client (x-request-id), so two
 * viewers can send the same one.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql, type Kysely } from 'kysely';
import { AuditWriter, type AuditLogTable } from '../../subgraphs/common/audit.js';
import { createLogger } from '../../subgraphs/common/log.js';
import type { Viewer } from '../../subgraphs/common/auth/viewer.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { withDb } from '../support/builders.js';

describe('audit writer', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it("keeps one entry per viewer, request and record: a second viewer's read under the same request id is its own", async () => {
    const first: Viewer = { subject: 'officer:first', role: 'DISTRICT_OFFICER', districtCode: '008' };
    const second: Viewer = { subject: 'officer:second', role: 'WARD_OFFICER', wardCode: '00337', districtCode: '008' };
    const rows = await withDb<{ audit_log: AuditLogTable }, { subject: string; role: string; fields: string[] }[]>(db, 'patients', async (k) => {
      // A flush interval no test waits for: the entries are written by flush() below.
      const writer = new AuditWriter(k as Kysely<{ audit_log: AuditLogTable }>, createLogger('test'), 600_000);
      writer.record(first, 'chosen-by-client', 'Patient', 'p-1', 'fullName');
      writer.record(first, 'chosen-by-client', 'Patient', 'p-1', 'phone');
      writer.record(second, 'chosen-by-client', 'Patient', 'p-1', 'nationalId');
      await writer.flush();
      return (await sql<{ subject: string; role: string; fields: string[] }>`select subject, role, fields from audit_log where request_id = 'chosen-by-client' order by subject`.execute(k)).rows;
    });
    expect(rows).toEqual([
      { subject: 'officer:first', role: 'DISTRICT_OFFICER', fields: ['fullName', 'phone'] },
      { subject: 'officer:second', role: 'WARD_OFFICER', fields: ['nationalId'] },
    ]);
  });

  it('keeps a batch that could not be written and writes it with the next flush, counting the failure', async () => {
    const viewer: Viewer = { subject: 'officer:retry', role: 'CITY_OFFICER' };
    const rows = await withDb<{ audit_log: AuditLogTable }, { entity_id: string }[]>(db, 'patients', async (k) => {
      const writer = new AuditWriter(k as Kysely<{ audit_log: AuditLogTable }>, createLogger('test', 'silent'), 600_000);
      // The table is briefly unwritable (a lock, a failover): the first flush fails.
      await sql`alter table audit_log rename to audit_log_away`.execute(k);
      writer.record(viewer, 'r-1', 'Patient', 'p-1', 'fullName');
      await writer.flush();
      expect(writer.failedWrites).toBe(1);
      expect(writer.waiting).toBe(1);
      await sql`alter table audit_log_away rename to audit_log`.execute(k);
      writer.record(viewer, 'r-2', 'Patient', 'p-2', 'phone');
      await writer.flush();
      expect(writer.waiting).toBe(0);
      return (await sql<{ entity_id: string }>`select entity_id from audit_log where subject = 'officer:retry' order by entity_id`.execute(k)).rows;
    });
    // Nothing was lost: the read recorded while the table was away is written too.
    expect(rows.map((r) => r.entity_id)).toEqual(['p-1', 'p-2']);
  });

  it('writes a backlog larger than one statement can carry (PostgreSQL takes 65,535 parameters, six a row)', async () => {
    const viewer: Viewer = { subject: 'officer:backlog', role: 'CITY_OFFICER' };
    const written = await withDb<{ audit_log: AuditLogTable }, number>(db, 'patients', async (k) => {
      const writer = new AuditWriter(k as Kysely<{ audit_log: AuditLogTable }>, createLogger('test', 'silent'), 600_000);
      for (let i = 0; i < 12_000; i++) writer.record(viewer, `r-${i}`, 'Patient', `p-${i}`, 'fullName');
      await writer.flush();
      expect(writer.failedWrites).toBe(0);
      return (await sql<{ n: number }>`select count(*)::int as n from audit_log where subject = 'officer:backlog'`.execute(k)).rows[0]!.n;
    });
    expect(written).toBe(12_000);
  });
});
