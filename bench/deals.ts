// The deals part of `npm run bench`: the board, the seven reports, the deal list and deal writes through the real
// dispatcher, on 50k deals (bench/deals-data.ts) next to the records data set (bench/records-data.ts) so deals
// have people, companies and activities. Returns markdown lines for the report.
import { randomBytes } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { initDataFolder, openHearth, type Hearth } from '../src/datafolder/hearth.js';
import type { Board, Pipeline } from '../src/deals/types.js';
import { keyFileProvider } from '../src/keys/keyfile.js';
import { call, log, median, prng, quantile, SEED } from './data.js';
import { FULL_DEALS, generateDeals, type DealsIds, type DealsSize, type PipelinePlan } from './deals-data.js';
import { generateRecords, type RecordsIds, type RecordsSize } from './records-data.js';

const READ_RUNS = 100;
const LIST_RUNS = 200;
const WRITE_RUNS = 300;
/** Report calls each after a write (uncached): slower, so fewer. */
const FRESH_RUNS = 40;
const WARMUP = 10;
/** A measure stops taking samples after this long (at least MIN_RUNS): slow calls should not hold the bench up. */
const TIME_BOX_MS = 20_000;
const MIN_RUNS = 20;
/** The period of the filtered reports: the first half of 2026 (the data set's today is 2026-11-15). */
const PERIOD = { from: '2026-01-01', to: '2026-06-30' };
/** USD in EUR, quarterly, entered through rates.set. */
const USD_RATES: [string, string][] = [
  ['2024-07-01', '0.9205'],
  ['2024-10-01', '0.9318'],
  ['2025-01-01', '0.9611'],
  ['2025-04-01', '0.9254'],
  ['2025-07-01', '0.8547'],
  ['2025-10-01', '0.8521'],
  ['2026-01-01', '0.8690'],
  ['2026-04-01', '0.8812'],
  ['2026-07-01', '0.9003'],
  ['2026-10-01', '0.9120'],
];
const REPORTS = ['pipeline', 'forecast', 'winRate', 'velocity', 'funnel', 'activity', 'lostReasons'];

/** A smaller records set than the records bench's: deals need people and companies to link to, not 100k of them. */
export const DEALS_RECORDS: RecordsSize = {
  people: 20_000,
  companies: 4_000,
  activities: 60_000,
  notes: 20_000,
  tasks: 10_000,
};

interface Samples {
  /** Wall-clock milliseconds per call. */
  wall: number[];
  /** Milliseconds of this process's CPU time per call: on a busy machine, what the call costs by itself. */
  cpu: number[];
}

interface Timing extends Samples {
  name: string;
  /** p95 target in ms (wall clock). */
  target: number;
}

function sample(into: Samples, t0: number, c0: NodeJS.CpuUsage): void {
  into.wall.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  into.cpu.push((c.user + c.system) / 1000);
}

async function time(runs: number, fn: (i: number) => Promise<unknown>): Promise<Samples> {
  for (let i = 0; i < WARMUP; i++) await fn(i);
  const samples: Samples = { wall: [], cpu: [] };
  const until = performance.now() + TIME_BOX_MS;
  for (let i = 0; i < runs && (i < MIN_RUNS || performance.now() < until); i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn(i + WARMUP);
    sample(samples, t0, c0);
  }
  return samples;
}

export interface DealsFolder {
  dir: string;
  keyFile: string;
  /** Opens the folder as the app does, with planner statistics. */
  open: () => Promise<Hearth>;
  sales: Pipeline;
  records: RecordsIds;
  ids: DealsIds;
  recordsMs: number;
  dealsMs: number;
}

