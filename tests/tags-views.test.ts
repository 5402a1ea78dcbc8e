import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutputOf } from '../src/api/contract.js';
import { issuePaths, openRecordsHearth, type TestHearth } from './support/records.js';

let t: TestHearth;
beforeEach(async () => {
  t = await openRecordsHearth();
});
afterEach(async () => {
  await t.close();
});

type Tag = OutputOf<'tags.list'>['items'][number];
const MISSING = '01900000-0000-7000-8000-000000000000';

async function tags(entity?: 'person' | 'company' | 'deal'): Promise<Tag[]> {
  return (await t.call('tags.list', entity ? { entity } : {})).items;
}
async function tagId(name: string): Promise<string> {
  const tag = (await tags()).find((x) => x.name === name);
  if (!tag) throw new Error(`no tag ${name}`);
  return tag.id;
}
const tagsOf = async (id: string) => (await t.call('people.get', { id })).tags;

describe('tags.list', () => {
  it('counts the live people, companies and deals carrying each tag', async () => {
    await t.call('people.create', { firstName: 'Ada', tags: ['VIP', 'Math'] });
    const grace = await t.call('people.create', { firstName: 'Grace', tags: ['vip', 'Navy'] });
    await t.call('companies.create', { name: 'Acme', tags: ['VIP'] });
    await t.call('deals.create', { title: 'Engine', tags: ['Navy'] });
    await t.call('people.delete', { id: grace.id });

    expect((await tags()).map((x) => [x.name, x.counts])).toEqual([
      ['Math', { person: 1, company: 0, deal: 0 }],
      ['Navy', { person: 0, company: 0, deal: 1 }],
      ['VIP', { person: 1, company: 1, deal: 0 }],
    ]);
    expect((await tags('person')).map((x) => x.name)).toEqual(['Math', 'VIP']);
    expect((await tags('company')).map((x) => x.name)).toEqual(['VIP']);
    expect((await tags('deal')).map((x) => x.name)).toEqual(['Navy']);

    await t.call('people.restore', { id: grace.id });
    expect((await tags('person')).map((x) => [x.name, x.counts.person])).toEqual([
      ['Math', 1],
      ['Navy', 1],
      ['VIP', 2],
    ]);
  });
});

describe('tags.rename', () => {
  it('renames a tag on every record, and refuses a name another tag has', async () => {
    const ada = await t.call('people.create', { firstName: 'Ada', tags: ['VIP', 'Math'] });
    const acme = await t.call('companies.create', { name: 'Acme', tags: ['VIP'] });
    const vip = await tagId('VIP');

    const renamed = await t.call('tags.rename', { id: vip, name: '  Key   account ' });
    expect(renamed).toMatchObject({
      id: vip,
      name: 'Key account',
      version: 2,
      counts: { person: 1, company: 1, deal: 0 },
    });
    expect(await tagsOf(ada.id)).toEqual(['Key account', 'Math']);
    expect((await t.call('companies.get', { id: acme.id })).tags).toEqual(['Key account']);
    const found = await t.call('people.list', { filter: [{ field: 'tag', op: 'eq', value: 'key account' }] });
    expect(found.items.map((p) => p.id)).toEqual([ada.id]);
    expect(t.auditCount('tags.rename')).toBe(1);
    expect(t.events.at(-1)!.changes).toEqual([{ entity: 'tag', id: vip, action: 'update', version: 2 }]);

    const clash = await t.fail('tags.rename', { id: vip, name: 'MATH' });
    expect(clash.code).toBe('VALIDATION');
    expect(issuePaths(clash)).toEqual(['name']);
    // Changing only the case of its own name is fine.
    expect((await t.call('tags.rename', { id: vip, name: 'KEY ACCOUNT' })).name).toBe('KEY ACCOUNT');

    expect((await t.fail('tags.rename', { id: MISSING, name: 'X' })).code).toBe('NOT_FOUND');
    expect(issuePaths(await t.fail('tags.rename', { id: vip, name: '   ' }))).toEqual(['name']);
    const readonly = { userId: t.actor.userId, role: 'readonly' as const };
    expect((await t.fail('tags.rename', { id: vip, name: 'Y' }, readonly)).code).toBe('FORBIDDEN');
  });
});

