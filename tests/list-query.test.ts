// The list engine behind people.list and companies.list: filters, sorts, keyset pages.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InputOf, OutputOf } from '../src/api/contract.js';
import { allPages, issuePaths, openRecordsHearth, START, type TestHearth } from './support/records.js';

type Person = OutputOf<'people.get'>;
type ListInput = InputOf<'people.list'>;
type Filter = NonNullable<ListInput['filter']>[number];
type Sort = NonNullable<ListInput['sort']>;

const DAY = 86_400_000;
const sorted = (...names: string[]) => [...names].sort();

describe('on a known set of people', () => {
  let t: TestHearth;
  const id: Record<string, string> = {};
  let acme: string;
  let globex: string;
  let bea: string;
  let everyone: Person[];
  const ALL = [
    'Ada Lovelace',
    'Grace Hopper',
    'Alan Turing',
    'Edsger Dijkstra',
    'Barbara Liskov',
    '100% Pure a_b',
    'Zed axb',
    'nobody@example.com',
    'Ann Smith',
    'Bob Smith',
    'bob smith',
  ];
  const except = (...names: string[]) => sorted(...ALL.filter((n) => !names.includes(n)));

  beforeAll(async () => {
    t = await openRecordsHearth();
    bea = t.addUser('Bea').userId;
    acme = (await t.call('companies.create', { name: 'Acme', domains: ['acme.com', 'acme.co.uk'] })).id;
    globex = (await t.call('companies.create', { name: 'Globex', domains: ['globex.com'] })).id;
    const field = (label: string, type: InputOf<'fields.create'>['type'], options?: string[]) =>
      t.call('fields.create', {
        entity: 'person',
        label,
        type,
        ...(options ? { options: options.map((o) => ({ label: o })) } : {}),
      });
    await field('Score', 'number');
    await field('Tier', 'select', ['Gold', 'Silver', 'Bronze']);
    await field('Interests', 'multiSelect', ['Golf', 'Chess', 'Sailing']);
    await field('Renewal', 'date');
    await field('Active', 'boolean');
    await field('Budget', 'money');
    await field('Notes', 'text');

    const add = async (input: InputOf<'people.create'>) => {
      const person = await t.call('people.create', input);
      id[person.displayName] = person.id;
      return person;
    };
    await add({
      firstName: 'Ada',
      lastName: 'Lovelace',
      emails: [{ address: 'ada@analytical.org' }, { address: 'countess@lovelace.uk' }],
      phones: [{ number: '+442079460018', label: 'Desk 999' }],
      title: 'Countess',
      lifecycleStage: 'customer',
      source: 'Referral',
      address: { city: 'London', country: 'GB' },
      website: 'ada.example.com',
      companies: [{ companyId: acme, role: 'Advisor' }],
      tags: ['VIP', 'Math'],
      custom: {
        score: 90,
        tier: 'Gold',
        interests: ['Chess', 'Sailing'],
        renewal: '2026-02-15',
        active: true,
        budget: { amount: 150_000, currency: 'EUR' },
        notes: 'Loves engines',
      },
    });
    await add({
      firstName: 'Grace',
      lastName: 'Hopper',
      emails: [{ address: 'grace@navy.mil' }],
      phones: [{ number: '+1 (201) 555-0123' }],
      title: 'Rear Admiral',
      lifecycleStage: 'prospect',
      source: 'Conference',
      address: { city: 'Arlington', country: 'US' },
      companies: [{ companyId: globex }],
      tags: ['VIP'],
      ownerId: bea,
      custom: {
        score: 75,
        tier: 'Silver',
        interests: ['Golf'],
        renewal: '2026-05-01',
        active: false,
        budget: { amount: 5000, currency: 'USD' },
      },
    });
    await add({
      firstName: 'Alan',
      lastName: 'Turing',
      emails: [{ address: 'alan@bletchley.uk' }],
      lifecycleStage: 'lead',
      address: { city: 'Manchester', country: 'GB' },
      companies: [{ companyId: acme }, { companyId: globex }],
      tags: ['Math'],
      custom: { score: 60, interests: ['Chess'], renewal: '2025-12-31', active: true },
    });
    await add({
      firstName: 'Edsger',
      lastName: 'Dijkstra',
      phones: [{ number: '+31 20 123 4567' }],
      title: 'Professor',
      source: 'Referral',
    });
    await add({
      firstName: 'Barbara',
      lastName: 'Liskov',
      emails: [{ address: 'barbara@mit.edu' }],
      title: 'Professor',
      lifecycleStage: 'customer',
      address: { city: 'Cambridge', country: 'US' },
      tags: ['math'],
      custom: { score: 90, tier: 'Bronze', budget: { amount: 99, currency: 'GBP' }, notes: 'Substitution principle' },
    });
    await add({ firstName: '100% Pure', lastName: 'a_b', title: 'Back\\slash' });
    await add({ firstName: 'Zed', lastName: 'axb', lifecycleStage: 'other' });
    await add({ emails: [{ address: 'nobody@example.com' }], lifecycleStage: 'former_customer' });
    await add({ firstName: 'Ann', lastName: 'Smith', source: 'referral' });
    await add({ firstName: 'Bob', lastName: 'Smith' });
    await add({ firstName: 'bob', lastName: 'smith' });
    await t.call('activities.create', { kind: 'call', personIds: [id['Ada Lovelace']!], occurredAt: START - DAY });
    await t.call('activities.create', {
      kind: 'meeting',
      personIds: [id['Grace Hopper']!],
      occurredAt: START - 2 * DAY,
    });
    everyone = (await t.call('people.list', { limit: 500 })).items;
    expect(everyone.map((p) => p.displayName).sort()).toEqual(sorted(...ALL));
  });
  afterAll(async () => {
    await t?.close();
  });

  const person = (name: string) => everyone.find((p) => p.displayName === name)!;

  async function who(...filter: Filter[]): Promise<string[]> {
    const page = await t.call('people.list', { filter, limit: 500 });
    return page.items.map((p) => p.displayName).sort();
  }

  async function refused(filter: Filter[] | unknown[], extra: Record<string, unknown> = {}) {
    const error = await t.fail('people.list', { filter, ...extra });
    expect(error.code).toBe('VALIDATION');
    return issuePaths(error);
  }

  describe('filters', () => {
    it('compares text fields with every operator, ignoring case', async () => {
      expect(await who({ field: 'title', op: 'eq', value: 'professor' })).toEqual(
        sorted('Edsger Dijkstra', 'Barbara Liskov'),
      );
      // neq keeps the people with no title at all.
      expect(await who({ field: 'title', op: 'neq', value: 'Professor' })).toEqual(
        except('Edsger Dijkstra', 'Barbara Liskov'),
      );
      expect(await who({ field: 'title', op: 'contains', value: 'ADM' })).toEqual(['Grace Hopper']);
      expect(await who({ field: 'title', op: 'startsWith', value: 'count' })).toEqual(['Ada Lovelace']);
      expect(await who({ field: 'title', op: 'gt', value: 'p' })).toEqual(
        sorted('Edsger Dijkstra', 'Barbara Liskov', 'Grace Hopper'),
      );
      expect(await who({ field: 'title', op: 'gte', value: 'Rear Admiral' })).toEqual(['Grace Hopper']);
      expect(await who({ field: 'title', op: 'lt', value: 'C' })).toEqual(['100% Pure a_b']);
      expect(await who({ field: 'title', op: 'lte', value: 'countess' })).toEqual(
        sorted('Ada Lovelace', '100% Pure a_b'),
      );
      expect(await who({ field: 'title', op: 'in', value: ['Countess', 'rear admiral'] })).toEqual(
        sorted('Ada Lovelace', 'Grace Hopper'),
      );
      const noTitle = sorted('Alan Turing', 'Zed axb', 'nobody@example.com', 'Ann Smith', 'Bob Smith', 'bob smith');
      expect(await who({ field: 'title', op: 'isEmpty' })).toEqual(noTitle);
      expect(await who({ field: 'title', op: 'isEmpty', value: true })).toEqual(noTitle);
      expect(await who({ field: 'title', op: 'isEmpty', value: false })).toEqual(except(...noTitle));
      expect(await who({ field: 'lastName', op: 'gt', value: 's' })).toEqual(
        sorted('Ann Smith', 'Bob Smith', 'bob smith', 'Alan Turing'),
      );
      expect(await who({ field: 'firstName', op: 'eq', value: 'BOB' })).toEqual(sorted('Bob Smith', 'bob smith'));
      expect(await who({ field: 'source', op: 'eq', value: 'referral' })).toEqual(
        sorted('Ada Lovelace', 'Edsger Dijkstra', 'Ann Smith'),
      );
      expect(await who({ field: 'address.city', op: 'startsWith', value: 'man' })).toEqual(['Alan Turing']);
      expect(await who({ field: 'address.country', op: 'eq', value: 'US' })).toEqual(
        sorted('Grace Hopper', 'Barbara Liskov'),
      );
      expect(await who({ field: 'website', op: 'contains', value: 'example' })).toEqual(['Ada Lovelace']);
    });

    it('compares times as numbers', async () => {
      const created = (name: string) => person(name).createdAt;
      const mid = created('Barbara Liskov');
      const after = ['100% Pure a_b', 'Zed axb', 'nobody@example.com', 'Ann Smith', 'Bob Smith', 'bob smith'];
      expect(await who({ field: 'createdAt', op: 'gt', value: mid })).toEqual(sorted(...after));
      expect(await who({ field: 'createdAt', op: 'gte', value: mid })).toEqual(sorted('Barbara Liskov', ...after));
      expect(await who({ field: 'createdAt', op: 'lt', value: created('Grace Hopper') })).toEqual(['Ada Lovelace']);
      expect(await who({ field: 'createdAt', op: 'lte', value: created('Grace Hopper') })).toEqual(
        sorted('Ada Lovelace', 'Grace Hopper'),
      );
      expect(await who({ field: 'createdAt', op: 'eq', value: mid })).toEqual(['Barbara Liskov']);
      expect(await who({ field: 'createdAt', op: 'neq', value: mid })).toEqual(except('Barbara Liskov'));
      expect(await who({ field: 'createdAt', op: 'in', value: [created('Zed axb'), created('Alan Turing')] })).toEqual(
        sorted('Zed axb', 'Alan Turing'),
      );
      expect(await who({ field: 'lastActivityAt', op: 'isEmpty', value: false })).toEqual(
        sorted('Ada Lovelace', 'Grace Hopper'),
      );
      expect(await who({ field: 'lastActivityAt', op: 'gt', value: START - 2 * DAY })).toEqual(['Ada Lovelace']);
      expect(await who({ field: 'lastActivityAt', op: 'isEmpty' })).toEqual(except('Ada Lovelace', 'Grace Hopper'));
      expect(await refused([{ field: 'createdAt', op: 'gt', value: 'yesterday' }])).toEqual(['filter.0.value']);
      expect(await refused([{ field: 'createdAt', op: 'contains', value: '1' }])).toEqual(['filter.0.op']);
    });

    it('matches lifecycle stages by value only', async () => {
      expect(await who({ field: 'lifecycleStage', op: 'eq', value: 'customer' })).toEqual(
        sorted('Ada Lovelace', 'Barbara Liskov'),
      );
      expect(await who({ field: 'lifecycleStage', op: 'neq', value: 'customer' })).toEqual(
        except('Ada Lovelace', 'Barbara Liskov'),
      );
      expect(await who({ field: 'lifecycleStage', op: 'in', value: ['lead', 'prospect'] })).toEqual(
        sorted('Alan Turing', 'Grace Hopper'),
      );
      expect(await who({ field: 'lifecycleStage', op: 'isEmpty' })).toEqual(
        sorted('Edsger Dijkstra', '100% Pure a_b', 'Ann Smith', 'Bob Smith', 'bob smith'),
      );
      expect(await refused([{ field: 'lifecycleStage', op: 'eq', value: 'friend' }])).toEqual(['filter.0.value']);
      expect(await refused([{ field: 'lifecycleStage', op: 'in', value: ['lead', 'friend'] }])).toEqual([
        'filter.0.value.1',
      ]);
      expect(await refused([{ field: 'lifecycleStage', op: 'contains', value: 'cust' }])).toEqual(['filter.0.op']);
    });

    it('finds people by any part of their name', async () => {
      expect(await who({ field: 'name', op: 'contains', value: 'ada lov' })).toEqual(['Ada Lovelace']);
      expect(await who({ field: 'name', op: 'contains', value: 'SMITH' })).toEqual(
        sorted('Ann Smith', 'Bob Smith', 'bob smith'),
      );
      expect(await who({ field: 'name', op: 'startsWith', value: 'love' })).toEqual(['Ada Lovelace']);
      expect(await who({ field: 'name', op: 'startsWith', value: 'bob' })).toEqual(sorted('Bob Smith', 'bob smith'));
      expect(await who({ field: 'name', op: 'eq', value: 'Grace Hopper' })).toEqual(['Grace Hopper']);
      expect(await who({ field: 'name', op: 'eq', value: 'grace hopper' })).toEqual(['Grace Hopper']);
      expect(
        await refused([{ field: 'name', op: 'contains', value: 'x' }], { sort: [{ field: 'name', dir: 'asc' }] }),
      ).toEqual(['sort.0.field']);
    });

    it('matches any of a person’s emails', async () => {
      expect(await who({ field: 'email', op: 'eq', value: 'COUNTESS@lovelace.uk' })).toEqual(['Ada Lovelace']);
      expect(await who({ field: 'email', op: 'contains', value: '.uk' })).toEqual(
        sorted('Ada Lovelace', 'Alan Turing'),
      );
      expect(await who({ field: 'email', op: 'startsWith', value: 'grace@' })).toEqual(['Grace Hopper']);
      expect(await who({ field: 'email', op: 'in', value: ['alan@bletchley.uk', 'barbara@mit.edu'] })).toEqual(
        sorted('Alan Turing', 'Barbara Liskov'),
      );
      expect(await who({ field: 'email', op: 'neq', value: 'countess@lovelace.uk' })).toEqual(except('Ada Lovelace'));
      const withEmail = sorted('Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Barbara Liskov', 'nobody@example.com');
      expect(await who({ field: 'email', op: 'isEmpty', value: false })).toEqual(withEmail);
      expect(await who({ field: 'email', op: 'isEmpty' })).toEqual(except(...withEmail));
    });

    it('matches phone digits however they are typed, in numbers only', async () => {
      expect(await who({ field: 'phone', op: 'contains', value: '7946 0018' })).toEqual(['Ada Lovelace']);
      expect(await who({ field: 'phone', op: 'contains', value: '+1 (201) 555' })).toEqual(['Grace Hopper']);
      expect(await who({ field: 'phone', op: 'contains', value: '123-4567' })).toEqual(['Edsger Dijkstra']);
      // Ada's number is labelled "Desk 999"; the label is not her number.
      expect(await who({ field: 'phone', op: 'contains', value: '999' })).toEqual([]);
      expect(await who({ field: 'phone', op: 'isEmpty', value: false })).toEqual(
        sorted('Ada Lovelace', 'Grace Hopper', 'Edsger Dijkstra'),
      );
      expect(await refused([{ field: 'phone', op: 'contains', value: 'call' }])).toEqual(['filter.0.value']);
    });

    it('finds people by company, tag and owner', async () => {
      expect(await who({ field: 'companyId', op: 'eq', value: acme })).toEqual(sorted('Ada Lovelace', 'Alan Turing'));
      expect(await who({ field: 'companyId', op: 'in', value: [globex] })).toEqual(
        sorted('Grace Hopper', 'Alan Turing'),
      );
      expect(await who({ field: 'companyId', op: 'neq', value: acme })).toEqual(except('Ada Lovelace', 'Alan Turing'));
      const employed = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing'];
      expect(await who({ field: 'companyId', op: 'isEmpty' })).toEqual(except(...employed));
      expect(await who({ field: 'companyId', op: 'isEmpty', value: false })).toEqual(sorted(...employed));
      expect(await refused([{ field: 'companyId', op: 'contains', value: 'a' }])).toEqual(['filter.0.op']);

      const mathy = sorted('Ada Lovelace', 'Alan Turing', 'Barbara Liskov');
      expect(await who({ field: 'tag', op: 'eq', value: 'MATH' })).toEqual(mathy);
      expect(await who({ field: 'tag', op: 'in', value: ['VIP', 'no such tag'] })).toEqual(
        sorted('Ada Lovelace', 'Grace Hopper'),
      );
      expect(await who({ field: 'tag', op: 'neq', value: 'math' })).toEqual(except(...mathy));
      const tagged = [...mathy, 'Grace Hopper'];
      expect(await who({ field: 'tag', op: 'isEmpty' })).toEqual(except(...tagged));
      expect(await who({ field: 'tag', op: 'isEmpty', value: false })).toEqual(sorted(...tagged));
      expect(await refused([{ field: 'tag', op: 'contains', value: 'ma' }])).toEqual(['filter.0.op']);

      expect(await who({ field: 'ownerId', op: 'eq', value: bea })).toEqual(['Grace Hopper']);
      expect(await who({ field: 'ownerId', op: 'neq', value: bea })).toEqual(except('Grace Hopper'));
      // Every filter must hold.
      expect(
        await who({ field: 'tag', op: 'eq', value: 'vip' }, { field: 'lifecycleStage', op: 'eq', value: 'customer' }),
      ).toEqual(['Ada Lovelace']);
    });

    it('filters on custom fields of every type', async () => {
      expect(await who({ field: 'custom.score', op: 'gt', value: 70 })).toEqual(
        sorted('Ada Lovelace', 'Grace Hopper', 'Barbara Liskov'),
      );
      expect(await who({ field: 'custom.score', op: 'lte', value: 60 })).toEqual(['Alan Turing']);
      expect(await who({ field: 'custom.score', op: 'eq', value: 90 })).toEqual(
        sorted('Ada Lovelace', 'Barbara Liskov'),
      );
      expect(await who({ field: 'custom.score', op: 'isEmpty', value: false })).toEqual(
        sorted('Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Barbara Liskov'),
      );

      expect(await who({ field: 'custom.tier', op: 'eq', value: 'Gold' })).toEqual(['Ada Lovelace']);
      expect(await who({ field: 'custom.tier', op: 'in', value: ['Silver', 'Bronze'] })).toEqual(
        sorted('Grace Hopper', 'Barbara Liskov'),
      );
      expect(await who({ field: 'custom.tier', op: 'neq', value: 'Gold' })).toEqual(except('Ada Lovelace'));
      expect(await refused([{ field: 'custom.tier', op: 'eq', value: 'Platinum' }])).toEqual(['filter.0.value']);

      expect(await who({ field: 'custom.interests', op: 'contains', value: 'Chess' })).toEqual(
        sorted('Ada Lovelace', 'Alan Turing'),
      );
      expect(await who({ field: 'custom.interests', op: 'eq', value: 'Golf' })).toEqual(['Grace Hopper']);
      expect(await who({ field: 'custom.interests', op: 'in', value: ['Golf', 'Sailing'] })).toEqual(
        sorted('Ada Lovelace', 'Grace Hopper'),
      );
      expect(await who({ field: 'custom.interests', op: 'neq', value: 'Chess' })).toEqual(
        except('Ada Lovelace', 'Alan Turing'),
      );
      expect(await who({ field: 'custom.interests', op: 'isEmpty' })).toEqual(
        except('Ada Lovelace', 'Grace Hopper', 'Alan Turing'),
      );
      expect(await refused([{ field: 'custom.interests', op: 'eq', value: 'Darts' }])).toEqual(['filter.0.value']);

      expect(await who({ field: 'custom.renewal', op: 'lt', value: '2026-03-01' })).toEqual(
        sorted('Ada Lovelace', 'Alan Turing'),
      );
      expect(await who({ field: 'custom.renewal', op: 'gte', value: '2026-05-01' })).toEqual(['Grace Hopper']);
      expect(await refused([{ field: 'custom.renewal', op: 'lt', value: 'March' }])).toEqual(['filter.0.value']);

      expect(await who({ field: 'custom.active', op: 'eq', value: true })).toEqual(
        sorted('Ada Lovelace', 'Alan Turing'),
      );
      expect(await who({ field: 'custom.active', op: 'eq', value: false })).toEqual(['Grace Hopper']);
      expect(await refused([{ field: 'custom.active', op: 'gt', value: true }])).toEqual(['filter.0.op']);

      expect(await who({ field: 'custom.budget', op: 'gt', value: 10_000 })).toEqual(['Ada Lovelace']);
      expect(await who({ field: 'custom.budget', op: 'lt', value: 10_000 })).toEqual(
        sorted('Grace Hopper', 'Barbara Liskov'),
      );

      expect(await who({ field: 'custom.notes', op: 'contains', value: 'ENGINE' })).toEqual(['Ada Lovelace']);
      expect(await who({ field: 'custom.notes', op: 'startsWith', value: 'subst' })).toEqual(['Barbara Liskov']);

      expect(await refused([{ field: 'custom.nope', op: 'eq', value: 1 }])).toEqual(['filter.0.field']);
    });

    it('matches % and _ literally', async () => {
      expect(await who({ field: 'firstName', op: 'contains', value: '%' })).toEqual(['100% Pure a_b']);
      expect(await who({ field: 'firstName', op: 'startsWith', value: '100%' })).toEqual(['100% Pure a_b']);
      expect(await who({ field: 'lastName', op: 'contains', value: 'a_b' })).toEqual(['100% Pure a_b']);
      expect(await who({ field: 'lastName', op: 'eq', value: 'a_b' })).toEqual(['100% Pure a_b']);
      expect(await who({ field: 'lastName', op: 'startsWith', value: '_' })).toEqual([]);
      expect(await who({ field: 'title', op: 'contains', value: '\\' })).toEqual(['100% Pure a_b']);
      expect(await who({ field: 'name', op: 'contains', value: '% pure' })).toEqual(['100% Pure a_b']);
    });

    it('refuses unknown fields and operators that do not apply, at their path', async () => {
      expect(await refused([{ field: 'shoeSize', op: 'eq', value: 42 }])).toEqual(['filter.0.field']);
      expect(
        await refused([
          { field: 'title', op: 'eq', value: 'x' },
          { field: 'custom.score', op: 'startsWith', value: 1 },
        ]),
      ).toEqual(['filter.1.op']);
      expect(await refused([{ field: 'title', op: 'like', value: 'x' }])).toEqual(['filter.0.op']);
      expect(await refused([{ field: 'title', op: 'in', value: [] }])).toEqual(['filter.0.value']);
      expect(await refused([{ field: 'title', op: 'eq' }])).toEqual(['filter.0.value']);
      expect(await refused([], { sort: [{ field: 'shoeSize', dir: 'asc' }] })).toEqual(['sort.0.field']);
      expect(await refused([], { sort: [{ field: 'companyId', dir: 'asc' }] })).toEqual(['sort.0.field']);
      expect(await refused([], { sort: [{ field: 'custom.interests', dir: 'asc' }] })).toEqual(['sort.0.field']);
      expect(await refused([], { sort: [{ field: 'title', dir: 'up' }] })).toEqual(['sort.0.dir']);
    });
  });

  describe('sorting', () => {
    type Key = (p: Person) => string | number | null;
    const primary = <T extends { primary: boolean }>(list: T[]) => list.find((x) => x.primary) ?? null;
    const customNumber = (key: string) => (p: Person) => {
      const v = p.custom[key];
      if (v === undefined || v === null) return null;
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (typeof v === 'object') return (v as { amount: number }).amount;
      return v as number;
    };
    const customText = (key: string) => (p: Person) => (p.custom[key] as string | undefined) ?? null;
    const KEYS: Record<string, Key> = {
      firstName: (p) => p.firstName,
      lastName: (p) => p.lastName,
      email: (p) => primary(p.emails)?.address ?? null,
      phone: (p) => primary(p.phones)?.number ?? null,
      title: (p) => p.title,
      lifecycleStage: (p) => p.lifecycleStage,
      source: (p) => p.source,
      ownerId: (p) => p.ownerId,
      website: (p) => p.website,
      'address.city': (p) => p.address.city,
      'address.country': (p) => p.address.country,
      createdAt: (p) => p.createdAt,
      updatedAt: (p) => p.updatedAt,
      lastActivityAt: (p) => p.lastActivityAt,
      'custom.score': customNumber('score'),
      'custom.budget': customNumber('budget'),
      'custom.active': customNumber('active'),
      'custom.tier': customText('tier'),
      'custom.renewal': customText('renewal'),
      'custom.notes': customText('notes'),
    };

    /** SQLite's order: NULL first ascending (last descending), text case-insensitively, then id in the last key's direction. */
    function expected(sort: Sort): string[] {
      const cmp = (a: string | number | null, b: string | number | null): number => {
        if (a === b) return 0;
        if (a === null) return -1;
        if (b === null) return 1;
        if (typeof a === 'number' && typeof b === 'number') return a - b;
        const x = String(a).toLowerCase();
        const y = String(b).toLowerCase();
        return x < y ? -1 : x > y ? 1 : 0;
      };
      const idDir = sort.at(-1)!.dir === 'asc' ? 1 : -1;
      return [...everyone]
        .sort((a, b) => {
          for (const { field, dir } of sort) {
            const c = cmp(KEYS[field]!(a), KEYS[field]!(b));
            if (c !== 0) return dir === 'asc' ? c : -c;
          }
          return a.id < b.id ? -idDir : idDir;
        })
        .map((p) => p.id);
    }

    const ids = async (input: ListInput) =>
      (await t.call('people.list', { limit: 500, ...input })).items.map((p) => p.id);
    const names = (list: string[]) => list.map((i) => everyone.find((p) => p.id === i)!.displayName);

    it('sorts by last name, then first name, by default', async () => {
      expect(names(await ids({}))).toEqual([
        'nobody@example.com',
        '100% Pure a_b',
        'Zed axb',
        'Edsger Dijkstra',
        'Grace Hopper',
        'Barbara Liskov',
        'Ada Lovelace',
        'Ann Smith',
        // Equal apart from case: the older record first.
        'Bob Smith',
        'bob smith',
        'Alan Turing',
      ]);
      expect(await ids({})).toEqual(
        expected([
          { field: 'lastName', dir: 'asc' },
          { field: 'firstName', dir: 'asc' },
        ]),
      );
    });

    it('sorts on every sortable column both ways, with empty values first ascending and last descending', async () => {
      for (const field of Object.keys(KEYS)) {
        for (const dir of ['asc', 'desc'] as const) {
          const sort = [{ field, dir }];
          expect(names(await ids({ sort })), `${field} ${dir}`).toEqual(names(expected(sort)));
        }
      }
      const noTitle = sorted('Alan Turing', 'Zed axb', 'nobody@example.com', 'Ann Smith', 'Bob Smith', 'bob smith');
      expect(sorted(...names(await ids({ sort: [{ field: 'title', dir: 'asc' }] })).slice(0, 6))).toEqual(noTitle);
      expect(sorted(...names(await ids({ sort: [{ field: 'title', dir: 'desc' }] })).slice(-6))).toEqual(noTitle);
    });

    it('sorts on several keys in mixed directions', async () => {
      for (const sort of [
        [
          { field: 'lifecycleStage', dir: 'asc' },
          { field: 'lastName', dir: 'desc' },
        ],
        [
          { field: 'custom.score', dir: 'desc' },
          { field: 'firstName', dir: 'asc' },
        ],
        [
          { field: 'title', dir: 'desc' },
          { field: 'lastActivityAt', dir: 'asc' },
          { field: 'createdAt', dir: 'desc' },
        ],
      ] satisfies Sort[]) {
        expect(names(await ids({ sort })), JSON.stringify(sort)).toEqual(names(expected(sort)));
      }
    });
  });

  describe('pages', () => {
    const SORTS: (Sort | undefined)[] = [
      undefined,
      [{ field: 'lastName', dir: 'desc' }],
      [{ field: 'title', dir: 'asc' }],
      [{ field: 'title', dir: 'desc' }],
      [{ field: 'lastActivityAt', dir: 'desc' }],
      [
        { field: 'custom.score', dir: 'desc' },
        { field: 'firstName', dir: 'asc' },
      ],
      [
        { field: 'lifecycleStage', dir: 'asc' },
        { field: 'createdAt', dir: 'desc' },
      ],
      [{ field: 'email', dir: 'asc' }],
      [{ field: 'custom.notes', dir: 'asc' }],
      [{ field: 'createdAt', dir: 'desc' }],
      [{ field: 'firstName', dir: 'asc' }],
    ];

    it('visit every row exactly once, whatever the sort and page size', async () => {
      for (const sort of SORTS) {
        const whole = (await t.call('people.list', { limit: 500, ...(sort ? { sort } : {}) })).items.map((p) => p.id);
        expect(whole).toHaveLength(ALL.length);
        for (const limit of [1, 2, 3, 4, 7, 10, 11, 12]) {
          const paged = await allPages((cursor) => t.call('people.list', { limit, cursor, ...(sort ? { sort } : {}) }));
          expect(
            paged.map((p) => p.id),
            `${JSON.stringify(sort)} by ${limit}`,
          ).toEqual(whole);
        }
      }
    });

    it('page within a filter, and count the whole match only when asked', async () => {
      const filter: Filter[] = [{ field: 'title', op: 'isEmpty' }];
      const first = await t.call('people.list', { filter, limit: 2, count: true });
      expect(first.items).toHaveLength(2);
      expect(first.total).toBe(6);
      const second = await t.call('people.list', { filter, limit: 2, count: true, cursor: first.nextCursor });
      expect(second.total).toBe(6);
      const rest = await allPages((cursor) => t.call('people.list', { filter, limit: 2, cursor }));
      expect(rest).toHaveLength(6);
      expect(new Set(rest.map((p) => p.id)).size).toBe(6);
      expect('total' in (await t.call('people.list', { filter }))).toBe(false);
      const last = await t.call('people.list', { filter, limit: 6 });
      expect(last.nextCursor).toBeNull();
    });

    it('refuse a cursor made for another sort, or one that is not a cursor', async () => {
      const page = await t.call('people.list', { limit: 2, sort: [{ field: 'lastName', dir: 'asc' }] });
      expect(page.nextCursor).toEqual(expect.any(String));
      for (const sort of [
        [{ field: 'firstName', dir: 'asc' }],
        [{ field: 'lastName', dir: 'desc' }],
        [
          { field: 'lastName', dir: 'asc' },
          { field: 'firstName', dir: 'asc' },
        ],
      ] satisfies Sort[]) {
        const error = await t.fail('people.list', { limit: 2, sort, cursor: page.nextCursor });
        expect(error.code).toBe('VALIDATION');
        expect(issuePaths(error)).toEqual(['cursor']);
      }
      // The same sort given again (or as the default it equals) is fine.
      const again = await t.call('people.list', {
        limit: 2,
        sort: [{ field: 'lastName', dir: 'asc' }],
        cursor: page.nextCursor,
      });
      expect(again.items).toHaveLength(2);
      expect(issuePaths(await t.fail('people.list', { cursor: 'not-a-cursor' }))).toEqual(['cursor']);
    });

    it('hold between 1 and 500 rows', async () => {
      for (const limit of [0, -1, 501, 2.5]) {
        const error = await t.fail('people.list', { limit });
        expect(error.code).toBe('VALIDATION');
        expect(issuePaths(error)).toEqual(['limit']);
      }
      expect((await t.call('people.list', { limit: 500 })).items).toHaveLength(ALL.length);
      const one = await t.call('people.list', { limit: 1 });
      expect(one.items).toHaveLength(1);
      expect(one.nextCursor).not.toBeNull();
    });
  });
});

