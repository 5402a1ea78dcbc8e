// reports.*: the numbers a manager reads. Each report sums in SQL per group (stage, currency, rate stretch, …) and
// converts each group's sum once with exact arithmetic, so 50k deals never cross into JavaScript one by one. An
// answer is kept until a write changes what reports read (report-cache.ts), so a dashboard shown again is instant.
import { sql, type SqlBool } from 'kysely';
import { ACTIVITY_KINDS, type ActivityKind } from '../activities/repository.js';
import { defineProcedure, type CallContext } from '../api/procedure.js';
import { BaseSum, loadRates, SPLIT, splitSum, utcDay, type Rates } from '../deals/money.js';
import { firstPipelineId, loadStages, userNames, type CatalogStage } from './catalog.js';
import { closedGroups, mondayOf, periodSlices, WEEKS, type ClosedGroup, type ClosedKey } from './closed-sums.js';
import {
  all,
  closedInPeriod,
  DAY_MS,
  dealBase,
  dealInPeriodParts,
  hasPeriod,
  openInPeriod,
  reportInput,
  reportScope,
  timeInPeriod,
  type ReportInput,
  type ReportScope,
} from './filters.js';
import { rateSegments, type RateSegments } from './rate-segments.js';
import { cachedReport } from './report-cache.js';
import type {
  ActivityCounts,
  ActivityReport,
  ForecastReport,
  FunnelReport,
  LostReasonsReport,
  PipelineReport,
  Unconverted,
  VelocityReport,
  WinRateReport,
  WinRateRow,
} from './types.js';

/** What converting needs: the rates, the stretches they hold over, and today (open deals use today's rates). */
interface Conversion {
  rates: Rates;
  segments: RateSegments;
  today: string;
}

async function conversion(ctx: CallContext): Promise<Conversion> {
  const rates = await loadRates(ctx.db);
  return { rates, segments: await rateSegments(ctx.db, rates), today: utcDay(ctx.now) };
}

/** A group's amount summed in two parts (src/deals/money.ts SPLIT). */
const AMOUNT_SUMS = sql.raw(`sum(d.amount / ${SPLIT}) AS hi, sum(d.amount % ${SPLIT}) AS lo`);

/** A group of deals of one currency under one set of rates, as SQL returns it. */
interface MoneyGroup {
  cur: string;
  seg: number | null;
  n: number;
  hi: number;
  lo: number;
}

function addGroup(sum: BaseSum, c: Conversion, group: MoneyGroup, percent = 100): void {
  sum.add(splitSum(group.hi, group.lo), group.cur, c.segments.dayOf(group.seg, c.today), percent, group.n);
}

/** Won and lost deals of the period grouped by `keys` (closed-sums.ts). */
function closedOf(
  ctx: CallContext,
  c: Conversion,
  scope: ReportScope,
  statuses: readonly ('won' | 'lost')[],
  keys: readonly ClosedKey[],
): Promise<ClosedGroup[]> {
  return closedGroups(ctx, scope, c.segments, c.today, statuses, keys);
}

/** Unconverted tallies of sums that count different deals. */
function unconvertedOf(...sums: BaseSum[]): Unconverted {
  const total = new Map<string, number>();
  for (const sum of sums)
    for (const u of sum.unconverted()) total.set(u.currency, (total.get(u.currency) ?? 0) + u.count);
  return [...total]
    .map(([currency, count]) => ({ currency, count }))
    .sort((a, b) => (a.currency < b.currency ? -1 : 1));
}

function unconvertedCount(sum: BaseSum): number {
  return sum.unconverted().reduce((n, u) => n + u.count, 0);
}