/** Builds the folder in `tmp`, makes the pipelines and rates through the API and fills it (left closed). */
export async function buildDealsFolder(
  tmp: string,
  size: DealsSize = FULL_DEALS,
  recordsSize: RecordsSize = DEALS_RECORDS,
): Promise<DealsFolder> {
  const dir = join(tmp, 'deals');
  const keyFile = join(tmp, 'deals.key');
  const key = randomBytes(32);
  writeFileSync(keyFile, key.toString('hex') + '\n', { mode: 0o600 });
  await initDataFolder({ dir, provider: keyFileProvider(keyFile), key, userName: 'Bench' });
  const open = () => openHearth({ dir, provider: () => keyFileProvider(keyFile), purpose: 'bench', optimize: true });

  const hearth = await open();
  log(
    `deals: generating ${recordsSize.people.toLocaleString('en-US')} people and ${recordsSize.companies.toLocaleString('en-US')} companies, ` +
      `then ${size.deals.toLocaleString('en-US')} deals`,
  );
  const t0 = performance.now();
  const records = generateRecords(hearth.sqlite, hearth.localActor.userId, recordsSize);
  const recordsMs = performance.now() - t0;

  // Pipelines and rates are few: they go through the API as a user would make them.
  const sales = ((await call(hearth, 'pipelines.list', {})) as { items: Pipeline[] }).items[0]!;
  const partnerships = (await call(hearth, 'pipelines.create', {
    name: 'Partnerships',
    stages: [
      { name: 'Intro', probability: 10, kind: 'open' },
      { name: 'Pilot', probability: 40, kind: 'open', staleDays: 30 },
      { name: 'Contract', probability: 70, kind: 'open' },
      { name: 'Signed', probability: 100, kind: 'won' },
      { name: 'Dropped', probability: 0, kind: 'lost' },
    ],
  })) as Pipeline;
  const renewals = (await call(hearth, 'pipelines.create', {
    name: 'Renewals',
    stages: [
      { name: 'Due', probability: 60, kind: 'open' },
      { name: 'Quoted', probability: 80, kind: 'open' },
      { name: 'Renewed', probability: 100, kind: 'won' },
      { name: 'Churned', probability: 0, kind: 'lost' },
    ],
  })) as Pipeline;
  for (const [effectiveDate, rate] of USD_RATES) {
    await call(hearth, 'rates.set', { currency: 'USD', effectiveDate, rate });
  }
  const plans: PipelinePlan[] = [
    { pipeline: sales, share: 0.5, openShare: 0, winShare: 0.3, minAmount: 1_000, maxAmount: 100_000 },
    { pipeline: partnerships, share: 0.2, openShare: 0.12, winShare: 0.4, minAmount: 5_000, maxAmount: 250_000 },
    { pipeline: renewals, share: 0.3, openShare: 0.12, winShare: 0.75, minAmount: 500, maxAmount: 20_000 },
  ];
  const t1 = performance.now();
  const ids = generateDeals(hearth.sqlite, plans, records.users, records.companies, size);
  const dealsMs = performance.now() - t1;
  await hearth.close();
  return { dir, keyFile, open, sales, records, ids, recordsMs, dealsMs };
}

