import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InputOf } from '../src/api/contract.js';
import type { Actor } from '../src/api/procedure.js';
import { issuePaths, openRecordsHearth, type TestHearth } from './support/records.js';

let t: TestHearth;
beforeEach(async () => {
  t = await openRecordsHearth();
});
afterEach(async () => {
  await t.close();
});

type FieldInput = InputOf<'fields.create'>;
const field = (input: Partial<FieldInput> & Pick<FieldInput, 'label' | 'type'>) =>
  t.call('fields.create', { entity: 'person', ...input });

describe('fields.create', () => {
  it('derives a key from the label, numbering one that is taken', async () => {
    const renewal = await field({ label: 'Renewal date', type: 'date' });
    expect(renewal).toMatchObject({
      entity: 'person',
      key: 'renewalDate',
      label: 'Renewal date',
      type: 'date',
      required: false,
      options: [],
      helpText: null,
      position: 0,
      archived: false,
      version: 1,
    });
    const again = await field({ label: 'Renewal-date', type: 'date' });
    expect(again.key).toBe('renewalDate2');
    expect(again.position).toBe(1);
    expect((await field({ label: 'RENEWAL DATE!', type: 'text' })).key).toBe('renewalDate3');
    expect((await field({ label: 'Café size (m²)', type: 'number' })).key).toBe('cafeSizeM2');
    // Keys are per entity.
    expect((await t.call('fields.create', { entity: 'company', label: 'Renewal date', type: 'date' })).key).toBe(
      'renewalDate',
    );
    // An explicit key that is taken is refused rather than renumbered.
    const taken = await t.fail('fields.create', { entity: 'person', label: 'Other', type: 'text', key: 'renewalDate' });
    expect(issuePaths(taken)).toEqual(['key']);
    const badKey = await t.fail('fields.create', { entity: 'person', label: 'Other', type: 'text', key: 'Bad key' });
    expect(issuePaths(badKey)).toEqual(['key']);
    // Two live fields may not share a label.
    const sameLabel = await t.fail('fields.create', { entity: 'person', label: 'renewal date', type: 'text' });
    expect(issuePaths(sameLabel)).toEqual(['label']);
    expect(t.auditCount('fields.create')).toBe(5);
    expect(t.events.filter((e) => e.procedure === 'fields.create').map((e) => e.changes[0]!.entity)).toEqual(
      Array(5).fill('field'),
    );
  });

  it('needs options for select fields and refuses them on other types', async () => {
    const none = await t.fail('fields.create', { entity: 'person', label: 'Tier', type: 'select' });
    expect(none.code).toBe('VALIDATION');
    expect(issuePaths(none)).toEqual(['options']);
    const empty = await t.fail('fields.create', { entity: 'person', label: 'Tier', type: 'multiSelect', options: [] });
    expect(issuePaths(empty)).toEqual(['options']);
    const onText = await t.fail('fields.create', {
      entity: 'person',
      label: 'Nickname',
      type: 'text',
      options: [{ label: 'A' }],
    });
    expect(issuePaths(onText)).toEqual(['options']);
    const twice = await t.fail('fields.create', {
      entity: 'person',
      label: 'Tier',
      type: 'select',
      options: [{ label: 'Gold' }, { label: 'gold' }],
    });
    expect(issuePaths(twice)).toEqual(['options.1']);
    expect(t.count('field_definitions')).toBe(0);

    const tier = await field({
      label: 'Tier',
      type: 'select',
      options: [{ label: 'Gold' }, { value: 'ag', label: 'Silver' }],
    });
    expect(tier.options).toEqual([
      { value: 'Gold', label: 'Gold' },
      { value: 'ag', label: 'Silver' },
    ]);
  });

  it('refuses an entity that has no custom fields and a type that does not exist', async () => {
    const error = await t.fail('fields.create', { entity: 'task', label: 'X', type: 'text' });
    expect(issuePaths(error)).toEqual(['entity']);
    const type = await t.fail('fields.create', { entity: 'person', label: 'X', type: 'color' });
    expect(issuePaths(type)).toEqual(['type']);
  });
});

