// Encrypted copies of the live database. better-sqlite3's backup() refuses encrypted sources; VACUUM INTO works.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { HearthError } from '../api/errors.js';
import type { SqliteDatabase } from './connection.js';

/** Writes a consistent, encrypted (same key) copy to `file`, atomically: the file appears whole or not at all. */
export function backupDatabase(db: SqliteDatabase, file: string): void {
  if (existsSync(file))
    throw new HearthError('VALIDATION', `${file} already exists; choose another name.`, {
      issues: [{ path: 'out', message: 'file exists' }],
    });
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  try {
    db.prepare('VACUUM INTO ?').run(partial);
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}
