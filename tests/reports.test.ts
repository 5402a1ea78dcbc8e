// Reports over a small fixture built only through the API, with every expected number worked out by hand.
// Base currency EUR. USD is 0.9 from 2026-01-01 and 0.8 from 2026-02-01; GBP has no rate (unconverted).
// Every event happens at 12:00 UTC on the day named; the reports are asked on 2026-03-10 (USD at 0.8 for open deals).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputOf } from '../src/api/contract.js';
import type { Actor } from '../src/api/procedure.js';
import type { Deal, Pipeline } from '../src/deals/types.js';
import { issuePaths, openRecordsHearth, type TestHearth } from './support/records.js';

let t: TestHearth;
let bob: Actor;
let sales: Pipeline;
let partners: Pipeline;
const d: Record<string, Deal> = {};

const noon = (day: string) => Date.parse(`${day}T12:00:00Z`);
const NOW = noon('2026-03-10');

/** The id of a stage of a pipeline by name. */
function stage(pipeline: Pipeline, name: string): string {
  const found = pipeline.stages.find((s) => s.name === name);
  if (!found) throw new Error(`no stage ${name}`);
  return found.id;
}

async function create(key: string, day: string, input: InputOf<'deals.create'>): Promise<void> {
  t.clock.now = noon(day);
  d[key] = await t.call('deals.create', input);
}

async function move(key: string, day: string, stageId: string, lostReason?: string): Promise<void> {
  t.clock.now = noon(day);
  const deal = d[key]!;
  d[key] = await t.call('deals.move', {
    id: deal.id,
    version: deal.version,
    stageId,
    ...(lostReason === undefined ? {} : { lostReason }),
  });
}