function rate(won: number, lost: number): number | null {
  return won + lost === 0 ? null : won / (won + lost);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Text compared as SQLite's NOCASE does, for merging groups SQL already treats as one. */
function foldKey(value: string | null): string {
  return value === null ? '\u0000null' : value.toLowerCase();
}

/** Nulls last, then text order. */
function compareNullable(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a.localeCompare(b);
}

/** No filter but the pipeline: history can be read without looking at its deals (only the trash is left out). */
function onlyPipeline(scope: ReportScope): boolean {
  return scope.ownerId === null && scope.source === null && !hasPeriod(scope);
}

/**
 * What a report's answer depends on besides the stored data: the report, its filters and today (open deals convert
 * at today's rates). Under the same reports stamp, the same key gives the same answer.
 */
function reportKey(name: string, ctx: CallContext, scope: ReportScope): string {
  return JSON.stringify([name, utcDay(ctx.now), scope]);
}

/** A report whose answer is kept until the data changes (`run` may depend on the time only through today). */
const reportProcedure = <Name extends string, Output>(
  name: Name,
  summary: string,
  run: (ctx: CallContext, scope: ReportScope) => Promise<Output>,
) =>
  defineProcedure({
    name,
    summary,
    input: reportInput,
    permission: 'records.read',
    mutates: false,
    handler: (ctx: CallContext, input: ReportInput) => {
      const scope = reportScope(input);
      return cachedReport(ctx.db, reportKey(name, ctx, scope), () => run(ctx, scope));
    },
  });

const FILTERS =
  'Filters: pipelineId, ownerId, source, from/to (YYYY-MM-DD; open deals by expected close date, won and lost ' +
  'deals by close day). Money in minor units of the base currency; deals without a rate are listed in unconverted.';

// ---------------------------------------------------------------------------------------------------------------

async function pipelineReport(ctx: CallContext, scope: ReportScope): Promise<PipelineReport> {
  const c = await conversion(ctx);
  const stages = await loadStages(ctx.db);
  const stageById = new Map(stages.map((s) => [s.id, s]));
  const byStage = new Map<string, { count: number; total: BaseSum; weighted: BaseSum }>();
  const statOf = (stageId: string) => {
    let stat = byStage.get(stageId);
    if (!stat) {
      stat = { count: 0, total: new BaseSum(c.rates), weighted: new BaseSum(c.rates) };
      byStage.set(stageId, stat);
    }
    return stat;
  };
  const addRows = (rows: (MoneyGroup & { stage_id: string; probability: number | null })[]) => {
    for (const row of rows) {
      const stat = statOf(row.stage_id);
      stat.count += row.n;
      addGroup(stat.total, c, row);
      addGroup(stat.weighted, c, row, row.probability ?? stageById.get(row.stage_id)?.probability ?? 0);
    }
  };

  if (onlyPipeline(scope)) {
    // Open deals of whole pipelines: their sums per stage and currency as the board keeps them (deal_stage_sums,
    // where open deals have no close day). Open deals convert at today's rate.
    const { rows } = await sql<{
      stage_id: string;
      cur: string;
      n: number;
      hi: number;
      lo: number;
      phi: number;
      plo: number;
      ohi: number;
      olo: number;
    }>`
      SELECT s.stage_id, s.currency AS cur, sum(s.n) AS n, sum(s.amount_hi) AS hi, sum(s.amount_lo) AS lo,
        sum(s.plain_hi) AS phi, sum(s.plain_lo) AS plo, sum(s.override_hi) AS ohi, sum(s.override_lo) AS olo
      FROM deal_stage_sums s
      WHERE ${all([sql<SqlBool>`s.close_day = ''`, ...(scope.pipelineId === null ? [] : [sql<SqlBool>`s.pipeline_id = ${scope.pipelineId}`])])}
      GROUP BY s.stage_id, s.currency`.execute(ctx.db);
    for (const row of rows) {
      const stat = statOf(row.stage_id);
      stat.count += row.n;
      stat.total.add(splitSum(row.hi, row.lo), row.cur, c.today, 100, row.n);
      stat.weighted.add(splitSum(row.phi, row.plo), row.cur, c.today, stageById.get(row.stage_id)?.probability ?? 0, 0);
      stat.weighted.add(splitSum(row.ohi, row.olo), row.cur, c.today, 1, 0);
    }
  } else {
    const [openPart] = dealInPeriodParts(scope);
    addRows(
      (
        await sql<MoneyGroup & { stage_id: string; probability: number | null }>`
        SELECT d.stage_id, d.currency AS cur, d.probability, NULL AS seg, count(*) AS n, ${AMOUNT_SUMS}
        FROM deals d WHERE ${all([...dealBase(scope), openPart])}
        GROUP BY d.stage_id, cur, d.probability`.execute(ctx.db)
      ).rows,
    );
  }
  // Won and lost deals from the kept sums: the amounts of deals without an override weigh at their stage's
  // probability, the others' amounts come already multiplied by their own.
  for (const group of await closedOf(ctx, c, scope, ['won', 'lost'], ['stage_id'])) {
    const stageId = group.stage_id!;
    const stat = statOf(stageId);
    stat.count += group.n;
    stat.total.add(group.amount, group.currency, group.day, 100, group.n);
    stat.weighted.add(group.plain, group.currency, group.day, stageById.get(stageId)?.probability ?? 0, 0);
    stat.weighted.add(group.override, group.currency, group.day, 1, 0);
  }

  const total = new BaseSum(c.rates);
  const weighted = new BaseSum(c.rates);
  let count = 0;
  for (const stat of byStage.values()) {
    total.merge(stat.total);
    weighted.merge(stat.weighted);
    count += stat.count;
  }
  return {
    baseCurrency: c.rates.base,
    stages: stages
      .filter(
        (s) => (scope.pipelineId === null || s.pipelineId === scope.pipelineId) && (!s.archived || byStage.has(s.id)),
      )
      .map((s) => {
        const stat = byStage.get(s.id);
        return {
          pipelineId: s.pipelineId,
          pipelineName: s.pipelineName,
          stageId: s.id,
          name: s.name,
          kind: s.kind,
          probability: s.probability,
          count: stat?.count ?? 0,
          total: stat?.total.value() ?? 0,
          weightedTotal: stat?.weighted.value() ?? 0,
        };
      }),
    totals: { count, total: total.value(), weightedTotal: weighted.value() },
    unconverted: total.unconverted(),
  };
}

// ---------------------------------------------------------------------------------------------------------------

/** Months or weeks are filled in between the first and last; a silly period is not filled beyond this. */
const MAX_FILLED = 1200;

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12
    ? `${String(y + 1).padStart(4, '0')}-01`
    : `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}`;
}

