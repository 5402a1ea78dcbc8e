// Opens the encrypted SQLite file (SQLCipher 4 compatible) with a raw 32-byte key and safe pragmas.
import Database from 'better-sqlite3-multiple-ciphers';
import { existsSync, statSync } from 'node:fs';
import {
  CompiledQuery,
  Kysely,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';
import { HearthError } from '../api/errors.js';
import type { DB } from './schema.js';

export type SqliteDatabase = Database.Database;

/** SQLite before 3.51.3 can corrupt a database when a WAL is reset under load. */
export const MIN_SQLITE_VERSION = '3.51.3';

export interface OpenDatabaseOptions {
  file: string;
  key: Buffer;
  /** Create the file if it does not exist (only `hearth init` does). */
  create?: boolean;
  /** Page cache in KiB; by default sized to the file (see pageCacheKiB). */
  cacheKiB?: number;
}

const MIN_CACHE_KIB = 64 * 1024;
const MAX_CACHE_KIB = 256 * 1024;

/**
 * Encryption makes every page-cache miss cost a decryption and an HMAC check, so the cache should hold
 * the working set: one and a half times the file, at least 64 MiB and at most 256 MiB. It is a ceiling,
 * not an allocation: SQLite only fills it with pages it reads.
 */
export function pageCacheKiB(fileBytes: number): number {
  return Math.min(MAX_CACHE_KIB, Math.max(MIN_CACHE_KIB, Math.ceil((fileBytes * 1.5) / 1024)));
}

/**
 * The native addon to load. The desktop app sets HEARTH_SQLITE_BINDING to a copy built for Electron's
 * ABI, so Node (tests, CLI) and Electron can each use their own build from one checkout.
 */
function nativeBinding(): { nativeBinding?: string } {
  const path = process.env.HEARTH_SQLITE_BINDING;
  return path ? { nativeBinding: path } : {};
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Keys a connection. Must come before any read; order matters for SQLCipher 4 compatibility. */
export function applyKey(db: SqliteDatabase, key: Buffer): void {
  for (const pragma of keyPragmas(key)) db.pragma(pragma);
}

/** The pragmas that key a connection, in order; every connection (the owner's, the checkpointer's) uses these. */
export function keyPragmas(key: Buffer): string[] {
  if (key.length !== 32) throw new HearthError('WRONG_KEY', 'A database key is 32 bytes.');
  return [`cipher='sqlcipher'`, 'legacy=4', `key="x'${key.toString('hex')}'"`];
}

function isNotADatabase(error: unknown): boolean {
  return (
    error instanceof Error && 'code' in error && (error.code === 'SQLITE_NOTADB' || error.code === 'SQLITE_CORRUPT')
  );
}

export function openDatabase(options: OpenDatabaseOptions): SqliteDatabase {
  const db = new Database(options.file, { fileMustExist: !options.create, ...nativeBinding() });
  try {
    applyKey(db, options.key);
    // PRAGMA key answers ok for any key; the first read tells.
    try {
      db.prepare('SELECT count(*) FROM sqlite_schema').get();
    } catch (error) {
      if (isNotADatabase(error)) {
        throw new HearthError('WRONG_KEY', 'The key does not open this database. Check the passphrase or key file.');
      }
      throw error;
    }
    const version = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
    if (compareVersions(version, MIN_SQLITE_VERSION) < 0) {
      throw new HearthError(
        'UNSUPPORTED_SQLITE',
        `SQLite ${version} is too old: Hearth needs ${MIN_SQLITE_VERSION} or newer (older versions can corrupt a WAL database).`,
      );
    }
    db.pragma('journal_mode = WAL');
    // NORMAL (DESIGN.md: NORMAL or stricter): in WAL mode a commit is in the WAL file when the call returns, so it
    // survives a crash or a killed process at once; the WAL reaches the disk itself (fsync) when the background
    // checkpointer next runs, within a second. FULL would fsync on every commit, which costs 1.5–2 ms a write
    // here (docs/benchmarks.md); a power cut can now take back the last second of commits, never corrupt the file.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('temp_store = MEMORY');
    db.pragma(
      `cache_size = -${options.cacheKiB ?? pageCacheKiB(existsSync(options.file) ? statSync(options.file).size : 0)}`,
    );
    db.pragma('busy_timeout = 5000');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

type Statement = Database.Statement<unknown[], unknown>;
const kept = new WeakMap<SqliteDatabase, Map<string, Statement>>();

/**
 * A raw statement prepared once per connection and SQL text, then reused (preparing costs more than running a
 * small query; search runs a few on every keystroke). For `.get`/`.all`/`.run` only: a statement being iterated
 * is busy until its loop ends, so it must not be handed out again meanwhile.
 */
export function preparedOnce(db: SqliteDatabase, sql: string): Statement {
  let statements = kept.get(db);
  if (!statements) {
    statements = new Map();
    kept.set(db, statements);
  }
  let statement = statements.get(sql);
  if (!statement) {
    statement = db.prepare<unknown[], unknown>(sql);
    statements.set(sql, statement);
  }
  return statement;
}

/**
 * Kysely over the connection, with prepared statements kept and reused by their SQL text (Kysely's SQLite
 * driver prepares every query afresh, which costs more than running a small one). Queries are never
 * streamed, so a cached statement is never busy when it is handed out again.
 */
export function createKysely(db: SqliteDatabase, cacheSize = 500): Kysely<DB> {
  const cache = new Map<string, ReturnType<SqliteDatabase['prepare']>>();
  const database = {
    close: () => db.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql);
      } else {
        statement = db.prepare(sql);
        if (cache.size >= cacheSize) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
  return new Kysely<DB>({ dialect: new WriteLockingDialect({ database }) });
}

/**
 * Transactions here are for writing (a mutating procedure, a migration), so they begin IMMEDIATE: they take the
 * write lock at once, waiting out another writer within the busy timeout. Kysely's plain `begin` would take it
 * only at the first write, and in WAL mode a commit by another connection (the search worker's snapshot, a
 * `hearth call` beside `hearth serve`) between the transaction's first read and its first write then fails that
 * write with SQLITE_BUSY at once, without waiting.
 */
class WriteLockingDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new WriteLockingDriver(this.#config);
  }
}

class WriteLockingDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
