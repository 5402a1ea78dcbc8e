import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InputOf, OutputOf } from '../src/api/contract.js';
import { issuePaths, openRecordsHearth, START, type TestHearth } from './support/records.js';

type Person = OutputOf<'people.get'>;

let t: TestHearth;
beforeEach(async () => {
  t = await openRecordsHearth();
});
afterEach(async () => {
  await t.close();
});

async function addPerson(input: InputOf<'people.create'> = {}) {
  return t.call('people.create', { firstName: 'Ada', lastName: 'Lovelace', ...input });
}

describe('people.create', () => {
  it('stores emails lower-cased and phones in E.164, read in the workspace phone region', async () => {
    const ada = await t.call('people.create', {
      firstName: ' Ada ',
      lastName: 'Lovelace',
      emails: [{ address: '  Ada@Example.COM ', label: 'work' }],
      phones: [{ number: '020 7946 0018' }, { number: '(201) 555-0123', label: 'mobile' }],
    });
    expect(ada.firstName).toBe('Ada');
    expect(ada.displayName).toBe('Ada Lovelace');
    expect(ada.emails).toEqual([{ address: 'ada@example.com', label: 'work', primary: true }]);
    // The workspace starts in GB: both numbers are read as British ones.
    expect(ada.phones).toEqual([
      { number: '+442079460018', label: null, primary: true },
      { number: '+442015550123', label: 'mobile', primary: false },
    ]);

    const settings = await t.call('settings.get', {});
    await t.call('settings.update', { version: settings.version, patch: { phoneRegion: 'US' } });
    const grace = await t.call('people.create', { firstName: 'Grace', phones: [{ number: '(201) 555-0123' }] });
    expect(grace.phones[0]!.number).toBe('+12015550123');
    // A British national number means nothing in the US now.
    const error = await t.fail('people.create', { firstName: 'Alan', phones: [{ number: '020 7946 0018' }] });
    expect(error.code).toBe('VALIDATION');
    expect(issuePaths(error)).toEqual(['phones.0.number']);
    // Numbers given with their country code are read the same in any region.
    const alan = await t.call('people.create', { firstName: 'Alan', phones: [{ number: '+44 20 7946 0018' }] });
    expect(alan.phones[0]!.number).toBe('+442079460018');
  });

  it('makes the first email and phone primary unless another is marked', async () => {
    const first = await addPerson({
      emails: [{ address: 'a@example.com' }, { address: 'b@example.com' }],
      phones: [{ number: '+442079460018' }, { number: '+12015550123' }],
    });
    expect(first.emails.map((e) => e.primary)).toEqual([true, false]);
    expect(first.phones.map((p) => p.primary)).toEqual([true, false]);

    const marked = await addPerson({
      emails: [{ address: 'c@example.com' }, { address: 'd@example.com', primary: true }],
    });
    expect(marked.emails).toEqual([
      { address: 'c@example.com', label: null, primary: false },
      { address: 'd@example.com', label: null, primary: true },
    ]);
    // The primary email is what the email column sorts and shows by.
    const sorted = await t.call('people.list', { sort: [{ field: 'email', dir: 'asc' }] });
    expect(sorted.items.map((p) => p.id)).toEqual([first.id, marked.id]);
  });

  it('refuses two primary emails, or the same address twice', async () => {
    const two = await t.fail('people.create', {
      firstName: 'Ada',
      emails: [
        { address: 'a@example.com', primary: true },
        { address: 'b@example.com', primary: true },
      ],
    });
    expect(two.code).toBe('VALIDATION');
    expect(issuePaths(two)).toEqual(['emails']);

    const twice = await t.fail('people.create', {
      firstName: 'Ada',
      emails: [{ address: 'ada@example.com' }, { address: 'ADA@example.com ' }],
    });
    expect(twice.code).toBe('VALIDATION');
    expect(issuePaths(twice)).toEqual(['emails.1.address']);

    const phones = await t.fail('people.create', {
      firstName: 'Ada',
      phones: [
        { number: '+442079460018', primary: true },
        { number: '+12015550123', primary: true },
      ],
    });
    expect(issuePaths(phones)).toEqual(['phones']);
    expect(t.count('people')).toBe(0);
  });

  it('needs a first name, a last name or an email address', async () => {
    for (const input of [{}, { title: 'CEO' }, { firstName: '   ', lastName: '' }]) {
      const error = await t.fail('people.create', input);
      expect(error.code).toBe('VALIDATION');
      expect(issuePaths(error)).toEqual(['firstName']);
    }
    const byLast = await t.call('people.create', { lastName: 'Hopper' });
    expect(byLast.displayName).toBe('Hopper');
    const byEmail = await t.call('people.create', { emails: [{ address: 'anon@example.com' }] });
    expect(byEmail.displayName).toBe('anon@example.com');
  });

  it('names every bad field at once, with its path', async () => {
    const error = await t.fail('people.create', {
      firstName: 'Ada',
      emails: [{ address: 'not an email' }, { address: 'ok@example.com' }],
      phones: [{ number: '+442079460018' }, { number: '12' }],
      website: 'nope',
      companies: [{ companyId: '01900000-0000-7000-8000-000000000000' }],
      ownerId: '01900000-0000-7000-8000-000000000001',
      custom: { nothing: 1 },
    });
    expect(error.code).toBe('VALIDATION');
    expect(issuePaths(error).sort()).toEqual(
      ['emails.0.address', 'phones.1.number', 'website', 'companies.0.companyId', 'ownerId', 'custom.nothing'].sort(),
    );
    expect(error.message).toMatch(/emails\.0\.address/);

    const ada = await addPerson();
    const onUpdate = await t.fail('people.update', {
      id: ada.id,
      version: ada.version,
      patch: { emails: [{ address: '@example.com' }], phones: [{ number: '+442079460018' }, { number: 'call me' }] },
    });
    expect(onUpdate.code).toBe('VALIDATION');
    expect(issuePaths(onUpdate)).toEqual(['patch.emails.0.address', 'patch.phones.1.number']);
  });

  it('reports input of the wrong shape at its path before anything runs', async () => {
    const error = await t.fail('people.create', {
      firstName: 'Ada',
      lifecycleStage: 'friend',
      emails: [{ address: 'a@example.com', extra: true }],
    });
    expect(error.code).toBe('VALIDATION');
    expect(issuePaths(error)).toEqual(expect.arrayContaining(['lifecycleStage', 'emails.0']));
  });

  it('links companies with a role and shows their names', async () => {
    const acme = await t.call('companies.create', { name: 'Acme' });
    const globex = await t.call('companies.create', { name: 'Globex' });
    const ada = await addPerson({
      companies: [{ companyId: acme.id, role: ' Engineer ' }, { companyId: globex.id }],
    });
    expect(ada.companies).toEqual([
      { companyId: acme.id, name: 'Acme', role: 'Engineer' },
      { companyId: globex.id, name: 'Globex', role: null },
    ]);
    expect((await t.call('people.get', { id: ada.id })).companies).toEqual(ada.companies);

    const twice = await t.fail('people.create', {
      firstName: 'Grace',
      companies: [{ companyId: acme.id }, { companyId: acme.id, role: 'CTO' }],
    });
    expect(issuePaths(twice)).toEqual(['companies']);

    const unknown = await t.fail('people.create', {
      firstName: 'Grace',
      companies: [{ companyId: acme.id }, { companyId: '01900000-0000-7000-8000-00000000abcd' }],
    });
    expect(unknown.code).toBe('VALIDATION');
    expect(issuePaths(unknown)).toEqual(['companies.1.companyId']);

    await t.call('companies.delete', { id: globex.id });
    const trashed = await t.fail('people.create', { firstName: 'Grace', companies: [{ companyId: globex.id }] });
    expect(issuePaths(trashed)).toEqual(['companies.0.companyId']);
  });

  it('creates tags on the fly and treats names case-insensitively', async () => {
    const ada = await addPerson({ tags: ['VIP', ' vip ', 'Board   member'] });
    expect(ada.tags).toEqual(['Board member', 'VIP']);
    expect(t.count('tags')).toBe(2);
    const tagAudits = t.auditCount('people.create');

    const grace = await t.call('people.create', { firstName: 'Grace', tags: ['vip', 'Newsletter'] });
    // The existing tag keeps its spelling; only the new one is created.
    expect(grace.tags).toEqual(['Newsletter', 'VIP']);
    expect(t.count('tags')).toBe(3);
    expect(t.auditCount('people.create')).toBe(tagAudits + 1);
    const tagEvents = t.events.at(-1)!.changes.filter((c) => c.entity === 'tag');
    expect(tagEvents).toEqual([expect.objectContaining({ entity: 'tag', action: 'create' })]);
  });

  it('stores marketing consent, stamping the time when none is given', async () => {
    const opted = await addPerson({ consent: { marketing: true, basis: 'consent' } });
    expect(opted.consent).toEqual({ marketing: true, at: opted.createdAt, basis: 'consent' });
    expect(opted.createdAt).toBeGreaterThanOrEqual(START);

    const dated = await addPerson({ consent: { marketing: true, at: 1_700_000_000_000, basis: 'contract' } });
    expect(dated.consent).toEqual({ marketing: true, at: 1_700_000_000_000, basis: 'contract' });

    const none = await addPerson();
    expect(none.consent).toEqual({ marketing: false, at: null, basis: null });
    const declined = await addPerson({ consent: { marketing: false } });
    expect(declined.consent).toEqual({ marketing: false, at: null, basis: null });

    const withdrawn = await t.call('people.update', {
      id: opted.id,
      version: opted.version,
      patch: { consent: { marketing: false, basis: 'legitimate_interests' } },
    });
    expect(withdrawn.consent).toEqual({ marketing: false, at: null, basis: 'legitimate_interests' });
  });

  it('returns the whole record with the common fields', async () => {
    const ada = await addPerson({
      title: 'Analyst',
      address: { city: 'London', country: 'GB' },
      website: 'ada.example.com',
      lifecycleStage: 'lead',
      source: 'Referral',
    });
    expect(ada).toMatchObject({
      version: 1,
      createdAt: START,
      updatedAt: START,
      createdBy: t.actor.userId,
      ownerId: t.actor.userId,
      deletedAt: null,
      title: 'Analyst',
      address: { street: null, city: 'London', region: null, postalCode: null, country: 'GB' },
      website: 'https://ada.example.com/',
      lifecycleStage: 'lead',
      source: 'Referral',
      tags: [],
      custom: {},
      lastActivityAt: null,
    });
    expect(ada.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
    expect(await t.call('people.get', { id: ada.id })).toEqual(ada);
    expect((await t.fail('people.get', { id: '01900000-0000-7000-8000-000000000000' })).code).toBe('NOT_FOUND');
  });

  it('answers with exactly what people.get then reads, for a person with everything filled in', async () => {
    // Answered from what was written, not read back: tags keep an existing tag's spelling and come in NOCASE
    // order, companies in the order given with their names, custom values as stored.
    await t.call('fields.create', { entity: 'person', label: 'Budget', type: 'number' });
    await t.call('fields.create', {
      entity: 'person',
      label: 'Tier',
      type: 'select',
      options: [{ value: 'gold', label: 'Gold' }],
    });
    await addPerson({ firstName: 'Earlier', tags: ['Board', 'vip'] });
    const acme = await t.call('companies.create', { name: 'Acme' });
    const zeta = await t.call('companies.create', { name: 'Zeta Ltd' });
    const rich = await addPerson({
      firstName: 'Grace',
      lastName: 'Hopper',
      title: 'Rear Admiral',
      emails: [
        { address: 'Grace@Navy.example', label: 'work' },
        { address: 'grace@home.example', primary: true },
      ],
      phones: [{ number: '020 7946 0958', label: 'office' }],
      companies: [
        { companyId: zeta.id, role: 'Advisor' },
        { companyId: acme.id, role: null },
      ],
      address: { street: '1 Main St', city: 'Arlington', region: 'VA', postalCode: '22201', country: 'US' },
      website: 'hopper.example',
      lifecycleStage: 'customer',
      source: 'Conference',
      tags: ['zebra', 'VIP', 'board', 'Alpha', '_x'],
      custom: { budget: 1200, tier: 'gold' },
      consent: { marketing: true, basis: 'consent' },
    });
    expect(rich.tags).toEqual(['_x', 'Alpha', 'Board', 'vip', 'zebra']);
    expect(rich.companies.map((c) => c.name)).toEqual(['Zeta Ltd', 'Acme']);
    expect(await t.call('people.get', { id: rich.id })).toEqual(rich);
  });

  it('refuses an owner who is not a user, and accepts another user as owner', async () => {
    const error = await t.fail('people.create', { firstName: 'Ada', ownerId: '01900000-0000-7000-8000-000000000000' });
    expect(issuePaths(error)).toEqual(['ownerId']);
    const bea = t.addUser('Bea');
    const ada = await addPerson({ ownerId: bea.userId });
    expect(ada.ownerId).toBe(bea.userId);
    expect(ada.createdBy).toBe(t.actor.userId);
  });
});

describe('people.update', () => {
  it('changes only what the patch names and bumps the version', async () => {
    const ada = await addPerson({ emails: [{ address: 'ada@example.com' }], title: 'Analyst', tags: ['VIP'] });
    const updated = await t.call('people.update', {
      id: ada.id,
      version: 1,
      patch: { title: 'Countess', address: { city: 'London' } },
    });
    expect(updated.version).toBe(2);
    expect(updated.updatedAt).toBeGreaterThan(ada.updatedAt);
    expect(updated).toMatchObject({
      title: 'Countess',
      emails: ada.emails,
      tags: ['VIP'],
      firstName: 'Ada',
      address: { city: 'London' },
    });
    // Lists replace the whole list; null clears a value.
    const replaced = await t.call('people.update', {
      id: ada.id,
      version: 2,
      patch: { emails: [{ address: 'countess@example.com' }], tags: [], title: null },
    });
    expect(replaced.emails).toEqual([{ address: 'countess@example.com', label: null, primary: true }]);
    expect(replaced.tags).toEqual([]);
    expect(replaced.title).toBeNull();
    const byOld = await t.call('people.list', { filter: [{ field: 'email', op: 'eq', value: 'ada@example.com' }] });
    expect(byOld.items).toEqual([]);
  });

  it('refuses a stale version with the current record and changes nothing', async () => {
    const ada = await addPerson();
    const current = await t.call('people.update', { id: ada.id, version: 1, patch: { title: 'Countess' } });
    const audits = t.auditCount();
    const events = t.events.length;

    const error = await t.fail('people.update', { id: ada.id, version: 1, patch: { title: 'Analyst', tags: ['New'] } });
    expect(error.code).toBe('CONFLICT');
    expect((error.details as { current: unknown }).current).toEqual(current);
    expect(await t.call('people.get', { id: ada.id })).toEqual(current);
    expect(t.count('tags')).toBe(0);
    expect(t.auditCount()).toBe(audits);
    expect(t.events.length).toBe(events);
  });

  it('refuses to edit a person in the trash, or one that does not exist', async () => {
    const ada = await addPerson();
    const trashed = await t.call('people.delete', { id: ada.id });
    const error = await t.fail('people.update', { id: ada.id, version: trashed.version, patch: { title: 'x' } });
    expect(error.code).toBe('NOT_FOUND');
    const missing = await t.fail('people.update', {
      id: '01900000-0000-7000-8000-000000000000',
      version: 1,
      patch: { title: 'x' },
    });
    expect(missing.code).toBe('NOT_FOUND');
  });

  it('still needs a name or an email after the patch', async () => {
    const ada = await t.call('people.create', { firstName: 'Ada', emails: [{ address: 'ada@example.com' }] });
    const error = await t.fail('people.update', { id: ada.id, version: 1, patch: { firstName: '', emails: [] } });
    expect(issuePaths(error)).toEqual(['patch.firstName']);
    const ok = await t.call('people.update', { id: ada.id, version: 1, patch: { firstName: '' } });
    expect(ok.displayName).toBe('ada@example.com');
  });
});

describe('trash', () => {
  it('moves a person to the trash and back', async () => {
    const ada = await addPerson();
    const grace = await t.call('people.create', { firstName: 'Grace', lastName: 'Hopper' });

    const deleted = await t.call('people.delete', { id: ada.id });
    expect(deleted.deletedAt).not.toBeNull();
    expect(deleted.version).toBe(2);
    const got = await t.call('people.get', { id: ada.id });
    expect(got.deletedAt).toBe(deleted.deletedAt);
    const listed = await t.call('people.list', { count: true });
    expect(listed.items.map((p) => p.id)).toEqual([grace.id]);
    expect(listed.total).toBe(1);

    const restored = await t.call('people.restore', { id: ada.id });
    expect(restored.deletedAt).toBeNull();
    expect(restored.version).toBe(3);
    // Default order: last name, then first name (Hopper before Lovelace).
    expect((await t.call('people.list', {})).items.map((p) => p.id)).toEqual([grace.id, ada.id]);
    // Editing works again with the version restore returned.
    await t.call('people.update', { id: ada.id, version: restored.version, patch: { title: 'Back' } });

    expect((await t.fail('people.delete', { id: '01900000-0000-7000-8000-000000000000' })).code).toBe('NOT_FOUND');
  });
});

describe('accounting for every change', () => {
  it('writes one audit entry and one change event per mutation', async () => {
    const ada = await addPerson({ emails: [{ address: 'ada@example.com' }] });
    const updated = await t.call('people.update', { id: ada.id, version: 1, patch: { title: 'Countess' } });
    await t.call('people.delete', { id: ada.id });
    await t.call('people.restore', { id: ada.id });

    for (const procedure of ['people.create', 'people.update', 'people.delete', 'people.restore']) {
      expect(t.auditCount(procedure), procedure).toBe(1);
    }
    expect(t.events.map((e) => [e.procedure, e.actorId, e.changes])).toEqual([
      ['people.create', t.actor.userId, [{ entity: 'person', id: ada.id, action: 'create', version: 1 }]],
      ['people.update', t.actor.userId, [{ entity: 'person', id: ada.id, action: 'update', version: 2 }]],
      ['people.delete', t.actor.userId, [{ entity: 'person', id: ada.id, action: 'delete', version: 3 }]],
      ['people.restore', t.actor.userId, [{ entity: 'person', id: ada.id, action: 'restore', version: 4 }]],
    ]);

    const row = t.hearth.sqlite
      .prepare("SELECT record_ids, diff FROM audit_log WHERE procedure = 'people.update'")
      .get() as { record_ids: string; diff: string };
    expect(JSON.parse(row.record_ids)).toEqual([ada.id]);
    const diff = JSON.parse(row.diff) as { fields: Record<string, unknown> }[];
    expect(diff[0]!.fields).toMatchObject({ title: { from: null, to: 'Countess' } });
    expect(updated.title).toBe('Countess');

    // Reads are not audited.
    const before = t.auditCount();
    await t.call('people.get', { id: ada.id });
    await t.call('people.list', {});
    expect(t.auditCount()).toBe(before);
  });

  it('leaves nothing behind when a call fails', async () => {
    await t.call('fields.create', { entity: 'person', label: 'Budget', type: 'number' });
    const audits = t.auditCount();
    const events = t.events.length;

    const error = await t.fail('people.create', {
      firstName: 'Ada',
      tags: ['Brand new tag'],
      companies: [],
      custom: { budget: 'a lot' },
    });
    expect(error.code).toBe('VALIDATION');
    expect(issuePaths(error)).toEqual(['custom.budget']);
    expect(t.count('people')).toBe(0);
    expect(t.count('person_emails')).toBe(0);
    expect(t.count('tags')).toBe(0);
    expect(t.count('record_tags')).toBe(0);
    expect(t.auditCount()).toBe(audits);
    expect(t.events.length).toBe(events);

    const ada = await addPerson({ tags: ['Old'] });
    const failed = await t.fail('people.update', {
      id: ada.id,
      version: 1,
      patch: { tags: ['Another new tag'], title: 'Countess', custom: { budget: false } },
    });
    expect(issuePaths(failed)).toEqual(['patch.custom.budget']);
    expect(await t.call('people.get', { id: ada.id })).toEqual(ada);
    expect((await t.call('tags.list', {})).items.map((tag) => tag.name)).toEqual(['Old']);
  });
});

describe('bulk edits', () => {
  it('adds and removes tags and sets the stage on many people, skipping those in the trash', async () => {
    const people = [];
    for (const name of ['Ada', 'Grace', 'Alan', 'Edsger']) {
      people.push(await t.call('people.create', { firstName: name, tags: ['Cold', 'Keep'] }));
    }
    const [ada, grace, alan, edsger] = people.map((p) => p) as [Person, Person, Person, Person];
    await t.call('people.delete', { id: edsger.id });
    const trashedBefore = await t.call('people.get', { id: edsger.id });
    const events = t.events.length;

    const result = await t.call('people.bulkUpdate', {
      ids: [ada.id, grace.id, alan.id, edsger.id, ada.id, '01900000-0000-7000-8000-000000000000'],
      patch: { addTags: ['Newsletter', 'VIP'], removeTags: ['cold'], lifecycleStage: 'customer' },
    });
    expect(result).toEqual({ updated: 3 });

    for (const before of [ada, grace, alan]) {
      const after = await t.call('people.get', { id: before.id });
      expect(after.version).toBe(before.version + 1);
      expect(after.tags).toEqual(['Keep', 'Newsletter', 'VIP']);
      expect(after.lifecycleStage).toBe('customer');
      expect(after.firstName).toBe(before.firstName);
    }
    expect(await t.call('people.get', { id: edsger.id })).toEqual(trashedBefore);

    expect(t.auditCount('people.bulkUpdate')).toBe(1);
    const event = t.events[events]!;
    expect(event.procedure).toBe('people.bulkUpdate');
    const personChanges = event.changes.filter((c) => c.entity === 'person');
    expect(personChanges.map((c) => c.id).sort()).toEqual([ada.id, grace.id, alan.id].sort());
    expect(personChanges.every((c) => c.action === 'update' && c.version === 2)).toBe(true);
    expect(event.changes.filter((c) => c.entity === 'tag')).toHaveLength(2);

    // Only tags: versions still move, so an editor holding the old version gets a conflict.
    const tagsOnly = await t.call('people.bulkUpdate', { ids: [ada.id], patch: { removeTags: ['VIP'] } });
    expect(tagsOnly).toEqual({ updated: 1 });
    const adaNow = await t.call('people.get', { id: ada.id });
    expect(adaNow.version).toBe(3);
    expect(adaNow.tags).toEqual(['Keep', 'Newsletter']);
    expect((await t.fail('people.update', { id: ada.id, version: 2, patch: { title: 'x' } })).code).toBe('CONFLICT');
  });

  it('checks bulk values and writes nothing when one is wrong', async () => {
    await t.call('fields.create', { entity: 'person', label: 'Score', type: 'number' });
    const ada = await addPerson();
    const error = await t.fail('people.bulkUpdate', {
      ids: [ada.id],
      patch: { addTags: ['Fresh'], custom: { score: 'high' } },
    });
    expect(issuePaths(error)).toEqual(['patch.custom.score']);
    expect(t.count('tags')).toBe(0);
    expect(await t.call('people.get', { id: ada.id })).toEqual(ada);

    const ok = await t.call('people.bulkUpdate', { ids: [ada.id], patch: { custom: { score: 7 }, source: 'Fair' } });
    expect(ok).toEqual({ updated: 1 });
    expect(await t.call('people.get', { id: ada.id })).toMatchObject({ custom: { score: 7 }, source: 'Fair' });
  });

  it('moves many people to the trash, counting only those it moved', async () => {
    const ada = await addPerson();
    const grace = await t.call('people.create', { firstName: 'Grace' });
    const alan = await t.call('people.create', { firstName: 'Alan' });
    await t.call('people.delete', { id: alan.id });

    const result = await t.call('people.bulkDelete', { ids: [ada.id, grace.id, alan.id] });
    expect(result).toEqual({ deleted: 2 });
    expect((await t.call('people.list', {})).items).toEqual([]);
    expect((await t.call('people.get', { id: ada.id })).deletedAt).not.toBeNull();
    expect(t.auditCount('people.bulkDelete')).toBe(1);
    expect(t.events.at(-1)!.changes.map((c) => [c.id, c.action])).toEqual([
      [ada.id, 'delete'],
      [grace.id, 'delete'],
    ]);
    const empty = await t.fail('people.bulkDelete', { ids: [] });
    expect(issuePaths(empty)).toEqual(['ids']);
  });
});
