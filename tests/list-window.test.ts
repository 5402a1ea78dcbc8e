// A filtered first page of an indexed sort is looked for by walking the sort's index (after a probe that tells how
// dense matches are), and asked of SQLite's planner when matches are rare or the walk falls short. Every way must
// give the same, correct pages; walkCounts shows which way each test took.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { WALK, walkCounts } from '../src/records/list-query.js';
import { allPages, openRecordsHearth, type TestHearth } from './support/records.js';

let t: TestHearth;
const COUNT = 2_300;
const name = (i: number) => `Name ${String(i).padStart(5, '0')}`;
/** A handful of former customers near the start, the rest far behind them. */
const FORMER = [2, 10, ...Array.from({ length: 10 }, (_, k) => 1502 + k).filter((i) => i % 4 !== 0)];

beforeAll(async () => {
  t = await openRecordsHearth();
  for (let i = 0; i < COUNT; i++) {
    // The last three are the only customers; every fourth person is a lead.
    const lifecycleStage =
      i >= COUNT - 3 ? 'customer' : i % 4 === 0 ? 'lead' : FORMER.includes(i) ? 'former_customer' : 'prospect';
    // Every fifth is tagged.
    await t.call('people.create', {
      firstName: 'P',
      lastName: name(i),
      lifecycleStage,
      tags: i % 5 === 0 ? ['fifth'] : [],
    });
  }
}, 120_000);
afterAll(async () => t.close());

const tuning = { ...WALK };
afterEach(() => Object.assign(WALK, tuning));

function counted<T>(run: () => Promise<T>): Promise<{ value: T; took: typeof walkCounts }> {
  const before = { ...walkCounts };
  return run().then((value) => ({
    value,
    took: {
      walked: walkCounts.walked - before.walked,
      probedThenPlanned: walkCounts.probedThenPlanned - before.probedThenPlanned,
      fellShort: walkCounts.fellShort - before.fellShort,
    },
  }));
}

// Sorted by creation time, which the planner cannot take from the stage index: it would sort every match.
const byCreation = [{ field: 'createdAt', dir: 'asc' }] as const;
const byCreationDesc = [{ field: 'createdAt', dir: 'desc' }] as const;

it('leaves rare matches to the planner once the probe finds none', async () => {
  const { value: page, took } = await counted(() =>
    t.call('people.list', {
      filter: [{ field: 'lifecycleStage', op: 'eq', value: 'customer' }],
      sort: [...byCreation],
    }),
  );
  expect(page.items.map((p) => p.lastName)).toEqual([COUNT - 3, COUNT - 2, COUNT - 1].map(name));
  expect(page.nextCursor).toBeNull();
  expect(took).toEqual({ walked: 0, probedThenPlanned: 1, fellShort: 0 });
});

it('walks to common matches and pages through them in order, each once, both ways', async () => {
  const filter = [{ field: 'lifecycleStage', op: 'eq', value: 'lead' }] as const;
  const expected = Array.from({ length: COUNT }, (_, i) => i)
    .filter((i) => i % 4 === 0 && i < COUNT - 3)
    .map(name);
  const { value: leads, took } = await counted(() =>
    allPages((cursor) => t.call('people.list', { filter: [...filter], sort: [...byCreation], limit: 100, cursor })),
  );
  expect(leads.map((p) => p.lastName)).toEqual(expected);
  expect(took.walked).toBeGreaterThan(0);
  const desc = await allPages((cursor) =>
    t.call('people.list', { filter: [...filter], sort: [...byCreationDesc], limit: 100, cursor }),
  );
  expect(desc.map((p) => p.lastName)).toEqual([...expected].reverse());
});

it('asks the planner when the walk falls short of a page, and still gives the first matches', async () => {
  // A short probe sees the two early former customers and expects the page within a few hundred rows.
  WALK.probe = 40;
  const { value: page, took } = await counted(() =>
    t.call('people.list', {
      filter: [{ field: 'lifecycleStage', op: 'eq', value: 'former_customer' }],
      sort: [...byCreation],
      limit: 5,
    }),
  );
  expect(page.items.map((p) => p.lastName)).toEqual(FORMER.slice(0, 5).map(name));
  expect(took).toEqual({ walked: 0, probedThenPlanned: 0, fellShort: 1 });
  const all = await allPages((cursor) =>
    t.call('people.list', {
      filter: [{ field: 'lifecycleStage', op: 'eq', value: 'former_customer' }],
      sort: [...byCreation],
      limit: 5,
      cursor,
    }),
  );
  expect(all.map((p) => p.lastName)).toEqual(FORMER.map(name));
});

it('walks with a covered filter and a filter it must read the row for, together', async () => {
  // Leads with "2" in their name: the stage is checked in the index, the name on the row.
  const filter = [
    { field: 'lifecycleStage', op: 'eq', value: 'lead' },
    { field: 'lastName', op: 'contains', value: '2' },
  ] as const;
  const expected = Array.from({ length: COUNT }, (_, i) => i)
    .filter((i) => i % 4 === 0 && i < COUNT - 3 && name(i).includes('2'))
    .map(name);
  const pages = await allPages((cursor) =>
    t.call('people.list', { filter: [...filter], sort: [...byCreation], limit: 25, cursor }),
  );
  expect(pages.map((p) => p.lastName)).toEqual(expected);
});

it('walks with a tag filter checked on the index, and pages through it in order', async () => {
  const filter = [{ field: 'tag', op: 'eq', value: 'fifth' }] as const;
  const expected = Array.from({ length: COUNT }, (_, i) => i)
    .filter((i) => i % 5 === 0)
    .map(name)
    .reverse();
  const { value: pages, took } = await counted(() =>
    allPages((cursor) => t.call('people.list', { filter: [...filter], sort: [...byCreationDesc], limit: 40, cursor })),
  );
  expect(pages.map((p) => p.lastName)).toEqual(expected);
  expect(took.walked).toBeGreaterThan(0);
});