describe('paging while others write', () => {
  let t: TestHearth;
  beforeEach(async () => {
    t = await openRecordsHearth();
  });
  afterEach(async () => {
    await t.close();
  });

  it('neither repeats nor skips rows when rows are added before and after the cursor', async () => {
    const original = [];
    for (let i = 1; i <= 10; i++) {
      original.push(await t.call('people.create', { firstName: 'P', lastName: `L${String(i).padStart(2, '0')}` }));
    }
    const sort: Sort = [{ field: 'lastName', dir: 'asc' }];
    const first = await t.call('people.list', { sort, limit: 4 });
    expect(first.items.map((p) => p.lastName)).toEqual(['L01', 'L02', 'L03', 'L04']);

    const before = await t.call('people.create', { firstName: 'P', lastName: 'A00' });
    const tie = await t.call('people.create', { firstName: 'P', lastName: 'L04' });
    const after = await t.call('people.create', { firstName: 'P', lastName: 'Z99' });

    const rest = await allPages((cursor) =>
      t.call('people.list', { sort, limit: 4, cursor: cursor ?? first.nextCursor }),
    );
    const seen = [...first.items, ...rest].map((p) => p.id);
    expect(new Set(seen).size).toBe(seen.length);
    for (const p of original) expect(seen.filter((s) => s === p.id)).toHaveLength(1);
    expect(seen).not.toContain(before.id);
    // The new row equal to the cursor's value has a later id, so it comes after the cursor.
    expect(rest.map((p) => p.id)).toEqual([tie.id, ...original.slice(4).map((p) => p.id), after.id]);
  });

  it('keeps its place inside a run of empty values on a descending sort', async () => {
    const titled = [];
    for (let i = 1; i <= 6; i++) titled.push(await t.call('people.create', { firstName: `T${i}`, title: `T${i}` }));
    const untitled = [];
    for (let i = 1; i <= 4; i++) untitled.push(await t.call('people.create', { firstName: `N${i}` }));
    const sort: Sort = [{ field: 'title', dir: 'desc' }];
    // Titles T6…T1, then the untitled in descending id order (newest first).
    const first = await t.call('people.list', { sort, limit: 8 });
    expect(first.items.map((p) => p.firstName)).toEqual(['T6', 'T5', 'T4', 'T3', 'T2', 'T1', 'N4', 'N3']);

    // A new untitled person has the highest id: it sorts before the cursor (N3), so this walk does not show it.
    const lateBlank = await t.call('people.create', { firstName: 'N5' });
    const lateTitled = await t.call('people.create', { firstName: 'T0', title: 'T0' });
    const rest = await allPages((cursor) =>
      t.call('people.list', { sort, limit: 1, cursor: cursor ?? first.nextCursor }),
    );
    expect(rest.map((p) => p.firstName)).toEqual(['N2', 'N1']);
    expect(rest.map((p) => p.id)).not.toContain(lateBlank.id);
    expect(rest.map((p) => p.id)).not.toContain(lateTitled.id);

    // A walk that stopped among the titles sees the new titled row that sorts after it, and the new blank.
    const early = await t.call('people.list', { sort, limit: 3 });
    const tail = await allPages((cursor) =>
      t.call('people.list', { sort, limit: 2, cursor: cursor ?? early.nextCursor }),
    );
    expect(tail.map((p) => p.firstName)).toEqual(['T3', 'T2', 'T1', 'T0', 'N5', 'N4', 'N3', 'N2', 'N1']);
    expect(untitled).toHaveLength(4);
    expect(titled).toHaveLength(6);
  });

  it('gives 50 rows by default', async () => {
    for (let i = 0; i < 51; i++) await t.call('people.create', { firstName: `P${i}` });
    const page = await t.call('people.list', { count: true });
    expect(page.items).toHaveLength(50);
    expect(page.total).toBe(51);
    const next = await t.call('people.list', { cursor: page.nextCursor });
    expect(next.items).toHaveLength(1);
    expect(next.nextCursor).toBeNull();
  });
});

