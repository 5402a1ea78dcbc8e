// Opening a data folder: lock, key, encrypted database, migrations, the local user, and the dispatcher.
import { existsSync, mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { sql, type Kysely, type Migration } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { createDispatcher, type Dispatcher } from '../api/dispatcher.js';
import { HearthError } from '../api/errors.js';
import type { Actor, ProcedureRegistry } from '../api/procedure.js';
import { registry as defaultRegistry } from '../api/registry.js';
import { appendAuditEntry } from '../audit/repository.js';
import { backupDatabase } from '../db/backup.js';
import { startCheckpointer, type Checkpointer } from '../db/checkpointer.js';
import { SearchService } from '../search/service.js';
import { createKysely, openDatabase, type SqliteDatabase } from '../db/connection.js';
import { assertNotNewer, migrateToLatest, migrationStatus } from '../db/migrate.js';
import type { DB } from '../db/schema.js';
import { readKeyMeta, writeKeyMeta, type KeyMeta } from '../keys/meta.js';
import type { KeyProvider } from '../keys/provider.js';
import { fileLogger, type Logger } from '../log/logger.js';
import { APP_VERSION } from '../system/version.js';
import { startReminders, type ReminderScheduler } from '../tasks/reminders.js';
import { isRole } from '../users/roles.js';
import { acquireLock, type DataFolderLock } from './lock.js';
import { dataPaths, type DataPaths } from './paths.js';

export interface Hearth {
  paths: DataPaths;
  /** key.json as last written; key operations replace it. */
  meta: KeyMeta;
  provider: KeyProvider;
  sqlite: SqliteDatabase;
  db: Kysely<DB>;
  dispatcher: Dispatcher;
  /** The machine's own user: an admin who owns what is created on a single machine. */
  localActor: Actor;
  logger: Logger;
  /** The task reminder scheduler, when opened with `reminders: true`. */
  reminders: ReminderScheduler | null;
  schemaVersion(): number;
  search: SearchService;
  /** Stops the background checkpointer (leaving WAL mode, as a rekey does, needs the only connection). */
  pauseCheckpoints(): Promise<void>;
  /** Starts it again, with `newKey` once the database has been rekeyed. */
  resumeCheckpoints(newKey?: Buffer): void;
  /** Writes an encrypted copy (same key) of the database to `file`. */
  backup(file: string): void;
  close(): Promise<void>;
}

export interface OpenOptions {
  dir: string;
  /** Chooses the key source for the folder's key.json (keychain, passphrase, key file, safeStorage). */
  provider: (meta: KeyMeta) => KeyProvider;
  purpose?: string;
  /** Apply pending migrations on open (default). `hearth migrate --status` opens without. */
  migrate?: boolean;
  registry?: ProcedureRegistry;
  /** The migrations this build knows; tests pass a longer list to exercise upgrades. */
  migrations?: Readonly<Record<string, Migration>>;
  logger?: Logger;
  clock?: () => number;
  /**
   * Announce task reminders as they come due (a long-running Hearth: `hearth serve`, the desktop app). Off for
   * one-shot commands, which would otherwise deliver reminders nobody sees.
   */
  reminders?: boolean;
  /**
   * Keep the query planner's statistics fresh (SQLite's advice for long-lived connections): analyze what needs
   * it at open and before close. For `hearth serve`, the desktop app and the bench; one-shot commands leave the
   * file untouched and use the statistics those wrote.
   */
  optimize?: boolean;
  /** Load the search index at open, keep it current from change events and its stored snapshot fresh (long-running hosts). */
  warmSearch?: boolean;
}

export interface InitOptions {
  dir: string;
  provider: KeyProvider;
  /** For a key file whose key already exists, the key to use; otherwise a new random key. */
  key?: Buffer;
  userName?: string;
  /** The migrations to apply; tests pass fewer to make a folder of an older schema. */
  migrations?: Readonly<Record<string, Migration>>;
}

/** Creates a new encrypted data folder. Refuses a folder that already holds Hearth data. */
export async function initDataFolder(options: InitOptions): Promise<{ paths: DataPaths; meta: KeyMeta }> {
  const paths = dataPaths(options.dir);
  if (existsSync(paths.keyMeta) || existsSync(paths.database)) {
    throw new HearthError(
      'ALREADY_INITIALIZED',
      `${paths.dir} already holds a Hearth data folder; nothing was changed.`,
    );
  }
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  const lock = acquireLock(paths.lock, 'hearth init');
  try {
    const key = options.key ?? randomBytes(32);
    let meta: KeyMeta = {
      format: 1,
      folderId: uuidv7(),
      source: options.provider.kind,
      createdAt: Date.now(),
      slots: {},
    };
    meta = await options.provider.write(meta, 'current', key);
    const sqlite = openDatabase({ file: paths.database, key, create: true });
    const db = createKysely(sqlite);
    try {
      await migrateToLatest(
        db,
        async () => {
          throw new Error('a new database has nothing to back up');
        },
        options.migrations,
      );
      await db.transaction().execute(async (trx) => {
        const now = Date.now();
        const id = uuidv7();
        const name = options.userName ?? safeUserName();
        await trx
          .insertInto('users')
          .values({
            id,
            name,
            email: null,
            role: 'admin',
            is_local: 1,
            password_hash: null,
            totp_secret: null,
            version: 1,
            created_at: now,
            updated_at: now,
            created_by: null,
            owner_id: id,
            deleted_at: null,
          })
          .execute();
        await trx.insertInto('meta').values({ key: 'folder.id', value: meta.folderId }).execute();
        await appendAuditEntry(trx, {
          at: now,
          actorId: id,
          procedure: 'system.init',
          changes: [{ entity: 'user', id, action: 'create', version: 1, after: { name, role: 'admin' } }],
        });
      });
    } finally {
      await db.destroy();
    }
    // key.json last: until it exists the folder is visibly unfinished (init refuses to touch it, and says why).
    writeKeyMeta(paths.keyMeta, meta);
    return { paths, meta };
  } finally {
    lock.release();
  }
}

function safeUserName(): string {
  try {
    return userInfo().username || 'Administrator';
  } catch {
    return 'Administrator';
  }
}

/**
 * Finds the key that opens the database. A rekey interrupted after the database changed leaves the new
 * key in the "pending" slot; it is tried second and then made current.
 */
async function openWithKey(
  paths: DataPaths,
  meta: KeyMeta,
  provider: KeyProvider,
): Promise<{ sqlite: SqliteDatabase; meta: KeyMeta; key: Buffer }> {
  if (!existsSync(paths.database)) {
    throw new HearthError('NOT_INITIALIZED', `${paths.database} is missing. Restore it with \`hearth restore\`.`);
  }
  const current = await provider.read(meta, 'current');
  try {
    return { sqlite: openDatabase({ file: paths.database, key: current! }), meta, key: current! };
  } catch (error) {
    if (!(error instanceof HearthError) || error.code !== 'WRONG_KEY') throw error;
    const pending = await provider.read(meta, 'pending');
    if (!pending) throw error;
    const sqlite = openDatabase({ file: paths.database, key: pending });
    let repaired = await provider.write(meta, 'current', pending);
    repaired = await provider.remove(repaired, 'pending');
    writeKeyMeta(paths.keyMeta, repaired);
    return { sqlite, meta: repaired, key: pending };
  }
}

export async function openHearth(options: OpenOptions): Promise<Hearth> {
  const paths = dataPaths(options.dir);
  let meta = readKeyMeta(paths.keyMeta);
  const provider = options.provider(meta);
  const lock: DataFolderLock = acquireLock(paths.lock, options.purpose ?? `hearth (pid ${process.pid})`);
  let sqlite: SqliteDatabase | undefined;
  let checkpointer: Checkpointer | undefined;
  try {
    let key: Buffer;
    ({ sqlite, meta, key } = await openWithKey(paths, meta, provider));
    const logger = options.logger ?? fileLogger(paths.logFile);
    const db = createKysely(sqlite);
    const openedSqlite = sqlite;
    const migrated =
      options.migrate === false
        ? (assertNotNewer(await migrationStatus(db, options.migrations)), { applied: [], backupFile: null })
        : await migrateToLatest(
            db,
            async (fromVersion) => {
              mkdirSync(paths.backups, { recursive: true, mode: 0o700 });
              const file = join(paths.backups, `before-migration-v${fromVersion}-${timestamp()}.db`);
              backupDatabase(openedSqlite, file);
              return file;
            },
            options.migrations,
          );
    if (migrated.applied.length > 0) {
      logger.log('info', 'migrated', { applied: migrated.applied.join(','), backup: migrated.backupFile });
    }
    const localActor = await loadLocalActor(db);
    // Lists at 100k rows depend on good plans; the analysis is bounded so a large database opens quickly.
    if (options.optimize) {
      sqlite.pragma('analysis_limit = 400');
      sqlite.pragma('optimize = 0x10002');
    }
    // Checkpoints run in a worker from here on; the WAL file is trimmed back after each reset.
    sqlite.pragma('wal_autocheckpoint = 0');
    sqlite.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    let checkpointKey = key;
    const startCheckpoints = () =>
      startCheckpointer({
        file: paths.database,
        key: checkpointKey,
        // Without the worker, the owner's connection goes back to checkpointing by itself.
        onFailure: () => {
          if (openedSqlite.open) openedSqlite.pragma('wal_autocheckpoint = 1000');
        },
      });
    checkpointer = startCheckpoints();
    const schemaVersion = () => Number(openedSqlite.pragma('user_version', { simple: true }));
    const search = new SearchService({
      sqlite: openedSqlite,
      file: paths.database,
      key: () => checkpointKey,
      schemaVersion,
      logger,
      refresh: options.warmSearch ?? false,
    });
    const dispatcher = createDispatcher({
      db,
      registry: options.registry ?? defaultRegistry,
      logger,
      ...(options.clock ? { clock: options.clock } : {}),
      host: {
        appVersion: APP_VERSION,
        dataDir: paths.dir,
        databaseFile: paths.database,
        keySource: provider.describe(meta),
        schemaVersion,
        search: () => search,
      },
    });
    if (options.warmSearch) {
      search.start(true);
      // Caught up right after each commit, so a query finds the index current.
      dispatcher.onEvent((event) => {
        if (event.type === 'change') void search.catchUp();
      });
    }
    const reminders = options.reminders
      ? startReminders({
          db,
          dispatcher,
          actor: localActor,
          logger,
          ...(options.clock ? { clock: options.clock } : {}),
        })
      : null;
    let closed = false;
    const hearth: Hearth = {
      paths,
      meta,
      provider,
      sqlite: openedSqlite,
      db,
      dispatcher,
      localActor,
      logger,
      reminders,
      schemaVersion,
      search,
      async pauseCheckpoints() {
        await checkpointer?.stop();
        checkpointer = undefined;
      },
      resumeCheckpoints(newKey) {
        if (newKey) checkpointKey = newKey;
        checkpointer ??= startCheckpoints();
      },
      backup(file) {
        backupDatabase(openedSqlite, file);
      },
      async close() {
        if (closed) return;
        closed = true;
        try {
          await reminders?.stop();
          // A one-shot command lets a first index build finish, so the next command loads it.
          await search.close(!options.warmSearch);
          await checkpointer?.stop();
          if (options.optimize && openedSqlite.open) openedSqlite.pragma('optimize');
          // The last connection to close checkpoints what is left and removes the WAL.
          await db.destroy();
        } finally {
          lock.release();
        }
      },
    };
    return hearth;
  } catch (error) {
    await checkpointer?.stop();
    sqlite?.close();
    lock.release();
    throw error;
  }
}

async function loadLocalActor(db: Kysely<DB>): Promise<Actor> {
  const row = await db
    .selectFrom('users')
    .select(['id', 'role'])
    .where('is_local', '=', 1)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .executeTakeFirst();
  if (!row || !isRole(row.role)) throw new HearthError('INTERNAL', 'The data folder has no local user.');
  return { userId: row.id, role: row.role };
}

export function timestamp(date = new Date()): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

/** Runs `PRAGMA integrity_check`; returns the problems SQLite reports (empty when sound). */
export async function integrityCheck(db: Kysely<DB>): Promise<string[]> {
  const result = await sql<{ integrity_check: string }>`PRAGMA integrity_check`.execute(db);
  const lines = result.rows.map((r) => r.integrity_check);
  return lines.length === 1 && lines[0] === 'ok' ? [] : lines;
}
