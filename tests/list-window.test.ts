// A filtered first page of an indexed sort is looked for in a window of rows in index order, and asked of
// SQLite's planner when the window holds too few matches. Both ways must give the same, correct pages.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SCAN_WINDOW } from '../src/records/list-query.js';
import { allPages, openRecordsHearth, type TestHearth } from './support/records.js';

let t: TestHearth;
const COUNT = SCAN_WINDOW + 300;
const name = (i: number) => `Name ${String(i).padStart(5, '0')}`;

beforeAll(async () => {
  t = await openRecordsHearth();
  for (let i = 0; i < COUNT; i++) {
    // The last three by name are the only customers; every fourth person is a lead.
    const lifecycleStage = i >= COUNT - 3 ? 'customer' : i % 4 === 0 ? 'lead' : 'prospect';
    await t.call('people.create', { firstName: 'P', lastName: name(i), lifecycleStage });
  }
}, 120_000);
afterAll(async () => t.close());

it('finds matches that lie beyond the window', async () => {
  const page = await t.call('people.list', { filter: [{ field: 'lifecycleStage', op: 'eq', value: 'customer' }] });
  expect(page.items.map((p) => p.lastName)).toEqual([COUNT - 3, COUNT - 2, COUNT - 1].map(name));
  expect(page.nextCursor).toBeNull();
});

it('pages through common matches in order, each once, across the window boundary', async () => {
  const filter = [{ field: 'lifecycleStage', op: 'eq', value: 'lead' }] as const;
  const leads = await allPages((cursor) => t.call('people.list', { filter: [...filter], limit: 100, cursor }));
  const expected = Array.from({ length: COUNT }, (_, i) => i)
    .filter((i) => i % 4 === 0 && i < COUNT - 3)
    .map(name);
  expect(leads.map((p) => p.lastName)).toEqual(expected);
  const desc = await allPages((cursor) =>
    t.call('people.list', { filter: [...filter], sort: [{ field: 'lastName', dir: 'desc' }], limit: 100, cursor }),
  );
  expect(desc.map((p) => p.lastName)).toEqual([...expected].reverse());
});
