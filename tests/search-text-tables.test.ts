// Global search's SQL side (src/search/text-tables.ts): texts of notes, activities and tasks and the digits of
// phone numbers, from the trigram tables that migration 0009's triggers keep current. Every change here goes
// through the procedures, so the triggers are exercised as the product fires them.
import type { Migration } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../migrations/index.js';
import type { InputOf, ProcedureName } from '../src/api/contract.js';
import { openHearth, type Hearth } from '../src/datafolder/hearth.js';
import { keyFileProvider } from '../src/keys/keyfile.js';
import { phoneSearch, textSearch, type TextHit, type TextType } from '../src/search/text-tables.js';
import { makeDataFolder } from './support/data-folder.js';
import { openRecordsHearth, type TestHearth } from './support/records.js';

const ALL: TextType[] = ['person', 'company', 'note', 'activity', 'task'];

let t: TestHearth;

const text = (words: string[], types: readonly TextType[] = ALL, limit = 20) =>
  textSearch(t.hearth.sqlite, words, types, limit);
const phone = (digits: string, types: readonly TextType[] = ALL, limit = 20) =>
  phoneSearch(t.hearth.sqlite, digits, types, limit);
const ids = (hits: TextHit[]) => hits.map((hit) => hit.id);

describe('text search over notes, activities and tasks', () => {
  beforeEach(async () => {
    t = await openRecordsHearth();
  });
  afterEach(async () => {
    await t.close();
  });

  it('finds a note by a word of its body, accents folded, and follows edits, the trash and purges', async () => {
    const note = await t.call('notes.create', { body: 'Lunch with Herr Müller about the Hamburg office.' });
    await t.call('notes.create', { body: 'Nothing to see.' });
    expect(text(['hamburg'])).toEqual([{ type: 'note', id: note.id, field: 'body' }]);
    expect(ids(text(['muller']))).toEqual([note.id]);
    expect(ids(text(['mül']))).toEqual([note.id]);
    expect(ids(text(['burg', 'lunch']))).toEqual([note.id]);
    expect(ids(text(['burg', 'dinner']))).toEqual([]);

    const edited = await t.call('notes.update', { id: note.id, version: note.version, patch: { body: 'Moved.' } });
    expect(ids(text(['hamburg']))).toEqual([]);
    expect(ids(text(['moved']))).toEqual([note.id]);

    await t.call('notes.delete', { id: edited.id });
    expect(ids(text(['moved']))).toEqual([]);
    await t.call('trash.restore', { entity: 'note', id: edited.id });
    expect(ids(text(['moved']))).toEqual([note.id]);

    const rows = t.count('note_text');
    await t.call('notes.delete', { id: edited.id });
    await t.call('trash.empty', {});
    expect(t.count('note_text')).toBe(rows - 1);
    expect(ids(text(['moved']))).toEqual([]);
  });

  it('names the field the first word is in: an activity subject or body, a task title or body', async () => {
    const meeting = await t.call('activities.create', {
      kind: 'meeting',
      subject: 'Quarterly pricing review',
      body: 'Discussed the renewal with Zoë.',
    });
    const task = await t.call('tasks.create', { title: 'Send contract', body: 'Attach the Ørsted appendix.' });

    expect(text(['pricing'])).toEqual([{ type: 'activity', id: meeting.id, field: 'subject' }]);
    expect(text(['renewal'])).toEqual([{ type: 'activity', id: meeting.id, field: 'body' }]);
    expect(text(['zoe'])).toEqual([{ type: 'activity', id: meeting.id, field: 'body' }]);
    expect(text(['pricing', 'renewal'])).toEqual([{ type: 'activity', id: meeting.id, field: 'subject' }]);
    expect(text(['renewal', 'pricing'])).toEqual([{ type: 'activity', id: meeting.id, field: 'body' }]);
    expect(text(['contract'])).toEqual([{ type: 'task', id: task.id, field: 'title' }]);
    // ø is one of the letters search folds itself (to o): the index holds it folded the same way.
    expect(text(['orsted'])).toEqual([{ type: 'task', id: task.id, field: 'body' }]);
    expect(text(['ørsted'])).toEqual([{ type: 'task', id: task.id, field: 'body' }]);

    await t.call('tasks.update', { id: task.id, version: task.version, patch: { body: 'Nothing attached.' } });
    expect(text(['orsted'])).toEqual([]);
    expect(ids(text(['contract']))).toEqual([task.id]);
    // Only the types asked for.
    expect(text(['pricing'], ['note', 'task'])).toEqual([]);
  });

  it('lists the newest first, at most the limit per type', async () => {
    const made: string[] = [];
    for (let i = 0; i < 4; i++) made.push((await t.call('notes.create', { body: `Invoice number ${i}` })).id);
    const activity = await t.call('activities.create', { kind: 'email', subject: 'Invoice sent' });
    expect(text(['invoice'], ['note', 'activity'], 2)).toEqual([
      { type: 'note', id: made[3], field: 'body' },
      { type: 'note', id: made[2], field: 'body' },
      { type: 'activity', id: activity.id, field: 'subject' },
    ]);
    expect(ids(text(['invoice'], ['activity', 'note'], 3))).toEqual([activity.id, made[3], made[2], made[1]]);
  });

  it('ignores words under three characters and never reads user input as query syntax', async () => {
    const note = await t.call('notes.create', { body: 'He said "hello" twice (loudly) — café* NEAR the door.' });
    expect(ids(text(['hi']))).toEqual([]);
    expect(ids(text(['he', 'twice']))).toEqual([note.id]);
    expect(ids(text([]))).toEqual([]);
    // Quotes and syntax characters are matched as text.
    expect(ids(text(['"hello"']))).toEqual([note.id]);
    expect(ids(text(['(loudly)']))).toEqual([note.id]);
    expect(ids(text(['cafe*']))).toEqual([note.id]);
    expect(ids(text(['near']))).toEqual([note.id]);
    for (const word of [
      '"',
      '""',
      '"*',
      'abc*',
      '*',
      '(',
      ')))',
      'NEAR(',
      'AND',
      'OR NOT',
      '{body}',
      'body:',
      '^abc',
    ]) {
      expect(text([word]), word).toEqual([]);
      expect(phone(word), word).toEqual([]);
    }
    expect(text(['\0\0\0', 'x\0y'])).toEqual([]);
    expect(text(['twice'], ALL, 0)).toEqual([]);
    expect(text(['twice'], ALL, Number.NaN)).toEqual([]);
    expect(ids(text(['twice'], ALL, 1.5))).toEqual([note.id]);
  });

  it('never throws on any input', () => {
    // A fixed pseudo-random walk over the characters FTS5's query syntax gives meaning to, and a few others.
    const alphabet = ['"', '*', '(', ')', ':', '{', '}', '^', '-', '+', ' ', 'NEAR', 'AND', 'OR', 'NOT', '\0', '😀'];
    alphabet.push('é', 'a', '0', '1', ',', '\\', "'", '\uD800');
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    for (let i = 0; i < 500; i++) {
      const word = () =>
        Array.from({ length: 1 + Math.floor(next() * 8) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(
          '',
        );
      const words = Array.from({ length: 1 + Math.floor(next() * 3) }, word);
      expect(() => text(words)).not.toThrow();
      expect(() => phone(words.join(''))).not.toThrow();
    }
  });
});

describe('phone search over people and companies', () => {
  beforeEach(async () => {
    t = await openRecordsHearth();
  });
  afterEach(async () => {
    await t.close();
  });

  it('finds numbers by digits typed at home, internationally or with 00, and follows edits and the trash', async () => {
    // The workspace reads numbers as British (GB), so these are stored as +44 ….
    const ada = await t.call('people.create', {
      firstName: 'Ada',
      lastName: 'Lovelace',
      phones: [{ number: '020 7946 0958', label: 'work' }],
    });
    const babbage = await t.call('people.create', {
      firstName: 'Charles',
      lastName: 'Babbage',
      phones: [{ number: '0161 496 0000' }],
    });
    const grace = await t.call('people.create', {
      firstName: 'Grace',
      lastName: 'Hopper',
      phones: [{ number: '07911 123456', label: 'mobile' }, { number: '+44 20 7946 0111' }],
    });
    const acme = await t.call('companies.create', { name: 'Acme', phone: '020 7946 0500' });
    expect(ada.phones).toEqual([{ number: '+442079460958', label: 'work', primary: true }]);

    expect(phone('020 7946')).toEqual([
      { type: 'person', id: grace.id, field: 'phone' },
      { type: 'person', id: ada.id, field: 'phone' },
      { type: 'company', id: acme.id, field: 'phone' },
    ]);
    expect(ids(phone('+44 20 7946 0958'))).toEqual([ada.id]);
    expect(ids(phone('0044 20 7946 09'))).toEqual([ada.id]);
    expect(ids(phone('0958'))).toEqual([ada.id]);
    // Only the end of a long number is looked up in the index; the rest must match as well.
    expect(ids(phone('0161 7946 0958'))).toEqual([]);
    expect(ids(phone('0161 496 0000'))).toEqual([babbage.id]);
    expect(ids(phone('07911'))).toEqual([grace.id]);
    expect(ids(phone('7946', ['company']))).toEqual([acme.id]);
    expect(ids(phone('20 7946', ['person'], 1))).toEqual([grace.id]);
    // Fewer than three digits, and what is not a number, find nothing.
    expect(phone('20')).toEqual([]);
    expect(phone('0 2')).toEqual([]);
    expect(phone('abc')).toEqual([]);
    // Text search does not look at phones, nor phone search at notes.
    expect(text(['7946'])).toEqual([]);

    await t.call('people.update', {
      id: ada.id,
      version: ada.version,
      patch: { phones: [{ number: '0113 496 0999' }] },
    });
    expect(ids(phone('0958'))).toEqual([]);
    expect(ids(phone('0113 496'))).toEqual([ada.id]);
    // Her name and the list's name filter are still served from the same table.
    const listed = await t.call('people.list', { filter: [{ field: 'name', op: 'contains', value: 'lovel' }] });
    expect(listed.items.map((p) => p.id)).toEqual([ada.id]);

    const updated = await t.call('companies.update', {
      id: acme.id,
      version: acme.version,
      patch: { phone: '0118 496 0123' },
    });
    expect(ids(phone('0500', ['company']))).toEqual([]);
    expect(ids(phone('118 496', ['company']))).toEqual([acme.id]);
    await t.call('companies.delete', { id: updated.id });
    expect(ids(phone('118 496', ['company']))).toEqual([]);
    await t.call('trash.restore', { entity: 'company', id: updated.id });
    expect(ids(phone('118 496', ['company']))).toEqual([acme.id]);

    await t.call('people.delete', { id: grace.id });
    expect(ids(phone('07911'))).toEqual([]);
    const rows = t.count('people_text');
    await t.call('trash.empty', {});
    expect(t.count('people_text')).toBe(rows - 1);
  });
});

/** Writes one of each kind through a Hearth that knows only the migrations before 0009. */
async function seedBefore(hearth: Hearth) {
  const call = async <N extends ProcedureName>(name: N, input: InputOf<N>): Promise<string> => {
    const result = await hearth.dispatcher.call(name, input, hearth.localActor);
    if (!result.ok) throw new Error(result.error.message);
    return (result.value as { id: string }).id;
  };
  const person = await call('people.create', { firstName: 'Ada', phones: [{ number: '020 7946 0958' }] });
  const company = await call('companies.create', { name: 'Acme', phone: '0161 496 0000' });
  const note = await call('notes.create', { body: 'Budget for the Zürich office' });
  const trashed = await call('notes.create', { body: 'Old Zürich plans' });
  await call('notes.delete', { id: trashed });
  const activity = await call('activities.create', { kind: 'call', subject: 'Zurich call', body: 'About budgets' });
  const task = await call('tasks.create', { title: 'Book flights', body: 'To Zürich, for the budget talk' });
  return { person, company, note, trashed, activity, task };
}

it('finds what was written before the upgrade to migration 0009, trashed records still filtered out', async () => {
  const older = Object.keys(migrations).filter((name) => name < '0009');
  const known = Object.fromEntries(older.map((name) => [name, migrations[name]!]));
  const folder = await makeDataFolder(known);
  try {
    const open = (list: Record<string, Migration>) =>
      openHearth({ dir: folder.dir, provider: () => keyFileProvider(folder.keyFile), migrations: list });
    const old = await open(known);
    const made = await seedBefore(old).finally(() => old.close());

    const upgraded = await open(migrations);
    try {
      const sqlite = upgraded.sqlite;
      expect(textSearch(sqlite, ['zurich'], ALL, 20)).toEqual([
        { type: 'note', id: made.note, field: 'body' },
        { type: 'activity', id: made.activity, field: 'subject' },
        { type: 'task', id: made.task, field: 'body' },
      ]);
      expect(ids(textSearch(sqlite, ['budget'], ['activity'], 20))).toEqual([made.activity]);
      expect(phoneSearch(sqlite, '020 7946', ALL, 20)).toEqual([{ type: 'person', id: made.person, field: 'phone' }]);
      expect(phoneSearch(sqlite, '0161', ALL, 20)).toEqual([{ type: 'company', id: made.company, field: 'phone' }]);
      // The trashed note was indexed too: restoring it needs no re-indexing.
      const restored = await upgraded.dispatcher.call(
        'trash.restore',
        { entity: 'note', id: made.trashed },
        upgraded.localActor,
      );
      expect(restored.ok).toBe(true);
      expect(ids(textSearch(sqlite, ['zurich'], ['note'], 20))).toEqual([made.trashed, made.note]);
      expect(sqlite.prepare('SELECT count(*) AS n FROM search_snapshots').get()).toEqual({ n: 0 });
    } finally {
      await upgraded.close();
    }
  } finally {
    folder.cleanup();
  }
});