/** Every key from first to last (by `next`), or just the given keys when that would be too many. */
function filled(keys: string[], first: string | null, last: string | null, next: (key: string) => string): string[] {
  const sorted = [...new Set(keys)].sort();
  const start = first ?? sorted[0];
  const end = last ?? sorted[sorted.length - 1];
  if (start === undefined || end === undefined || start > end) return sorted;
  const out: string[] = [];
  for (let key = start; key <= end; key = next(key)) {
    out.push(key);
    if (out.length > MAX_FILLED) return sorted;
  }
  return out;
}

async function forecastReport(ctx: CallContext, scope: ReportScope): Promise<ForecastReport> {
  const c = await conversion(ctx);
  const stageProbability = new Map((await loadStages(ctx.db)).map((s) => [s.id, s.probability]));
  const base = dealBase(scope);
  const open = await sql<MoneyGroup & { month: string | null; stage_id: string; probability: number | null }>`
    SELECT substr(d.expected_close_date, 1, 7) AS month, d.stage_id, d.probability, d.currency AS cur,
      NULL AS seg, count(*) AS n, ${AMOUNT_SUMS}
    FROM deals d WHERE ${all([...base, openInPeriod(scope)])}
    GROUP BY month, d.stage_id, d.probability, cur`.execute(ctx.db);
  const won = await closedOf(ctx, c, scope, ['won'], ['month']);

  interface Month {
    openCount: number;
    open: BaseSum;
    weighted: BaseSum;
    wonCount: number;
    won: BaseSum;
  }
  const months = new Map<string | null, Month>();
  const monthOf = (key: string | null): Month => {
    let m = months.get(key);
    if (!m) {
      m = {
        openCount: 0,
        open: new BaseSum(c.rates),
        weighted: new BaseSum(c.rates),
        wonCount: 0,
        won: new BaseSum(c.rates),
      };
      months.set(key, m);
    }
    return m;
  };
  for (const row of open.rows) {
    const m = monthOf(row.month);
    m.openCount += row.n;
    addGroup(m.open, c, row);
    addGroup(m.weighted, c, row, row.probability ?? stageProbability.get(row.stage_id) ?? 0);
  }
  for (const group of won) {
    const m = monthOf(group.month);
    m.wonCount += group.n;
    m.won.add(group.amount, group.currency, group.day, 100, group.n);
  }

  const dated = [...months.keys()].filter((k): k is string => k !== null);
  const undated = months.get(null);
  return {
    baseCurrency: c.rates.base,
    months: filled(dated, scope.from?.slice(0, 7) ?? null, scope.to?.slice(0, 7) ?? null, nextMonth).map((month) => {
      const m = months.get(month);
      return {
        month,
        openCount: m?.openCount ?? 0,
        open: m?.open.value() ?? 0,
        weighted: m?.weighted.value() ?? 0,
        wonCount: m?.wonCount ?? 0,
        won: m?.won.value() ?? 0,
      };
    }),
    undated: {
      openCount: undated?.openCount ?? 0,
      open: undated?.open.value() ?? 0,
      weighted: undated?.weighted.value() ?? 0,
    },
    unconverted: unconvertedOf(...[...months.values()].flatMap((m) => [m.open, m.won])),
  };
}

