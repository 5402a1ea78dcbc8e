// The sums reports read instead of every closed deal and stage stay (migrations/0008_report_sums.ts) are kept by
// triggers. After a random run of creates, edits, moves, trash, restores, purges, rate changes and a new base
// currency, they must equal sums worked out here, in JavaScript, from the deals and the history themselves.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  ActivityWeekSumsTable,
  DealClosedSumsTable,
  DealReachTable,
  DealStaySumsTable,
} from '../src/db/schema.js';
import type { Pipeline } from '../src/deals/types.js';
import { fillReportSums } from '../migrations/0008_report_sums.js';
import { openRecordsHearth, type TestHearth } from './support/records.js';

let t: TestHearth;
let sales: Pipeline;
const DAY = 86_400_000;
const SPLIT = 1_000_000_000n;

beforeEach(async () => {
  t = await openRecordsHearth();
  const settings = await t.call('settings.get', {});
  await t.call('settings.update', { version: settings.version, patch: { baseCurrency: 'EUR' } });
  [sales] = (await t.call('pipelines.list', {})).items as [Pipeline];
});
afterEach(async () => {
  await t.close();
});

interface DealRow {
  pipeline_id: string;
  stage_id: string;
  status: string;
  owner_id: string | null;
  source: string | null;
  currency: string;
  amount: number;
  probability: number | null;
  closed_at: number | null;
  created_at: number;
  deleted_at: number | null;
}

const rows = <T>(query: string): T[] => t.hearth.sqlite.prepare(query).all() as T[];

/** deal_closed_sums as it should be, from the deals and rates: key → [n, amount, override, plain, cycle]. */
function expectedClosed(): Map<string, bigint[]> {
  const base = rows<{ base_currency: string }>('SELECT base_currency FROM settings')[0]!.base_currency;
  const rates = rows<{ currency: string; effective_date: string }>(
    `SELECT currency, effective_date FROM exchange_rates WHERE base_currency = '${base}'`,
  );
  const out = new Map<string, bigint[]>();
  for (const d of rows<DealRow>('SELECT * FROM deals')) {
    if (d.deleted_at !== null || d.status === 'open' || d.closed_at === null) continue;
    const day = new Date(d.closed_at).toISOString().slice(0, 10);
    const inForce = rates
      .filter((r) => r.currency === d.currency && r.effective_date <= day)
      .map((r) => r.effective_date)
      .sort();
    const rateDay = d.currency === base ? '' : (inForce[inForce.length - 1] ?? '0000-01-01');
    const key = [
      d.pipeline_id,
      d.stage_id,
      d.status,
      d.owner_id ?? '',
      (d.source ?? '').toLowerCase(),
      d.currency,
      day.slice(0, 7),
      rateDay,
    ].join('|');
    const sums = out.get(key) ?? [0n, 0n, 0n, 0n, 0n];
    const amount = BigInt(d.amount);
    sums[0]! += 1n;
    sums[1]! += amount;
    if (d.probability === null) sums[3]! += amount;
    else sums[2]! += amount * BigInt(d.probability);
    sums[4]! += BigInt(d.closed_at - d.created_at);
    out.set(key, sums);
  }
  return out;
}

function keptClosed(): Map<string, bigint[]> {
  const out = new Map<string, bigint[]>();
  const split = (hi: number, lo: number) => BigInt(hi) * SPLIT + BigInt(lo);
  for (const r of rows<DealClosedSumsTable>('SELECT * FROM deal_closed_sums')) {
    const key = [
      r.pipeline_id,
      r.stage_id,
      r.status,
      r.owner_id,
      r.source.toLowerCase(),
      r.currency,
      r.month,
      r.rate_day,
    ];
    out.set(key.join('|'), [
      BigInt(r.n),
      split(r.amount_hi, r.amount_lo),
      split(r.override_hi, r.override_lo),
      split(r.plain_hi, r.plain_lo),
      split(r.cycle_hi, r.cycle_lo),
    ]);
  }
  return out;
}

/** deal_stay_sums as it should be: per pipeline and stage, [stays, finished durations, going, summed entries]. */
function expectedStays(): Map<string, bigint[]> {
  const out = new Map<string, bigint[]>();
  type History = { pipeline_id: string; stage_id: string; entered_at: number; left_at: number | null };
  for (const h of rows<History>('SELECT * FROM deal_stage_history')) {
    const key = `${h.pipeline_id}|${h.stage_id}`;
    const sums = out.get(key) ?? [0n, 0n, 0n, 0n];
    sums[0]! += 1n;
    if (h.left_at === null) {
      sums[2]! += 1n;
      sums[3]! += BigInt(h.entered_at);
    } else sums[1]! += BigInt(h.left_at - h.entered_at);
    out.set(key, sums);
  }
  return out;
}

