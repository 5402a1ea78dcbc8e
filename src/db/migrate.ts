// Forward-only migrations: refuse a newer database, back up before changing an existing one.
import { Migrator, sql, type Kysely } from 'kysely';
import { LATEST_SCHEMA_VERSION, migrations } from '../../migrations/index.js';
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

export async function migrationStatus(db: Kysely<DB>): Promise<MigrationStatus> {
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
  const known = Object.keys(migrations).sort();
  const userVersion = await sql<{ user_version: number }>`PRAGMA user_version`.execute(db);
  return {
    applied,
    pending: known.filter((n) => !appliedNames.has(n)),
    unknown: applied.map((a) => a.name).filter((n) => !(n in migrations)),
    schemaVersion: userVersion.rows[0]?.user_version ?? 0,
    latestSchemaVersion: LATEST_SCHEMA_VERSION,
  };
}

export function assertNotNewer(status: MigrationStatus): void {
  if (status.unknown.length > 0 || status.schemaVersion > LATEST_SCHEMA_VERSION) {
    throw new HearthError(
      'SCHEMA_TOO_NEW',
      `This data folder was written by a newer Hearth (schema ${status.schemaVersion}, this app knows ${LATEST_SCHEMA_VERSION}). Update Hearth to open it; nothing was changed.`,
      { schemaVersion: status.schemaVersion, latestSchemaVersion: LATEST_SCHEMA_VERSION, unknown: status.unknown },
    );
  }
}

export interface MigrateResult {
  applied: string[];
  backupFile: string | null;
}

/**
 * Applies pending migrations in one transaction. `backup` runs first when the database already holds
 * data, so a failed or regretted migration can be undone with `hearth restore`.
 */
export async function migrateToLatest(
  db: Kysely<DB>,
  backup: (fromVersion: number) => Promise<string>,
): Promise<MigrateResult> {
  const status = await migrationStatus(db);
  assertNotNewer(status);
  if (status.pending.length === 0) return { applied: [], backupFile: null };
  const backupFile = status.applied.length > 0 ? await backup(status.schemaVersion) : null;
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new HearthError('INTERNAL', `Migration ${failed} failed; the database was left as it was.`, { backupFile });
  }
  await sql`PRAGMA user_version = ${sql.raw(String(LATEST_SCHEMA_VERSION))}`.execute(db);
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName), backupFile };
}