// ---------------------------------------------------------------------------------------------------------------

interface OutcomeGroup {
  key: string | null;
  won: number;
  lost: number;
  amount: BaseSum;
}

/** Won and lost deals of the period by owner and by source (one read of the kept sums), with the won amounts. */
async function outcomes(
  ctx: CallContext,
  c: Conversion,
  scope: ReportScope,
): Promise<{ owners: OutcomeGroup[]; sources: OutcomeGroup[] }> {
  const rows = await closedOf(ctx, c, scope, ['won', 'lost'], ['owner_id', 'source']);
  const tally = (keyOf: (row: ClosedGroup) => string | null): OutcomeGroup[] => {
    const groups = new Map<string, OutcomeGroup>();
    for (const row of rows) {
      const key = keyOf(row);
      const fold = foldKey(key);
      let g = groups.get(fold);
      if (!g) {
        g = { key, won: 0, lost: 0, amount: new BaseSum(c.rates) };
        groups.set(fold, g);
      }
      if (row.status === 'won') {
        g.won += row.n;
        g.amount.add(row.amount, row.currency, row.day, 100, row.n);
      } else g.lost += row.n;
    }
    return [...groups.values()];
  };
  return { owners: tally((r) => r.owner_id), sources: tally((r) => r.source) };
}

function byWonAmount<T extends { wonAmount: number; won: number }>(a: T, b: T): number {
  return b.wonAmount - a.wonAmount || b.won - a.won;
}

async function winRateReport(ctx: CallContext, scope: ReportScope): Promise<WinRateReport> {
  const c = await conversion(ctx);
  const { owners, sources } = await outcomes(ctx, c, scope);
  const names = await userNames(
    ctx.db,
    owners.map((g) => g.key),
  );
  const row = (g: OutcomeGroup): WinRateRow & { wonAmount: number } => ({
    won: g.won,
    lost: g.lost,
    winRate: rate(g.won, g.lost),
    wonAmount: g.amount.value(),
  });
  const overall = owners.reduce((o, g) => ({ won: o.won + g.won, lost: o.lost + g.lost }), { won: 0, lost: 0 });
  return {
    baseCurrency: c.rates.base,
    overall: { ...overall, winRate: rate(overall.won, overall.lost) },
    byOwner: owners
      .map((g) => ({ ownerId: g.key, ownerName: g.key === null ? null : (names.get(g.key) ?? null), ...row(g) }))
      .sort((a, b) => byWonAmount(a, b) || compareNullable(a.ownerName, b.ownerName)),
    bySource: sources
      .map((g) => ({ source: g.key, ...row(g) }))
      .sort((a, b) => byWonAmount(a, b) || compareNullable(a.source, b.source)),
    unconverted: unconvertedOf(...owners.map((g) => g.amount)),
  };
}

// ---------------------------------------------------------------------------------------------------------------

/** Stages a report lists: those of the pipeline asked for, archived ones only when deals were in them. */
function listedStages(stages: CatalogStage[], scope: ReportScope, used: Set<string>): CatalogStage[] {
  return stages.filter(
    (s) => (scope.pipelineId === null || s.pipelineId === scope.pipelineId) && (!s.archived || used.has(s.id)),
  );
}

/**
 * Time spent in a stage, in two parts so it can be kept while the clock runs: finished stays' durations, and the
 * count and summed entry times of stays still going on (each split in two as amounts are, so sums stay exact).
 */
interface StayTimes {
  stage_id: string;
  stays: number;
  done_hi: number | null;
  done_lo: number | null;
  going: number;
  entered_hi: number | null;
  entered_lo: number | null;
}

/** The velocity report with each stage's stays still as StayTimes: all of it but what depends on the clock. */
type VelocityParts = Omit<VelocityReport, 'stages'> & {
  stages: { stageId: string; name: string; times: StayTimes | null }[];
};