describe('custom values', () => {
  beforeEach(async () => {
    await field({ label: 'Nickname', type: 'text' });
    await field({ label: 'Bio', type: 'longText' });
    await field({ label: 'Score', type: 'number' });
    await field({ label: 'Budget', type: 'money' });
    await field({ label: 'Renewal', type: 'date' });
    await field({ label: 'Active', type: 'boolean' });
    await field({ label: 'Tier', type: 'select', options: [{ label: 'Gold' }, { label: 'Silver' }] });
    await field({ label: 'Interests', type: 'multiSelect', options: [{ label: 'Golf' }, { label: 'Chess' }] });
    await field({ label: 'Assistant email', type: 'email' });
    await field({ label: 'Direct line', type: 'phone' });
    await field({ label: 'Profile', type: 'url' });
  });

  it('stores every type in its normal form', async () => {
    const ada = await t.call('people.create', {
      firstName: 'Ada',
      custom: {
        nickname: '  Countess ',
        bio: 'Line one\nLine two',
        score: 12.5,
        budget: { amount: 129_900, currency: 'EUR' },
        renewal: '2028-02-29',
        active: false,
        tier: 'Gold',
        interests: ['Chess', 'Golf', 'Chess'],
        assistantEmail: ' Babbage@Example.COM',
        directLine: '020 7946 0018',
        profile: 'example.com/ada',
      },
    });
    expect(ada.custom).toEqual({
      nickname: 'Countess',
      bio: 'Line one\nLine two',
      score: 12.5,
      budget: { amount: 129_900, currency: 'EUR' },
      renewal: '2028-02-29',
      active: false,
      tier: 'Gold',
      interests: ['Chess', 'Golf'],
      assistantEmail: 'babbage@example.com',
      directLine: '+442079460018',
      profile: 'https://example.com/ada',
    });
    expect((await t.call('people.get', { id: ada.id })).custom).toEqual(ada.custom);

    // A patch merges into the stored values; null or '' removes one.
    const updated = await t.call('people.update', {
      id: ada.id,
      version: 1,
      patch: { custom: { score: -3, nickname: null, profile: '' } },
    });
    expect(updated.custom).toEqual({ ...ada.custom, score: -3, nickname: undefined, profile: undefined });
    expect(Object.keys(updated.custom)).not.toContain('nickname');
  });

  it('refuses every wrong value at once, at its path', async () => {
    const error = await t.fail('people.create', {
      firstName: 'Ada',
      custom: {
        nickname: 42,
        score: '12',
        budget: { amount: 12.5, currency: 'EUR' },
        renewal: '2026-02-30',
        active: 'yes',
        tier: 'Platinum',
        interests: ['Golf', 'Darts'],
        assistantEmail: 'not-an-email',
        directLine: '12',
        profile: 'ftp://example.com',
      },
    });
    expect(error.code).toBe('VALIDATION');
    expect(issuePaths(error)).toEqual([
      'custom.nickname',
      'custom.score',
      'custom.budget.amount',
      'custom.renewal',
      'custom.active',
      'custom.tier',
      'custom.interests.1',
      'custom.assistantEmail',
      'custom.directLine',
      'custom.profile',
    ]);
    expect(t.count('people')).toBe(0);

    const money = await t.fail('people.create', {
      firstName: 'Ada',
      custom: { budget: { amount: 100, currency: 'XYZ' } },
    });
    expect(issuePaths(money)).toEqual(['custom.budget.currency']);
    const bare = await t.fail('people.create', { firstName: 'Ada', custom: { budget: 100 } });
    expect(issuePaths(bare)).toEqual(['custom.budget']);
    const extra = await t.fail('people.create', {
      firstName: 'Ada',
      custom: { budget: { amount: 100, currency: 'EUR', rate: 1 } },
    });
    expect(issuePaths(extra)).toEqual(['custom.budget.rate']);
    for (const date of ['2026-13-01', '2026-2-3', '26-02-03', '2026-02-29']) {
      const bad = await t.fail('people.create', { firstName: 'Ada', custom: { renewal: date } });
      expect(issuePaths(bad), date).toEqual(['custom.renewal']);
    }
    const notList = await t.fail('people.create', { firstName: 'Ada', custom: { interests: 'Golf' } });
    expect(issuePaths(notList)).toEqual(['custom.interests']);
  });

  it('refuses keys that are not defined, on create and update', async () => {
    const error = await t.fail('people.create', { firstName: 'Ada', custom: { shoeSize: 42 } });
    expect(issuePaths(error)).toEqual(['custom.shoeSize']);
    const ada = await t.call('people.create', { firstName: 'Ada' });
    const onUpdate = await t.fail('people.update', { id: ada.id, version: 1, patch: { custom: { shoeSize: 42 } } });
    expect(issuePaths(onUpdate)).toEqual(['patch.custom.shoeSize']);
    // Person fields are not company fields.
    const company = await t.fail('companies.create', { name: 'Acme', custom: { score: 3 } });
    expect(issuePaths(company)).toEqual(['custom.score']);
  });

  it('reads custom phone numbers in the workspace region', async () => {
    const settings = await t.call('settings.get', {});
    await t.call('settings.update', { version: settings.version, patch: { phoneRegion: 'US' } });
    const ada = await t.call('people.create', { firstName: 'Ada', custom: { directLine: '(201) 555-0123' } });
    expect(ada.custom.directLine).toBe('+12015550123');
  });
});

