/**
 * Bulk loading for the seed: rows streamed with COPY, and a table's indexes and constraints set
 * aside while an empty table is filled, then rebuilt once from the catalog's own definitions (so
 * they are exactly what the migrations created, whatever later migrations change).
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { subgraphDatabaseUrl } from '../../subgraphs/common/db/database.js';
import { withPgClient } from '../../subgraphs/common/db/postgres.js';
import type { SubgraphName } from '../../subgraphs/common/config.js';

export type CopyValue = string | number | boolean | Date | null | readonly string[];

/** One value in COPY's text format. */
export function copyValue(v: CopyValue): string {
  if (v === null) return '\\N';
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return escapeText(`{${v.map((e) => `"${String(e).replace(/["\\]/g, '\\$&')}"`).join(',')}}`);
  if (typeof v === 'string') return escapeText(v);
  return String(v);
}

function escapeText(s: string): string {
  return /[\\\t\n\r]/.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s;
}

/**
 * Groups lines into chunks of about 256 kB: one CopyData message each. Lines are joined into one
 * flat string per chunk: concatenating them one by one would keep every piece alive as a
 * rope until it is sent, and the garbage collector would spend more time than the generator.
 */
export class CopyBuffer {
  readonly chunks: string[] = [];
  private parts: string[] = [];
  private size = 0;
  lines = 0;

  push(line: string): void {
    this.parts.push(line);
    this.size += line.length;
    this.lines += 1;
    if (this.size >= 262_144) this.cut();
  }

  row(values: readonly CopyValue[]): void {
    const fields: string[] = new Array(values.length);
    for (let i = 0; i < values.length; i++) fields[i] = copyValue(values[i]!);
    this.push(`${fields.join('\t')}\n`);
  }

  take(): string[] {
    if (this.parts.length) this.cut();
    return this.chunks.splice(0);
  }

