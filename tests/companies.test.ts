import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InputOf } from '../src/api/contract.js';
import { issuePaths, openRecordsHearth, START, type TestHearth } from './support/records.js';

let t: TestHearth;
beforeEach(async () => {
  t = await openRecordsHearth();
});
afterEach(async () => {
  await t.close();
});

describe('companies.create', () => {
  it('stores bare domains from what people paste, and the phone in E.164', async () => {
    const acme = await t.call('companies.create', {
      name: ' Acme ',
      domains: ['https://www.Acme.com/x', 'sales@Acme.co.uk', 'WWW.acme.io'],
      phone: '020 7946 0018',
      website: 'acme.com',
      industry: 'Anvils',
      size: '11-50',
      address: { street: '1 Road', city: 'London', country: 'GB' },
    });
    expect(acme).toMatchObject({
      name: 'Acme',
      domains: ['acme.com', 'acme.co.uk', 'acme.io'],
      phone: '+442079460018',
      website: 'https://acme.com/',
      industry: 'Anvils',
      size: '11-50',
      address: { street: '1 Road', city: 'London', region: null, postalCode: null, country: 'GB' },
      version: 1,
      createdAt: START,
      ownerId: t.actor.userId,
      createdBy: t.actor.userId,
      deletedAt: null,
      tags: [],
      custom: {},
      peopleCount: 0,
      lastActivityAt: null,
    });
    expect(await t.call('companies.get', { id: acme.id })).toEqual(acme);
    // Any of its domains finds it.
    const found = await t.call('companies.list', { filter: [{ field: 'domain', op: 'eq', value: 'acme.co.uk' }] });
    expect(found.items.map((c) => c.id)).toEqual([acme.id]);
  });

  it('refuses a domain listed twice, a bad domain, a bad phone and a missing name, all at once', async () => {
    const error = await t.fail('companies.create', {
      name: '  ',
      domains: ['acme.com', 'https://www.ACME.com/about', 'not a domain'],
      phone: '12',
    });
    expect(error.code).toBe('VALIDATION');
    expect(issuePaths(error)).toEqual(['name', 'domains.1', 'domains.2', 'phone']);
    expect(t.count('companies')).toBe(0);
    expect(issuePaths(await t.fail('companies.create', {}))).toEqual(['name']);
  });

  it('takes only the known company sizes', async () => {
    const error = await t.fail('companies.create', { name: 'Acme', size: 'huge' });
    expect(error.code).toBe('VALIDATION');
    expect(issuePaths(error)).toEqual(['size']);
    const big = await t.call('companies.create', { name: 'Big', size: '5001+' });
    expect(big.size).toBe('5001+');
    const cleared = await t.call('companies.update', { id: big.id, version: 1, patch: { size: null } });
    expect(cleared.size).toBeNull();
  });

  it('reads phone numbers in the workspace region', async () => {
    const settings = await t.call('settings.get', {});
    await t.call('settings.update', { version: settings.version, patch: { phoneRegion: 'US' } });
    const acme = await t.call('companies.create', { name: 'Acme', phone: '(201) 555-0123' });
    expect(acme.phone).toBe('+12015550123');
  });
});

describe('companies.update', () => {
  it('changes what the patch names, and refuses a stale version with the current company', async () => {
    const acme = await t.call('companies.create', { name: 'Acme', domains: ['acme.com'], tags: ['Partner'] });
    const updated = await t.call('companies.update', {
      id: acme.id,
      version: 1,
      patch: { name: 'Acme Ltd', domains: ['acme.com', 'acme.org'] },
    });
    expect(updated).toMatchObject({ name: 'Acme Ltd', domains: ['acme.com', 'acme.org'], tags: ['Partner'] });
    expect(updated.version).toBe(2);
    const audits = t.auditCount();

    const error = await t.fail('companies.update', { id: acme.id, version: 1, patch: { name: 'Old' } });
    expect(error.code).toBe('CONFLICT');
    expect((error.details as { current: unknown }).current).toEqual(updated);
    expect(await t.call('companies.get', { id: acme.id })).toEqual(updated);
    expect(t.auditCount()).toBe(audits);

    const bad = await t.fail('companies.update', { id: acme.id, version: 2, patch: { domains: ['x'] } });
    expect(issuePaths(bad)).toEqual(['patch.domains.0']);

    await t.call('companies.delete', { id: acme.id });
    const trashed = await t.fail('companies.update', { id: acme.id, version: 3, patch: { name: 'x' } });
    expect(trashed.code).toBe('NOT_FOUND');
  });
});