describe('companies.list', () => {
  let t: TestHearth;
  beforeAll(async () => {
    t = await openRecordsHearth();
    await t.call('fields.create', { entity: 'company', label: 'Employees', type: 'number' });
    await t.call('companies.create', {
      name: 'Acme',
      domains: ['acme.com', 'acme.co.uk'],
      industry: 'Manufacturing',
      size: '11-50',
      tags: ['Partner'],
      address: { city: 'Leeds', country: 'GB' },
      custom: { employees: 40 },
    });
    await t.call('companies.create', {
      name: 'Globex',
      domains: ['globex.com'],
      size: '501-1000',
      custom: { employees: 700 },
    });
    await t.call('companies.create', { name: 'initech', industry: 'Software', phone: '+12015550123' });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function which(...filter: Filter[]) {
    return (await t.call('companies.list', { filter })).items.map((c) => c.name);
  }

  it('filters on any domain, size, industry, tag and custom values', async () => {
    expect(await which({ field: 'domain', op: 'eq', value: 'ACME.co.uk' })).toEqual(['Acme']);
    expect(await which({ field: 'domain', op: 'contains', value: 'globex' })).toEqual(['Globex']);
    expect(await which({ field: 'domain', op: 'isEmpty' })).toEqual(['initech']);
    expect(await which({ field: 'size', op: 'in', value: ['11-50', '501-1000'] })).toEqual(['Acme', 'Globex']);
    expect(await which({ field: 'size', op: 'isEmpty' })).toEqual(['initech']);
    expect(await which({ field: 'industry', op: 'isEmpty' })).toEqual(['Globex']);
    expect(await which({ field: 'industry', op: 'neq', value: 'software' })).toEqual(['Acme', 'Globex']);
    expect(await which({ field: 'tag', op: 'eq', value: 'partner' })).toEqual(['Acme']);
    expect(await which({ field: 'name', op: 'startsWith', value: 'INI' })).toEqual(['initech']);
    expect(await which({ field: 'phone', op: 'isEmpty', value: false })).toEqual(['initech']);
    expect(await which({ field: 'address.city', op: 'eq', value: 'leeds' })).toEqual(['Acme']);
    expect(await which({ field: 'custom.employees', op: 'gte', value: 40 })).toEqual(['Acme', 'Globex']);
    const error = await t.fail('companies.list', { filter: [{ field: 'size', op: 'eq', value: 'huge' }] });
    expect(issuePaths(error)).toEqual(['filter.0.value']);
    const unknown = await t.fail('companies.list', { filter: [{ field: 'lastName', op: 'eq', value: 'x' }] });
    expect(issuePaths(unknown)).toEqual(['filter.0.field']);
  });

  it('sorts by name case-insensitively by default, and on other columns', async () => {
    expect((await t.call('companies.list', {})).items.map((c) => c.name)).toEqual(['Acme', 'Globex', 'initech']);
    const byName = await t.call('companies.list', { sort: [{ field: 'name', dir: 'desc' }] });
    expect(byName.items.map((c) => c.name)).toEqual(['initech', 'Globex', 'Acme']);
    const byIndustry = await t.call('companies.list', { sort: [{ field: 'industry', dir: 'asc' }] });
    expect(byIndustry.items.map((c) => c.name)).toEqual(['Globex', 'Acme', 'initech']);
    const byEmployees = await t.call('companies.list', { sort: [{ field: 'custom.employees', dir: 'desc' }] });
    expect(byEmployees.items.map((c) => c.name)).toEqual(['Globex', 'Acme', 'initech']);
    const paged = await allPages((cursor) =>
      t.call('companies.list', { limit: 1, cursor, sort: [{ field: 'domain', dir: 'desc' }] }),
    );
    expect(paged.map((c) => c.name)).toEqual(['Globex', 'Acme', 'initech']);
  });
});
