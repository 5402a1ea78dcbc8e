import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeFor, type TimelineItem } from '../src/timeline/procedures.js';
import { makeCompany, makePerson } from './support/items.js';
import { allPages, issuePaths, openRecordsHearth, START, type TestHearth } from './support/records.js';

let t: TestHearth;

beforeAll(async () => {
  t = await openRecordsHearth();
});
afterAll(async () => {
  await t.close();
});

const DAY = 86_400_000;

/** An item as a short label, so expectations read like the timeline a user sees. */
function label(item: TimelineItem): string {
  switch (item.type) {
    case 'activity':
      return `activity:${item.activity.subject}`;
    case 'note':
      return `note:${item.note.body}`;
    case 'task':
      return `task:${item.task.title}`;
    case 'deal':
      return `deal:${item.deal.title}`;
    case 'change':
      return `change:${item.change.action}:${item.change.fields.map((f) => f.field).join(',')}`;
  }
}

async function timeline(entity: 'person' | 'company', id: string, limit = 200) {
  const page = await t.call('timeline.get', { entity, id, limit });
  return page.items;
}

describe('timeline.get', () => {
  it("merges a person's activities, notes, tasks and changes, newest first", async () => {
    const ada = await makePerson(t, 'Ada', 'Lovelace');
    const other = await makePerson(t, 'Someone', 'Else');
    // Logged today about a call last week: it sits a week back on the timeline.
    await t.call('activities.create', {
      kind: 'call',
      subject: 'Last week',
      occurredAt: START - 7 * DAY,
      personIds: [ada.id],
    });
    await t.call('notes.create', { body: 'Prefers email', personIds: [ada.id] });
    // A task sits where it was set, not where it is due.
    await t.call('tasks.create', { title: 'Follow up', dueAt: START + 30 * DAY, personIds: [ada.id] });
    await t.call('people.update', { id: ada.id, version: 1, patch: { firstName: 'Augusta Ada' } });
    const binned = await t.call('activities.create', { kind: 'email', subject: 'Binned', personIds: [ada.id] });
    await t.call('activities.delete', { id: binned.id });
    await t.call('notes.create', { body: 'About someone else', personIds: [other.id] });

    const items = await timeline('person', ada.id);
    expect(items.map(label)).toEqual([
      'change:update:firstName',
      'task:Follow up',
      'note:Prefers email',
      expect.stringMatching(/^change:create:/),
      'activity:Last week',
    ]);
    const times = items.map((i) => i.at);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(items.at(-1)?.at).toBe(START - 7 * DAY);

    const rename = items[0] as Extract<TimelineItem, { type: 'change' }>;
    expect(rename.change).toMatchObject({
      actorId: t.actor.userId,
      actorName: 'Test Admin',
      procedure: 'people.update',
      action: 'update',
      fields: [{ field: 'firstName', from: 'Ada', to: 'Augusta Ada' }],
    });
    const created = items.at(-2) as Extract<TimelineItem, { type: 'change' }>;
    expect(created.change.fields).toContainEqual({ field: 'lastName', to: 'Lovelace' });
  });

  it("shows on a company's timeline what is linked to it or to its people, each once", async () => {
    const acme = await makeCompany(t, 'Acme Timeline');
    const elsewhere = await makeCompany(t, 'Elsewhere');
    const grace = await t.call('people.create', { firstName: 'Grace', companies: [{ companyId: acme.id }] });
    const gone = await t.call('people.create', { firstName: 'Gone', companies: [{ companyId: acme.id }] });
    await t.call('activities.create', {
      kind: 'meeting',
      subject: 'Both',
      personIds: [grace.id],
      companyIds: [acme.id],
    });
    await t.call('notes.create', { body: 'Via Grace', personIds: [grace.id] });
    await t.call('tasks.create', { title: 'Company task', companyIds: [acme.id] });
    await t.call('notes.create', { body: 'Other company', companyIds: [elsewhere.id] });
    await t.call('notes.create', { body: 'Via a trashed person', personIds: [gone.id] });
    await t.call('people.delete', { id: gone.id });

    const items = await timeline('company', acme.id);
    expect(items.map(label)).toEqual([
      'task:Company task',
      'note:Via Grace',
      'activity:Both',
      expect.stringMatching(/^change:create:/),
    ]);
    // The people's own changes stay on their own timelines.
    expect(items.filter((i) => i.type === 'change')).toHaveLength(1);
  });

  it('pages through ties in time without losing or repeating an item', async () => {
    const lin = await makePerson(t, 'Lin');
    const at = START + 100 * DAY;
    for (let i = 0; i < 4; i++) {
      await t.call('activities.create', { kind: 'call', subject: `A${i}`, occurredAt: at, personIds: [lin.id] });
    }
    for (let i = 0; i < 3; i++) {
      t.clock.now = at;
      await t.call('notes.create', { body: `N${i}`, personIds: [lin.id] });
    }
    t.clock.now = at;
    await t.call('tasks.create', { title: 'T', personIds: [lin.id] });
    t.clock.now = START + 200 * DAY;

    const whole = await timeline('person', lin.id);
    expect(whole).toHaveLength(9);
    expect(whole.slice(0, 8).every((i) => i.at === at)).toBe(true);
    for (const limit of [1, 2, 3, 5]) {
      const paged = await allPages(async (cursor) => {
        const page = await t.call('timeline.get', { entity: 'person', id: lin.id, limit, cursor });
        return { ...page, items: page.items.map((item) => ({ ...item, id: label(item) })) };
      });
      expect(paged.map((i) => i.id)).toEqual(whole.map(label));
    }
  });

  it('answers NOT_FOUND for a record that does not exist, and for deals until deals exist', async () => {
    const missing = '01890000-0000-7000-8000-000000000000';
    expect((await t.fail('timeline.get', { entity: 'person', id: missing })).code).toBe('NOT_FOUND');
    expect((await t.fail('timeline.get', { entity: 'deal', id: missing })).code).toBe('NOT_FOUND');
    const person = await makePerson(t, 'Cursor');
    expect(issuePaths(await t.fail('timeline.get', { entity: 'person', id: person.id, cursor: 'nonsense' }))).toEqual([
      'cursor',
    ]);
    expect(issuePaths(await t.fail('timeline.get', { entity: 'person', id: person.id, limit: 201 }))).toEqual([
      'limit',
    ]);
  });

  it('still shows the history of a person in the trash', async () => {
    const person = await makePerson(t, 'Trashed');
    await t.call('people.delete', { id: person.id });
    const items = await timeline('person', person.id);
    expect(items.map((i) => (i.type === 'change' ? i.change.action : i.type))).toEqual(['delete', 'create']);
  });
});

describe('changeFor', () => {
  const entry = (diff: unknown) => ({
    id: 'e1',
    at: 1,
    actor_id: null,
    actor_name: null,
    procedure: 'people.update',
    diff: diff === null ? null : JSON.stringify(diff),
  });

  it('leaves out updates that changed no shown field, redacted entries and entries for other records', () => {
    expect(changeFor(entry([{ entity: 'person', id: 'p1', action: 'update', fields: {} }]), 'p1')).toBeNull();
    expect(changeFor(entry(null), 'p1')).toBeNull();
    expect(changeFor(entry([{ entity: 'person', id: 'p2', action: 'create', fields: {} }]), 'p1')).toBeNull();
    expect(changeFor(entry([{ entity: 'person', id: 'p1', action: 'purge', fields: {} }]), 'p1')).toMatchObject({
      action: 'purge',
      fields: [],
    });
  });
});