describe('people at a company', () => {
  it('counts only the live people', async () => {
    const acme = await t.call('companies.create', { name: 'Acme' });
    const other = await t.call('companies.create', { name: 'Other' });
    const ids = [];
    for (const name of ['Ada', 'Grace', 'Alan']) {
      ids.push((await t.call('people.create', { firstName: name, companies: [{ companyId: acme.id }] })).id);
    }
    await t.call('people.create', { firstName: 'Edsger', companies: [{ companyId: other.id }] });
    expect((await t.call('companies.get', { id: acme.id })).peopleCount).toBe(3);

    await t.call('people.delete', { id: ids[0]! });
    expect((await t.call('companies.get', { id: acme.id })).peopleCount).toBe(2);
    const listed = await t.call('companies.list', {});
    expect(listed.items.map((c) => [c.name, c.peopleCount])).toEqual([
      ['Acme', 2],
      ['Other', 1],
    ]);
    await t.call('people.restore', { id: ids[0]! });
    expect((await t.call('companies.get', { id: acme.id })).peopleCount).toBe(3);
  });

  it('keeps the people when a company goes to the trash, and hides it from their companies', async () => {
    const acme = await t.call('companies.create', { name: 'Acme' });
    const globex = await t.call('companies.create', { name: 'Globex' });
    const ada = await t.call('people.create', {
      firstName: 'Ada',
      companies: [
        { companyId: acme.id, role: 'CTO' },
        { companyId: globex.id, role: 'Advisor' },
      ],
    });

    const grace = await t.call('people.create', { firstName: 'Grace', companies: [{ companyId: acme.id }] });
    const ids = async (filter: InputOf<'people.list'>['filter']) =>
      (await t.call('people.list', { filter })).items.map((p) => p.firstName);
    expect(await ids([{ field: 'companyId', op: 'isEmpty' }])).toEqual([]);

    const deleted = await t.call('companies.delete', { id: acme.id });
    expect(deleted.deletedAt).not.toBeNull();
    expect((await t.call('companies.get', { id: acme.id })).deletedAt).toBe(deleted.deletedAt);
    expect((await t.call('companies.list', {})).items.map((c) => c.name)).toEqual(['Globex']);

    const still = await t.call('people.get', { id: ada.id });
    expect(still.deletedAt).toBeNull();
    expect(still.companies).toEqual([{ companyId: globex.id, name: 'Globex', role: 'Advisor' }]);
    expect(t.auditCount('companies.delete')).toBe(1);
    // Lists agree with what the records show: Grace now has no company.
    expect((await t.call('people.get', { id: grace.id })).companies).toEqual([]);
    expect(await ids([{ field: 'companyId', op: 'isEmpty' }])).toEqual(['Grace']);
    expect(await ids([{ field: 'companyId', op: 'eq', value: acme.id }])).toEqual([]);
    expect(await ids([{ field: 'companyId', op: 'eq', value: globex.id }])).toEqual(['Ada']);

    const restored = await t.call('companies.restore', { id: acme.id });
    expect(restored.deletedAt).toBeNull();
    expect(restored.peopleCount).toBe(2);
    expect((await t.call('people.get', { id: ada.id })).companies.map((c) => [c.name, c.role])).toEqual([
      ['Acme', 'CTO'],
      ['Globex', 'Advisor'],
    ]);
  });
});

describe('companies bulk edits', () => {
  it('sets fields and tags on live companies only, with one audit entry', async () => {
    const a = await t.call('companies.create', { name: 'A', tags: ['Old'] });
    const b = await t.call('companies.create', { name: 'B' });
    const c = await t.call('companies.create', { name: 'C' });
    await t.call('companies.delete', { id: c.id });

    const result = await t.call('companies.bulkUpdate', {
      ids: [a.id, b.id, c.id],
      patch: { industry: 'Software', size: '51-200', addTags: ['Target'], removeTags: ['old'] },
    });
    expect(result).toEqual({ updated: 2 });
    for (const id of [a.id, b.id]) {
      expect(await t.call('companies.get', { id })).toMatchObject({
        version: 2,
        industry: 'Software',
        size: '51-200',
        tags: ['Target'],
      });
    }
    expect((await t.call('companies.get', { id: c.id })).industry).toBeNull();
    expect(t.auditCount('companies.bulkUpdate')).toBe(1);

    const deleted = await t.call('companies.bulkDelete', { ids: [a.id, b.id, c.id] });
    expect(deleted).toEqual({ deleted: 2 });
    expect((await t.call('companies.list', { count: true })).total).toBe(0);
  });
});

describe('sorting companies by size', () => {
  it('goes from the smallest band to the largest, not alphabetically, and pages through the bands', async () => {
    const sizes = ['5001+', '11-50', '1-10', '1001-5000', '201-500', '51-200', '501-1000'] as const;
    for (const [i, size] of sizes.entries()) await t.call('companies.create', { name: `Firm ${i}`, size });
    await t.call('companies.create', { name: 'Unknown size' });
    const order = ['1-10', '11-50', '51-200', '201-500', '501-1000', '1001-5000', '5001+'];

    const asc = await t.call('companies.list', { sort: [{ field: 'size', dir: 'asc' }] });
    expect(asc.items.map((c) => c.size)).toEqual([null, ...order]);
    const desc = await t.call('companies.list', { sort: [{ field: 'size', dir: 'desc' }] });
    expect(desc.items.map((c) => c.size)).toEqual([...order].reverse().concat([null] as never[]));

    const seen: (string | null)[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof t.call<'companies.list'>>> = await t.call('companies.list', {
        sort: [{ field: 'size', dir: 'asc' }],
        limit: 3,
        cursor,
      });
      seen.push(...page.items.map((c) => c.size));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([null, ...order]);
  });
});
