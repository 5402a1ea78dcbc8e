// Pipelines and deals: stage history, column order, automation rules in the move's transaction, exact totals
// in the base currency, the trash, and deals on timelines. Expected numbers are worked out by hand in comments.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Pipeline } from '../src/deals/types.js';
import { issuePaths, openRecordsHearth, START, type TestHearth } from './support/records.js';

let t: TestHearth;
let sales: Pipeline;
const DAY = 86_400_000;

beforeEach(async () => {
  t = await openRecordsHearth();
  const settings = await t.call('settings.get', {});
  await t.call('settings.update', { version: settings.version, patch: { baseCurrency: 'EUR' } });
  [sales] = (await t.call('pipelines.list', {})).items as [Pipeline];
});
afterEach(async () => {
  await t.close();
});

const stage = (name: string) => sales.stages.find((s) => s.name === name)!.id;

describe('pipelines', () => {
  it('gives a new workspace a Sales pipeline with open, won and lost stages', () => {
    expect(sales.name).toBe('Sales');
    expect(sales.stages.map((s) => `${s.name}:${s.kind}:${s.probability}`)).toEqual([
      'Lead:open:10',
      'Qualified:open:25',
      'Proposal:open:50',
      'Negotiation:open:75',
      'Won:won:100',
      'Lost:lost:0',
    ]);
  });

  it('creates, edits and archives pipelines, and refuses a stage list without a won stage', async () => {
    const bad = await t.fail('pipelines.create', {
      name: 'Renewals',
      stages: [
        { name: 'Due', probability: 50, kind: 'open' },
        { name: 'Lost', probability: 0, kind: 'lost' },
      ],
    });
    expect(bad.code).toBe('VALIDATION');
    expect(issuePaths(bad)).toEqual(['stages']);
    const renewals = await t.call('pipelines.create', {
      name: 'Renewals',
      stages: [
        { name: 'Due', probability: 60, kind: 'open', staleDays: 7 },
        { name: 'Renewed', probability: 100, kind: 'won' },
        { name: 'Churned', probability: 0, kind: 'lost' },
      ],
    });
    expect(renewals.position).toBe(1);
    const deal = await t.call('deals.create', { title: 'Acme renewal', pipelineId: renewals.id });
    expect(deal.stageId).toBe(renewals.stages[0]!.id);
    // Removing the stage that holds the deal is refused and changes nothing.
    const refused = await t.fail('pipelines.update', {
      id: renewals.id,
      version: renewals.version,
      patch: { stages: [{ name: 'Offered', probability: 40, kind: 'open' }, ...renewals.stages.slice(1)] },
    });
    expect(refused.code).toBe('VALIDATION');
    expect(refused.message).toContain('"Due" still holds 1 deal');
    const edited = await t.call('pipelines.update', {
      id: renewals.id,
      version: renewals.version,
      patch: {
        name: 'Renewals 2027',
        stages: [renewals.stages[0]!, { name: 'Quoted', probability: 80, kind: 'open' }, ...renewals.stages.slice(1)],
      },
    });
    expect(edited.stages.map((s) => s.name)).toEqual(['Due', 'Quoted', 'Renewed', 'Churned']);
    expect(edited.version).toBe(2);
    const stale = await t.fail('pipelines.update', { id: renewals.id, version: 1, patch: { name: 'x' } });
    expect(stale.code).toBe('CONFLICT');
    await t.call('pipelines.archive', { id: renewals.id, archived: true });
    expect((await t.call('pipelines.list', {})).items.map((p) => p.name)).toEqual(['Sales']);
    const last = await t.fail('pipelines.archive', { id: sales.id, archived: true });
    expect(last.code).toBe('VALIDATION');
  });
});

