// The index's snapshot lives in the encrypted database (table search_snapshots, migration 0009), never in a file,
// with the audit sequence number it reflects: everything committed up to that entry is in it, nothing after.
import type { SqliteDatabase } from '../db/connection.js';
import { allDocs, INDEXED_TYPES } from './documents.js';
import { NameIndex, SNAPSHOT_FORMAT } from './name-index.js';

export const SNAPSHOT_NAME = 'records';

export interface StoredSnapshot {
  seq: number;
  schemaVersion: number;
  format: number;
  data: string;
}

/** The newest audit entry's sequence number: the data version every change moves on (0 for none yet). */
export function auditHead(sqlite: SqliteDatabase): number {
  const row = sqlite.prepare('SELECT seq FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
    { seq: number } | undefined;
  return row?.seq ?? 0;
}

export function readSnapshot(sqlite: SqliteDatabase): StoredSnapshot | null {
  const row = sqlite
    .prepare('SELECT seq, schema_version, format, data FROM search_snapshots WHERE name = ?')
    .get(SNAPSHOT_NAME) as { seq: number; schema_version: number; format: number; data: Buffer | string } | undefined;
  if (!row) return null;
  return {
    seq: row.seq,
    schemaVersion: row.schema_version,
    format: row.format,
    data: typeof row.data === 'string' ? row.data : row.data.toString('utf8'),
  };
}

export function writeSnapshot(
  sqlite: SqliteDatabase,
  seq: number,
  schemaVersion: number,
  data: string,
  now: number,
): void {
  sqlite
    .prepare(
      `INSERT INTO search_snapshots (name, seq, schema_version, format, data, written_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, schema_version = excluded.schema_version,
         format = excluded.format, data = excluded.data, written_at = excluded.written_at`,
    )
    .run(SNAPSHOT_NAME, seq, schemaVersion, SNAPSHOT_FORMAT, Buffer.from(data, 'utf8'), now);
}

/** Every live record read in one transaction, so the index and the sequence number agree. */
export function buildIndex(sqlite: SqliteDatabase): { index: NameIndex; seq: number } {
  const index = NameIndex.empty();
  let seq = 0;
  sqlite.transaction(() => {
    seq = auditHead(sqlite);
    for (const type of INDEXED_TYPES) for (const doc of allDocs(sqlite, type)) index.set(doc);
  })();
  return { index, seq };
}
