// The index's snapshot lives in the encrypted database (table search_snapshots, migration 0009), never in a file,
// with the audit sequence number it reflects: everything committed up to that entry is in it, nothing after.
import { preparedOnce, type SqliteDatabase } from '../db/connection.js';
import { allDocs, INDEXED_TYPES } from './documents.js';
import { NameIndex, SNAPSHOT_FORMAT, SnapshotLoader } from './name-index.js';

export const SNAPSHOT_NAME = 'records';

export interface StoredSnapshot {
  seq: number;
  schemaVersion: number;
  format: number;
  /** When it was written: with `seq`, it names this write's pieces (piecesOf). */
  writtenAt: number;
  /** The first piece (NameIndex.serialize()'s head); the others are read with readPiece(). */
  head: string;
}

/** The newest audit entry's sequence number: the data version every change moves on (0 for none yet). */
export function auditHead(sqlite: SqliteDatabase): number {
  const row = preparedOnce(sqlite, 'SELECT seq FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
    { seq: number } | undefined;
  return row?.seq ?? 0;
}

const text = (data: Buffer | string) => (typeof data === 'string' ? data : data.toString('utf8'));
type Generation = Pick<StoredSnapshot, 'seq' | 'writtenAt'>;
/** The common start of the names of one write's pieces. */
const piecesOf = ({ seq, writtenAt }: Generation) => `${SNAPSHOT_NAME}/${seq}.${writtenAt}/`;

export function readSnapshot(sqlite: SqliteDatabase): StoredSnapshot | null {
  const row = sqlite
    .prepare('SELECT seq, schema_version, format, data, written_at FROM search_snapshots WHERE name = ?')
    .get(SNAPSHOT_NAME) as
    { seq: number; schema_version: number; format: number; data: Buffer | string; written_at: number } | undefined;
  if (!row) return null;
  return {
    seq: row.seq,
    schemaVersion: row.schema_version,
    format: row.format,
    writtenAt: row.written_at,
    head: text(row.data),
  };
}

/** Piece `index` (from 1) of the stored snapshot; throws if it is missing or from another snapshot. */
export function readPiece(sqlite: SqliteDatabase, index: number, stored: Generation): string {
  const row = sqlite.prepare('SELECT seq, data FROM search_snapshots WHERE name = ?').get(piecesOf(stored) + index) as
    { seq: number; data: Buffer | string } | undefined;
  if (!row || row.seq !== stored.seq) throw new Error('the snapshot changed or is incomplete');
  return text(row.data);
}

/**
 * Stores a snapshot (head first in `pieces`), replacing the one stored, without holding the write lock for long:
 * a snapshot at size is about 28 MiB, and writing it in one transaction would hold the lock for a quarter of a
 * second, during which the main process's next write would wait, blocking its thread. So each piece is written
 * in a transaction of its own under this write's generation, then the head is switched to it in a small one,
 * and only then are older generations deleted, a piece at a time. The generation before stays, so a process
 * loading it in slices meanwhile can finish; a write that stopped halfway leaves pieces no head names, which the
 * next write deletes.
 */
export function writeSnapshot(
  sqlite: SqliteDatabase,
  seq: number,
  schemaVersion: number,
  pieces: readonly string[],
  now: number,
): void {
  const put = sqlite.prepare(
    `INSERT INTO search_snapshots (name, seq, schema_version, format, data, written_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, schema_version = excluded.schema_version,
       format = excluded.format, data = excluded.data, written_at = excluded.written_at`,
  );
  const current = { seq, writtenAt: now };
  for (let index = 1; index < pieces.length; index++) {
    put.run(piecesOf(current) + index, seq, schemaVersion, SNAPSHOT_FORMAT, Buffer.from(pieces[index]!), now);
  }
  const previous = sqlite.transaction(() => {
    const head = sqlite.prepare('SELECT seq, written_at AS writtenAt FROM search_snapshots WHERE name = ?');
    const before = head.get(SNAPSHOT_NAME) as Generation | undefined;
    put.run(SNAPSHOT_NAME, seq, schemaVersion, SNAPSHOT_FORMAT, Buffer.from(pieces[0]!), now);
    return before;
  })();
  // Pieces of neither this write nor the one before, and no newer than that one: a write still under way in
  // another process has pieces newer than the head it will replace, so they are left alone.
  const keep = (previous ? [previous, current] : [current]).map(piecesOf);
  const stale = sqlite
    .prepare('SELECT name FROM search_snapshots WHERE name LIKE ? AND written_at <= ?')
    .all(`${SNAPSHOT_NAME}/%`, previous?.writtenAt ?? now) as Array<{ name: string }>;
  const remove = sqlite.prepare('DELETE FROM search_snapshots WHERE name = ?');
  for (const { name } of stale) {
    if (!keep.some((prefix) => name.startsWith(prefix))) remove.run(name);
  }
}

/** The stored snapshot's index, read all at once (null when there is none). */
export function loadStored(sqlite: SqliteDatabase): { index: NameIndex; seq: number } | null {
  const stored = readSnapshot(sqlite);
  if (!stored) return null;
  const loader = new SnapshotLoader(stored.head);
  for (let piece = 1; piece <= loader.pieces; piece++) loader.apply(readPiece(sqlite, piece, stored));
  return { index: loader.finish(), seq: stored.seq };
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
