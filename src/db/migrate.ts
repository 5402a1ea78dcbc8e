// Forward-only migrations: refuse a newer database, back up before changing an existing one.
import { sql, type Kysely, type Migration } from 'kysely';
import { migrations } from '../../migrations/index.js';
import { HearthError } from '../api/errors.js';
import type { DB } from './schema.js';

const MIGRATION_TABLE = 'kysely_migration';

export interface MigrationStatus {
  applied: Array<{ name: string; appliedAt: number | null }>;
  pending: string[];
  /** Applied by a newer Hearth: this build does not know them. */
  unknown: string[];
  schemaVersion: number;
  latestSchemaVersion: number;
}

type MigrationSet = Readonly<Record<string, Migration>>;

export async function migrationStatus(db: Kysely<DB>, known: MigrationSet = migrations): Promise<MigrationStatus> {
  const table = await sql<{
    n: number;
  }>`SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name = ${MIGRATION_TABLE}`.execute(db);
  let applied: MigrationStatus['applied'] = [];
  if ((table.rows[0]?.n ?? 0) > 0) {
    const rows = await sql<{
      name: string;
      timestamp: string;
    }>`SELECT name, timestamp FROM ${sql.table(MIGRATION_TABLE)} ORDER BY name`.execute(db);
    applied = rows.rows.map((r) => ({
      name: r.name,
      appliedAt: Number.isNaN(Date.parse(r.timestamp)) ? null : Date.parse(r.timestamp),
    }));
  }
  const appliedNames = new Set(applied.map((a) => a.name));
  const knownNames = Object.keys(known).sort();
  const userVersion = await sql<{ user_version: number }>`PRAGMA user_version`.execute(db);
  return {
    applied,
    pending: knownNames.filter((n) => !appliedNames.has(n)),
    unknown: applied.map((a) => a.name).filter((n) => !(n in known)),
    schemaVersion: userVersion.rows[0]?.user_version ?? 0,
    latestSchemaVersion: knownNames.length,
  };
}

export function assertNotNewer(status: MigrationStatus): void {
  if (status.unknown.length > 0 || status.schemaVersion > status.latestSchemaVersion) {
    throw new HearthError(
      'SCHEMA_TOO_NEW',
      `This data folder was written by a newer Hearth (schema ${status.schemaVersion}, this app knows ${status.latestSchemaVersion}). Update Hearth to open it; nothing was changed.`,
      { schemaVersion: status.schemaVersion, latestSchemaVersion: status.latestSchemaVersion, unknown: status.unknown },
    );
  }
}

export interface MigrateResult {
  applied: string[];
  backupFile: string | null;
}

/**
 * Applies pending migrations in order, each in its own transaction together with its bookkeeping row and
 * the schema version, so a failure leaves the database exactly at the last good version. `backup` runs
 * first when the database already holds data, so a regretted migration can be undone with `hearth restore`.
 * (Kysely's Migrator skips transactions on SQLite, which does support transactional DDL; hence this loop.)
 */
export async function migrateToLatest(
  db: Kysely<DB>,
  backup: (fromVersion: number) => Promise<string>,
  known: MigrationSet = migrations,
): Promise<MigrateResult> {
  const status = await migrationStatus(db, known);
  assertNotNewer(status);
  if (status.pending.length === 0) return { applied: [], backupFile: null };
  const backupFile = status.applied.length > 0 ? await backup(status.schemaVersion) : null;
  await sql`CREATE TABLE IF NOT EXISTS ${sql.table(MIGRATION_TABLE)} (name varchar(255) NOT NULL PRIMARY KEY, timestamp varchar(255) NOT NULL)`.execute(
    db,
  );
  const applied: string[] = [];
  let version = status.applied.length;
  for (const name of status.pending) {
    const migration = known[name]!;
    try {
      await db.transaction().execute(async (trx) => {
        await migration.up(trx as unknown as Kysely<unknown>);
        await sql`INSERT INTO ${sql.table(MIGRATION_TABLE)} (name, timestamp) VALUES (${name}, ${new Date().toISOString()})`.execute(
          trx,
        );
        await sql`PRAGMA user_version = ${sql.raw(String(version + 1))}`.execute(trx);
      });
    } catch (error) {
      throw new HearthError(
        'INTERNAL',
        `Migration ${name} failed and was rolled back; the database is at schema ${version}.${backupFile ? ` A backup from before is at ${backupFile}.` : ''}`,
        { migration: name, backupFile, cause: error instanceof Error ? error.name : 'unknown' },
      );
    }
    version += 1;
    applied.push(name);
  }
  return { applied, backupFile };
}