describe('required fields', () => {
  it('must be given on create and cannot be cleared on update', async () => {
    const ada = await t.call('people.create', { firstName: 'Ada' });
    const region = await field({ label: 'Region', type: 'text', required: true });
    expect(region.required).toBe(true);

    const missing = await t.fail('people.create', { firstName: 'Grace' });
    expect(missing.code).toBe('VALIDATION');
    expect(issuePaths(missing)).toEqual(['custom.region']);
    const blank = await t.fail('people.create', { firstName: 'Grace', custom: { region: '' } });
    expect(issuePaths(blank)).toEqual(['custom.region']);
    const grace = await t.call('people.create', { firstName: 'Grace', custom: { region: 'North' } });

    const cleared = await t.fail('people.update', {
      id: grace.id,
      version: 1,
      patch: { custom: { region: null } },
    });
    expect(issuePaths(cleared)).toEqual(['patch.custom.region']);
    expect((await t.call('people.get', { id: grace.id })).custom).toEqual({ region: 'North' });

    // Someone added before the field existed can still be edited without filling it in.
    const edited = await t.call('people.update', { id: ada.id, version: 1, patch: { title: 'Countess' } });
    expect(edited.custom).toEqual({});

    // Making it optional again lifts the rule.
    const optional = await t.call('fields.update', { id: region.id, version: 1, patch: { required: false } });
    expect(optional.required).toBe(false);
    await t.call('people.create', { firstName: 'Alan' });
  });
});

describe('archived fields', () => {
  it('are hidden and read-only, but keep their values and stay filterable', async () => {
    const legacy = await field({ label: 'Legacy id', type: 'text', required: true });
    const score = await field({ label: 'Score', type: 'number' });
    const ada = await t.call('people.create', { firstName: 'Ada', custom: { legacyId: 'A-1', score: 3 } });

    const archived = await t.call('fields.archive', { id: legacy.id, version: 1 });
    expect(archived.archived).toBe(true);
    expect(archived.version).toBe(2);
    expect((await t.call('fields.list', { entity: 'person' })).items.map((f) => f.key)).toEqual(['score']);
    const all = await t.call('fields.list', { entity: 'person', includeArchived: true });
    expect(all.items.map((f) => [f.key, f.archived])).toEqual([
      ['score', false],
      ['legacyId', true],
    ]);

    // Values stay, and other edits keep them.
    const updated = await t.call('people.update', { id: ada.id, version: 1, patch: { custom: { score: 4 } } });
    expect(updated.custom).toEqual({ legacyId: 'A-1', score: 4 });
    // Writes to it are refused; a required archived field is no longer asked for.
    const write = await t.fail('people.update', { id: ada.id, version: 2, patch: { custom: { legacyId: 'A-2' } } });
    expect(issuePaths(write)).toEqual(['patch.custom.legacyId']);
    const grace = await t.call('people.create', { firstName: 'Grace' });
    expect(grace.custom).toEqual({});

    const found = await t.call('people.list', { filter: [{ field: 'custom.legacyId', op: 'eq', value: 'A-1' }] });
    expect(found.items.map((p) => p.id)).toEqual([ada.id]);

    // A new field may take the archived one's label (not its key).
    const reused = await field({ label: 'Legacy id', type: 'number' });
    expect(reused.key).toBe('legacyId2');

    // Bringing it back makes it writable again.
    const back = await t.call('fields.update', { id: legacy.id, version: 2, patch: { archived: false } });
    expect(back.archived).toBe(false);
    const written = await t.call('people.update', {
      id: ada.id,
      version: 2,
      patch: { custom: { legacyId: 'A-2' } },
    });
    expect(written.custom.legacyId).toBe('A-2');
    expect(score.archived).toBe(false);
  });
});