function keptStays(): Map<string, bigint[]> {
  const out = new Map<string, bigint[]>();
  const split = (hi: number, lo: number) => BigInt(hi) * SPLIT + BigInt(lo);
  for (const r of rows<DealStaySumsTable>('SELECT * FROM deal_stay_sums')) {
    out.set(`${r.pipeline_id}|${r.stage_id}`, [
      BigInt(r.stays),
      split(r.done_hi, r.done_lo),
      BigInt(r.going),
      split(r.entered_hi, r.entered_lo),
    ]);
  }
  return out;
}

/** deal_reach as it should be: each deal's filter columns and the stages it has been in within its pipeline. */
function expectedReach(): Map<string, string> {
  type History = { deal_id: string; pipeline_id: string; stage_id: string };
  const history = rows<History>('SELECT deal_id, pipeline_id, stage_id FROM deal_stage_history');
  const out = new Map<string, string>();
  for (const d of rows<DealRow & { id: string }>('SELECT * FROM deals')) {
    const stages = [
      ...new Set(history.filter((h) => h.deal_id === d.id && h.pipeline_id === d.pipeline_id).map((h) => h.stage_id)),
    ].sort();
    const live = d.deleted_at === null ? 1 : 0;
    out.set(d.id, [d.pipeline_id, d.created_at, d.owner_id, d.source, live, stages.join(',')].join('|'));
  }
  return out;
}

function keptReach(): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of rows<DealReachTable>('SELECT * FROM deal_reach'))
    out.set(r.deal_id, [r.pipeline_id, r.created_at, r.owner_id, r.source, r.live, r.stages].join('|'));
  return out;
}

