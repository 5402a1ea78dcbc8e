import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Note } from '../src/notes/repository.js';
import { auditFor, makeCompany, makePerson } from './support/items.js';
import { allPages, issuePaths, openRecordsHearth, type TestHearth } from './support/records.js';

let t: TestHearth;

beforeAll(async () => {
  t = await openRecordsHearth();
});
afterAll(async () => {
  await t.close();
});

describe('notes', () => {
  it('keeps the Markdown exactly as written, with its author as owner', async () => {
    const ada = await makePerson(t, 'Ada');
    const body =
      '# Call notes\n\n- wants **annual** billing\n- <script>alert(1)</script> stays text for the renderer\n';
    const note = await t.call('notes.create', { body, personIds: [ada.id] });
    expect(note).toMatchObject({
      body,
      personIds: [ada.id],
      companyIds: [],
      dealIds: [],
      ownerId: t.actor.userId,
      version: 1,
    });
    expect(await t.call('notes.get', { id: note.id })).toEqual(note);
  });

  it('refuses an empty or oversized body and unknown links, naming the field', async () => {
    expect(issuePaths(await t.fail('notes.create', { body: '  \n ' }))).toEqual(['body']);
    expect(issuePaths(await t.fail('notes.create', { body: 'x'.repeat(100_001) }))).toEqual(['body']);
    expect(issuePaths(await t.fail('notes.create', {}))).toEqual(['body']);
    const links = await t.fail('notes.create', {
      body: 'hi',
      companyIds: ['01890000-0000-7000-8000-000000000000'],
      personIds: ['not-an-id'],
    });
    expect(issuePaths(links)).toEqual(['personIds.0']);
    const missing = await t.fail('notes.create', { body: 'hi', companyIds: ['01890000-0000-7000-8000-000000000000'] });
    expect(issuePaths(missing)).toEqual(['companyIds.0']);
  });

  it('edits with the version read; a stale one gets CONFLICT with the current note', async () => {
    const note = await t.call('notes.create', { body: 'v1' });
    const edited = await t.call('notes.update', { id: note.id, version: 1, patch: { body: 'v2' } });
    expect(edited).toMatchObject({ version: 2, body: 'v2' });
    expect(edited.updatedAt).toBeGreaterThan(note.updatedAt);

    const conflict = await t.fail('notes.update', { id: note.id, version: 1, patch: { body: 'mine' } });
    expect(conflict.code).toBe('CONFLICT');
    expect((conflict.details as { current: Note }).current).toEqual(edited);

    expect(auditFor(t.hearth, note.id).map((e) => e.fields?.body)).toEqual([{ to: 'v1' }, { from: 'v1', to: 'v2' }]);
  });

  it('relinks a note and lists notes by the record they are about, newest first', async () => {
    const acme = await makeCompany(t, 'Acme Notes');
    const first = await t.call('notes.create', { body: 'first', companyIds: [acme.id] });
    const second = await t.call('notes.create', { body: 'second' });
    const third = await t.call('notes.create', { body: 'third', companyIds: [acme.id] });
    await t.call('notes.update', { id: second.id, version: 1, patch: { companyIds: [acme.id] } });

    const filter = [{ field: 'companyId', op: 'eq' as const, value: acme.id }];
    const about = await t.call('notes.list', { filter });
    expect(about.items.map((n) => n.body)).toEqual(['third', 'second', 'first']);
    const paged = await allPages((cursor) => t.call('notes.list', { filter, limit: 1, cursor }));
    expect(paged.map((n) => n.id)).toEqual([third.id, second.id, first.id]);

    const oldest = await t.call('notes.list', { filter, sort: [{ field: 'createdAt', dir: 'asc' }] });
    expect(oldest.items[0]?.id).toBe(first.id);
    const search = await t.call('notes.list', { filter: [...filter, { field: 'body', op: 'contains', value: 'ir' }] });
    expect(search.items.map((n) => n.body)).toEqual(['third', 'first']);
  });

  it('accepts links sent back as read even when one of those people has gone to the trash since', async () => {
    const stays = await makePerson(t, 'Stays');
    const leaves = await makePerson(t, 'Leaves');
    const note = await t.call('notes.create', { body: 'about both', personIds: [stays.id, leaves.id] });
    await t.call('people.delete', { id: leaves.id });
    const edited = await t.call('notes.update', {
      id: note.id,
      version: 1,
      patch: { body: 'still about both', personIds: note.personIds },
    });
    expect(edited.personIds.sort()).toEqual([stays.id, leaves.id].sort());
    // Adding someone from the trash is still refused.
    const other = await makePerson(t, 'Other');
    await t.call('people.delete', { id: other.id });
    const refused = await t.fail('notes.update', {
      id: note.id,
      version: 2,
      patch: { personIds: [...note.personIds, other.id] },
    });
    expect(issuePaths(refused)).toEqual(['patch.personIds.2']);
  });

  it('deletes to the trash; a trashed note cannot be edited until restored', async () => {
    const note = await t.call('notes.create', { body: 'to be binned' });
    const deleted = await t.call('notes.delete', { id: note.id });
    expect(deleted.deletedAt).not.toBeNull();
    expect((await t.call('notes.delete', { id: note.id })).version).toBe(deleted.version);

    const edit = await t.fail('notes.update', { id: note.id, version: deleted.version, patch: { body: 'x' } });
    expect(edit.code).toBe('NOT_FOUND');
    const list = await t.call('notes.list', { limit: 500 });
    expect(list.items.map((n) => n.id)).not.toContain(note.id);

    await t.call('trash.restore', { entity: 'note', id: note.id });
    const back = await t.call('notes.update', { id: note.id, version: deleted.version + 1, patch: { body: 'kept' } });
    expect(back).toMatchObject({ body: 'kept', deletedAt: null });
  });
});