describe('fields.update', () => {
  it('refuses a stale version with the current definition', async () => {
    const tier = await field({ label: 'Tier', type: 'select', options: [{ label: 'Gold' }] });
    const renamed = await t.call('fields.update', {
      id: tier.id,
      version: 1,
      patch: { label: 'Level', helpText: 'How much they spend' },
    });
    expect(renamed).toMatchObject({ label: 'Level', key: 'tier', helpText: 'How much they spend', version: 2 });
    const audits = t.auditCount();
    const error = await t.fail('fields.update', { id: tier.id, version: 1, patch: { label: 'Stale' } });
    expect(error.code).toBe('CONFLICT');
    expect((error.details as { current: unknown }).current).toEqual(renamed);
    expect(t.auditCount()).toBe(audits);
    const archive = await t.fail('fields.archive', { id: tier.id, version: 1 });
    expect(archive.code).toBe('CONFLICT');
    expect(
      (await t.fail('fields.update', { id: '01900000-0000-7000-8000-000000000000', version: 1, patch: {} })).code,
    ).toBe('NOT_FOUND');
  });

  it('refuses to remove an option that records still use', async () => {
    const tier = await field({
      label: 'Tier',
      type: 'select',
      options: [{ label: 'Gold' }, { label: 'Silver' }, { label: 'Bronze' }],
    });
    const tags = await field({
      label: 'Interests',
      type: 'multiSelect',
      options: [{ label: 'Golf' }, { label: 'Chess' }],
    });
    await t.call('people.create', { firstName: 'Ada', custom: { tier: 'Gold', interests: ['Chess'] } });

    const used = await t.fail('fields.update', {
      id: tier.id,
      version: 1,
      patch: { options: [{ label: 'Silver' }, { label: 'Bronze' }] },
    });
    expect(used.code).toBe('VALIDATION');
    expect(issuePaths(used)).toEqual(['patch.options']);
    expect(used.message).toMatch(/Gold/);
    const usedMulti = await t.fail('fields.update', {
      id: tags.id,
      version: 1,
      patch: { options: [{ label: 'Golf' }] },
    });
    expect(issuePaths(usedMulti)).toEqual(['patch.options']);

    // Unused options can go, and new ones can come.
    const fewer = await t.call('fields.update', {
      id: tier.id,
      version: 1,
      patch: { options: [{ label: 'Gold' }, { label: 'Platinum' }] },
    });
    expect(fewer.options.map((o) => o.value)).toEqual(['Gold', 'Platinum']);
    const refused = await t.fail('people.create', { firstName: 'Grace', custom: { tier: 'Silver' } });
    expect(issuePaths(refused)).toEqual(['custom.tier']);
    await t.call('people.create', { firstName: 'Grace', custom: { tier: 'Platinum' } });

    const onText = await field({ label: 'Nickname', type: 'text' });
    const textOptions = await t.fail('fields.update', {
      id: onText.id,
      version: 1,
      patch: { options: [{ label: 'A' }] },
    });
    expect(issuePaths(textOptions)).toEqual(['patch.options']);
  });

  it('keeps key and type fixed', async () => {
    const score = await field({ label: 'Score', type: 'number' });
    const error = await t.fail('fields.update', { id: score.id, version: 1, patch: { key: 'points', type: 'text' } });
    expect(error.code).toBe('VALIDATION');
    expect(issuePaths(error)).toEqual(['patch']);
  });
});

describe('fields.reorder', () => {
  it('puts the named fields first, in order, and the rest after them', async () => {
    const a = await field({ label: 'A', type: 'text' });
    const b = await field({ label: 'B', type: 'text' });
    const c = await field({ label: 'C', type: 'text' });
    const d = await field({ label: 'D', type: 'text' });
    const result = await t.call('fields.reorder', { entity: 'person', ids: [c.id, a.id] });
    expect(result.items.map((f) => [f.label, f.position])).toEqual([
      ['C', 0],
      ['A', 1],
      ['B', 2],
      ['D', 3],
    ]);
    expect((await t.call('fields.list', { entity: 'person' })).items.map((f) => f.label)).toEqual(['C', 'A', 'B', 'D']);
    expect(t.auditCount('fields.reorder')).toBe(1);

    const unknown = await t.fail('fields.reorder', {
      entity: 'person',
      ids: [a.id, '01900000-0000-7000-8000-000000000000'],
    });
    expect(issuePaths(unknown)).toEqual(['ids.1']);
    const company = await t.call('fields.create', { entity: 'company', label: 'E', type: 'text' });
    const wrongEntity = await t.fail('fields.reorder', { entity: 'person', ids: [company.id] });
    expect(issuePaths(wrongEntity)).toEqual(['ids.0']);
    expect(d.position).toBe(3);
    expect(b.position).toBe(1);
  });
});

