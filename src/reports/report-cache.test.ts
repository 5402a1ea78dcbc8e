// Reports kept between calls must never give an answer the data no longer holds: every write to what they read,
// by the API, by plain SQL or by a transaction that rolls back, is seen by the next call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRecordsHearth, type TestHearth } from '../../tests/support/records.js';
import type { Deal, Pipeline } from '../deals/types.js';

let t: TestHearth;
let sales: Pipeline;
let deal: Deal;

beforeAll(async () => {
  t = await openRecordsHearth();
  sales = (await t.call('pipelines.list', {})).items[0]!;
  deal = await t.call('deals.create', { title: 'First', pipelineId: sales.id, amount: 1000, currency: 'EUR' });
});
afterAll(() => t.close());

const openTotal = async () => (await t.call('reports.pipeline', {})).totals;

describe('reports kept between calls', () => {
  it('give the same answer again while nothing changed', async () => {
    const first = await t.call('reports.winRate', {});
    expect(await t.call('reports.winRate', {})).toEqual(first);
    expect(await openTotal()).toMatchObject({ count: 1, total: 1000 });
  });

  it('see writes through the API, plain SQL and the trash', async () => {
    await openTotal();
    deal = await t.call('deals.update', { id: deal.id, version: deal.version, patch: { amount: 2500 } });
    expect(await openTotal()).toMatchObject({ count: 1, total: 2500 });

    t.hearth.sqlite.prepare('UPDATE deals SET amount = 4000 WHERE id = ?').run(deal.id);
    expect(await openTotal()).toMatchObject({ count: 1, total: 4000 });

    await t.call('deals.delete', { id: deal.id });
    expect(await openTotal()).toMatchObject({ count: 0, total: 0 });
    await t.call('deals.restore', { id: deal.id });
    expect(await openTotal()).toMatchObject({ count: 1, total: 4000 });
  });

  it('do not keep what a rolled-back transaction wrote', async () => {
    const sqlite = t.hearth.sqlite;
    expect(await openTotal()).toMatchObject({ total: 4000 });
    sqlite.exec('BEGIN');
    sqlite.prepare('UPDATE deals SET amount = 9000 WHERE id = ?').run(deal.id);
    expect(await openTotal()).toMatchObject({ total: 9000 });
    sqlite.exec('ROLLBACK');
    expect(await openTotal()).toMatchObject({ total: 4000 });
  });

  it('see rates, stage and user changes', async () => {
    const usd = await t.call('deals.create', { title: 'Dollars', pipelineId: sales.id, amount: 1000, currency: 'USD' });
    expect((await t.call('reports.pipeline', {})).unconverted).toEqual([{ currency: 'USD', count: 1 }]);
    await t.call('rates.set', { currency: 'USD', effectiveDate: '2020-01-01', rate: '0.5' });
    expect(await openTotal()).toMatchObject({ count: 2, total: 4500 });
    await t.call('deals.delete', { id: usd.id });

    const lead = sales.stages[0]!;
    t.hearth.sqlite.prepare('UPDATE pipeline_stages SET name = ? WHERE id = ?').run('Prospect', lead.id);
    const stages = (await t.call('reports.pipeline', {})).stages;
    expect(stages.find((s) => s.stageId === lead.id)?.name).toBe('Prospect');
  });

  it('count stays still going on up to the time of each call', async () => {
    const before = (await t.call('reports.velocity', {})).stages[0]!;
    t.clock.now += 10 * 86_400_000;
    const after = (await t.call('reports.velocity', {})).stages[0]!;
    expect(before.deals).toBe(after.deals);
    expect(after.averageDays! - before.averageDays!).toBeCloseTo(10, 1);
  });
});