describe('deals', () => {
  it('goes to the first stage of the first pipeline in the base currency by default, and refuses bad money', async () => {
    const deal = await t.call('deals.create', { title: 'Website redesign', amount: 1_250_000 });
    expect(deal).toMatchObject({
      pipelineId: sales.id,
      stageId: stage('Lead'),
      currency: 'EUR',
      amount: 1_250_000,
      status: 'open',
      effectiveProbability: 10,
      ownerId: t.actor.userId,
      stale: false,
    });
    const fractional = await t.fail('deals.create', { title: 'x', amount: 12.5 });
    expect(issuePaths(fractional)).toEqual(['amount']);
    const currency = await t.fail('deals.create', { title: 'x', currency: 'EURO' });
    expect([...new Set(issuePaths(currency))]).toEqual(['currency']);
    expect(t.count('deals')).toBe(1);
  });

  it('records stage history (entered, left, by whom), closes on won and reopens on an open stage', async () => {
    const created = await t.call('deals.create', { title: 'Audit', amount: 500_00 });
    const t0 = created.createdAt;
    const manager = t.addUser('Mona Manager', 'manager');
    const qualified = await t.call('deals.move', { id: created.id, version: 1, stageId: stage('Qualified') }, manager);
    const won = await t.call('deals.move', { id: created.id, version: qualified.version, stageId: stage('Won') });
    expect(won).toMatchObject({ status: 'won', closedAt: won.updatedAt, stageEnteredAt: won.updatedAt });
    const history = (await t.call('deals.history', { id: created.id })).items;
    expect(
      history.map((h) => [h.stageName, h.enteredAt - t0, h.enteredBy, h.leftAt && h.leftAt - t0, h.leftBy]),
    ).toEqual([
      ['Lead', 0, t.actor.userId, qualified.updatedAt - t0, manager.userId],
      ['Qualified', qualified.updatedAt - t0, manager.userId, won.updatedAt - t0, t.actor.userId],
      ['Won', won.updatedAt - t0, t.actor.userId, null, null],
    ]);
    const reopened = await t.call('deals.move', { id: created.id, version: won.version, stageId: stage('Proposal') });
    expect(reopened).toMatchObject({ status: 'open', closedAt: null, lostReason: null });
    const lost = await t.call('deals.move', {
      id: created.id,
      version: reopened.version,
      stageId: stage('Lost'),
      lostReason: 'Price too high',
    });
    expect(lost).toMatchObject({ status: 'lost', lostReason: 'Price too high' });
    // A stale version changes nothing.
    const conflict = await t.fail('deals.move', { id: created.id, version: won.version, stageId: stage('Lead') });
    expect(conflict.code).toBe('CONFLICT');
    expect((await t.call('deals.history', { id: created.id })).items).toHaveLength(5);
  });

  it('keeps the order of a column: new deals on top, a move puts a deal at the index asked for', async () => {
    const a = await t.call('deals.create', { title: 'A' });
    const b = await t.call('deals.create', { title: 'B' });
    const c = await t.call('deals.create', { title: 'C' });
    const titles = async () =>
      (await t.call('deals.board', { pipelineId: sales.id })).columns[0]!.deals.map((d) => d.title);
    expect(await titles()).toEqual(['C', 'B', 'A']);
    await t.call('deals.move', { id: a.id, version: a.version, stageId: stage('Lead'), position: 1 });
    expect(await titles()).toEqual(['C', 'A', 'B']);
    await t.call('deals.move', { id: c.id, version: c.version, stageId: stage('Lead'), position: 2 });
    expect(await titles()).toEqual(['A', 'B', 'C']);
    // Many moves into the same gap still keep the order (the column is spread out again when the gap runs out).
    let version = (await t.call('deals.get', { id: b.id })).version;
    for (let i = 0; i < 60; i++) {
      const target = i % 2 === 0 ? 1 : 0;
      version = (await t.call('deals.move', { id: b.id, version, stageId: stage('Lead'), position: target })).version;
    }
    expect(await titles()).toEqual(['B', 'A', 'C']);
    // Paging a column: two at a time.
    const first = await t.call('deals.board', { pipelineId: sales.id, limit: 2 });
    expect(first.columns[0]!.count).toBe(3);
    const next = await t.call('deals.board', {
      pipelineId: sales.id,
      stageId: stage('Lead'),
      cursor: first.columns[0]!.nextCursor!,
      limit: 2,
    });
    expect(next.columns.map((c) => c.deals.map((d) => d.title))).toEqual([['C']]);
    expect(next.columns[0]!.nextCursor).toBeNull();
  });

  it('sums each column exactly in the base currency: open deals at today’s rate, closed ones at their close day’s', async () => {
    await t.call('rates.set', { currency: 'USD', effectiveDate: '2026-01-01', rate: '0.9' });
    await t.call('rates.set', { currency: 'USD', effectiveDate: '2026-01-06', rate: '0.80' });
    await t.call('deals.create', { title: 'EUR deal', amount: 100_000 }); // EUR 1,000.00, Lead 10 %
    const usd = await t.call('deals.create', { title: 'USD deal', amount: 50_000, currency: 'USD', probability: 50 });
    await t.call('deals.create', { title: 'GBP deal', amount: 10_000, currency: 'GBP' }); // no GBP rate
    await t.call('deals.create', {
      title: 'Tiny',
      amount: 3,
      currency: 'USD',
      probability: 33,
      stageId: stage('Qualified'),
    });
    let board = await t.call('deals.board', { pipelineId: sales.id });
    // Lead on 2026-01-05 (USD 0.9): total 100000 + 50000 × 0.9 = 145000;
    // weighted 100000 × 10 % + 50000 × 50 % × 0.9 = 10000 + 22500 = 32500. GBP is left out and named.
    expect(board.baseCurrency).toBe('EUR');
    expect(board.columns[0]).toMatchObject({ count: 3, total: 145_000, weightedTotal: 32_500 });
    expect(board.columns[0]!.unconverted).toEqual([{ currency: 'GBP', count: 1 }]);
    // Qualified: 3 × 0.9 = 2.7 → 3; weighted 3 × 33 % × 0.9 = 0.891 → 1 (rounded once, at the end).
    expect(board.columns[1]).toMatchObject({ count: 1, total: 3, weightedTotal: 1 });
    // Won on 2026-01-05 at 0.9; two days later open deals use 0.8 but the won deal keeps its close-day rate.
    await t.call('deals.move', { id: usd.id, version: usd.version, stageId: stage('Won') });
    t.clock.now = START + 2 * DAY;
    board = await t.call('deals.board', { pipelineId: sales.id });
    const won = board.columns.find((c) => c.stage.kind === 'won')!;
    expect(won).toMatchObject({ count: 1, total: 45_000, weightedTotal: 22_500 });
    // Qualified now: 3 × 0.8 = 2.4 → 2.
    expect(board.columns[1]).toMatchObject({ total: 2 });
    // Rates: bad values are refused; the base currency has none.
    expect(issuePaths(await t.fail('rates.set', { currency: 'USD', effectiveDate: '2026-02-30', rate: '1' }))).toEqual([
      'effectiveDate',
    ]);
    expect(issuePaths(await t.fail('rates.set', { currency: 'USD', effectiveDate: '2026-02-01', rate: '-1' }))).toEqual(
      ['rate'],
    );
    expect(issuePaths(await t.fail('rates.set', { currency: 'EUR', effectiveDate: '2026-02-01', rate: '1' }))).toEqual([
      'currency',
    ]);
    const rates = await t.call('rates.list', {});
    expect(rates.items.map((r) => `${r.currency} ${r.effectiveDate} ${r.rate}`)).toEqual([
      'USD 2026-01-06 0.8',
      'USD 2026-01-01 0.9',
    ]);
    // Moving a rate to another day is one call: the new day's rate replaces the old one, or nothing changes.
    const [january6] = rates.items as [(typeof rates.items)[number]];
    const moved = await t.call('rates.set', {
      currency: 'USD',
      effectiveDate: '2026-01-04',
      rate: '0.8',
      replaces: january6.id,
    });
    const after = (await t.call('rates.list', {})).items;
    expect(after.map((r) => `${r.currency} ${r.effectiveDate} ${r.rate}`)).toEqual([
      'USD 2026-01-04 0.8',
      'USD 2026-01-01 0.9',
    ]);
    expect(after[0]!.id).toBe(moved.id);
    const refused = await t.fail('rates.set', {
      currency: 'USD',
      effectiveDate: '2026-03-01',
      rate: 'abc',
      replaces: moved.id,
    });
    expect(issuePaths(refused)).toEqual(['rate']);
    expect(
      (await t.fail('rates.set', { currency: 'USD', effectiveDate: '2026-03-01', rate: '1', replaces: january6.id }))
        .code,
    ).toBe('NOT_FOUND');
    expect((await t.call('rates.list', {})).items).toEqual(after);
  });

  it('marks open deals stale after their stage’s idle days', async () => {
    const deal = await t.call('deals.create', { title: 'Quiet' });
    t.clock.now = START + 15 * DAY;
    expect((await t.call('deals.get', { id: deal.id })).stale).toBe(true);
    await t.call('activities.create', { kind: 'call', subject: 'Checked in', dealIds: [deal.id] });
    const after = await t.call('deals.get', { id: deal.id });
    expect(after.stale).toBe(false);
    expect(after.lastActivityAt).not.toBeNull();
  });

  it('moves to the trash and back, and lists with filters', async () => {
    const a = await t.call('deals.create', { title: 'Alpha', amount: 100, source: 'Referral', tags: ['vip'] });
    await t.call('deals.create', { title: 'Beta', amount: 300, source: 'Web' });
    await t.call('deals.delete', { id: a.id });
    expect((await t.call('deals.board', { pipelineId: sales.id })).columns[0]!.count).toBe(1);
    expect((await t.call('trash.list', {})).items.map((i) => `${i.entity}:${i.title}`)).toEqual(['deal:Alpha']);
    await t.call('deals.restore', { id: a.id });
    const byAmount = await t.call('deals.list', { sort: [{ field: 'amount', dir: 'desc' }] });
    expect(byAmount.items.map((d) => d.title)).toEqual(['Beta', 'Alpha']);
    const tagged = await t.call('deals.list', { filter: [{ field: 'tag', op: 'eq', value: 'VIP' }] });
    expect(tagged.items.map((d) => d.title)).toEqual(['Alpha']);
    const bySource = await t.call('deals.list', { filter: [{ field: 'source', op: 'eq', value: 'web' }] });
    expect(bySource.items.map((d) => d.title)).toEqual(['Beta']);
  });
});

