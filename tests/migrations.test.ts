import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql, type Kysely, type Migration } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, migrations } from '../migrations/index.js';
import { type HearthError } from '../src/api/errors.js';
import { createKysely, openDatabase } from '../src/db/connection.js';
import { migrationStatus } from '../src/db/migrate.js';
import { openHearth, type Hearth } from '../src/datafolder/hearth.js';
import { keyFileProvider } from '../src/keys/keyfile.js';
import { makeDataFolder, openTestHearth, type TempFolder } from './support/data-folder.js';
import { snapshot } from './support/files.js';

let folder: TempFolder | undefined;
let hearth: Hearth | undefined;
afterEach(async () => {
  await hearth?.close();
  hearth = undefined;
  folder?.cleanup();
});

const keyOf = (f: TempFolder) => Buffer.from(readFileSync(f.keyFile, 'utf8').trim(), 'hex');

const addNotes: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('test_notes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .execute();
  },
};

const failing: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    await db.schema.createTable('half_done').addColumn('id', 'text').execute();
    throw new Error('boom');
  },
};

function openWith(f: TempFolder, extra: Record<string, Migration>) {
  return openHearth({
    dir: f.dir,
    provider: () => keyFileProvider(f.keyFile),
    migrations: { ...migrations, ...extra },
  });
}

async function tableNames(h: Hearth): Promise<string[]> {
  const rows = await sql<{ name: string }>`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`.execute(
    h.db,
  );
  return rows.rows.map((r) => r.name);
}

describe('migrations', () => {
  it('take a new data folder from empty to the latest schema', async () => {
    folder = await makeDataFolder();
    hearth = await openTestHearth(folder);
    const status = await migrationStatus(hearth.db);
    expect(status.pending).toEqual([]);
    expect(status.applied.map((m) => m.name)).toEqual(Object.keys(migrations));
    expect(hearth.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    expect(await tableNames(hearth)).toEqual(expect.arrayContaining(['audit_log', 'meta', 'settings', 'users']));
    // Nothing to back up in a fresh folder.
    expect(existsSync(join(folder.dir, 'backups'))).toBe(false);
  });

  it('back up the database, encrypted, before applying a pending migration', async () => {
    folder = await makeDataFolder();
    hearth = await openWith(folder, { '9001_test_notes': addNotes });
    expect(hearth.schemaVersion()).toBe(LATEST_SCHEMA_VERSION + 1);
    expect(await tableNames(hearth)).toContain('test_notes');
    const backups = readdirSync(join(folder.dir, 'backups'));
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatch(new RegExp(`^before-migration-v${LATEST_SCHEMA_VERSION}-.*\\.db$`));
    const backupFile = join(folder.dir, 'backups', backups[0]!);
    expect(readFileSync(backupFile).subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
    // The backup holds the schema as it was, and opens with the folder's key.
    const copy = createKysely(openDatabase({ file: backupFile, key: keyOf(folder) }));
    const status = await migrationStatus(copy);
    expect(status.applied.map((m) => m.name)).toEqual(Object.keys(migrations));
    await copy.destroy();
  });

  it('roll a failed migration back completely and report it', async () => {
    folder = await makeDataFolder();
    const error = await openWith(folder, { '9001_test_notes': addNotes, '9002_failing': failing }).then(
      () => null,
      (e: unknown) => e as HearthError,
    );
    expect(error?.code).toBe('INTERNAL');
    expect(error?.message).toContain(
      `9002_failing failed and was rolled back; the database is at schema ${LATEST_SCHEMA_VERSION + 1}`,
    );
    hearth = await openWith(folder, { '9001_test_notes': addNotes });
    const status = await migrationStatus(hearth.db, { ...migrations, '9001_test_notes': addNotes });
    expect(status.applied.map((m) => m.name)).toEqual([...Object.keys(migrations), '9001_test_notes']);
    expect(await tableNames(hearth)).not.toContain('half_done');
  });

  it('refuse a database written by a newer Hearth, changing nothing', async () => {
    folder = await makeDataFolder();
    hearth = await openWith(folder, { '9001_test_notes': addNotes });
    await hearth.close();
    hearth = undefined;
    const before = snapshot(folder.dir);
    const error = await openTestHearth(folder).then(
      () => null,
      (e: unknown) => e as HearthError,
    );
    expect(error?.code).toBe('SCHEMA_TOO_NEW');
    expect(error?.message).toMatch(/newer Hearth/);
    expect(snapshot(folder.dir)).toEqual(before);
  });
});
