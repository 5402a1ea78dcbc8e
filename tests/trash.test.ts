import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { noteTitle } from '../src/trash/repository.js';
import { auditFor, makeCompany, makePerson } from './support/items.js';
import { allPages, issuePaths, openRecordsHearth, type TestHearth } from './support/records.js';

let t: TestHearth;

/** One of each kind, deleted in this order (one second apart on the test clock). */
async function fillTrash() {
  const person = await t.call('people.create', {
    firstName: 'Ada',
    lastName: 'Lovelace',
    emails: [{ address: 'ada@example.com' }],
    tags: ['vip'],
  });
  const company = await t.call('companies.create', { name: 'Acme', domains: ['acme.example'] });
  const activity = await t.call('activities.create', { kind: 'meeting' });
  const note = await t.call('notes.create', { body: '## Budget\n\nThey have 10k.' });
  const task = await t.call('tasks.create', { title: 'Send contract' });
  await t.call('people.delete', { id: person.id });
  await t.call('companies.delete', { id: company.id });
  await t.call('activities.delete', { id: activity.id });
  await t.call('notes.delete', { id: note.id });
  await t.call('tasks.delete', { id: task.id });
  return { person, company, activity, note, task };
}

describe('the trash', () => {
  beforeEach(async () => {
    t = await openRecordsHearth();
  });
  afterEach(async () => {
    await t.close();
  });

  it('lists what was deleted, most recent first, with names a person recognises', async () => {
    const { person, task } = await fillTrash();
    await makePerson(t, 'Alive');
    const list = await t.call('trash.list', {});
    expect(list.items.map((i) => [i.entity, i.title])).toEqual([
      ['task', 'Send contract'],
      ['note', 'Budget'],
      ['activity', 'Meeting'],
      ['company', 'Acme'],
      ['person', 'Ada Lovelace'],
    ]);
    expect(list.items[0]).toMatchObject({ id: task.id, deletedAt: expect.any(Number) });
    expect(list.nextCursor).toBeNull();

    const people = await t.call('trash.list', { entity: 'person' });
    expect(people.items.map((i) => i.id)).toEqual([person.id]);
    const paged = await allPages((cursor) => t.call('trash.list', { limit: 2, cursor }));
    expect(paged).toEqual(list.items);
    expect(issuePaths(await t.fail('trash.list', { entity: 'pipeline' }))).toEqual(['entity']);
    expect(issuePaths(await t.fail('trash.list', { cursor: 'x' }))).toEqual(['cursor']);
  });

  it('restores a record as it was, with a new version, audited as a restore', async () => {
    const { task, person } = await fillTrash();
    const restored = await t.call('trash.restore', { entity: 'task', id: task.id });
    expect(restored).toEqual({ entity: 'task', id: task.id, version: 3 });
    const back = await t.call('tasks.get', { id: task.id });
    expect(back).toMatchObject({ title: 'Send contract', deletedAt: null, version: 3 });
    expect((await t.call('tasks.list', { view: 'open' })).items.map((x) => x.id)).toContain(task.id);
    expect(auditFor(t.hearth, task.id).map((e) => e.action)).toEqual(['create', 'delete', 'restore']);

    await t.call('trash.restore', { entity: 'person', id: person.id });
    expect((await t.call('people.get', { id: person.id })).deletedAt).toBeNull();
    expect((await t.call('trash.list', {})).items.map((i) => i.entity)).toEqual(['note', 'activity', 'company']);

    const missing = await t.fail('trash.restore', { entity: 'note', id: '01890000-0000-7000-8000-000000000000' });
    expect(missing.code).toBe('NOT_FOUND');
  });

  it('empties for good: rows, links, tags and emails go; the audit log says so without the contents', async () => {
    const { person, company, note } = await fillTrash();
    // Ada is in the trash but still linked from a live activity; Acme's domain and Ada's email and tag hang off them.
    const live = await t.call('activities.create', { kind: 'call', subject: 'Kept' });
    t.hearth.sqlite
      .prepare("INSERT INTO links (item_type, item_id, record_type, record_id) VALUES ('activity', ?, 'person', ?)")
      .run(live.id, person.id);
    const eventsBefore = t.events.length;

    expect(await t.call('trash.empty', {})).toEqual({ purged: 5 });
    expect((await t.call('trash.list', {})).items).toEqual([]);
    expect(t.count('people') + t.count('companies') + t.count('notes') + t.count('tasks')).toBe(0);
    expect(t.count('activities')).toBe(1);
    expect(t.count('person_emails') + t.count('company_domains') + t.count('record_tags')).toBe(0);
    expect((await t.call('activities.get', { id: live.id })).personIds).toEqual([]);
    expect((await t.fail('people.get', { id: person.id })).code).toBe('NOT_FOUND');

    const purge = auditFor(t.hearth, company.id).at(-1);
    expect(purge).toEqual({ procedure: 'trash.empty', action: 'purge', fields: {} });
    const raw = t.hearth.sqlite.prepare("SELECT diff FROM audit_log WHERE procedure = 'trash.empty'").get() as {
      diff: string;
    };
    expect(raw.diff).not.toContain('Lovelace');
    expect(raw.diff).not.toContain('Budget');
    const announced = t.events.slice(eventsBefore).flatMap((e) => e.changes);
    expect(announced).toContainEqual({ entity: 'note', id: note.id, action: 'purge' });
    // The live activity lost its link to Ada: announced as changed, with a new version.
    expect(announced).toContainEqual({ entity: 'activity', id: live.id, action: 'update', version: 2 });
    expect(announced).toHaveLength(6);
  });

  it('empties one kind only when asked, and takes the links of purged items with them', async () => {
    const person = await makePerson(t, 'Linked');
    const company = await makeCompany(t, 'Linked Co');
    const note = await t.call('notes.create', { body: 'bye', personIds: [person.id], companyIds: [company.id] });
    const task = await t.call('tasks.create', { title: 'stays in the trash' });
    await t.call('notes.delete', { id: note.id });
    await t.call('tasks.delete', { id: task.id });

    expect(await t.call('trash.empty', { entity: 'note' })).toEqual({ purged: 1 });
    expect(t.count('links')).toBe(0);
    expect((await t.call('trash.list', {})).items.map((i) => i.id)).toEqual([task.id]);
    expect(await t.call('trash.empty', { entity: 'note' })).toEqual({ purged: 0 });
  });

  it('records the unlink on each note, task and activity that was linked to a purged person or company', async () => {
    const ada = await makePerson(t, 'Ada');
    const grace = await makePerson(t, 'Grace');
    const acme = await makeCompany(t, 'Acme');
    const note = await t.call('notes.create', {
      body: 'Met at the **conference**.',
      personIds: [ada.id, grace.id],
      companyIds: [acme.id],
    });
    const task = await t.call('tasks.create', { title: 'Follow up', personIds: [ada.id] });
    const binned = await t.call('tasks.create', { title: 'Binned too', personIds: [ada.id] });
    await t.call('tasks.delete', { id: binned.id });
    await t.call('people.delete', { id: ada.id });
    const eventsBefore = t.events.length;

    expect(await t.call('trash.empty', { entity: 'person' })).toEqual({ purged: 1 });

    // The note is still there, without Ada, and at a new version (an edit opened before must not save over it).
    const kept = await t.call('notes.get', { id: note.id });
    expect(kept).toMatchObject({ body: 'Met at the **conference**.', personIds: [grace.id], companyIds: [acme.id] });
    expect(kept.version).toBe(note.version + 1);
    // Its history shows the unlink, by whom and through which call, with ids only.
    expect(auditFor(t.hearth, note.id).at(-1)).toEqual({
      procedure: 'trash.empty',
      action: 'update',
      fields: { personIds: { from: [ada.id, grace.id], to: [grace.id] } },
    });
    const raw = t.hearth.sqlite.prepare("SELECT diff FROM audit_log WHERE procedure = 'trash.empty'").get() as {
      diff: string;
    };
    expect(raw.diff).not.toContain('conference');
    expect(raw.diff).not.toContain('Follow up');
    // A task in the trash loses the link too, and says so.
    expect(auditFor(t.hearth, task.id).at(-1)?.fields).toEqual({ personIds: { from: [ada.id], to: [] } });
    expect(auditFor(t.hearth, binned.id).at(-1)?.fields).toEqual({ personIds: { from: [ada.id], to: [] } });
    expect((await t.call('tasks.get', { id: binned.id })).deletedAt).not.toBeNull();

    // Open windows hear about each changed item.
    const announced = t.events.slice(eventsBefore).flatMap((e) => e.changes);
    expect(announced).toEqual(
      expect.arrayContaining([
        { entity: 'person', id: ada.id, action: 'purge' },
        { entity: 'note', id: note.id, action: 'update', version: kept.version },
        { entity: 'task', id: task.id, action: 'update', version: 2 },
      ]),
    );
    expect(announced).toHaveLength(4);

    // Purging a company does the same for companyIds.
    await t.call('companies.delete', { id: acme.id });
    await t.call('trash.empty', { entity: 'company' });
    expect(auditFor(t.hearth, note.id).at(-1)?.fields).toEqual({ companyIds: { from: [acme.id], to: [] } });
    expect((await t.call('notes.get', { id: note.id })).companyIds).toEqual([]);
  });

  it('lets only an admin empty the trash, while members may restore', async () => {
    const { task } = await fillTrash();
    const member = t.addUser('Member', 'member');
    const forbidden = await t.fail('trash.empty', {}, member);
    expect(forbidden.code).toBe('FORBIDDEN');
    expect(t.count('tasks')).toBe(1);
    await t.call('trash.restore', { entity: 'task', id: task.id }, member);
    const reader = t.addUser('Reader', 'readonly');
    expect((await t.call('trash.list', {}, reader)).items).toHaveLength(4);
    expect((await t.fail('trash.restore', { entity: 'note', id: task.id }, reader)).code).toBe('FORBIDDEN');
  });
});

describe('a note’s title in the trash', () => {
  it('is its first line of text without Markdown marks, shortened', () => {
    expect(noteTitle('\n\n# Heading\nbody')).toBe('Heading');
    expect(noteTitle('- item one\n- item two')).toBe('item one');
    expect(noteTitle('   ')).toBe('Note');
    expect(noteTitle('x'.repeat(120))).toHaveLength(80);
  });
});