describe('automation rules', () => {
  it('run in their order, which moving a rule changes (the others keep theirs around it)', async () => {
    const rule = (name: string, value: number) =>
      t.call('automations.create', {
        pipelineId: sales.id,
        name,
        trigger: 'enter',
        stageId: stage('Proposal'),
        action: { type: 'setField', field: 'probability', value },
      });
    const first = await rule('Forty', 40);
    await rule('Sixty', 60);
    const third = await rule('Eighty', 80);
    const order = async () =>
      (await t.call('automations.list', { pipelineId: sales.id })).items.map((r) => `${r.position} ${r.name}`);
    expect(await order()).toEqual(['0 Forty', '1 Sixty', '2 Eighty']);
    // The last rule to set the field is the one that stays.
    const a = await t.call('deals.create', { title: 'A' });
    expect((await t.call('deals.move', { id: a.id, version: a.version, stageId: stage('Proposal') })).probability).toBe(
      80,
    );
    await t.call('automations.update', { id: third.id, version: third.version, patch: { position: 0 } });
    expect(await order()).toEqual(['0 Eighty', '1 Forty', '2 Sixty']);
    const b = await t.call('deals.create', { title: 'B' });
    expect((await t.call('deals.move', { id: b.id, version: b.version, stageId: stage('Proposal') })).probability).toBe(
      60,
    );
    // A place past the end is the end.
    await t.call('automations.update', { id: first.id, version: first.version, patch: { position: 99 } });
    expect(await order()).toEqual(['0 Eighty', '1 Sixty', '2 Forty']);
  });

  it('run in the move’s transaction: a task for the owner, a tag, a field; each run audited', async () => {
    await t.call('automations.create', {
      pipelineId: sales.id,
      name: 'Invoice on win',
      trigger: 'won',
      action: { type: 'createTask', title: 'Send invoice', dueInDays: 3 },
    });
    await t.call('automations.create', {
      pipelineId: sales.id,
      name: 'Hot at proposal',
      trigger: 'enter',
      stageId: stage('Proposal'),
      action: { type: 'addTag', tag: 'hot' },
    });
    await t.call('automations.create', {
      pipelineId: sales.id,
      name: 'Mark lost source',
      trigger: 'lost',
      action: { type: 'setField', field: 'probability', value: 0 },
    });
    const person = await t.call('people.create', { firstName: 'Ada', lastName: 'Lovelace' });
    const deal = await t.call('deals.create', { title: 'Engine', personIds: [person.id] });
    const proposal = await t.call('deals.move', { id: deal.id, version: deal.version, stageId: stage('Proposal') });
    expect(proposal.tags).toEqual(['hot']);
    const won = await t.call('deals.move', { id: deal.id, version: proposal.version, stageId: stage('Won') });
    const tasks = (await t.call('tasks.list', { filter: [{ field: 'dealId', op: 'eq', value: deal.id }] })).items;
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      title: 'Send invoice',
      dueAt: won.updatedAt + 3 * DAY,
      assigneeId: t.actor.userId,
      dealIds: [deal.id],
      personIds: [person.id],
    });
    // One audit entry for the move holds the deal's change, the task and the rule's run.
    const entry = t.hearth.sqlite
      .prepare("SELECT diff FROM audit_log WHERE procedure = 'deals.move' ORDER BY seq DESC LIMIT 1")
      .get() as { diff: string };
    const entities = (JSON.parse(entry.diff) as { entity: string }[]).map((d) => d.entity);
    expect(entities).toEqual(['deal', 'task', 'automation']);
    const lost = await t.call('deals.move', { id: deal.id, version: won.version, stageId: stage('Lost') });
    expect(lost.probability).toBe(0);
  });

  it('skips a rule that no longer fits instead of blocking the move, and saying so in the audit', async () => {
    const field = await t.call('fields.create', { entity: 'deal', label: 'Region', type: 'text' });
    await t.call('automations.create', {
      pipelineId: sales.id,
      name: 'Region on win',
      trigger: 'won',
      action: { type: 'setField', field: `custom.${field.key}`, value: 'EMEA' },
    });
    await t.call('fields.archive', { id: field.id, version: field.version });
    const deal = await t.call('deals.create', { title: 'Thing' });
    const won = await t.call('deals.move', { id: deal.id, version: deal.version, stageId: stage('Won') });
    expect(won.status).toBe('won');
    expect(won.custom).toEqual({});
    const entry = t.hearth.sqlite
      .prepare("SELECT diff FROM audit_log WHERE procedure = 'deals.move' ORDER BY seq DESC LIMIT 1")
      .get() as { diff: string };
    expect(entry.diff).toContain('skipped');
  });

  it('refuses rules that cannot run', async () => {
    const noStage = await t.fail('automations.create', {
      pipelineId: sales.id,
      name: 'x',
      trigger: 'enter',
      action: { type: 'addTag', tag: 'a' },
    });
    expect(issuePaths(noStage)).toEqual(['stageId']);
    const badField = await t.fail('automations.create', {
      pipelineId: sales.id,
      name: 'x',
      trigger: 'won',
      action: { type: 'setField', field: 'amount', value: 1 },
    });
    expect(issuePaths(badField)).toEqual(['action.field']);
    expect(t.count('automation_rules')).toBe(0);
  });
});

