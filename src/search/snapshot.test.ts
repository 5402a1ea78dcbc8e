import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKysely, openDatabase, type SqliteDatabase } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import { readPiece, readSnapshot, writeSnapshot } from './snapshot.js';

let dir: string;
let sqlite: SqliteDatabase;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hearth-snapshot-'));
  sqlite = openDatabase({ file: join(dir, 'test.db'), key: randomBytes(32), create: true });
  await migrateToLatest(createKysely(sqlite), () => Promise.resolve(''));
});

afterEach(() => {
  sqlite.close();
  rmSync(dir, { recursive: true, force: true });
});

const names = () =>
  (sqlite.prepare('SELECT name FROM search_snapshots ORDER BY name').all() as Array<{ name: string }>).map(
    (row) => row.name,
  );

/** Every piece of the stored snapshot, the head first. */
function readAll(stored = readSnapshot(sqlite)!): string[] {
  const pieces = [stored.head];
  for (let piece = 1; piece < 3; piece++) pieces.push(readPiece(sqlite, piece, stored));
  return pieces;
}

describe('the stored snapshot', () => {
  it('reads back as written, and a newer write replaces it', () => {
    writeSnapshot(sqlite, 10, 9, ['head A', 'one A', 'two A'], 1_000);
    expect(readAll()).toEqual(['head A', 'one A', 'two A']);
    expect(readSnapshot(sqlite)).toMatchObject({ seq: 10, schemaVersion: 9 });

    writeSnapshot(sqlite, 12, 9, ['head B', 'one B', 'two B'], 2_000);
    expect(readAll()).toEqual(['head B', 'one B', 'two B']);
    expect(readSnapshot(sqlite)?.seq).toBe(12);
  });

  it('keeps the generation before, so a process loading it in slices can finish, and drops older ones', () => {
    writeSnapshot(sqlite, 10, 9, ['head A', 'one A', 'two A'], 1_000);
    const loading = readSnapshot(sqlite)!;
    expect(readPiece(sqlite, 1, loading)).toBe('one A');

    writeSnapshot(sqlite, 12, 9, ['head B', 'one B', 'two B'], 2_000);
    // The loader that began on A reads its next piece after B was stored.
    expect(readPiece(sqlite, 2, loading)).toBe('two A');

    writeSnapshot(sqlite, 15, 9, ['head C', 'one C', 'two C'], 3_000);
    expect(() => readPiece(sqlite, 2, loading)).toThrow('the snapshot changed or is incomplete');
    expect(names()).toEqual([
      'records',
      'records/12.2000/1',
      'records/12.2000/2',
      'records/15.3000/1',
      'records/15.3000/2',
    ]);
  });

  it('removes the pieces of a write that stopped before its head was stored', () => {
    writeSnapshot(sqlite, 10, 9, ['head A', 'one A', 'two A'], 1_000);
    // A worker that stopped halfway (killed, or the disk filled) stored a piece but no head.
    sqlite
      .prepare(
        'INSERT INTO search_snapshots (name, seq, schema_version, format, data, written_at) VALUES (?, 11, 9, 3, ?, 1500)',
      )
      .run('records/11.1500/1', Buffer.from('orphan'));
    expect(readAll()).toEqual(['head A', 'one A', 'two A']);

    writeSnapshot(sqlite, 12, 9, ['head B', 'one B', 'two B'], 2_000);
    writeSnapshot(sqlite, 15, 9, ['head C', 'one C', 'two C'], 3_000);
    expect(names()).not.toContain('records/11.1500/1');
    expect(readAll()).toEqual(['head C', 'one C', 'two C']);
  });

  it('commits each piece on its own, so the write lock is held a piece at a time, not for the whole snapshot', () => {
    const pieces = ['head', ...Array.from({ length: 20 }, (_, i) => `piece ${i}`)];
    const openWhileTaken: boolean[] = [];
    // Notes, as each piece is taken to be stored, whether a transaction (and so the write lock) is still open.
    const watched = new Proxy(pieces, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^[1-9]\d*$/.test(key)) openWhileTaken.push(sqlite.inTransaction);
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    writeSnapshot(sqlite, 10, 9, watched, 1_000);
    expect(openWhileTaken).toHaveLength(20);
    expect(openWhileTaken.every((open) => !open)).toBe(true);
    expect(readSnapshot(sqlite)?.seq).toBe(10);
    expect(readPiece(sqlite, 20, readSnapshot(sqlite)!)).toBe('piece 19');
  });
});
