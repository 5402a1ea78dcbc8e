// Won and lost deals of a report's period in groups, mostly from deal_closed_sums (kept by triggers, per close
// month: migrations/0008_report_sums.ts): whole months come from there, and only the days at either end of a
// period that starts or ends inside a month are read from the deals themselves. Each group is one currency under
// one rate, so a report converts it once, exactly.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { CallContext } from '../api/procedure.js';
import { SPLIT, splitSum } from '../deals/money.js';
import { all, DAY_MS, dealBase, type ReportScope } from './filters.js';
import type { RateSegments } from './rate-segments.js';

/** What a report can group closed deals by. */
export type ClosedKey = 'owner_id' | 'source' | 'stage_id' | 'status' | 'month';

export interface ClosedGroup {
  /** Keys not asked for are null (status always comes back). */
  owner_id: string | null;
  source: string | null;
  stage_id: string | null;
  status: 'won' | 'lost';
  month: string | null;
  currency: string;
  /** The day whose rates convert this group. */
  day: string;
  n: number;
  amount: bigint;
  /** Amounts × their own probability, of deals with a probability override. */
  override: bigint;
  /** Amounts of deals without an override (weighted by their stage's probability). */
  plain: bigint;
  /** Summed closed_at − created_at, ms. */
  cycle: bigint;
}

interface Row {
  owner_id: string | null;
  source: string | null;
  stage_id: string | null;
  status: 'won' | 'lost';
  month: string | null;
  cur: string;
  day: string | null;
  seg: number | null;
  n: number;
  hi: number;
  lo: number;
  ohi: number;
  olo: number;
  phi: number;
  plo: number;
  chi: number;
  clo: number;
}

/** Spans of time that kept sums count by: months (keyed YYYY-MM) or weeks (keyed by their Monday's day number). */
export interface PeriodUnit<Key> {
  /** Start of the span `ms` falls in. */
  start(ms: number): number;
  /** Start of the next span. */
  next(ms: number): number;
  key(ms: number): Key;
}

export const MONTHS: PeriodUnit<string> = {
  start: (ms) => {
    const d = new Date(ms);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  },
  next: (ms) => {
    const d = new Date(ms);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  },
  key: (ms) => new Date(ms).toISOString().slice(0, 7),
};

/** Day number (days since 1970-01-01 UTC) of the Monday of `day`'s week; 1970-01-01 was a Thursday. */
export function mondayOf(day: number): number {
  return day - ((((day + 3) % 7) + 7) % 7);
}

/** Weeks from Monday, UTC. */
export const WEEKS: PeriodUnit<number> = {
  start: (ms) => mondayOf(Math.floor(ms / DAY_MS)) * DAY_MS,
  next: (ms) => WEEKS.start(ms) + 7 * DAY_MS,
  key: (ms) => Math.floor(WEEKS.start(ms) / DAY_MS),
};

/**
 * The period split into whole spans of `unit` (null bounds: open-ended; null: no whole span) and the stretches
 * of time, [fromMs, toMs), that lie outside them.
 */
export function periodSlices<Key>(
  scope: Pick<ReportScope, 'fromMs' | 'toMs'>,
  unit: PeriodUnit<Key>,
): {
  whole: { from: Key | null; to: Key | null } | null;
  days: { fromMs: number | null; toMs: number | null }[];
} {
  const { fromMs, toMs } = scope;
  const first = fromMs === null ? null : unit.start(fromMs) === fromMs ? fromMs : unit.next(fromMs);
  const end = toMs === null ? null : unit.start(toMs);
  if (first !== null && end !== null && first >= end) return { whole: null, days: [{ fromMs, toMs }] };
  const days: { fromMs: number | null; toMs: number | null }[] = [];
  if (fromMs !== null && first !== fromMs) days.push({ fromMs, toMs: first });
  if (toMs !== null && end !== toMs) days.push({ fromMs: end, toMs });
  return {
    whole: { from: first === null ? null : unit.key(first), to: end === null ? null : unit.key(end - 1) },
    days,
  };
}

const SUMMARY_KEYS: Record<ClosedKey, string> = {
  owner_id: "nullif(s.owner_id, '')",
  source: "nullif(s.source, '')",
  stage_id: 's.stage_id',
  status: 's.status',
  month: 's.month',
};

const DEAL_KEYS: Record<ClosedKey, string> = {
  owner_id: 'd.owner_id',
  source: 'd.source',
  stage_id: 'd.stage_id',
  status: 'd.status',
  month: "strftime('%Y-%m', d.closed_at / 1000, 'unixepoch')",
};

const ALL_KEYS = Object.keys(SUMMARY_KEYS) as ClosedKey[];