describe('deals on timelines', () => {
  it('shows a deal on its person’s and company’s timeline, and items linked to the deal on its own', async () => {
    const company = await t.call('companies.create', { name: 'Acme' });
    const person = await t.call('people.create', { firstName: 'Grace', lastName: 'Hopper' });
    const deal = await t.call('deals.create', { title: 'Compiler', companyId: company.id, personIds: [person.id] });
    expect(deal).toMatchObject({ companyName: 'Acme', people: [{ id: person.id, name: 'Grace Hopper' }] });
    await t.call('notes.create', { body: 'Budget approved', dealIds: [deal.id] });
    const types = async (entity: 'person' | 'company' | 'deal', id: string) =>
      (await t.call('timeline.get', { entity, id })).items.map((i) => i.type);
    expect(await types('person', person.id)).toContain('deal');
    expect(await types('company', company.id)).toContain('deal');
    const own = await types('deal', deal.id);
    expect(own).toContain('note');
    expect(own).toContain('change');
    const missing = await t.fail('notes.create', { body: 'x', dealIds: ['0190a6e0-0000-7000-8000-000000000000'] });
    expect(issuePaths(missing)).toEqual(['dealIds.0']);
  });
});

describe('large amounts', () => {
  it('sums the largest amounts exactly where a plain 64-bit SQL sum would overflow', async () => {
    const max = 1_000_000_000_000_000; // 10^15 minor units, the most a deal may hold
    for (let i = 0; i < 100; i++) await t.call('deals.create', { title: `Huge ${i}`, amount: max, probability: 100 });
    const column = (await t.call('deals.board', { pipelineId: sales.id })).columns[0]!;
    // Σ amount × probability = 100 × 10^15 × 100 = 10^19, past SQLite's 2^63 ≈ 9.2 × 10^18; ÷ 100 = 10^17.
    expect(column).toMatchObject({ count: 100, total: 1e17, weightedTotal: 1e17 });
  });
});