async function velocityReport(ctx: CallContext, scope: ReportScope): Promise<VelocityReport> {
  const parts = await cachedReport(ctx.db, reportKey('reports.velocity', ctx, scope), () => velocityParts(ctx, scope));
  const now = BigInt(ctx.now);
  return {
    ...parts,
    stages: parts.stages.map(({ stageId, name, times }) => {
      if (times === null || times.stays <= 0) return { stageId, name, averageDays: null, deals: times?.stays ?? 0 };
      const ms =
        splitSum(times.done_hi, times.done_lo) +
        BigInt(times.going) * now -
        splitSum(times.entered_hi, times.entered_lo);
      return { stageId, name, averageDays: round2(Number(ms) / times.stays / DAY_MS), deals: times.stays };
    }),
  };
}

/** `every` stage's stay times less those in `some` (a subset of the same stays); stages left with none drop out. */
function withoutStays(every: StayTimes[], some: StayTimes[]): StayTimes[] {
  const less = new Map(some.map((r) => [r.stage_id, r]));
  const minus = (a: number | null, b: number | null | undefined) => (a ?? 0) - (b ?? 0);
  return every
    .map((r) => {
      const t = less.get(r.stage_id);
      return {
        stage_id: r.stage_id,
        stays: minus(r.stays, t?.stays),
        done_hi: minus(r.done_hi, t?.done_hi),
        done_lo: minus(r.done_lo, t?.done_lo),
        going: minus(r.going, t?.going),
        entered_hi: minus(r.entered_hi, t?.entered_hi),
        entered_lo: minus(r.entered_lo, t?.entered_lo),
      };
    })
    .filter((r) => r.stays > 0);
}

async function velocityParts(ctx: CallContext, scope: ReportScope): Promise<VelocityParts> {
  const c = await conversion(ctx);
  const stages = await loadStages(ctx.db);
  const base = dealBase(scope);
  const historyScope = scope.pipelineId === null ? [] : [sql<SqlBool>`h.pipeline_id = ${scope.pipelineId}`];
  // Stays in open stages of the deals asked for: the history's own index is scanned once and each entry's deal
  // checked against the set of matching deals, instead of looking each deal's history up through the table. A deal
  // that came back to a stage counts each stay (counting distinct deals doubled the report's time at 50k deals).
  const openStages = stages.filter((s) => s.kind === 'open').map((s) => s.id);
  const [openPart, closedPart] = dealInPeriodParts(scope);
  const stayTimes = sql.raw(`count(*) AS stays,
      sum((h.left_at - h.entered_at) / ${SPLIT}) AS done_hi, sum((h.left_at - h.entered_at) % ${SPLIT}) AS done_lo,
      count(*) - count(h.left_at) AS going,
      sum(CASE WHEN h.left_at IS NULL THEN h.entered_at / ${SPLIT} END) AS entered_hi,
      sum(CASE WHEN h.left_at IS NULL THEN h.entered_at % ${SPLIT} END) AS entered_lo`);
  const inOpenStages = [...historyScope, sql<SqlBool>`h.stage_id IN (${sql.join(openStages)})`];
  let stays: StayTimes[] = [];
  if (openStages.length > 0 && onlyPipeline(scope)) {
    // Every stay from the sums kept by triggers (migrations/0008_report_sums.ts), less the stays of deals in the
    // trash (few, found through deals_trash).
    const { rows: every } = await sql<StayTimes>`
      SELECT s.stage_id, s.stays, s.done_hi, s.done_lo, s.going, s.entered_hi, s.entered_lo FROM deal_stay_sums s
      WHERE ${all([...(scope.pipelineId === null ? [] : [sql<SqlBool>`s.pipeline_id = ${scope.pipelineId}`]), sql<SqlBool>`s.stage_id IN (${sql.join(openStages)})`])}`.execute(
      ctx.db,
    );
    const { rows: trashed } = await sql<StayTimes>`
      SELECT h.stage_id, ${stayTimes} FROM deals d JOIN deal_stage_history h ON h.deal_id = d.id
      WHERE ${all([sql<SqlBool>`d.deleted_at IS NOT NULL`, ...inOpenStages])}
      GROUP BY h.stage_id`.execute(ctx.db);
    stays = withoutStays(every, trashed);
  } else if (openStages.length > 0) {
    // The deals asked for, then each one's stays from the history's index (a few entries per deal).
    ({ rows: stays } = await sql<StayTimes>`
      SELECT h.stage_id, ${stayTimes}
      FROM (SELECT d.id FROM deals d WHERE ${all([...base, openPart])}
        UNION ALL SELECT d.id FROM deals d WHERE ${all([...base, closedPart])}) d
      JOIN deal_stage_history h INDEXED BY deal_stage_history_stays ON h.deal_id = d.id
      WHERE ${all(inOpenStages)}
      GROUP BY h.stage_id`.execute(ctx.db));
  }
  const closed = await closedOf(ctx, c, scope, ['won', 'lost'], []);
  const open = await sql<{ n: number }>`
    SELECT count(*) AS n FROM deals d WHERE ${all([...base, openInPeriod(scope)])}`.execute(ctx.db);

  const stayByStage = new Map(stays.map((r) => [r.stage_id, r]));
  let won = 0;
  let lost = 0;
  let cycle = 0n;
  const wonAmount = new BaseSum(c.rates);
  for (const group of closed) {
    cycle += group.cycle;
    if (group.status === 'won') {
      won += group.n;
      wonAmount.add(group.amount, group.currency, group.day, 100, group.n);
    } else lost += group.n;
  }
  const cycleMs = Number(cycle);
  const openDeals = open.rows[0]?.n ?? 0;
  const convertedWon = won - unconvertedCount(wonAmount);
  const dealSize = convertedWon === 0 ? null : wonAmount.value() / convertedWon;
  const cycleDays = won + lost === 0 ? null : cycleMs / (won + lost) / DAY_MS;
  const winRate = rate(won, lost);
  const velocity =
    dealSize === null || cycleDays === null || cycleDays <= 0 || winRate === null
      ? null
      : Math.round((openDeals * dealSize * winRate) / cycleDays);
  return {
    baseCurrency: c.rates.base,
    stages: listedStages(stages, scope, new Set(stayByStage.keys()))
      .filter((s) => s.kind === 'open')
      .map((s) => ({ stageId: s.id, name: s.name, times: stayByStage.get(s.id) ?? null })),
    averageCycleDays: cycleDays === null ? null : round2(cycleDays),
    openDeals,
    averageDealSize: dealSize === null ? null : Math.round(dealSize),
    winRate,
    velocity,
    unconverted: wonAmount.unconverted(),
  };
}