describe('tags.merge', () => {
  it('moves every use onto the target, once per record, and removes the sources', async () => {
    const ada = await t.call('people.create', { firstName: 'Ada', tags: ['Customer', 'Client'] });
    const grace = await t.call('people.create', { firstName: 'Grace', tags: ['Client'] });
    const alan = await t.call('people.create', { firstName: 'Alan', tags: ['Customers', 'Other'] });
    const acme = await t.call('companies.create', { name: 'Acme', tags: ['Customers'] });
    const target = await tagId('Customer');

    const merged = await t.call('tags.merge', {
      sourceIds: [await tagId('Client'), await tagId('Customers')],
      targetId: target,
    });
    expect(merged).toMatchObject({ id: target, name: 'Customer', counts: { person: 3, company: 1, deal: 0 } });
    expect(await tagsOf(ada.id)).toEqual(['Customer']);
    expect(await tagsOf(grace.id)).toEqual(['Customer']);
    expect(await tagsOf(alan.id)).toEqual(['Customer', 'Other']);
    expect((await t.call('companies.get', { id: acme.id })).tags).toEqual(['Customer']);
    expect((await tags()).map((x) => x.name)).toEqual(['Customer', 'Other']);
    expect(t.auditCount('tags.merge')).toBe(1);
    expect(
      t.events
        .at(-1)!
        .changes.map((c) => c.action)
        .sort(),
    ).toEqual(['delete', 'delete', 'update']);

    const unknown = await t.fail('tags.merge', { sourceIds: [MISSING], targetId: target });
    expect(issuePaths(unknown)).toEqual(['sourceIds.0']);
    const noTarget = await t.fail('tags.merge', { sourceIds: [target], targetId: MISSING });
    expect(issuePaths(noTarget)).toEqual(['targetId']);
  });
});

describe('tags.delete', () => {
  it('takes the tag off every record', async () => {
    const ada = await t.call('people.create', { firstName: 'Ada', tags: ['Cold', 'Keep'] });
    const acme = await t.call('companies.create', { name: 'Acme', tags: ['cold'] });
    const cold = await tagId('Cold');
    expect(await t.call('tags.delete', { id: cold })).toEqual({ id: cold, deleted: true });
    expect(await tagsOf(ada.id)).toEqual(['Keep']);
    expect((await t.call('companies.get', { id: acme.id })).tags).toEqual([]);
    expect((await tags()).map((x) => x.name)).toEqual(['Keep']);
    const found = await t.call('people.list', { filter: [{ field: 'tag', op: 'eq', value: 'Cold' }] });
    expect(found.items).toEqual([]);
    expect(t.auditCount('tags.delete')).toBe(1);
    expect((await t.fail('tags.delete', { id: cold })).code).toBe('NOT_FOUND');
    // Using the name again makes a new tag.
    expect((await t.call('people.update', { id: ada.id, version: 1, patch: { tags: ['Cold'] } })).tags).toEqual([
      'Cold',
    ]);
    expect(await tagId('Cold')).not.toBe(cold);
  });
});