/** activity_week_sums as it should be: live activities per Monday (day number), kind and owner. */
function expectedWeeks(): Map<string, number> {
  type Activity = { occurred_at: number; kind: string; owner_id: string | null; deleted_at: number | null };
  const out = new Map<string, number>();
  for (const a of rows<Activity>('SELECT occurred_at, kind, owner_id, deleted_at FROM activities')) {
    if (a.deleted_at !== null) continue;
    const day = Math.floor(a.occurred_at / DAY);
    const monday = day - ((day + 3) % 7);
    const key = `${monday}|${a.kind}|${a.owner_id ?? ''}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

function keptWeeks(): Map<string, number> {
  return new Map(
    rows<ActivityWeekSumsTable>('SELECT * FROM activity_week_sums').map((r) => [
      `${r.week}|${r.kind}|${r.owner_id}`,
      r.n,
    ]),
  );
}

describe('sums kept for reports', () => {
  it('match sums of the deals and history after edits, moves, trash, purges, rate changes and a new base currency', async () => {
    const other = t.addUser('Olga Other', 'member');
    let seed = 11;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return Math.floor((seed / 2_147_483_648) * n); // the high bits: an LCG's low bits repeat quickly
    };
    const renewals = await t.call('pipelines.create', {
      name: 'Renewals',
      stages: [
        { name: 'Due', probability: 60, kind: 'open' },
        { name: 'Renewed', probability: 100, kind: 'won' },
        { name: 'Churned', probability: 0, kind: 'lost' },
      ],
    });
    const stages = [...sales.stages, ...renewals.stages];
    const sources = ['Referral', 'referral', 'Web', null];
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const deal = await t.call('deals.create', {
        title: `Deal ${i}`,
        amount: 1 + random(1_000_000),
        currency: ['EUR', 'USD', 'GBP'][random(3)]!,
        ...(random(3) === 0 ? { probability: random(101) } : {}),
        ...(sources[random(4)] ? { source: sources[random(4)]! } : {}),
        ...(random(2) === 0 ? { ownerId: other.userId } : {}),
      });
      ids.push(deal.id);
    }
    const check = () => {
      expect(keptClosed()).toEqual(expectedClosed());
      expect(keptStays()).toEqual(expectedStays());
      expect(keptReach()).toEqual(expectedReach());
      expect(keptWeeks()).toEqual(expectedWeeks());
    };
    const activities: string[] = [];
    for (let step = 0; step < 120; step++) {
      const id = ids[random(ids.length)]!;
      const deal = await t.call('deals.get', { id });
      const op = random(8);
      if (step % 3 === 0) {
        // An activity logged, moved to another day, kind or owner, or taken to the trash and back.
        const which = activities[random(activities.length + 1)];
        if (which === undefined) {
          const made = await t.call('activities.create', {
            kind: (['call', 'meeting', 'email', 'other'] as const)[random(4)]!,
            occurredAt: t.clock.now - random(30) * DAY,
            dealIds: [id],
          });
          activities.push(made.id);
        } else {
          const activity = await t.call('activities.get', { id: which });
          if (activity.deletedAt !== null) await t.call('trash.restore', { entity: 'activity', id: which });
          else if (random(4) === 0) await t.call('activities.delete', { id: which });
          else
            await t.call('activities.update', {
              id: which,
              version: activity.version,
              patch: {
                kind: (['call', 'meeting'] as const)[random(2)]!,
                occurredAt: activity.occurredAt + (random(21) - 10) * DAY,
                ownerId: random(2) === 0 ? other.userId : t.actor.userId,
              },
            });
        }
      }
      if (deal.deletedAt !== null) await t.call('deals.restore', { id });
      else if (op === 0) await t.call('deals.delete', { id });
      else if (op === 1)
        await t.call('deals.update', {
          id,
          version: deal.version,
          patch: {
            amount: random(500_000),
            probability: random(2) === 0 ? null : random(101),
            source: sources[random(4)] ?? null,
            ownerId: random(2) === 0 ? other.userId : t.actor.userId,
            currency: ['EUR', 'USD'][random(2)]!,
          },
        });
      else if (op === 2) {
        const day = `2026-0${1 + random(3)}-${String(1 + random(28)).padStart(2, '0')}`;
        await t.call('rates.set', { currency: random(2) === 0 ? 'USD' : 'GBP', effectiveDate: day, rate: '0.9' });
      } else {
        const stage = stages[random(stages.length)]!;
        await t.call('deals.move', {
          id,
          version: deal.version,
          stageId: stage.id,
          ...(stage.kind === 'lost' ? { lostReason: 'Price' } : {}),
        });
      }
      if (step % 10 === 0) t.clock.now += 9 * DAY;
      if (step % 30 === 29) check();
    }
    // A rate taken away moves its deals back to an earlier rate (or none).
    const rates = (await t.call('rates.list', {})).items;
    expect(rates.length).toBeGreaterThan(1);
    await t.call('rates.delete', { id: rates[0]!.id });
    check();
    // A new base currency: every closed deal's rate changes.
    const settings = await t.call('settings.get', {});
    await t.call('settings.update', { version: settings.version, patch: { baseCurrency: 'USD' } });
    check();
    // Emptying the trash takes purged deals and their history out.
    await t.call('deals.delete', { id: ids[0]! });
    await t.call('trash.empty', {});
    check();
    expect(keptClosed().size).toBeGreaterThan(3);
    expect(keptWeeks().size).toBeGreaterThan(3);

    // What the migration counts from the rows of an existing workspace is what the triggers kept.
    const kept = [keptClosed(), keptStays(), keptReach(), keptWeeks()];
    t.hearth.sqlite.exec(
      'DELETE FROM deal_closed_sums; DELETE FROM deal_stay_sums; DELETE FROM deal_reach; DELETE FROM activity_week_sums',
    );
    await fillReportSums(t.hearth.db);
    expect([keptClosed(), keptStays(), keptReach(), keptWeeks()]).toEqual(kept);

    // A period read partly from whole months of the sums and partly, at its ends, from the deals: the counts match
    // the deals closed on those days.
    const closedDays = rows<DealRow>("SELECT * FROM deals WHERE deleted_at IS NULL AND status <> 'open'").map((d) =>
      new Date(d.closed_at!).toISOString().slice(0, 10),
    );
    const days = [...new Set(closedDays)].sort();
    expect(days.length).toBeGreaterThan(3);
    for (const [from, to] of [
      [days[1]!, days[days.length - 2]!],
      [days[0]!, days[0]!],
      ['2026-01-15', '2026-03-10'],
    ] as const) {
      const report = await t.call('reports.winRate', { from, to });
      const inPeriod = closedDays.filter((day) => day >= from && day <= to).length;
      expect(report.overall.won + report.overall.lost, `${from} to ${to}`).toBe(inPeriod);
    }
  });
});