// ---------------------------------------------------------------------------------------------------------------

/** Above every open stage's position: a deal that reached the won stage passed every open one. */
const WON_RANK = 1_000_000;

async function funnelReport(ctx: CallContext, scope: ReportScope): Promise<FunnelReport> {
  const pipelineId = scope.pipelineId ?? (await firstPipelineId(ctx.db));
  if (pipelineId === null) return { pipelineId: null, stages: [] };
  const stages = (await loadStages(ctx.db)).filter((s) => s.pipelineId === pipelineId && !s.archived);
  // Open stages in order, then the won stage(s), which count as past every open one.
  const open = stages.filter((s) => s.kind === 'open');
  const steps = [
    ...open.map((s, i) => ({ stage: s, rank: i })),
    ...stages.filter((s) => s.kind === 'won').map((s) => ({ stage: s, rank: WON_RANK })),
  ];
  if (steps.length === 0) return { pipelineId, stages: [] };

  // Deals by the set of stages they have been in (deal_reach, kept by triggers), read in the index's order; each
  // set's furthest step is worked out here (lost and removed stages do not count), then how many got that far.
  const where = [sql<SqlBool>`r.pipeline_id = ${pipelineId}`, sql<SqlBool>`r.live = 1`];
  where.push(...timeInPeriod(scope, sql`r.created_at`));
  if (scope.ownerId !== null) where.push(sql<SqlBool>`r.owner_id = ${scope.ownerId}`);
  if (scope.source !== null) where.push(sql<SqlBool>`r.source = ${scope.source}`);
  const sets = await sql<{ stages: string; n: number }>`
    SELECT r.stages, count(*) AS n FROM deal_reach r WHERE ${all(where)} GROUP BY r.stages`.execute(ctx.db);
  const rankOf = new Map(steps.map((s) => [s.stage.id, s.rank]));
  const rows = sets.rows.map(({ stages, n }) => {
    let furthest: number | null = null;
    for (const id of stages.split(',')) {
      const rank = rankOf.get(id);
      if (rank !== undefined && (furthest === null || rank > furthest)) furthest = rank;
    }
    return { furthest, n };
  });

  const reached = steps.map(({ stage, rank: from }) => ({
    stageId: stage.id,
    name: stage.name,
    reached: rows.reduce((n, r) => (r.furthest !== null && r.furthest >= from ? n + r.n : n), 0),
  }));
  return {
    pipelineId,
    stages: reached.map((s, i) => {
      const next = reached[i + 1];
      return { ...s, conversion: next === undefined || s.reached === 0 ? null : next.reached / s.reached };
    }),
  };
}

