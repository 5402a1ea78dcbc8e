// `hearth restore`: replaces the database with a backup, after checking it and keeping the current one.
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { HearthError } from '../api/errors.js';
import { backupDatabase } from '../db/backup.js';
import { createKysely, openDatabase } from '../db/connection.js';
import { assertNotNewer, migrationStatus } from '../db/migrate.js';
import { readKeyMeta, type KeyMeta } from '../keys/meta.js';
import type { KeyProvider } from '../keys/provider.js';
import { integrityCheck, timestamp } from './hearth.js';
import { acquireLock } from './lock.js';
import { dataPaths } from './paths.js';

export interface RestoreResult {
  restoredFrom: string;
  /** Where the database that was replaced was kept. */
  previousSavedTo: string | null;
  schemaVersion: number;
}

export async function restoreDataFolder(options: {
  dir: string;
  file: string;
  provider: (meta: KeyMeta) => KeyProvider;
}): Promise<RestoreResult> {
  const paths = dataPaths(options.dir);
  if (!existsSync(options.file)) {
    throw new HearthError('NOT_FOUND', `There is no backup file at ${options.file}.`);
  }
  const meta = readKeyMeta(paths.keyMeta);
  const provider = options.provider(meta);
  const lock = acquireLock(paths.lock, 'hearth restore');
  const staged = `${paths.database}.restoring`;
  try {
    const key = await provider.read(meta, 'current');
    if (!key) throw new HearthError('KEY_UNAVAILABLE', 'The key source holds no key.');
    // Work on a copy: opening the user's file in place could leave WAL side files next to it.
    rmSync(staged, { force: true });
    copyFileSync(options.file, staged);
    let schemaVersion: number;
    try {
      const candidate = openDatabase({ file: staged, key });
      const db = createKysely(candidate);
      try {
        const problems = await integrityCheck(db);
        if (problems.length > 0) {
          throw new HearthError('VALIDATION', 'The backup is damaged; nothing was changed.', {
            problems: problems.slice(0, 20),
          });
        }
        const status = await migrationStatus(db);
        assertNotNewer(status);
        if (status.applied.length === 0) throw new HearthError('VALIDATION', 'That file is not a Hearth database.');
        schemaVersion = status.schemaVersion;
        candidate.pragma('journal_mode = DELETE');
      } finally {
        await db.destroy();
      }
    } catch (error) {
      rmSync(staged, { force: true });
      if (error instanceof HearthError && error.code === 'WRONG_KEY') {
        throw new HearthError(
          'WRONG_KEY',
          'This backup was made with another key (before a rekey, or from another data folder); nothing was changed.',
        );
      }
      throw error;
    }
    let previousSavedTo: string | null = null;
    if (existsSync(paths.database)) {
      mkdirSync(paths.backups, { recursive: true, mode: 0o700 });
      previousSavedTo = join(paths.backups, `before-restore-${timestamp()}.db`);
      const current = openDatabase({ file: paths.database, key });
      try {
        backupDatabase(current, previousSavedTo);
      } finally {
        current.close();
      }
    }
    for (const side of ['-wal', '-shm']) rmSync(paths.database + side, { force: true });
    renameSync(staged, paths.database);
    return { restoredFrom: options.file, previousSavedTo, schemaVersion };
  } finally {
    rmSync(staged, { force: true });
    lock.release();
  }
}