describe('saved views', () => {
  const vipView = {
    entity: 'person' as const,
    name: 'VIPs',
    filter: [{ field: 'tag', op: 'eq' as const, value: 'VIP' }],
    sort: [{ field: 'lastName', dir: 'asc' as const }],
    columns: ['name', 'email', 'tags'],
  };

  it('are saved, listed, updated with their version and deleted', async () => {
    const view = await t.call('views.save', vipView);
    expect(view).toMatchObject({ ...vipView, version: 1, shared: false, ownerId: t.actor.userId });
    expect((await t.call('views.list', { entity: 'person' })).items).toEqual([view]);
    expect((await t.call('views.list', { entity: 'company' })).items).toEqual([]);

    const updated = await t.call('views.save', {
      ...vipView,
      id: view.id,
      version: 1,
      name: 'Important people',
      filter: [...vipView.filter, { field: 'lifecycleStage', op: 'in', value: ['customer', 'prospect'] }],
      shared: true,
    });
    expect(updated).toMatchObject({ id: view.id, version: 2, name: 'Important people', shared: true });
    expect(updated.filter).toHaveLength(2);

    const stale = await t.fail('views.save', { ...vipView, id: view.id, version: 1, name: 'Stale' });
    expect(stale.code).toBe('CONFLICT');
    expect((stale.details as { current: unknown }).current).toEqual(updated);
    const noVersion = await t.fail('views.save', { ...vipView, id: view.id });
    expect(issuePaths(noVersion)).toEqual(['version']);

    expect(await t.call('views.delete', { id: view.id })).toEqual({ id: view.id, deleted: true });
    expect((await t.call('views.list', { entity: 'person' })).items).toEqual([]);
    expect((await t.fail('views.delete', { id: view.id })).code).toBe('NOT_FOUND');
    for (const procedure of ['views.save', 'views.delete']) expect(t.auditCount(procedure)).toBeGreaterThan(0);
    expect(t.auditCount('views.save')).toBe(2);
  });

  it('are refused when the list would refuse their filter or sort', async () => {
    await t.call('fields.create', { entity: 'person', label: 'Score', type: 'number' });
    const unknown = await t.fail('views.save', { ...vipView, filter: [{ field: 'shoeSize', op: 'eq', value: 1 }] });
    expect(unknown.code).toBe('VALIDATION');
    expect(issuePaths(unknown)).toEqual(['filter.0.field']);
    const op = await t.fail('views.save', {
      ...vipView,
      filter: [{ field: 'custom.score', op: 'contains', value: 1 }],
    });
    expect(issuePaths(op)).toEqual(['filter.0.op']);
    const sort = await t.fail('views.save', { ...vipView, sort: [{ field: 'custom.nope', dir: 'asc' }] });
    expect(issuePaths(sort)).toEqual(['sort.0.field']);
    // A company field is not a person field.
    const company = await t.fail('views.save', { ...vipView, entity: 'company' });
    expect(issuePaths(company)).toEqual(['sort.0.field']);
    expect(t.count('views')).toBe(0);

    const ok = await t.call('views.save', {
      ...vipView,
      filter: [{ field: 'custom.score', op: 'gt', value: 3 }],
      sort: [{ field: 'custom.score', dir: 'desc' }],
    });
    expect(ok.version).toBe(1);
  });

  it('of other users are visible only when shared', async () => {
    const bea = t.addUser('Bea', 'member');
    const cy = t.addUser('Cy', 'member');
    const mine = await t.call('views.save', { ...vipView, name: 'Mine' });
    const beaPrivate = await t.call('views.save', { ...vipView, name: 'Bea private' }, bea);
    const beaShared = await t.call('views.save', { ...vipView, name: 'Bea shared', shared: true }, bea);
    expect(beaShared.ownerId).toBe(bea.userId);

    const names = async (actor = t.actor) =>
      (await t.call('views.list', { entity: 'person' }, actor)).items.map((v) => v.name);
    expect(await names()).toEqual(['Bea shared', 'Mine']);
    expect(await names(bea)).toEqual(['Bea private', 'Bea shared']);
    expect(await names(cy)).toEqual(['Bea shared']);

    // Someone else's private view does not exist for you.
    const update = await t.fail('views.save', { ...vipView, id: beaPrivate.id, version: 1, name: 'Hijack' });
    expect(update.code).toBe('NOT_FOUND');
    expect((await t.fail('views.delete', { id: beaPrivate.id })).code).toBe('NOT_FOUND');
    expect((await t.fail('views.delete', { id: mine.id }, bea)).code).toBe('NOT_FOUND');
    // A shared view is deleted by its owner or an admin, not by another member.
    expect((await t.fail('views.delete', { id: beaShared.id }, cy)).code).toBe('FORBIDDEN');
    await t.call('views.delete', { id: beaShared.id });
    expect(await names(bea)).toEqual(['Bea private']);
  });
});

describe('users.list', () => {
  it('lists the workspace users for owner pickers', async () => {
    const bea = t.addUser('Bea', 'member');
    const items = (await t.call('users.list', {})).items;
    expect(items.map((u) => u.id)).toEqual(expect.arrayContaining([t.actor.userId, bea.userId]));
    expect(items.find((u) => u.id === bea.userId)).toEqual({
      id: bea.userId,
      name: 'Bea',
      email: 'bea@example.test',
      role: 'member',
    });
    expect(Object.keys(items[0]!).sort()).toEqual(['email', 'id', 'name', 'role']);
  });
});