function keyColumns(expressions: Record<ClosedKey, string>, keys: readonly ClosedKey[]): string {
  return ALL_KEYS.map((k) => `${keys.includes(k) || k === 'status' ? expressions[k] : 'NULL'} AS ${k}`).join(', ');
}

function groupColumns(keys: readonly ClosedKey[]): string {
  return [...new Set<string>([...keys, 'status'])].join(', ');
}

/** Won and/or lost deals of the scope in groups by `keys`, currency and rate. */
export async function closedGroups(
  ctx: CallContext,
  scope: ReportScope,
  segments: RateSegments,
  today: string,
  statuses: readonly ('won' | 'lost')[],
  keys: readonly ClosedKey[],
): Promise<ClosedGroup[]> {
  const slices = periodSlices(scope, MONTHS);
  const rows: Row[] = [];
  const statusIn = sql.join([...statuses]);

  if (slices.whole !== null) {
    const where: RawBuilder<SqlBool>[] = [sql<SqlBool>`s.status IN (${statusIn})`];
    if (scope.pipelineId !== null) where.push(sql<SqlBool>`s.pipeline_id = ${scope.pipelineId}`);
    if (scope.ownerId !== null) where.push(sql<SqlBool>`s.owner_id = ${scope.ownerId}`);
    if (scope.source !== null) where.push(sql<SqlBool>`s.source = ${scope.source}`);
    if (slices.whole.from !== null) where.push(sql<SqlBool>`s.month >= ${slices.whole.from}`);
    if (slices.whole.to !== null) where.push(sql<SqlBool>`s.month <= ${slices.whole.to}`);
    const found = await sql<Row>`
      SELECT ${sql.raw(keyColumns(SUMMARY_KEYS, keys))}, s.currency AS cur, s.rate_day AS day, NULL AS seg,
        sum(s.n) AS n, sum(s.amount_hi) AS hi, sum(s.amount_lo) AS lo, sum(s.override_hi) AS ohi,
        sum(s.override_lo) AS olo, sum(s.plain_hi) AS phi, sum(s.plain_lo) AS plo, sum(s.cycle_hi) AS chi,
        sum(s.cycle_lo) AS clo
      FROM deal_closed_sums s WHERE ${all(where)}
      GROUP BY ${sql.raw(groupColumns(keys))}, cur, day`.execute(ctx.db);
    rows.push(...found.rows);
  }

  for (const stretch of slices.days) {
    const where = [...dealBase(scope), sql<SqlBool>`d.status IN (${statusIn})`, sql<SqlBool>`d.status <> 'open'`];
    if (stretch.fromMs !== null) where.push(sql<SqlBool>`d.closed_at >= ${stretch.fromMs}`);
    if (stretch.toMs !== null) where.push(sql<SqlBool>`d.closed_at < ${stretch.toMs}`);
    const found = await sql<Row>`
      SELECT ${sql.raw(keyColumns(DEAL_KEYS, keys))}, d.currency AS cur, NULL AS day, ${segments.expr} AS seg,
        count(*) AS n, ${sql.raw(`sum(d.amount / ${SPLIT}) AS hi, sum(d.amount % ${SPLIT}) AS lo,
        sum(CASE WHEN d.probability IS NULL THEN 0 ELSE (d.amount / ${SPLIT}) * d.probability END) AS ohi,
        sum(CASE WHEN d.probability IS NULL THEN 0 ELSE (d.amount % ${SPLIT}) * d.probability END) AS olo,
        sum(CASE WHEN d.probability IS NULL THEN d.amount / ${SPLIT} ELSE 0 END) AS phi,
        sum(CASE WHEN d.probability IS NULL THEN d.amount % ${SPLIT} ELSE 0 END) AS plo,
        sum((d.closed_at - d.created_at) / ${SPLIT}) AS chi, sum((d.closed_at - d.created_at) % ${SPLIT}) AS clo`)}
      FROM deals d WHERE ${all(where)}
      GROUP BY ${sql.raw(groupColumns(keys))}, cur, seg`.execute(ctx.db);
    rows.push(...found.rows);
  }

  return rows.map((r) => ({
    owner_id: r.owner_id,
    source: r.source,
    stage_id: r.stage_id,
    status: r.status,
    month: r.month,
    currency: r.cur,
    // '' in the summary: the base currency, which converts the same on any day.
    day: r.day === null ? segments.dayOf(r.seg, today) : r.day === '' ? today : r.day,
    n: r.n,
    amount: splitSum(r.hi, r.lo),
    override: splitSum(r.ohi, r.olo),
    plain: splitSum(r.phi, r.plo),
    cycle: splitSum(r.chi, r.clo),
  }));
}
