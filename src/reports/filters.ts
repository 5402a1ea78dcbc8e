// The filters every report takes, and the SQL that picks the deals they mean: live deals of a pipeline, owner and
// source, in a period (open deals by expected close date, won and lost deals by their UTC close day).
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { z } from 'zod';
import { validationError } from '../api/errors.js';
import { shortText } from '../api/limits.js';
import { recordId } from '../records/links.js';

export const DAY_MS = 86_400_000;

/** A real calendar day, YYYY-MM-DD. */
const reportDay = () =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
    .refine((value) => {
      const ms = Date.parse(`${value}T00:00:00Z`);
      return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === value;
    }, 'is not a real date');

export const reportInput = z
  .object({
    pipelineId: recordId().optional(),
    ownerId: recordId().optional(),
    source: shortText().optional(),
    from: reportDay().optional(),
    to: reportDay().optional(),
  })
  .strict();
export type ReportInput = z.output<typeof reportInput>;

export interface ReportScope {
  pipelineId: string | null;
  ownerId: string | null;
  source: string | null;
  /** First day, YYYY-MM-DD, or null: no lower bound. */
  from: string | null;
  /** Last day (inclusive), or null. */
  to: string | null;
  /** The period as epoch milliseconds: [fromMs, toMs). */
  fromMs: number | null;
  toMs: number | null;
}

export function reportScope(input: ReportInput): ReportScope {
  const from = input.from ?? null;
  const to = input.to ?? null;
  if (from !== null && to !== null && from > to) {
    throw validationError('Invalid input. to: must not be before from', [
      { path: 'to', message: 'must not be before from' },
    ]);
  }
  const source = input.source?.trim();
  return {
    pipelineId: input.pipelineId ?? null,
    ownerId: input.ownerId ?? null,
    source: source ? source : null,
    from,
    to,
    fromMs: from === null ? null : Date.parse(`${from}T00:00:00Z`),
    toMs: to === null ? null : Date.parse(`${to}T00:00:00Z`) + DAY_MS,
  };
}

export function hasPeriod(scope: ReportScope): boolean {
  return scope.from !== null || scope.to !== null;
}

type Condition = RawBuilder<SqlBool>;

export function all(conditions: Condition[]): Condition {
  return conditions.length === 0 ? sql<SqlBool>`1` : sql<SqlBool>`(${sql.join(conditions, sql` AND `)})`;
}

/** `column` (epoch ms) within the period. */
export function timeInPeriod(scope: ReportScope, column: RawBuilder<unknown>): Condition[] {
  const out: Condition[] = [];
  if (scope.fromMs !== null) out.push(sql<SqlBool>`${column} >= ${scope.fromMs}`);
  if (scope.toMs !== null) out.push(sql<SqlBool>`${column} < ${scope.toMs}`);
  return out;
}

/** Live deals (alias `d`) of the pipeline, owner and source asked for; no period. */
export function dealBase(scope: ReportScope): Condition[] {
  const out: Condition[] = [sql<SqlBool>`d.deleted_at IS NULL`];
  if (scope.pipelineId !== null) out.push(sql<SqlBool>`d.pipeline_id = ${scope.pipelineId}`);
  if (scope.ownerId !== null) out.push(sql<SqlBool>`d.owner_id = ${scope.ownerId}`);
  // deals.source is COLLATE NOCASE, so "Referral" finds "referral".
  if (scope.source !== null) out.push(sql<SqlBool>`d.source = ${scope.source}`);
  return out;
}

/** Open deals whose expected close date is in the period (any, undated included, when there is no period). */
export function openInPeriod(scope: ReportScope): Condition {
  const out: Condition[] = [sql<SqlBool>`d.status = 'open'`];
  if (scope.from !== null) out.push(sql<SqlBool>`d.expected_close_date >= ${scope.from}`);
  if (scope.to !== null) out.push(sql<SqlBool>`d.expected_close_date <= ${scope.to}`);
  if (hasPeriod(scope)) out.push(sql<SqlBool>`d.expected_close_date IS NOT NULL`);
  return all(out);
}

/** Won and/or lost deals whose close day is in the period. */
export function closedInPeriod(scope: ReportScope, kinds: readonly ('won' | 'lost')[]): Condition {
  const status =
    kinds.length === 1 ? sql<SqlBool>`d.status = ${kinds[0]}` : sql<SqlBool>`d.status IN (${sql.join([...kinds])})`;
  // Said again as deals_closed's own condition, which SQLite must see word for word to use that index.
  return all([status, sql<SqlBool>`d.status <> 'open'`, ...timeInPeriod(scope, sql`d.closed_at`)]);
}

/**
 * Every deal in the period as two conditions, open deals by expected close and closed ones by close day. A report
 * runs its query once for each and adds up: one query with OR between them makes SQLite scan the whole table.
 */
export function dealInPeriodParts(scope: ReportScope): [Condition, Condition] {
  return [openInPeriod(scope), closedInPeriod(scope, ['won', 'lost'])];
}
