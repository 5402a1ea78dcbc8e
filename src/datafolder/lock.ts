// One process owns a data folder at a time. The lock names its holder and is taken over when that process is gone.
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { HearthError } from '../api/errors.js';

export interface LockHolder {
  pid: number;
  host: string;
  startedAt: number;
  purpose: string;
}

export interface DataFolderLock {
  readonly holder: LockHolder;
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): LockHolder | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
  } catch {
    return null;
  }
}

/**
 * Creates the lock file whole or not at all: the holder is written to a private file that is then
 * hard-linked into place (link fails if the name exists), so nobody ever reads a half-written lock.
 */
function tryCreate(file: string, holder: LockHolder): boolean {
  const tmp = `${file}.${process.pid}.${holder.startedAt}.tmp`;
  writeFileSync(tmp, JSON.stringify(holder), { mode: 0o600 });
  try {
    linkSync(tmp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(tmp, { force: true });
  }
}

export function acquireLock(file: string, purpose: string): DataFolderLock {
  const holder: LockHolder = { pid: process.pid, host: hostname(), startedAt: Date.now(), purpose };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(file, holder)) {
      let released = false;
      return {
        holder,
        release() {
          if (released) return;
          released = true;
          const current = readHolder(file);
          if (current?.pid === holder.pid && current.startedAt === holder.startedAt) rmSync(file, { force: true });
        },
      };
    }
    const existing = readHolder(file);
    const stale = existing === null || (existing.host === holder.host && !isAlive(existing.pid));
    if (existing && !stale) {
      const since = new Date(existing.startedAt).toISOString();
      throw new HearthError(
        'LOCKED',
        `This data folder is in use by ${existing.purpose} (process ${existing.pid} on ${existing.host}, since ${since}). Close it first.`,
        { holder: existing },
      );
    }
    // The holder crashed. Move its lock aside (atomic, so two newcomers cannot both remove a fresh lock) and retry.
    const aside = `${file}.stale-${process.pid}`;
    try {
      renameSync(file, aside);
      const moved = readHolder(aside);
      if (existing && moved && (moved.pid !== existing.pid || moved.startedAt !== existing.startedAt)) {
        // A live newcomer's lock: put it back, unless yet another one has appeared meanwhile.
        try {
          linkSync(aside, file);
        } catch {
          // That one wins; ours goes on to the next attempt.
        }
      }
      rmSync(aside, { force: true });
    } catch {
      // Someone else took it over first; the next attempt sees their lock.
    }
  }
  throw new HearthError('LOCKED', 'Could not lock the data folder; try again.');
}