beforeAll(async () => {
  t = await openRecordsHearth();
  bob = t.addUser('Bob');
  const admin = t.actor.userId;

  t.clock.now = noon('2026-01-02');
  await t.call('rates.set', { currency: 'USD', effectiveDate: '2026-01-01', rate: '0.9' });
  await t.call('rates.set', { currency: 'USD', effectiveDate: '2026-02-01', rate: '0.8' });
  sales = (await t.call('pipelines.list', {})).items[0]!;
  partners = await t.call('pipelines.create', {
    name: 'Partners',
    stages: [
      { name: 'Intro', probability: 20, kind: 'open' },
      { name: 'Signed', probability: 100, kind: 'won' },
      { name: 'Dropped', probability: 0, kind: 'lost' },
    ],
  });
  const [lead, qualified, proposal, negotiation, won, lost] = [
    'Lead',
    'Qualified',
    'Proposal',
    'Negotiation',
    'Won',
    'Lost',
  ].map((name) => stage(sales, name)) as [string, string, string, string, string, string];

  // Open in Proposal (50%): EUR 1,000.00, expected 2026-03-15. Lead 2 days, Qualified 8, Proposal since 01-20.
  await create('d1', '2026-01-10', {
    title: 'D1',
    amount: 100000,
    currency: 'EUR',
    source: 'web',
    expectedCloseDate: '2026-03-15',
  });
  expect(d.d1!.stageId).toBe(lead); // a new deal starts in the first stage of the first pipeline
  await move('d1', '2026-01-12', qualified);
  await move('d1', '2026-01-20', proposal);
  // Open in Negotiation with its own probability 40: USD 500.00, Bob's, expected 2026-04-20. Lead 5 days.
  await create('d2', '2026-01-10', {
    title: 'D2',
    amount: 50000,
    currency: 'USD',
    ownerId: bob.userId,
    source: 'referral',
    expectedCloseDate: '2026-04-20',
    probability: 40,
  });
  await move('d2', '2026-01-15', negotiation);
  // Won 01-25: EUR 2,000.00. Lead 2 days, Qualified 12; cycle 14 days.
  await create('d3', '2026-01-11', { title: 'D3', amount: 200000, currency: 'EUR', source: 'web' });
  await move('d3', '2026-01-13', qualified);
  await move('d3', '2026-01-25', won);
  // Won 02-05 (USD at 0.8): USD 1,000.00, Bob's. Lead 8 days, Proposal 16; cycle 24 days.
  await create('d4', '2026-01-12', {
    title: 'D4',
    amount: 100000,
    currency: 'USD',
    ownerId: bob.userId,
    source: 'referral',
  });
  await move('d4', '2026-01-20', proposal);
  await move('d4', '2026-02-05', won);
  // Won 01-28 (USD at 0.9): USD 300.00. Lead 16 days; cycle 16 days.
  await create('d5', '2026-01-12', { title: 'D5', amount: 30000, currency: 'USD', source: 'Referral' });
  await move('d5', '2026-01-28', won);
  // Lost 02-10 for "Price": EUR 400.00, Bob's. Lead 2 days, Qualified 25; cycle 27 days.
  await create('d6', '2026-01-14', { title: 'D6', amount: 40000, currency: 'EUR', ownerId: bob.userId, source: 'web' });
  await move('d6', '2026-01-16', qualified);
  await move('d6', '2026-02-10', lost, 'Price');
  // Lost 02-12 for "price": GBP 700.00 (no rate). Lead 28 days; cycle 28 days.
  await create('d7', '2026-01-15', { title: 'D7', amount: 70000, currency: 'GBP', source: 'web' });
  await move('d7', '2026-02-12', lost, 'price');
  // Lost 02-15 without a reason or a source: EUR 250.00. Lead 31 days; cycle 31 days.
  await create('d8', '2026-01-15', { title: 'D8', amount: 25000, currency: 'EUR' });
  await move('d8', '2026-02-15', lost);
  // Open in Lead without an expected close date: GBP 100.00 (no rate), Bob's. Lead since 01-16.
  await create('d9', '2026-01-16', { title: 'D9', amount: 10000, currency: 'GBP', ownerId: bob.userId, source: 'web' });
  // Partners, won 02-20: EUR 600.00. Intro 31 days; cycle 31 days.
  await create('d10', '2026-01-20', {
    title: 'D10',
    pipelineId: partners.id,
    amount: 60000,
    currency: 'EUR',
    source: 'partner',
  });
  await move('d10', '2026-02-20', stage(partners, 'Signed'));
  // In the trash: counts nowhere.
  await create('d11', '2026-01-20', {
    title: 'D11',
    amount: 99999,
    currency: 'EUR',
    source: 'web',
    expectedCloseDate: '2026-03-01',
  });
  await t.call('deals.delete', { id: d.d11!.id });

  const activity = async (kind: 'call' | 'meeting' | 'email' | 'other', day: string, ownerId: string, deal?: string) =>
    t.call('activities.create', { kind, occurredAt: noon(day), ownerId, dealIds: deal ? [d[deal]!.id] : [] });
  await activity('call', '2026-01-12', admin, 'd1'); // week of Mon 01-12; Sales, web
  await activity('meeting', '2026-01-14', admin, 'd2'); // week of 01-12; Sales, referral
  await activity('email', '2026-01-20', bob.userId, 'd10'); // week of 01-19; Partners, partner
  await activity('other', '2026-01-21', bob.userId); // week of 01-19; no deal
  await activity('call', '2026-02-02', bob.userId, 'd6'); // week of 02-02; Sales, web
  t.clock.now = NOW;
});

afterAll(async () => {
  await t.close();
});

function row<T extends { stageId: string }>(rows: T[], stageId: string): T {
  const found = rows.find((r) => r.stageId === stageId);
  if (!found) throw new Error(`no row for stage ${stageId}`);
  return found;
}