describe('who may change definitions', () => {
  it('lets only admins define fields, and read-only users write nothing', async () => {
    const admin = t.actor;
    const member: Actor = { userId: admin.userId, role: 'member' };
    const manager: Actor = { userId: admin.userId, role: 'manager' };
    const readonly: Actor = { userId: admin.userId, role: 'readonly' };
    const score = await field({ label: 'Score', type: 'number' });

    for (const actor of [member, manager, readonly]) {
      const create = await t.fail('fields.create', { entity: 'person', label: 'X', type: 'text' }, actor);
      expect(create.code, actor.role).toBe('FORBIDDEN');
      expect((await t.fail('fields.update', { id: score.id, version: 1, patch: { label: 'Y' } }, actor)).code).toBe(
        'FORBIDDEN',
      );
      expect((await t.fail('fields.archive', { id: score.id, version: 1 }, actor)).code).toBe('FORBIDDEN');
      expect((await t.fail('fields.reorder', { entity: 'person', ids: [score.id] }, actor)).code).toBe('FORBIDDEN');
      // Everyone can see the definitions, to fill in forms.
      expect((await t.call('fields.list', {}, actor)).items).toHaveLength(1);
    }
    expect(t.count('field_definitions')).toBe(1);

    // Members fill in values; read-only users cannot.
    const ada = await t.call('people.create', { firstName: 'Ada', custom: { score: 1 } }, member);
    expect(ada.createdBy).toBe(admin.userId);
    const denied = await t.fail('people.update', { id: ada.id, version: 1, patch: { custom: { score: 2 } } }, readonly);
    expect(denied.code).toBe('FORBIDDEN');
    expect((await t.fail('people.create', { firstName: 'Grace' }, readonly)).code).toBe('FORBIDDEN');
    expect((await t.call('people.list', {}, readonly)).items).toHaveLength(1);
  });
});

describe('definitions and settings kept between calls', () => {
  it('follow every change at once: a new required field, a new option, the phone region', async () => {
    // Warm whatever is kept: a create reads the definitions and the phone region.
    await t.call('people.create', { firstName: 'First', phones: [{ number: '020 7946 0958' }] });
    const tier = await field({ label: 'Tier', type: 'select', options: [{ value: 'gold', label: 'Gold' }] });
    expect((await t.call('people.create', { firstName: 'Second', custom: { tier: 'gold' } })).custom).toEqual({
      tier: 'gold',
    });
    await field({ label: 'Region code', type: 'text', required: true });
    expect(issuePaths(await t.fail('people.create', { firstName: 'Third' }))).toEqual(['custom.regionCode']);
    const platinum = { firstName: 'Fourth', custom: { tier: 'platinum', regionCode: 'x' } };
    expect(issuePaths(await t.fail('people.create', platinum))).toEqual(['custom.tier']);
    const options = [
      { value: 'gold', label: 'Gold' },
      { value: 'platinum', label: 'Platinum' },
    ];
    await t.call('fields.update', { id: tier.id, version: tier.version, patch: { options } });
    expect((await t.call('people.create', platinum)).custom).toEqual(platinum.custom);
    const settings = await t.call('settings.get', {});
    await t.call('settings.update', { version: settings.version, patch: { phoneRegion: 'US' } });
    const american = await t.call('people.create', {
      firstName: 'Fifth',
      phones: [{ number: '(202) 555-0123' }],
      custom: { regionCode: 'x' },
    });
    expect(american.phones[0]!.number).toBe('+12025550123');
  });

  it('are read afresh when a change to them is rolled back', async () => {
    await t.call('people.create', { firstName: 'Warm' });
    // A definition that fails validation is never written; the next call must not see a field that is not there.
    await t.fail('fields.create', { entity: 'person', label: '', type: 'text' });
    expect((await t.call('people.create', { firstName: 'Still', custom: {} })).custom).toEqual({});
    expect((await t.call('fields.list', { entity: 'person' })).items).toEqual([]);
  });
});
