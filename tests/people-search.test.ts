// The people list's quick search ("name contains", "email contains") answered from the trigram index.
import { afterEach, expect, it } from 'vitest';
import type { Migration } from 'kysely';
import { migrations } from '../migrations/index.js';
import { openHearth } from '../src/datafolder/hearth.js';
import { keyFileProvider } from '../src/keys/keyfile.js';
import { makeDataFolder } from './support/data-folder.js';
import { openRecordsHearth, type TestHearth } from './support/records.js';

let t: TestHearth | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function names(h: TestHearth, field: 'name' | 'email', value: string): Promise<string[]> {
  const page = await h.call('people.list', { filter: [{ field, op: 'contains', value }], limit: 50 });
  return page.items.map((p) => p.displayName).sort();
}

it('finds people by part of a name in any case and without accents, and follows renames and deletions', async () => {
  t = await openRecordsHearth();
  const muller = await t.call('people.create', { firstName: 'Jürgen', lastName: 'Müller' });
  await t.call('people.create', {
    firstName: 'Anna',
    lastName: 'Zimmermann',
    emails: [{ address: 'anna@zimmer.example' }],
  });
  await t.call('people.create', { firstName: 'Bob', lastName: 'Stone' });

  expect(await names(t, 'name', 'muller')).toEqual(['Jürgen Müller']);
  expect(await names(t, 'name', 'MÜLL')).toEqual(['Jürgen Müller']);
  expect(await names(t, 'name', 'ann')).toEqual(['Anna Zimmermann']);
  expect(await names(t, 'name', 'gen Mül')).toEqual(['Jürgen Müller']);
  expect(await names(t, 'email', 'zimmer.ex')).toEqual(['Anna Zimmermann']);
  // Two characters are below the index's reach and are matched by a scan, the same way.
  expect(await names(t, 'name', 'st')).toEqual(['Bob Stone']);

  const renamed = await t.call('people.update', {
    id: muller.id,
    version: muller.version,
    patch: { lastName: 'Weber' },
  });
  expect(await names(t, 'name', 'muller')).toEqual([]);
  expect(await names(t, 'name', 'webe')).toEqual(['Jürgen Weber']);

  await t.call('people.delete', { id: renamed.id });
  expect(await names(t, 'name', 'webe')).toEqual([]);
  await t.call('people.restore', { id: renamed.id });
  expect(await names(t, 'name', 'webe')).toEqual(['Jürgen Weber']);
  await t.call('people.delete', { id: renamed.id });
  await t.call('trash.empty', {});
  expect(t.count('people_text')).toBe(2);
});

it('keeps finding the people of a folder made before the index became contentless (migration 0003)', async () => {
  const older = ['0001_foundation', '0002_records'];
  const folder = await makeDataFolder(Object.fromEntries(older.map((name) => [name, migrations[name]!])));
  try {
    const open = (known: Record<string, Migration>) =>
      openHearth({ dir: folder.dir, provider: () => keyFileProvider(folder.keyFile), migrations: known });
    const old = await open(Object.fromEntries(older.map((name) => [name, migrations[name]!])));
    const created = await old.dispatcher.call(
      'people.create',
      { firstName: 'Jürgen', lastName: 'Müller' },
      old.localActor,
    );
    expect(created.ok).toBe(true);
    await old.close();

    const upgraded = await open(migrations);
    try {
      const list = async (value: string) => {
        const result = await upgraded.dispatcher.call(
          'people.list',
          { filter: [{ field: 'name', op: 'contains', value }] },
          upgraded.localActor,
        );
        if (!result.ok) throw new Error(result.error.message);
        return (result.value as { items: { displayName: string }[] }).items.map((p) => p.displayName);
      };
      expect(await list('muller')).toEqual(['Jürgen Müller']);
      const stored = upgraded.sqlite.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'people_text'`).get() as {
        sql: string;
      };
      expect(stored.sql).toContain('contentless_delete');
      // Edits after the upgrade follow through the new table's triggers.
      await upgraded.dispatcher.call('people.create', { firstName: 'Anna', lastName: 'Mullins' }, upgraded.localActor);
      expect((await list('mull')).sort()).toEqual(['Anna Mullins', 'Jürgen Müller']);
    } finally {
      await upgraded.close();
    }
  } finally {
    folder.cleanup();
  }
});
