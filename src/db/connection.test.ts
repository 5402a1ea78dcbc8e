import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { compareVersions, createKysely, openDatabase, pageCacheKiB } from './connection.js';

const MiB = 1024 * 1024;

describe('the page cache', () => {
  it('is 64 MiB for a small database', () => {
    expect(pageCacheKiB(0)).toBe(64 * 1024);
    expect(pageCacheKiB(20 * MiB)).toBe(64 * 1024);
  });

  it('grows to hold one and a half times a larger file, so encrypted reads stay at plain speed', () => {
    expect(pageCacheKiB(100 * MiB)).toBe(150 * 1024);
  });

  it('stops at 256 MiB however large the file', () => {
    expect(pageCacheKiB(4096 * MiB)).toBe(256 * 1024);
  });
});

describe('the SQLite version check', () => {
  it('orders versions numerically, not as text', () => {
    expect(compareVersions('3.53.2', '3.51.3')).toBeGreaterThan(0);
    expect(compareVersions('3.51.3', '3.51.3')).toBe(0);
    expect(compareVersions('3.9.0', '3.51.3')).toBeLessThan(0);
    expect(compareVersions('3.51.10', '3.51.3')).toBeGreaterThan(0);
  });
});

describe('a write transaction', () => {
  it('takes the write lock when it begins, so a commit by another connection cannot fail it halfway', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-tx-'));
    const file = join(dir, 'test.db');
    const key = randomBytes(32);
    const mine = openDatabase({ file, key, create: true });
    const other = openDatabase({ file, key });
    try {
      mine.exec('CREATE TABLE t (n INTEGER)');
      other.pragma('busy_timeout = 0');
      const db = createKysely(mine);
      const tried: string[] = [];
      await db.transaction().execute(async (trx) => {
        await sql`SELECT count(*) FROM t`.execute(trx);
        // Another process (a worker, `hearth call`) tries to commit between this transaction's read and its write.
        try {
          other.prepare('INSERT INTO t (n) VALUES (1)').run();
          tried.push('other committed');
        } catch (error) {
          tried.push((error as { code?: string }).code ?? 'error');
        }
        await sql`INSERT INTO t (n) VALUES (2)`.execute(trx);
      });
      expect(tried).toEqual(['SQLITE_BUSY']);
      expect(mine.prepare('SELECT n FROM t').all()).toEqual([{ n: 2 }]);
      await db.destroy();
    } finally {
      other.close();
      if (mine.open) mine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