// ---------------------------------------------------------------------------------------------------------------

const emptyCounts = (): ActivityCounts => ({ call: 0, meeting: 0, email: 0, other: 0 });

function isKind(kind: string): kind is ActivityKind {
  return (ACTIVITY_KINDS as readonly string[]).includes(kind);
}

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

interface ActivityRow {
  owner_id: string | null;
  kind: string;
  week: number;
  n: number;
}

/** Activities counted from the table, between `fromMs` and `toMs` (null: unbounded). */
async function activityRows(
  ctx: CallContext,
  scope: ReportScope,
  fromMs: number | null,
  toMs: number | null,
): Promise<ActivityRow[]> {
  const conditions = [
    sql<SqlBool>`a.deleted_at IS NULL`,
    ...timeInPeriod({ ...scope, fromMs, toMs }, sql`a.occurred_at`),
  ];
  if (scope.ownerId !== null) conditions.push(sql<SqlBool>`a.owner_id = ${scope.ownerId}`);
  if (scope.pipelineId !== null || scope.source !== null) {
    // The owner filter is the activity's owner, not the deal's.
    const linked = all(dealBase({ ...scope, ownerId: null }));
    conditions.push(sql<SqlBool>`EXISTS (
      SELECT 1 FROM links l JOIN deals d ON d.id = l.record_id
      WHERE l.item_type = 'activity' AND l.item_id = a.id AND l.record_type = 'deal' AND ${linked})`);
  }
  const day = sql`(a.occurred_at / ${sql.raw(String(DAY_MS))})`;
  const { rows } = await sql<ActivityRow>`
    SELECT a.owner_id, a.kind, ${day} - ((${day} + 3) % 7) AS week, count(*) AS n
    FROM activities a WHERE ${all(conditions)}
    GROUP BY week, a.kind, a.owner_id`.execute(ctx.db);
  return rows;
}

