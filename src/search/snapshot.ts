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
const pieceName = (index: number) => `${SNAPSHOT_NAME}/${index}`;

export function readSnapshot(sqlite: SqliteDatabase): StoredSnapshot | null {
  const row = sqlite
    .prepare('SELECT seq, schema_version, format, data FROM search_snapshots WHERE name = ?')
    .get(SNAPSHOT_NAME) as { seq: number; schema_version: number; format: number; data: Buffer | string } | undefined;
  if (!row) return null;
  return { seq: row.seq, schemaVersion: row.schema_version, format: row.format, head: text(row.data) };
}

/** Piece `index` (from 1) of the snapshot stored at `seq`; throws if it is missing or from another snapshot. */
export function readPiece(sqlite: SqliteDatabase, index: number, seq: number): string {
  const row = sqlite.prepare('SELECT seq, data FROM search_snapshots WHERE name = ?').get(pieceName(index)) as
    { seq: number; data: Buffer | string } | undefined;
  if (!row || row.seq !== seq) throw new Error('the snapshot changed or is incomplete');
  return text(row.data);
}

/** Stores a snapshot's pieces (head first), replacing the one stored, in one transaction. */
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
  sqlite.transaction(() => {
    sqlite.prepare('DELETE FROM search_snapshots WHERE name LIKE ?').run(`${SNAPSHOT_NAME}/%`);
    pieces.forEach((piece, index) =>
      put.run(
        index === 0 ? SNAPSHOT_NAME : pieceName(index),
        seq,
        schemaVersion,
        SNAPSHOT_FORMAT,
        Buffer.from(piece),
        now,
      ),
    );
  })();
}

/** The stored snapshot's index, read all at once (null when there is none). */
export function loadStored(sqlite: SqliteDatabase): { index: NameIndex; seq: number } | null {
  const stored = readSnapshot(sqlite);
  if (!stored) return null;
  const loader = new SnapshotLoader(stored.head);
  for (let piece = 1; piece <= loader.pieces; piece++) loader.apply(readPiece(sqlite, piece, stored.seq));
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