  private cut(): void {
    this.chunks.push(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}

export async function copyChunks(client: pg.ClientBase, statement: string, chunks: string[]): Promise<void> {
  if (chunks.length === 0) return;
  await pipeline(Readable.from(chunks, { objectMode: false }), client.query(copyFrom(statement)));
}

/**
 * Settings of a load's transaction: memory enough to sort the largest index in memory (15 M
 * doses), PostgreSQL's parallel workers for the index builds, and no wait for the WAL flush at
 * commit (a seed that dies is run again).
 */
export const SEED_SESSION =
  "set local maintenance_work_mem = '1GB'; set local max_parallel_maintenance_workers = 2; set local synchronous_commit = off";

interface SetAside {
  constraints: { table: string; name: string; def: string; kind: string }[];
  indexes: { name: string; def: string }[];
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Inside the caller's transaction: drops every index and constraint of `tables` (and the
 * foreign keys of other tables pointing at them), runs `load`, then rebuilds them from the
 * definitions read before — unique and primary keys first, then the plain indexes, then the
 * foreign keys, each checked over the loaded rows. A failure anywhere rolls all of it back.
 */
export async function withIndexesAfterLoad<T>(
  client: pg.ClientBase,
  tables: string[],
  load: () => Promise<T>,
  onRebuild?: () => void | Promise<void>,
  timed?: (what: string, seconds: number) => void,
): Promise<T> {
  const { rows: constraints } = await client.query<{ table: string; name: string; def: string; kind: string }>(
    `select c.conrelid::regclass::text as table, c.conname as name, pg_get_constraintdef(c.oid) as def, c.contype::text as kind
       from pg_constraint c
      where c.contype in ('p', 'u', 'x', 'f')
        and (c.conrelid = any($1::text[]::regclass[]) or (c.contype = 'f' and c.confrelid = any($1::text[]::regclass[])))
      order by c.contype = 'f' desc, c.conname`,
    [tables],
  );
  const { rows: indexes } = await client.query<{ name: string; def: string }>(
    `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
       from pg_index i
      where i.indrelid = any($1::text[]::regclass[])
        and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid and c.contype in ('p', 'u', 'x'))
      order by 1`,
    [tables],
  );
  const aside: SetAside = { constraints, indexes };
  // Foreign keys first (they depend on the keys they point at), then keys, then indexes.
  for (const c of aside.constraints) await client.query(`alter table ${c.table} drop constraint ${quote(c.name)}`);
  for (const i of indexes) await client.query(`drop index ${i.name}`);
  const result = await load();
  await onRebuild?.();
  const rebuild = async (what: string, statement: string) => {
    const started = Date.now();
    await client.query(statement);
    timed?.(what, (Date.now() - started) / 1000);
  };
  for (const c of aside.constraints.filter((c) => c.kind !== 'f')) await rebuild(`${c.table} ${c.name}`, `alter table ${c.table} add constraint ${quote(c.name)} ${c.def}`);
  for (const i of aside.indexes) await rebuild(i.name, i.def);
  for (const c of aside.constraints.filter((c) => c.kind === 'f')) await rebuild(`${c.table} ${c.name}`, `alter table ${c.table} add constraint ${quote(c.name)} ${c.def}`);
  return result;
}

export interface TableLoad {
  table: string;
  columns: string[];
  rows: readonly (readonly CopyValue[])[];
}

/**
 * Loads rows into a subgraph's table in one transaction. An empty table gets them by COPY
 * with its indexes built afterwards; a table that already holds rows (an earlier seed that
 * stopped halfway, or data written before seeding) gets them through a temporary table and
 * `insert … on conflict do nothing`, so nothing there is duplicated or overwritten.
 */
export async function loadTable(adminUrl: string, subgraph: SubgraphName, load: TableLoad): Promise<'copied' | 'merged'> {
  const client = new pg.Client({ connectionString: subgraphDatabaseUrl(adminUrl, subgraph), options: `-c search_path=${subgraph}` });
  await client.connect();
  try {
    await client.query('begin');
    await client.query(SEED_SESSION);
    const buffer = new CopyBuffer();
    for (const row of load.rows) buffer.row(row);
    const columns = load.columns.map(quote).join(', ');
    const { rows } = await client.query<{ any: boolean }>(`select exists (select 1 from ${quote(load.table)}) as any`);
    let how: 'copied' | 'merged';
    if (!rows[0]!.any) {
      await withIndexesAfterLoad(client, [load.table], () => copyChunks(client, `copy ${quote(load.table)} (${columns}) from stdin`, buffer.take()));
      how = 'copied';
    } else {
      await client.query(`create temporary table seed_load on commit drop as select ${columns} from ${quote(load.table)} with no data`);
      await copyChunks(client, `copy seed_load (${columns}) from stdin`, buffer.take());
      await client.query(`insert into ${quote(load.table)} (${columns}) select ${columns} from seed_load on conflict do nothing`);
      how = 'merged';
    }
    await client.query('commit');
    await client.query(`analyze ${quote(load.table)}`);
    return how;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

/**
 * Tables the load rewrites many times over: counters that a trigger updates for every loaded row
 * (cases, new cases per ward and per district) or recounts for every batch (workforce), and queues
 * that fill and empty as the load goes (capacity and workforce changes). A load is one transaction,
 * so none of the old row versions can be pruned while it runs: the city's 579 ward case counters
 * came out at 782 pages (6 when compact), and every read of the 30 districts' case figures scanned
 * them all. In service the same rows change in small transactions, and PostgreSQL prunes and reuses
 * a page's space as it goes, so a compact table is the state it would be in.
 */
export const REWRITTEN_BY_THE_LOAD: Record<SubgraphName, readonly string[]> = {
  facilities: ['capacity_change'],
  patients: ['case_counter', 'new_case_day', 'new_case_district_day'],
  workforce: ['workforce_counter', 'workforce_dirty', 'workforce_dirty_patient', 'workforce_patient_counted'],
  vaccination: [],
};

/**
 * Waits, at most `ms`, until no other session of the database holds back the row versions that
 * transactions committed before the call deleted: one whose snapshot or own transaction is older
 * than every such transaction. A row version that one of them may still see survives VACUUM FULL,
 * so compacting meanwhile rewrites the bloat as it is. After a load, autovacuum's ANALYZE of a
 * table just filled holds one for seconds on a busy machine (twice in full test runs the seed's
 * compaction left every page of the case counters). Snapshots taken after the call do not matter,
 * nor do vacuums' (PostgreSQL leaves a lazy VACUUM out of the horizon, and autovacuum may crawl
 * through a bloated table for a minute). Whether they were released; the compaction goes ahead
 * either way.
 */
export async function snapshotsReleased(adminUrl: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  return withPgClient(adminUrl, async (client) => {
    // A snapshot's xmax now, as a 32-bit xid (what pg_stat_activity shows): every transaction that
    // committed before the call is below it.
    const { rows: start } = await client.query<{ next: string }>(`select (pg_snapshot_xmax(pg_current_snapshot())::text::bigint % 4294967296)::text as next`);
    for (;;) {
      // age() counts back from the same point for every xid of one statement: the larger, the older.
      const { rows } = await client.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid()
            and pid not in (select pid from pg_stat_progress_vacuum)
            and (age(backend_xmin) > age($1::xid) or age(backend_xid) > age($1::xid))`,
        [start[0]!.next],
      );
      if (rows[0]!.n === 0) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
}

/**
 * Subgraphs whose other tables get a plain VACUUM (ANALYZE) at the end of the seed, once every
 * load has committed: it marks their pages all-visible, which index-only scans need (the count of
 * a day's new cases from patient(confirmed_at) read 1,393 heap pages without it). Autovacuum would
 * come in time, but when it came during the city seed the registry's load still held back the
 * horizon and it marked nothing. The registry is frozen by its own load (vaccination.ts).
 */
const VACUUMED_AFTER_LOAD: readonly SubgraphName[] = ['facilities', 'patients', 'workforce'];

/**
 * Rewrites every subgraph's tables of REWRITTEN_BY_THE_LOAD compactly (VACUUM FULL, a fraction of
 * a second at city scale), with fresh statistics, vacuums the other tables of VACUUMED_AFTER_LOAD,
 * and says what it did. Each table is locked only while it is rewritten; one that a running
 * service holds for a second longer than deadlock_timeout (2 s by default) is left as it is (this
 * is an optimisation, and a longer wait would hold up the readers queued behind it) and named.
 */
export async function compactAfterLoad(adminUrl: string, subgraphs: readonly SubgraphName[], progress: (line: string) => void): Promise<void> {
  await snapshotsReleased(adminUrl, 30_000);
  const busy: string[] = [];
  let lockWaitMs = 0;
  for (const subgraph of subgraphs) {
    const rewritten = REWRITTEN_BY_THE_LOAD[subgraph];
    const vacuumOthers = VACUUMED_AFTER_LOAD.includes(subgraph);
    if (rewritten.length === 0 && !vacuumOthers) continue;
    await withPgClient(subgraphDatabaseUrl(adminUrl, subgraph), async (client) => {
      // A second longer than deadlock_timeout: when the holder is autovacuum, PostgreSQL cancels it
      // after deadlock_timeout, and the table is ours a moment later (with equal timeouts the
      // lock timeout fired first, and the tables autovacuum picks after a load, the most rewritten,
      // were left as they were).
      const { rows } = await client.query<{ ms: number }>(
        `select ms, set_config('lock_timeout', ms::text, false) from (select (extract(epoch from current_setting('deadlock_timeout')::interval) * 1000 + 1000)::int as ms) t`,
      );
      lockWaitMs = rows[0]!.ms;
      const others = vacuumOthers
        ? (await client.query<{ name: string }>('select tablename as name from pg_tables where schemaname = $1 order by 1', [subgraph])).rows
            .map((r) => r.name)
            .filter((name) => !rewritten.includes(name))
        : [];
      const statements = [
        ...rewritten.map((table) => ({ table, sql: `vacuum (full, analyze) ${quote(subgraph)}.${quote(table)}` })),
        ...others.map((table) => ({ table, sql: `vacuum (analyze) ${quote(subgraph)}.${quote(table)}` })),
      ];
      for (const { table, sql } of statements) {
        try {
          await client.query(sql);
        } catch (error) {
          if ((error as { code?: string }).code !== '55P03') throw error; // lock_not_available
          busy.push(`${subgraph}.${table}`);
        }
      }
    });
  }
  progress(
    busy.length === 0
      ? 'compacted the counters and queues the load rewrote row by row, vacuumed the other tables'
      : `compacted the counters and queues the load rewrote row by row, vacuumed the other tables, except ${busy.join(', ')} (in use for over ${lockWaitMs / 1000} s; run the seed again to compact them)`,
  );
}