describe('reports.pipeline', () => {
  it('counts and sums every stage, open deals at today’s rate and closed ones at their close day’s', async () => {
    t.clock.now = NOW;
    const report = await t.call('reports.pipeline', {});
    expect(report.baseCurrency).toBe('EUR');
    const at = (pipeline: Pipeline, name: string) => {
      const r = row(report.stages, stage(pipeline, name));
      return [r.count, r.total, r.weightedTotal];
    };
    expect(at(sales, 'Lead')).toEqual([1, 0, 0]); // D9 in GBP: counted, not summed
    expect(at(sales, 'Qualified')).toEqual([0, 0, 0]);
    expect(at(sales, 'Proposal')).toEqual([1, 100000, 50000]); // EUR 1,000.00 × 50%
    expect(at(sales, 'Negotiation')).toEqual([1, 40000, 16000]); // USD 500.00 at 0.8 = 400.00, × 40%
    // EUR 2,000.00 + USD 1,000.00 at 0.8 (02-05) + USD 300.00 at 0.9 (01-28) = 2,000 + 800 + 270 = 3,070.00
    expect(at(sales, 'Won')).toEqual([3, 307000, 307000]);
    expect(at(sales, 'Lost')).toEqual([3, 65000, 0]); // EUR 400 + 250 (GBP left out), probability 0
    expect(at(partners, 'Signed')).toEqual([1, 60000, 60000]);
    expect(at(partners, 'Intro')).toEqual([0, 0, 0]);
    const first = report.stages[0]!;
    expect(first).toMatchObject({
      pipelineId: sales.id,
      pipelineName: 'Sales',
      name: 'Lead',
      kind: 'open',
      probability: 10,
    });
    // 0 + 1,000 + 400 + 3,070 + 650 + 600 = 5,720.00; weighted 500 + 160 + 3,070 + 600 = 4,330.00
    expect(report.totals).toEqual({ count: 10, total: 572000, weightedTotal: 433000 });
    expect(report.unconverted).toEqual([{ currency: 'GBP', count: 2 }]);
  });

  it('filters by pipeline, owner and source (any case)', async () => {
    const partnersOnly = await t.call('reports.pipeline', { pipelineId: partners.id });
    expect(partnersOnly.stages.map((s) => s.name)).toEqual(['Intro', 'Signed', 'Dropped']);
    expect(partnersOnly.totals).toEqual({ count: 1, total: 60000, weightedTotal: 60000 });

    // Bob: D2 400 (weighted 160) + D4 800 + D6 400 + D9 (GBP)
    const bobs = await t.call('reports.pipeline', { ownerId: bob.userId });
    expect(bobs.totals).toEqual({ count: 4, total: 160000, weightedTotal: 96000 });
    expect(bobs.unconverted).toEqual([{ currency: 'GBP', count: 1 }]);

    // web: D1 1,000 (500) + D3 2,000 + D6 400 (0) + D7 and D9 in GBP
    const web = await t.call('reports.pipeline', { source: 'WEB' });
    expect(web.totals).toEqual({ count: 5, total: 340000, weightedTotal: 250000 });
    expect(web.unconverted).toEqual([{ currency: 'GBP', count: 2 }]);
  });

  it('takes open deals by expected close date and closed ones by close day in a period', async () => {
    // February: D4 won 02-05 (800), D6 lost 02-10 (400), D7 lost 02-12 (GBP), D8 lost 02-15 (250), D10 won 02-20 (600)
    const february = await t.call('reports.pipeline', { from: '2026-02-01', to: '2026-02-28' });
    expect(february.totals).toEqual({ count: 5, total: 205000, weightedTotal: 140000 });
    expect(february.unconverted).toEqual([{ currency: 'GBP', count: 1 }]);
    // March: only D1 (expected 03-15); D9 has no expected date, D11 is in the trash.
    const march = await t.call('reports.pipeline', { from: '2026-03-01', to: '2026-03-31' });
    expect(march.totals).toEqual({ count: 1, total: 100000, weightedTotal: 50000 });
    expect(march.unconverted).toEqual([]);
    // From 2026-02-06 on: D2 (04-20), D1 (03-15), D6, D7, D8, D10.
    const since = await t.call('reports.pipeline', { from: '2026-02-06' });
    expect(since.totals).toEqual({ count: 6, total: 100000 + 40000 + 40000 + 25000 + 60000, weightedTotal: 126000 });
    // Until 2026-01-31: D3 (01-25) and D5 (01-28): 2,000 + 270.
    const until = await t.call('reports.pipeline', { to: '2026-01-31' });
    expect(until.totals).toEqual({ count: 2, total: 227000, weightedTotal: 227000 });
  });
});