describe('column totals kept by triggers', () => {
  it('match the totals summed from the deals themselves after creates, edits, moves, trash and restore', async () => {
    await t.call('rates.set', { currency: 'USD', effectiveDate: '2026-01-01', rate: '0.9' });
    await t.call('rates.set', { currency: 'USD', effectiveDate: '2026-01-08', rate: '0.85' });
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const deal = await t.call('deals.create', {
        title: `Deal ${i}`,
        amount: 1 + random(1_000_000),
        currency: random(2) === 0 ? 'EUR' : 'USD',
        ...(random(3) === 0 ? { probability: random(101) } : {}),
      });
      ids.push(deal.id);
    }
    for (let step = 0; step < 80; step++) {
      const id = ids[random(ids.length)]!;
      const deal = await t.call('deals.get', { id });
      const op = random(5);
      if (deal.deletedAt !== null) await t.call('deals.restore', { id });
      else if (op === 0) await t.call('deals.delete', { id });
      else if (op === 1)
        await t.call('deals.update', {
          id,
          version: deal.version,
          patch: { amount: random(500_000), probability: null },
        });
      else
        await t.call('deals.move', {
          id,
          version: deal.version,
          stageId: sales.stages[random(sales.stages.length)]!.id,
        });
      if (step % 20 === 0) t.clock.now += 2 * DAY;
    }
    const fromSums = await t.call('deals.board', { pipelineId: sales.id });
    // Every deal is the caller's, so the owner-filtered board sums the same deals another way: open ones from the
    // deals themselves, closed ones from deal_closed_sums (checked against the deals in tests/report-sums.test.ts).
    const fromDeals = await t.call('deals.board', { pipelineId: sales.id, ownerId: t.actor.userId });
    const figures = (board: typeof fromSums) =>
      board.columns.map((c) => [c.stage.name, c.count, c.total, c.weightedTotal, c.unconverted]);
    expect(figures(fromSums)).toEqual(figures(fromDeals));
    expect(fromSums.columns.reduce((n, c) => n + c.count, 0)).toBe(
      (await t.call('deals.list', { count: true, limit: 1 })).total,
    );
  });
});