async function activityReport(ctx: CallContext, scope: ReportScope): Promise<ActivityReport> {
  const rows: ActivityRow[] = [];
  if (scope.pipelineId !== null || scope.source !== null) {
    rows.push(...(await activityRows(ctx, scope, scope.fromMs, scope.toMs)));
  } else {
    // Whole weeks from the counts kept by triggers (migrations/0008_report_sums.ts), the days around them from the
    // activities themselves.
    const slices = periodSlices(scope, WEEKS);
    if (slices.whole !== null) {
      const where = [];
      if (scope.ownerId !== null) where.push(sql<SqlBool>`s.owner_id = ${scope.ownerId}`);
      if (slices.whole.from !== null) where.push(sql<SqlBool>`s.week >= ${slices.whole.from}`);
      if (slices.whole.to !== null) where.push(sql<SqlBool>`s.week <= ${slices.whole.to}`);
      const kept = await sql<ActivityRow>`
        SELECT nullif(s.owner_id, '') AS owner_id, s.kind, s.week, s.n FROM activity_week_sums s
        WHERE ${all(where)}`.execute(ctx.db);
      rows.push(...kept.rows);
    }
    for (const stretch of slices.days) rows.push(...(await activityRows(ctx, scope, stretch.fromMs, stretch.toMs)));
  }

  const users = new Map<string | null, ActivityCounts>();
  const weeks = new Map<string, ActivityCounts>();
  for (const row of rows) {
    const kind = isKind(row.kind) ? row.kind : 'other';
    const user = users.get(row.owner_id) ?? emptyCounts();
    users.set(row.owner_id, user);
    user[kind] += row.n;
    const weekKey = dateOf(row.week);
    const week = weeks.get(weekKey) ?? emptyCounts();
    weeks.set(weekKey, week);
    week[kind] += row.n;
  }
  const names = await userNames(ctx.db, [...users.keys()]);
  const nextWeek = (week: string) => dateOf(dayNumber(week) + 7);
  const bound = (date: string | null) => (date === null ? null : dateOf(mondayOf(dayNumber(date))));
  return {
    byUser: [...users]
      .map(([userId, counts]) => ({
        userId,
        name: userId === null ? null : (names.get(userId) ?? null),
        ...counts,
        total: counts.call + counts.meeting + counts.email + counts.other,
      }))
      .sort((a, b) => b.total - a.total || compareNullable(a.name, b.name)),
    series: filled([...weeks.keys()], bound(scope.from), bound(scope.to), nextWeek).map((week) => ({
      week,
      ...(weeks.get(week) ?? emptyCounts()),
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------------

async function lostReasonsReport(ctx: CallContext, scope: ReportScope): Promise<LostReasonsReport> {
  const c = await conversion(ctx);
  const { rows } = await sql<MoneyGroup & { reason: string | null }>`
    SELECT d.lost_reason AS reason, d.currency AS cur, ${c.segments.expr} AS seg, count(*) AS n, ${AMOUNT_SUMS}
    FROM deals d WHERE ${all([...dealBase(scope), closedInPeriod(scope, ['lost'])])}
    GROUP BY reason, cur, seg`.execute(ctx.db);
  const reasons = new Map<string, { reason: string | null; count: number; amount: BaseSum }>();
  for (const row of rows) {
    const reason = row.reason?.trim() ? row.reason : null;
    const fold = foldKey(reason);
    let r = reasons.get(fold);
    if (!r) {
      r = { reason, count: 0, amount: new BaseSum(c.rates) };
      reasons.set(fold, r);
    }
    r.count += row.n;
    addGroup(r.amount, c, row);
  }
  return {
    baseCurrency: c.rates.base,
    reasons: [...reasons.values()]
      .map((r) => ({ reason: r.reason, count: r.count, amount: r.amount.value() }))
      .sort((a, b) => b.count - a.count || b.amount - a.amount || compareNullable(a.reason, b.reason)),
    unconverted: unconvertedOf(...[...reasons.values()].map((r) => r.amount)),
  };
}

// ---------------------------------------------------------------------------------------------------------------

export const reportsPipeline = reportProcedure(
  'reports.pipeline',
  `Deals by stage: count, total and weighted total (amount × probability). ${FILTERS}`,
  pipelineReport,
);

export const reportsForecast = reportProcedure(
  'reports.forecast',
  `Open deals by expected close month (unweighted and weighted) and won deals by close month. ${FILTERS}`,
  forecastReport,
);

export const reportsWinRate = reportProcedure(
  'reports.winRate',
  `Won and lost deals, overall, by owner and by source, with the won amounts. ${FILTERS}`,
  winRateReport,
);

export const reportsVelocity = defineProcedure({
  name: 'reports.velocity',
  summary: `Days per stage, the sales cycle, average won deal, win rate and pipeline velocity (per day). ${FILTERS}`,
  input: reportInput,
  permission: 'records.read',
  mutates: false,
  // Stays still going on grow with the clock: only what does not is kept (inside velocityReport).
  handler: (ctx: CallContext, input: ReportInput) => velocityReport(ctx, reportScope(input)),
});

export const reportsFunnel = reportProcedure(
  'reports.funnel',
  'How many deals created in the period reached each open stage and the won stage of a pipeline (the first one ' +
    'when none is named), and the share that went on to the next.',
  funnelReport,
);

export const reportsActivity = reportProcedure(
  'reports.activity',
  'Calls, meetings, emails and other activities by owner and by week (Monday, UTC) in the period; pipelineId and ' +
    'source count activities linked to such deals.',
  activityReport,
);

export const reportsLostReasons = reportProcedure(
  'reports.lostReasons',
  `Lost deals by reason, with counts and amounts. ${FILTERS}`,
  lostReasonsReport,
);

export const reportProcedures = {
  [reportsPipeline.name]: reportsPipeline,
  [reportsForecast.name]: reportsForecast,
  [reportsWinRate.name]: reportsWinRate,
  [reportsVelocity.name]: reportsVelocity,
  [reportsFunnel.name]: reportsFunnel,
  [reportsActivity.name]: reportsActivity,
  [reportsLostReasons.name]: reportsLostReasons,
} as const;