describe('reports.forecast', () => {
  it('puts open deals in their expected close month and won deals in their close month', async () => {
    const report = await t.call('reports.forecast', {});
    expect(report.months).toEqual([
      // D3 2,000 + D5 USD 300 at 0.9 = 2,270.00
      { month: '2026-01', openCount: 0, open: 0, weighted: 0, wonCount: 2, won: 227000 },
      // D4 USD 1,000 at 0.8 + D10 600 = 1,400.00
      { month: '2026-02', openCount: 0, open: 0, weighted: 0, wonCount: 2, won: 140000 },
      { month: '2026-03', openCount: 1, open: 100000, weighted: 50000, wonCount: 0, won: 0 },
      // D2 USD 500 at today's 0.8 = 400.00, × 40%
      { month: '2026-04', openCount: 1, open: 40000, weighted: 16000, wonCount: 0, won: 0 },
    ]);
    expect(report.undated).toEqual({ openCount: 1, open: 0, weighted: 0 }); // D9, GBP
    expect(report.unconverted).toEqual([{ currency: 'GBP', count: 1 }]);
  });

  it('fills the months of a period and leaves undated deals out of it', async () => {
    const report = await t.call('reports.forecast', { from: '2026-02-01', to: '2026-05-31', pipelineId: sales.id });
    expect(report.months).toEqual([
      { month: '2026-02', openCount: 0, open: 0, weighted: 0, wonCount: 1, won: 80000 },
      { month: '2026-03', openCount: 1, open: 100000, weighted: 50000, wonCount: 0, won: 0 },
      { month: '2026-04', openCount: 1, open: 40000, weighted: 16000, wonCount: 0, won: 0 },
      { month: '2026-05', openCount: 0, open: 0, weighted: 0, wonCount: 0, won: 0 },
    ]);
    expect(report.undated).toEqual({ openCount: 0, open: 0, weighted: 0 });
    expect(report.unconverted).toEqual([]);
  });
});

describe('reports.winRate', () => {
  it('counts won and lost deals overall, by owner and by source, with the won amounts', async () => {
    const report = await t.call('reports.winRate', {});
    expect(report.overall).toEqual({ won: 4, lost: 3, winRate: 4 / 7 });
    expect(report.byOwner).toEqual([
      // D3 2,000 + D5 270 + D10 600; lost D7, D8
      { ownerId: t.actor.userId, ownerName: 'Test Admin', won: 3, lost: 2, winRate: 0.6, wonAmount: 287000 },
      // D4 800; lost D6
      { ownerId: bob.userId, ownerName: 'Bob', won: 1, lost: 1, winRate: 0.5, wonAmount: 80000 },
    ]);
    expect(report.bySource).toEqual([
      { source: 'web', won: 1, lost: 2, winRate: 1 / 3, wonAmount: 200000 },
      // "referral" and "Referral" are one source: D4 800 + D5 270
      { source: expect.stringMatching(/^referral$/i), won: 2, lost: 0, winRate: 1, wonAmount: 107000 },
      { source: 'partner', won: 1, lost: 0, winRate: 1, wonAmount: 60000 },
      { source: null, won: 0, lost: 1, winRate: 0, wonAmount: 0 },
    ]);
    expect(report.unconverted).toEqual([]);
  });

  it('answers null without closed deals and honours the filters', async () => {
    const bobs = await t.call('reports.winRate', { ownerId: bob.userId, to: '2026-02-09' });
    expect(bobs.overall).toEqual({ won: 1, lost: 0, winRate: 1 }); // D4; D6 was lost on 02-10
    const none = await t.call('reports.winRate', { from: '2026-03-01' });
    expect(none).toMatchObject({ overall: { won: 0, lost: 0, winRate: null }, byOwner: [], bySource: [] });
  });
});