/** Builds and fills the folder, reopens it the way the app would, and measures. */
export async function dealsBench(
  tmp: string,
  size: DealsSize = FULL_DEALS,
  recordsSize: RecordsSize = DEALS_RECORDS,
): Promise<string[]> {
  const { dir, open, sales, records, ids, recordsMs, dealsMs } = await buildDealsFolder(tmp, size, recordsSize);
  const t2 = performance.now();
  const hearth = await open();
  const reopenMs = performance.now() - t2;
  const fileMiB = statSync(join(dir, 'hearth.db')).size / 1024 / 1024;

  const timings: Timing[] = [];
  let boardNote: string;
  try {
    const board = (await call(hearth, 'deals.board', { pipelineId: sales.id })) as Board;
    const boardOpen = board.columns.filter((c) => c.stage.kind === 'open').reduce((a, c) => a + c.count, 0);
    if (boardOpen !== size.mainOpen) throw new Error(`board: expected ${size.mainOpen} open deals, found ${boardOpen}`);
    boardNote = board.columns.map((c) => `${c.stage.name} ${c.count.toLocaleString('en-US')}`).join(', ');

    log('deals: board and reports');
    timings.push({
      name: `deals.board, Sales (${size.mainOpen.toLocaleString('en-US')} open deals), default limit`,
      target: 50,
      ...(await time(READ_RUNS, () => call(hearth, 'deals.board', { pipelineId: sales.id }))),
    });
    const owner = records.users[1] ?? records.users[0]!;
    timings.push({
      name: `deals.board, Sales, one owner's deals (of ${records.users.length} users)`,
      target: 50,
      ...(await time(READ_RUNS, () => call(hearth, 'deals.board', { pipelineId: sales.id, ownerId: owner }))),
    });
    for (const report of REPORTS) {
      const procedure = `reports.${report}`;
      if (!(procedure in hearth.dispatcher.registry)) {
        log(`deals: ${procedure} is not registered, skipped`);
        continue;
      }
      timings.push({
        name: `${procedure}, all pipelines, all time`,
        target: 50,
        ...(await time(READ_RUNS, () => call(hearth, procedure, {}))),
      });
      timings.push({
        name: `${procedure}, Sales, ${PERIOD.from} to ${PERIOD.to}`,
        target: 50,
        ...(await time(READ_RUNS, () => call(hearth, procedure, { pipelineId: sales.id, ...PERIOD }))),
      });
    }
    // The calls above repeat one question with no write between, so after the first they are answered from the
    // report cache (src/reports/report-cache.ts). A dashboard opened after any change computes afresh: each call
    // here follows a change of the reports stamp, as every write to a reported table makes (untimed).
    const restamp = hearth.sqlite.prepare(
      "UPDATE meta SET value = lower(hex(randomblob(8))) WHERE key = 'reports.stamp'",
    );
    for (const report of REPORTS) {
      const procedure = `reports.${report}`;
      if (!(procedure in hearth.dispatcher.registry)) continue;
      for (const [label, input] of [
        ['all pipelines, all time', {}],
        [`Sales, ${PERIOD.from} to ${PERIOD.to}`, { pipelineId: sales.id, ...PERIOD }],
      ] as const) {
        const fresh: Samples = { wall: [], cpu: [] };
        for (let i = 0; i < FRESH_RUNS + 2; i++) {
          restamp.run();
          const c0 = process.cpuUsage();
          const t0 = performance.now();
          await call(hearth, procedure, input);
          if (i >= 2) sample(fresh, t0, c0);
        }
        timings.push({ name: `${procedure}, ${label}, first call after a write`, target: 50, ...fresh });
      }
    }

    log('deals: list');
    timings.push({
      name: 'deals.list first page of 50, largest amount first',
      target: 10,
      ...(await time(LIST_RUNS, () =>
        call(hearth, 'deals.list', { sort: [{ field: 'amount', dir: 'desc' }], limit: 50 }),
      )),
    });

    log('deals: writes');
    const rng = prng(SEED + 29);
    const openStages = sales.stages.filter((s) => s.kind === 'open');
    // deals.move alone (the read that gives the version is not timed): each a different open deal, to the top
    // of the next open stage's column.
    const moves: Samples = { wall: [], cpu: [] };
    for (let i = 0; i < WRITE_RUNS + WARMUP; i++) {
      const deal = ids.mainOpen[(i * 389 + 7) % ids.mainOpen.length]!;
      const { version } = (await call(hearth, 'deals.get', { id: deal.id })) as { version: number };
      const target = openStages[(deal.stage + 1) % openStages.length]!;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await call(hearth, 'deals.move', { id: deal.id, version, stageId: target.id, position: 0 });
      if (i >= WARMUP) sample(moves, t0, c0);
      deal.stage = (deal.stage + 1) % openStages.length;
    }
    timings.push({ name: 'deals.move to the top of another open stage', target: 5, ...moves });
    timings.push({
      name: 'deals.create (amount, currency, company, person, source, tag)',
      target: 5,
      ...(await time(WRITE_RUNS, (i) => {
        const company = records.companies[Math.floor(rng() * records.companies.length)]!;
        const person = records.people[Math.floor(rng() * records.people.length)]!;
        return call(hearth, 'deals.create', {
          title: `Bench deal ${i}`,
          pipelineId: sales.id,
          amount: 100 * (1_000 + Math.floor(rng() * 50_000)),
          currency: i % 4 === 0 ? 'USD' : 'EUR',
          expectedCloseDate: '2027-03-31',
          companyId: company,
          personIds: [person],
          source: 'Referral',
          tags: ['priority'],
        });
      })),
    });
  } finally {
    await hearth.close();
  }

  const f = (v: number) => `${v.toFixed(2)} ms`;
  const n = (v: number) => v.toLocaleString('en-US');
  const lines = [
    '',
    `### Deals at size`,
    '',
    `${n(ids.total)} deals in 3 pipelines (${n(ids.open)} open, ${n(ids.won)} won, ${n(ids.lost)} lost; EUR and USD ` +
      `with ${USD_RATES.length} USD rates), ${n(ids.history)} stage history rows, ${n(ids.activities)} activities on deals, ` +
      `next to ${n(recordsSize.people)} people and ${n(recordsSize.companies)} companies (seed ${SEED}); ` +
      `encrypted file ${fileMiB.toFixed(0)} MiB; records generated in ${(recordsMs / 1000).toFixed(1)} s, deals in ` +
      `${(dealsMs / 1000).toFixed(1)} s; reopened (with planner statistics) in ${f(reopenMs)}. ` +
      `Sales board columns: ${boardNote}. Filtered reports: Sales, ${PERIOD.from} to ${PERIOD.to}.`,
    '',
    '| Measure | Calls | p50 | p95 | Target (p95) | | CPU time p50 / p95 |',
    '| --- | --: | --- | --- | --- | --- | --- |',
  ];
  for (const t of timings) {
    const p95 = quantile(t.wall, 0.95);
    lines.push(
      `| ${t.name} | ${t.wall.length} | ${f(median(t.wall))} | ${f(p95)} | < ${t.target} ms | ${p95 < t.target ? 'met' : '**missed**'} | ` +
        `${f(median(t.cpu))} / ${f(quantile(t.cpu, 0.95))} |`,
    );
  }
  lines.push(
    '',
    'CPU time is the process’s (all threads, the checkpoint worker included) per call: on a machine shared with ' +
      'other work it shows what a call costs when wall-clock figures are inflated by waiting for a core. A measure ' +
      `stops after ${TIME_BOX_MS / 1000} s (at least ${MIN_RUNS} calls); Calls says how many were timed.`,
  );
  return lines;
}