describe('bulk edits', () => {
  it('change owner, source and tags of many deals, skip the trash, and move many to the trash', async () => {
    const manager = t.addUser('Mona Manager', 'manager');
    const a = await t.call('deals.create', { title: 'A', tags: ['old'] });
    const b = await t.call('deals.create', { title: 'B' });
    const c = await t.call('deals.create', { title: 'C' });
    await t.call('deals.delete', { id: c.id });
    const result = await t.call('deals.bulkUpdate', {
      ids: [a.id, b.id, c.id],
      patch: { ownerId: manager.userId, source: 'Fair', addTags: ['q4'], removeTags: ['old'] },
    });
    expect(result.updated).toBe(2);
    const after = await t.call('deals.get', { id: a.id });
    expect(after).toMatchObject({ ownerId: manager.userId, source: 'Fair', tags: ['q4'], version: a.version + 1 });
    expect((await t.call('deals.get', { id: c.id })).ownerId).toBe(t.actor.userId);
    const bad = await t.fail('deals.bulkUpdate', { ids: [a.id], patch: { expectedCloseDate: '2026-13-01' } });
    expect(issuePaths(bad)).toEqual(['patch.expectedCloseDate']);
    expect((await t.call('deals.bulkDelete', { ids: [a.id, b.id, c.id] })).deleted).toBe(2);
    expect((await t.call('deals.board', { pipelineId: sales.id })).columns[0]!.count).toBe(0);
  });
});

describe('emptying the trash', () => {
  it('purges deals with their links, and takes purged people and companies off deals', async () => {
    const company = await t.call('companies.create', { name: 'Acme' });
    const person = await t.call('people.create', { firstName: 'Ada' });
    const kept = await t.call('deals.create', { title: 'Kept', companyId: company.id, personIds: [person.id] });
    const gone = await t.call('deals.create', { title: 'Gone', tags: ['x'] });
    const note = await t.call('notes.create', { body: 'About both', dealIds: [kept.id, gone.id] });
    await t.call('deals.move', { id: gone.id, version: gone.version, stageId: stage('Won') });
    await t.call('deals.delete', { id: gone.id });
    await t.call('people.delete', { id: person.id });
    await t.call('companies.delete', { id: company.id });
    expect((await t.call('trash.empty', {})).purged).toBe(3);
    expect((await t.call('notes.get', { id: note.id })).dealIds).toEqual([kept.id]);
    expect(await t.call('deals.get', { id: kept.id })).toMatchObject({ companyId: null, personIds: [] });
    expect((await t.fail('deals.get', { id: gone.id })).code).toBe('NOT_FOUND');
    expect(t.count('deal_stage_history')).toBe(1);
    const won = (await t.call('deals.board', { pipelineId: sales.id })).columns.find((c) => c.stage.kind === 'won')!;
    expect(won.count).toBe(0);
  });
});