describe('reports.velocity', () => {
  it('averages days per stage, the cycle and the won deal size into a velocity', async () => {
    t.clock.now = NOW;
    const report = await t.call('reports.velocity', {});
    const days = (pipeline: Pipeline, name: string) => {
      const r = row(report.stages, stage(pipeline, name));
      return [r.averageDays, r.deals];
    };
    // Lead: D1 2 + D2 5 + D3 2 + D4 8 + D5 16 + D6 2 + D7 28 + D8 31 + D9 53 (still there) = 147 days / 9
    expect(days(sales, 'Lead')).toEqual([16.33, 9]);
    expect(days(sales, 'Qualified')).toEqual([15, 3]); // D1 8 + D3 12 + D6 25
    expect(days(sales, 'Proposal')).toEqual([32.5, 2]); // D1 49 (01-20 to today) + D4 16
    expect(days(sales, 'Negotiation')).toEqual([54, 1]); // D2 since 01-15
    expect(days(partners, 'Intro')).toEqual([31, 1]);
    expect(report.stages.map((s) => s.name)).toEqual(['Lead', 'Qualified', 'Proposal', 'Negotiation', 'Intro']);
    // Cycles 14 + 24 + 16 + 27 + 28 + 31 + 31 = 171 days over 7 closed deals
    expect(report.averageCycleDays).toBe(24.43);
    expect(report.openDeals).toBe(3); // D1, D2, D9
    expect(report.averageDealSize).toBe(91750); // (2,000 + 800 + 270 + 600) / 4
    expect(report.winRate).toBe(4 / 7);
    // 3 × 917.50 × 4/7 ÷ (171/7) = 3 × 91750 × 4 / 171 = 6438.6 minor units a day
    expect(report.velocity).toBe(6439);
    expect(report.unconverted).toEqual([]);
  });

  it("keeps to one owner's deals", async () => {
    const report = await t.call('reports.velocity', { ownerId: bob.userId });
    // Bob: D2 (open), D4 (won), D6 (lost), D9 (open). Lead: 5 + 8 + 2 + 53 = 68 days / 4
    expect(report.stages.map((s) => [s.name, s.averageDays, s.deals])).toEqual([
      ['Lead', 17, 4],
      ['Qualified', 25, 1],
      ['Proposal', 16, 1],
      ['Negotiation', 54, 1],
      ['Intro', null, 0],
    ]);
    // Cycles 24 + 27 over 2; 2 open × 800.00 × 1/2 ÷ 25.5 days = 3137.25
    expect(report).toMatchObject({
      averageCycleDays: 25.5,
      openDeals: 2,
      averageDealSize: 80000,
      winRate: 0.5,
      velocity: 3137,
    });
  });

  it('keeps to one pipeline', async () => {
    const report = await t.call('reports.velocity', { pipelineId: partners.id });
    expect(report).toMatchObject({
      stages: [{ name: 'Intro', averageDays: 31, deals: 1 }],
      averageCycleDays: 31,
      openDeals: 0,
      averageDealSize: 60000,
      winRate: 1,
      velocity: 0,
    });
  });
});

describe('reports.funnel', () => {
  it('counts deals that reached each open stage or a later one, then won, for the first pipeline', async () => {
    const report = await t.call('reports.funnel', {});
    expect(report.pipelineId).toBe(sales.id);
    // Furthest: D1 Proposal, D2 Negotiation, D3 D4 D5 Won, D6 Qualified, D7 D8 D9 Lead (D7 and D8 were lost there).
    expect(report.stages.map((s) => [s.name, s.reached, s.conversion])).toEqual([
      ['Lead', 9, 6 / 9],
      ['Qualified', 6, 5 / 6],
      ['Proposal', 5, 4 / 5],
      ['Negotiation', 4, 3 / 4],
      ['Won', 3, null],
    ]);
  });

  it('takes deals created in the period, of the owner and source asked for', async () => {
    // Created 01-12 to 01-14: D4 (won), D5 (won), D6 (lost from Qualified)
    const created = await t.call('reports.funnel', { pipelineId: sales.id, from: '2026-01-12', to: '2026-01-14' });
    expect(created.stages.map((s) => [s.reached, s.conversion])).toEqual([
      [3, 1],
      [3, 2 / 3],
      [2, 1],
      [2, 1],
      [2, null],
    ]);
    // Bob in Sales: D2 (Negotiation), D4 (won), D6 (Qualified), D9 (Lead)
    const bobs = await t.call('reports.funnel', { ownerId: bob.userId });
    expect(bobs.stages.map((s) => s.reached)).toEqual([4, 3, 2, 2, 1]);
    const partnerDeals = await t.call('reports.funnel', { pipelineId: partners.id, source: 'partner' });
    expect(partnerDeals.stages.map((s) => [s.name, s.reached, s.conversion])).toEqual([
      ['Intro', 1, 1],
      ['Signed', 1, null],
    ]);
  });
});

describe('reports.activity', () => {
  it('counts activities by owner and by week, filling empty weeks', async () => {
    const report = await t.call('reports.activity', {});
    expect(report.byUser).toEqual([
      { userId: bob.userId, name: 'Bob', call: 1, meeting: 0, email: 1, other: 1, total: 3 },
      { userId: t.actor.userId, name: 'Test Admin', call: 1, meeting: 1, email: 0, other: 0, total: 2 },
    ]);
    expect(report.series).toEqual([
      { week: '2026-01-12', call: 1, meeting: 1, email: 0, other: 0 },
      { week: '2026-01-19', call: 0, meeting: 0, email: 1, other: 1 },
      { week: '2026-01-26', call: 0, meeting: 0, email: 0, other: 0 },
      { week: '2026-02-02', call: 1, meeting: 0, email: 0, other: 0 },
    ]);
  });

  it('keeps activities linked to deals of a pipeline or source, of an owner, in a period', async () => {
    const salesOnly = await t.call('reports.activity', { pipelineId: sales.id });
    expect(salesOnly.byUser.map((u) => [u.name, u.total])).toEqual([
      ['Test Admin', 2],
      ['Bob', 1],
    ]);
    const web = await t.call('reports.activity', { source: 'web' });
    expect(web.series.map((w) => [w.week, w.call])).toEqual([
      ['2026-01-12', 1],
      ['2026-01-19', 0],
      ['2026-01-26', 0],
      ['2026-02-02', 1],
    ]);
    const bobs = await t.call('reports.activity', { ownerId: bob.userId, from: '2026-01-19', to: '2026-01-25' });
    expect(bobs.byUser).toEqual([
      { userId: bob.userId, name: 'Bob', call: 0, meeting: 0, email: 1, other: 1, total: 2 },
    ]);
    expect(bobs.series).toEqual([{ week: '2026-01-19', call: 0, meeting: 0, email: 1, other: 1 }]);
  });
});

describe('reports.lostReasons', () => {
  it('groups lost deals by reason in any case, with the amounts and the deals it could not convert', async () => {
    const report = await t.call('reports.lostReasons', {});
    expect(report.reasons).toEqual([
      // D6 EUR 400.00 and D7 in GBP (left out of the amount)
      { reason: expect.stringMatching(/^price$/i), count: 2, amount: 40000 },
      { reason: null, count: 1, amount: 25000 },
    ]);
    expect(report.unconverted).toEqual([{ currency: 'GBP', count: 1 }]);
    const admins = await t.call('reports.lostReasons', { ownerId: t.actor.userId });
    expect(admins.reasons).toEqual([
      { reason: null, count: 1, amount: 25000 },
      { reason: 'price', count: 1, amount: 0 },
    ]);
    const late = await t.call('reports.lostReasons', { from: '2026-02-11', to: '2026-02-28', source: 'web' });
    expect(late.reasons).toEqual([{ reason: 'price', count: 1, amount: 0 }]);
  });
});

describe('report filters', () => {
  it('refuse dates that are not real days, a period that ends before it starts and unknown keys', async () => {
    for (const input of [
      { from: '2026-02-30' },
      { to: '2026-13-01' },
      { from: '26-01-01' },
      { from: '2026-03-01', to: '2026-02-28' },
      { pipelineId: 'not-an-id' },
      { period: 'month' },
    ]) {
      const error = await t.fail('reports.pipeline', input);
      expect(error.code).toBe('VALIDATION');
    }
    expect(issuePaths(await t.fail('reports.forecast', { from: '2026-03-01', to: '2026-02-28' }))).toEqual(['to']);
    expect(issuePaths(await t.fail('reports.activity', { from: '2026-02-29' }))).toEqual(['from']);
  });

  it('are open to a read-only user, and a one-day period is allowed', async () => {
    const reader = t.addUser('Reader', 'readonly');
    const oneDay = await t.call('reports.lostReasons', { from: '2026-02-15', to: '2026-02-15' }, reader);
    expect(oneDay.reasons).toEqual([{ reason: null, count: 1, amount: 25000 }]);
  });
});
