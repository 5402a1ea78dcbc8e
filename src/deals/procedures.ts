// deals.*: what a firm hopes to sell, moving through a pipeline's stages; and the area's procedure list.
import { sql, type Kysely, type SqlBool } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { HearthError } from '../api/errors.js';
import { shortText } from '../api/limits.js';
import { defineProcedure, type CallContext } from '../api/procedure.js';
import type { DB, SplitSumColumns } from '../db/schema.js';
import { applyCustom, definitionsFor } from '../fields/definitions.js';
import {
  bulkApply,
  bulkDelete,
  bulkIds,
  changeTags,
  deleteRecord,
  restoreRecord,
  setTags,
} from '../records/lifecycle.js';
import { checkLinks, linkIds } from '../records/links.js';
import {
  col,
  enumOrder,
  listInputShape,
  numberField,
  runList,
  textField,
  type ListField,
  type ListSpec,
} from '../records/list-query.js';
import { checkEditable, listPage, mustFindBy } from '../records/record-procedures.js';
import { changedColumns, customInput, recordId, version } from '../records/schemas.js';
import { checkDate, cleanText, invalid, IssueList } from '../records/values.js';
import { currencyCode } from '../settings/procedures.js';
import { baseCurrency, phoneRegion } from '../settings/repository.js';
import { tagList, tagName } from '../tags/repository.js';
import { tasksCreate } from '../tasks/procedures.js';
import { checkUser } from '../users/procedures.js';
import { automationsCreate, automationsDelete, automationsList, automationsUpdate, rulesFor } from './automations.js';
import { BaseSum, loadRates, splitSum, utcDay, type Rates } from './money.js';
import {
  findPipeline,
  findStage,
  loadPipelines,
  pipelinesArchive,
  pipelinesCreate,
  pipelinesList,
  pipelinesUpdate,
} from './pipelines.js';
import { ratesDelete, ratesList, ratesSet } from './rates.js';
import { auditShape, findDeal, findDealRow, toDeals, writeDealPeople, type DealRow } from './repository.js';
import { STAGE_KINDS, type Board, type BoardColumn, type Deal, type StageHistoryEntry } from './types.js';

const DAY = 86_400_000;
/** Largest amount accepted: inside the integers a double holds exactly (sums are split, see TotalsRow). */
const MAX_AMOUNT = 1_000_000_000_000_000; // 10^15 minor units

const dealFields = z
  .object({
    title: shortText(),
    amount: z.number().int('must be a whole number of minor units (cents)').min(0).max(MAX_AMOUNT),
    currency: currencyCode(),
    expectedCloseDate: z.string().max(10).nullable(),
    probability: z.number().int().min(0).max(100).nullable(),
    ownerId: recordId().nullable(),
    personIds: linkIds(),
    companyId: recordId().nullable(),
    source: shortText().nullable(),
    lostReason: shortText().nullable(),
    tags: tagList(),
    custom: customInput(),
  })
  .partial()
  .strict();
type DealFields = z.infer<typeof dealFields>;

type DealColumns = Pick<
  DealRow,
  | 'title'
  | 'amount'
  | 'currency'
  | 'expected_close_date'
  | 'probability'
  | 'owner_id'
  | 'company_id'
  | 'source'
  | 'lost_reason'
  | 'custom'
  | 'updated_at'
>;

async function normalizeDeal(
  ctx: CallContext,
  fields: DealFields,
  current: Deal | null,
  base: string,
): Promise<{ row: DealColumns; personIds: string[]; tags: string[] }> {
  const issues = new IssueList();
  const at = (key: string) => `${base}${key}`;
  const title = (fields.title ?? current?.title ?? '').trim();
  if (!title) issues.add(at('title'), 'a deal needs a title');
  let expected =
    fields.expectedCloseDate !== undefined ? cleanText(fields.expectedCloseDate) : (current?.expectedCloseDate ?? null);
  if (expected && fields.expectedCloseDate !== undefined)
    expected = issues.check(() => checkDate(expected!, at('expectedCloseDate'))) ?? expected;
  await issues.checkAsync(() => checkUser(ctx.db, fields.ownerId, at('ownerId')));
  if (fields.companyId) {
    const company = await ctx.db
      .selectFrom('companies')
      .select('id')
      .where('id', '=', fields.companyId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!company) issues.add(at('companyId'), 'there is no company with this id');
  }
  if (fields.personIds && fields.personIds.length > 0)
    await issues.checkAsync(() => checkLinks(ctx.db, { personIds: fields.personIds }, base));
  const defs = await definitionsFor(ctx.db, 'deal');
  const region = await phoneRegion(ctx.db);
  const custom =
    issues.check(() => applyCustom(defs, fields.custom, current ? current.custom : null, region, at('custom'))) ?? {};
  issues.throwIfAny();
  return {
    row: {
      title,
      amount: fields.amount ?? current?.amount ?? 0,
      currency: fields.currency ?? current?.currency ?? (await baseCurrency(ctx.db)),
      expected_close_date: expected,
      probability: fields.probability !== undefined ? fields.probability : (current?.probability ?? null),
      owner_id: fields.ownerId !== undefined ? fields.ownerId : (current?.ownerId ?? ctx.actor.userId),
      company_id: fields.companyId !== undefined ? fields.companyId : (current?.companyId ?? null),
      source: fields.source !== undefined ? cleanText(fields.source) : (current?.source ?? null),
      lost_reason: fields.lostReason !== undefined ? cleanText(fields.lostReason) : (current?.lostReason ?? null),
      custom: JSON.stringify(custom),
      updated_at: ctx.now,
    },
    personIds: fields.personIds ?? current?.personIds ?? [],
    tags: fields.tags ?? current?.tags ?? [],
  };
}

/** The deal, with `stale` as of the call's time; NOT_FOUND when there is none. */
async function findAt(ctx: CallContext, id: string): Promise<Deal> {
  const deal = await findDeal(ctx.db, id, ctx.now);
  if (!deal) throw new HearthError('NOT_FOUND', 'There is no deal with this id.', { id });
  return deal;
}
const storedRow = mustFindBy(findDealRow, 'There is no deal with this id.');

/** The live stage a deal goes to, with its pipeline; fails with VALIDATION at `path` otherwise. */
async function liveStage(db: Kysely<DB>, stageId: string, path: string) {
  const stage = await findStage(db, stageId);
  if (!stage || stage.archived_at !== null) throw invalid(path, 'there is no stage with this id');
  const pipeline = await db
    .selectFrom('pipelines')
    .select(['id', 'archived_at'])
    .where('id', '=', stage.pipeline_id)
    .executeTakeFirst();
  if (!pipeline || pipeline.archived_at !== null) throw invalid(path, 'this stage belongs to an archived pipeline');
  return stage;
}

/** Column order: where a card goes at `index` among the column's other live deals (top when not given). */
async function positionAt(
  db: Kysely<DB>,
  pipelineId: string,
  stageId: string,
  index: number | undefined,
  excludeId: string | null,
): Promise<number> {
  const neighbours = async () => {
    const at = Math.max((index ?? 0) - 1, 0);
    return sql<{ position: number }>`SELECT position FROM deals
      WHERE pipeline_id = ${pipelineId} AND stage_id = ${stageId} AND deleted_at IS NULL AND id IS NOT ${excludeId}
      ORDER BY position, id LIMIT 2 OFFSET ${at}`.execute(db);
  };
  if (!index) {
    const first = await sql<{ p: number | null }>`SELECT min(position) AS p FROM deals
      WHERE pipeline_id = ${pipelineId} AND stage_id = ${stageId} AND deleted_at IS NULL AND id IS NOT ${excludeId}`.execute(
      db,
    );
    const p = first.rows[0]?.p;
    return p === null || p === undefined ? 0 : p - 1;
  }
  let rows = (await neighbours()).rows;
  if (rows.length === 0) {
    const last = await sql<{ p: number | null }>`SELECT max(position) AS p FROM deals
      WHERE pipeline_id = ${pipelineId} AND stage_id = ${stageId} AND deleted_at IS NULL AND id IS NOT ${excludeId}`.execute(
      db,
    );
    const p = last.rows[0]?.p;
    return p === null || p === undefined ? 0 : p + 1;
  }
  if (rows.length === 1) return rows[0]!.position + 1;
  let [before, after] = [rows[0]!.position, rows[1]!.position];
  if (after - before < 1e-6) {
    // The gap has run out: spread the column out again (rare; one UPDATE per card of the column).
    const all = await sql<{ id: string }>`SELECT id FROM deals
      WHERE pipeline_id = ${pipelineId} AND stage_id = ${stageId} AND deleted_at IS NULL
      ORDER BY position, id`.execute(db);
    for (const [i, row] of all.rows.entries())
      await sql`UPDATE deals SET position = ${i * 1024} WHERE id = ${row.id}`.execute(db);
    rows = (await neighbours()).rows;
    [before, after] = [rows[0]!.position, rows[1]!.position];
  }
  return (before + after) / 2;
}

export const dealsCreate = defineProcedure({
  name: 'deals.create',
  summary:
    'Adds a deal. Needs a title; goes to the given stage (or the first stage of the given or first pipeline), at the top of its column. Amount in integer minor units of currency (default the base currency).',
  input: dealFields.extend({ pipelineId: recordId().optional(), stageId: recordId().optional() }).strict(),
  permission: 'records.write',
  mutates: true,
  async handler(ctx, input): Promise<Deal> {
    const { pipelineId, stageId, ...fields } = input;
    let stage;
    if (stageId) {
      stage = await liveStage(ctx.db, stageId, 'stageId');
      if (pipelineId && stage.pipeline_id !== pipelineId) throw invalid('stageId', 'this stage is in another pipeline');
    } else {
      const pipelines = await loadPipelines(ctx.db);
      const pipeline = pipelineId ? pipelines.find((p) => p.id === pipelineId) : pipelines[0];
      if (!pipeline) throw invalid('pipelineId', 'there is no live pipeline with this id');
      const first = pipeline.stages.find((s) => s.kind === 'open') ?? pipeline.stages[0]!;
      stage = await liveStage(ctx.db, first.id, 'pipelineId');
    }
    const normalized = await normalizeDeal(ctx, fields, null, '');
    const id = uuidv7();
    const closed = stage.kind !== 'open';
    await ctx.db
      .insertInto('deals')
      .values({
        ...normalized.row,
        lost_reason: stage.kind === 'lost' ? normalized.row.lost_reason : null,
        id,
        pipeline_id: stage.pipeline_id,
        stage_id: stage.id,
        position: await positionAt(ctx.db, stage.pipeline_id, stage.id, undefined, null),
        status: stage.kind,
        closed_at: closed ? ctx.now : null,
        stage_entered_at: ctx.now,
        last_activity_at: null,
        version: 1,
        created_at: ctx.now,
        created_by: ctx.actor.userId,
        deleted_at: null,
      })
      .execute();
    await ctx.db
      .insertInto('deal_stage_history')
      .values({
        id: uuidv7(),
        deal_id: id,
        pipeline_id: stage.pipeline_id,
        stage_id: stage.id,
        entered_at: ctx.now,
        entered_by: ctx.actor.userId,
        left_at: null,
        left_by: null,
      })
      .execute();
    await writeDealPeople(ctx.db, id, normalized.personIds, true);
    await setTags(ctx, 'deal', id, normalized.tags, true);
    const deal = await findAt(ctx, id);
    ctx.recordChange({ entity: 'deal', id, action: 'create', version: 1, after: auditShape(deal) });
    return deal;
  },
});

const byId = z.object({ id: recordId() }).strict();

export const dealsGet = defineProcedure({
  name: 'deals.get',
  summary: 'One deal by id (a deal in the trash is returned with deletedAt set).',
  input: byId,
  permission: 'records.read',
  mutates: false,
  async handler(ctx, { id }): Promise<Deal> {
    return findAt(ctx, id);
  },
});

export const dealsDelete = defineProcedure({
  name: 'deals.delete',
  summary: 'Moves a deal to the trash (deals.restore brings it back); it leaves the board and reports.',
  input: byId,
  permission: 'records.write',
  mutates: true,
  async handler(ctx, { id }): Promise<Deal> {
    await deleteRecord(ctx, 'deals', 'deal', id);
    return findAt(ctx, id);
  },
});

export const dealsRestore = defineProcedure({
  name: 'deals.restore',
  summary: 'Brings a deal back from the trash, into the stage it was in.',
  input: byId,
  permission: 'records.write',
  mutates: true,
  async handler(ctx, { id }): Promise<Deal> {
    await restoreRecord(ctx, 'deals', 'deal', id);
    return findAt(ctx, id);
  },
});

const STALE_DEAL = 'Someone else changed this deal since you read it.';
const TRASHED_DEAL = 'This deal is in the trash; restore it before editing.';

export const dealsUpdate = defineProcedure({
  name: 'deals.update',
  summary:
    'Changes a deal (not its stage: deals.move does that). Names the version it read; a stale version fails with CONFLICT and the current deal.',
  input: z.object({ id: recordId(), version: version(), patch: dealFields }).strict(),
  permission: 'records.write',
  mutates: true,
  async handler(ctx, { id, version: expected, patch }): Promise<Deal> {
    const stored = await storedRow(ctx.db, id);
    const [current] = (await toDeals(ctx.db, [stored], ctx.now)) as [Deal];
    checkEditable(current, expected, { trashed: TRASHED_DEAL, stale: STALE_DEAL });
    const normalized = await normalizeDeal(ctx, patch, current, 'patch.');
    if (patch.lostReason !== undefined && current.status !== 'lost' && normalized.row.lost_reason)
      throw invalid('patch.lostReason', 'only a lost deal has a lost reason');
    const result = await ctx.db
      .updateTable('deals')
      .set({ ...changedColumns(stored, normalized.row), version: expected + 1 })
      .where('id', '=', id)
      .where('version', '=', expected)
      .executeTakeFirst();
    if (result.numUpdatedRows !== 1n) throw new HearthError('CONFLICT', STALE_DEAL, { current });
    if (patch.personIds) await writeDealPeople(ctx.db, id, normalized.personIds);
    if (patch.tags) await setTags(ctx, 'deal', id, normalized.tags);
    const deal = await findAt(ctx, id);
    ctx.recordChange({
      entity: 'deal',
      id,
      action: 'update',
      version: deal.version,
      before: auditShape(current),
      after: auditShape(deal),
    });
    return deal;
  },
});

/** Runs the automation rules a move fires, in the move's transaction; each run is audited with its outcome. */
async function runRules(ctx: CallContext, deal: Deal): Promise<void> {
  const rules = await rulesFor(ctx, deal.pipelineId, deal.stageId, deal.status);
  for (const rule of rules) {
    let outcome = 'done';
    try {
      const latest = await findAt(ctx, deal.id);
      const action = rule.action;
      if (action.type === 'createTask') {
        const task = await tasksCreate.handler(ctx, {
          title: action.title,
          dueAt: ctx.now + action.dueInDays * DAY,
          assigneeId: latest.ownerId ?? ctx.actor.userId,
          dealIds: [deal.id],
          personIds: latest.personIds,
          companyIds: latest.companyId ? [latest.companyId] : [],
        });
        outcome = `created task ${task.id}`;
      } else if (action.type === 'addTag') {
        if (!latest.tags.some((t) => t.toLowerCase() === action.tag.toLowerCase()))
          await dealsUpdate.handler(ctx, {
            id: deal.id,
            version: latest.version,
            patch: { tags: [...latest.tags, action.tag] },
          });
      } else {
        const custom = /^custom\.(.+)$/.exec(action.field);
        const patch = custom ? { custom: { [custom[1]!]: action.value } } : { [action.field]: action.value };
        await dealsUpdate.handler(ctx, { id: deal.id, version: latest.version, patch: dealFields.parse(patch) });
      }
    } catch (error) {
      // A rule whose action no longer fits (a removed field, a bad value) is skipped, not allowed to block the move.
      if (!(error instanceof HearthError) && !(error instanceof z.ZodError)) throw error;
      outcome = `skipped: ${error instanceof HearthError ? error.message : 'the value does not fit the field'}`;
    }
    ctx.recordChange({
      entity: 'automation',
      id: rule.id,
      action: 'update',
      after: { ran: rule.name, dealId: deal.id, trigger: rule.trigger, action: rule.action.type, outcome },
    });
  }
}

export const dealsMove = defineProcedure({
  name: 'deals.move',
  summary:
    "Moves a deal to a stage (of its pipeline or another) and to `position` (0-based) in that stage's column, top when not given. Records the stage history; a won or lost stage closes the deal (lostReason for lost), an open one reopens it. Automation rules run in the same transaction.",
  input: z
    .object({
      id: recordId(),
      version: version(),
      stageId: recordId(),
      position: z.number().int().min(0).max(1_000_000).optional(),
      lostReason: shortText().nullable().optional(),
    })
    .strict(),
  permission: 'records.write',
  mutates: true,
  async handler(ctx, input): Promise<Deal> {
    const stored = await storedRow(ctx.db, input.id);
    const [current] = (await toDeals(ctx.db, [stored], ctx.now)) as [Deal];
    checkEditable(current, input.version, { trashed: TRASHED_DEAL, stale: STALE_DEAL });
    const stage = await liveStage(ctx.db, input.stageId, 'stageId');
    const changesStage = stage.id !== stored.stage_id;
    if (input.lostReason && stage.kind !== 'lost') throw invalid('lostReason', 'only a lost deal has a lost reason');
    const position = await positionAt(ctx.db, stage.pipeline_id, stage.id, input.position, stored.id);
    const values: Partial<DealRow> = { position, updated_at: ctx.now, version: input.version + 1 };
    if (changesStage) {
      Object.assign(values, {
        stage_id: stage.id,
        pipeline_id: stage.pipeline_id,
        status: stage.kind,
        stage_entered_at: ctx.now,
        closed_at: stage.kind === 'open' ? null : stage.kind === stored.status ? stored.closed_at : ctx.now,
        lost_reason: stage.kind === 'lost' ? (cleanText(input.lostReason) ?? stored.lost_reason) : null,
      });
    } else if (stage.kind === 'lost' && input.lostReason !== undefined) {
      values.lost_reason = cleanText(input.lostReason);
    }
    const result = await ctx.db
      .updateTable('deals')
      .set(values)
      .where('id', '=', stored.id)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (result.numUpdatedRows !== 1n) throw new HearthError('CONFLICT', STALE_DEAL, { current });
    if (changesStage) {
      await ctx.db
        .updateTable('deal_stage_history')
        .set({ left_at: ctx.now, left_by: ctx.actor.userId })
        .where('deal_id', '=', stored.id)
        .where('left_at', 'is', null)
        .execute();
      await ctx.db
        .insertInto('deal_stage_history')
        .values({
          id: uuidv7(),
          deal_id: stored.id,
          pipeline_id: stage.pipeline_id,
          stage_id: stage.id,
          entered_at: ctx.now,
          entered_by: ctx.actor.userId,
          left_at: null,
          left_by: null,
        })
        .execute();
    }
    const moved = await findAt(ctx, stored.id);
    ctx.recordChange({
      entity: 'deal',
      id: stored.id,
      action: 'update',
      version: moved.version,
      before: auditShape(current),
      after: auditShape(moved),
    });
    if (changesStage) {
      await runRules(ctx, moved);
      return findAt(ctx, stored.id);
    }
    return moved;
  },
});

export const dealsHistory = defineProcedure({
  name: 'deals.history',
  summary: "A deal's stage history, oldest first: each stage it entered, when and by whom, and when it left.",
  input: z.object({ id: recordId() }).strict(),
  permission: 'records.read',
  mutates: false,
  async handler(ctx, { id }): Promise<{ items: StageHistoryEntry[] }> {
    await findAt(ctx, id);
    const rows = await ctx.db
      .selectFrom('deal_stage_history as h')
      .leftJoin('pipeline_stages as s', 's.id', 'h.stage_id')
      .select([
        'h.id',
        'h.pipeline_id',
        'h.stage_id',
        's.name as stage_name',
        'h.entered_at',
        'h.entered_by',
        'h.left_at',
        'h.left_by',
      ])
      .where('h.deal_id', '=', id)
      .orderBy('h.entered_at')
      .orderBy('h.id')
      .execute();
    return {
      items: rows.map((r) => ({
        id: r.id,
        pipelineId: r.pipeline_id,
        stageId: r.stage_id,
        stageName: r.stage_name ?? '',
        enteredAt: r.entered_at,
        enteredBy: r.entered_by,
        leftAt: r.left_at,
        leftBy: r.left_by,
      })),
    };
  },
});

export const DEALS_LIST: ListSpec = {
  table: 'deals',
  entity: 'deal',
  tagged: true,
  defaultSort: [{ field: 'updatedAt', dir: 'desc' }],
  indexedSorts: {
    title: 'deals_title',
    updatedAt: 'deals_updated_at',
    createdAt: 'deals_created_at',
    amount: 'deals_amount',
  },
  fields: {
    title: textField('deals', 'title', false),
    pipelineId: { kind: 'id', expr: col('deals', 'pipeline_id'), sortable: true, selective: false },
    stageId: { kind: 'id', expr: col('deals', 'stage_id'), sortable: true },
    status: {
      kind: 'enum',
      expr: col('deals', 'status'),
      sortExpr: enumOrder(col('deals', 'status'), STAGE_KINDS),
      values: STAGE_KINDS,
      sortable: true,
    },
    amount: numberField('deals', 'amount', false),
    currency: textField('deals', 'currency', false),
    expectedCloseDate: { kind: 'date', expr: col('deals', 'expected_close_date'), sortable: true, nullable: true },
    probability: numberField('deals', 'probability'),
    ownerId: { kind: 'id', expr: col('deals', 'owner_id'), sortable: true, nullable: true },
    companyId: { kind: 'id', expr: col('deals', 'company_id'), sortable: true, nullable: true, selective: true },
    personId: {
      kind: 'id',
      selective: true,
      filter: (op, value, path) => {
        const ids = Array.isArray(value) ? value : [value];
        if ((op !== 'eq' && op !== 'in') || ids.some((v) => typeof v !== 'string'))
          throw invalid(`${path}.op`, 'personId takes eq or in with person ids');
        return sql<SqlBool>`deals.id IN (SELECT dp.deal_id FROM deal_people dp WHERE dp.person_id IN (${sql.join(ids)}))`;
      },
    },
    source: textField('deals', 'source'),
    lostReason: textField('deals', 'lost_reason'),
    createdAt: numberField('deals', 'created_at', false),
    updatedAt: numberField('deals', 'updated_at', false),
    closedAt: numberField('deals', 'closed_at'),
    lastActivityAt: numberField('deals', 'last_activity_at'),
  } satisfies Record<string, ListField>,
};

export const dealsList = defineProcedure({
  name: 'deals.list',
  summary:
    'Deals matching every filter ({ field, op, value } on standard fields, custom.<key> or tag), sorted, one page at a time (keyset cursor).',
  input: z.object(listInputShape).strict(),
  permission: 'records.read',
  mutates: false,
  async handler(ctx, input): Promise<{ items: Deal[]; nextCursor: string | null; total?: number }> {
    const defs = await definitionsFor(ctx.db, 'deal');
    const page = await runList<DealRow>(ctx.db, DEALS_LIST, input, defs);
    return listPage(page, (rows) => toDeals(ctx.db, rows, ctx.now));
  },
});

/**
 * Sums split into a high part (amount ÷ 10^9) and a low part (amount mod 10^9), each far from SQLite's 64-bit
 * limit, joined exactly with BigInt: 50k deals at the largest amount would overflow a plain sum().
 */
interface TotalsRow extends SplitSumColumns {
  stage_id: string;
  currency: string;
  /** The day whose rate converts the row; null: today's (open deals, and the base currency). */
  day: string | null;
}

/**
 * A column's count and totals in the base currency: open deals at today's rate, closed ones at the rate in force
 * on their close day (rows come grouped by the day of the rate in force, or null for today's).
 */
function columnTotals(rows: TotalsRow[], probability: number, rates: Rates, today: string) {
  const total = new BaseSum(rates);
  const weighted = new BaseSum(rates);
  let count = 0;
  for (const row of rows) {
    count += Number(row.n);
    const day = row.day ?? today;
    total.add(splitSum(row.amount_hi, row.amount_lo), row.currency, day, 100, Number(row.n));
    // Σ amount × probability: the overridden ones carry their own, the rest the stage's.
    weighted.add(
      splitSum(row.override_hi, row.override_lo) + splitSum(row.plain_hi, row.plain_lo) * BigInt(probability),
      row.currency,
      day,
      1,
      0,
    );
  }
  return { count, total: total.value(), weightedTotal: weighted.value(), unconverted: total.unconverted() };
}

function encodeCursor(position: number, id: string): string {
  return Buffer.from(JSON.stringify([position, id])).toString('base64url');
}

function decodeCursor(cursor: string): [number, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown;
    if (Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'string')
      return [value[0], value[1]];
  } catch {
    // falls through
  }
  throw invalid('cursor', 'is not a cursor this board gave');
}

/**
 * A pipeline's column totals from deal_stage_sums (kept by triggers): per stage and currency, closed deals grouped
 * by the exchange rate in force on their close day, each group a handful of exact sums.
 */
async function pipelineTotals(db: Kysely<DB>, pipelineId: string, base: string): Promise<TotalsRow[]> {
  const result = await sql<TotalsRow & { rate_day: string }>`SELECT s.stage_id, s.currency,
      CASE WHEN s.close_day = '' OR s.currency = ${base} THEN '' ELSE coalesce((SELECT max(r.effective_date)
        FROM exchange_rates r WHERE r.base_currency = ${base} AND r.currency = s.currency
          AND r.effective_date <= s.close_day), '0000-01-01') END AS rate_day,
      sum(s.n) AS n, sum(s.amount_hi) AS amount_hi, sum(s.amount_lo) AS amount_lo,
      sum(s.override_hi) AS override_hi, sum(s.override_lo) AS override_lo,
      sum(s.plain_hi) AS plain_hi, sum(s.plain_lo) AS plain_lo
    FROM deal_stage_sums s WHERE s.pipeline_id = ${pipelineId} AND s.n > 0
    GROUP BY s.stage_id, s.currency, rate_day`.execute(db);
  return result.rows.map((row) => ({ ...row, day: row.rate_day === '' ? null : row.rate_day }));
}

/**
 * One owner's column totals: open deals from the deals themselves (found through deals_owner), won and lost ones
 * from deal_closed_sums (kept by triggers per owner, close month and rate day), so the whole pipeline is not read.
 */
async function ownerTotals(db: Kysely<DB>, pipelineId: string, ownerId: string): Promise<TotalsRow[]> {
  const open = await sql<TotalsRow>`SELECT d.stage_id, d.currency, NULL AS day,
      count(*) AS n, sum(d.amount / 1000000000) AS amount_hi, sum(d.amount % 1000000000) AS amount_lo,
      sum(CASE WHEN d.probability IS NULL THEN 0 ELSE (d.amount / 1000000000) * d.probability END) AS override_hi,
      sum(CASE WHEN d.probability IS NULL THEN 0 ELSE (d.amount % 1000000000) * d.probability END) AS override_lo,
      sum(CASE WHEN d.probability IS NULL THEN d.amount / 1000000000 ELSE 0 END) AS plain_hi,
      sum(CASE WHEN d.probability IS NULL THEN d.amount % 1000000000 ELSE 0 END) AS plain_lo
    FROM deals d INDEXED BY deals_owner
    WHERE d.owner_id = ${ownerId} AND d.status = 'open' AND d.deleted_at IS NULL AND d.pipeline_id = ${pipelineId}
    GROUP BY d.stage_id, d.currency`.execute(db);
  const closed = await sql<TotalsRow & { rate_day: string }>`SELECT s.stage_id, s.currency, s.rate_day,
      sum(s.n) AS n, sum(s.amount_hi) AS amount_hi, sum(s.amount_lo) AS amount_lo,
      sum(s.override_hi) AS override_hi, sum(s.override_lo) AS override_lo,
      sum(s.plain_hi) AS plain_hi, sum(s.plain_lo) AS plain_lo
    FROM deal_closed_sums s WHERE s.pipeline_id = ${pipelineId} AND s.owner_id = ${ownerId}
    GROUP BY s.stage_id, s.currency, s.rate_day`.execute(db);
  return [
    ...open.rows,
    // '' is the base currency's rate day: any day converts it at 1.
    ...closed.rows.map((row) => ({ ...row, day: row.rate_day === '' ? null : row.rate_day })),
  ];
}

export const dealsBoard = defineProcedure({
  name: 'deals.board',
  summary:
    "A pipeline's board: per stage the count, total and weighted total in the base currency (exact; open deals at today's rate, closed ones at their close day's) and the first `limit` deals in column order. With stageId and cursor: the next deals of one column.",
  input: z
    .object({
      pipelineId: recordId(),
      limit: z.number().int().min(1).max(200).optional(),
      stageId: recordId().optional(),
      cursor: z.string().max(200).nullable().optional(),
      ownerId: recordId().optional(),
    })
    .strict(),
  permission: 'records.read',
  mutates: false,
  async handler(ctx, input): Promise<Board> {
    const pipeline = await findPipeline(ctx.db, input.pipelineId);
    const limit = input.limit ?? 50;
    const stages = input.stageId ? pipeline.stages.filter((s) => s.id === input.stageId) : pipeline.stages;
    if (input.stageId && stages.length === 0)
      throw invalid('stageId', 'there is no stage with this id in the pipeline');
    const owner = input.ownerId ? sql`AND d.owner_id = ${input.ownerId}` : sql``;
    const rates = await loadRates(ctx.db);
    const today = utcDay(ctx.now);
    const totals = input.ownerId
      ? await ownerTotals(ctx.db, pipeline.id, input.ownerId)
      : await pipelineTotals(ctx.db, pipeline.id, rates.base);
    const after = input.cursor ? decodeCursor(input.cursor) : null;
    // Each column's first cards, then one lookup of their people, companies and tags for the whole board.
    const pages: { rows: DealRow[]; more: boolean }[] = [];
    for (const stage of stages) {
      const seek = after ? sql`AND (d.position, d.id) > (${after[0]}, ${after[1]})` : sql``;
      const rows = await sql<DealRow>`SELECT d.* FROM deals d INDEXED BY deals_board
        WHERE d.pipeline_id = ${pipeline.id} AND d.stage_id = ${stage.id} AND d.deleted_at IS NULL ${owner} ${seek}
        ORDER BY d.position, d.id LIMIT ${limit + 1}`.execute(ctx.db);
      pages.push({ rows: rows.rows.slice(0, limit), more: rows.rows.length > limit });
    }
    const deals = new Map(
      (
        await toDeals(
          ctx.db,
          pages.flatMap((p) => p.rows),
          ctx.now,
        )
      ).map((d) => [d.id, d]),
    );
    const columns: BoardColumn[] = stages.map((stage, i) => {
      const { rows, more } = pages[i]!;
      const last = rows.at(-1);
      return {
        stage,
        ...columnTotals(
          totals.filter((r) => r.stage_id === stage.id),
          stage.probability,
          rates,
          today,
        ),
        deals: rows.map((r) => deals.get(r.id)!),
        nextCursor: more && last ? encodeCursor(last.position, last.id) : null,
      };
    });
    return { pipeline, baseCurrency: rates.base, columns };
  },
});

async function loadLive(db: Kysely<DB>, ids: string[]): Promise<DealRow[]> {
  return db.selectFrom('deals').selectAll().where('id', 'in', ids).where('deleted_at', 'is', null).execute();
}

export const dealsBulkUpdate = defineProcedure({
  name: 'deals.bulkUpdate',
  summary:
    'Sets the owner, source, expected close date, probability or custom values of many deals, and adds or removes tags (stages change through deals.move).',
  input: z
    .object({
      ids: bulkIds(),
      patch: z
        .object({
          ownerId: recordId().nullable(),
          source: shortText().nullable(),
          expectedCloseDate: z.string().max(10).nullable(),
          probability: z.number().int().min(0).max(100).nullable(),
          addTags: z.array(tagName()).max(100),
          removeTags: z.array(tagName()).max(100),
          custom: customInput(),
        })
        .partial()
        .strict(),
    })
    .strict(),
  permission: 'records.write',
  mutates: true,
  async handler(ctx, { ids, patch }): Promise<{ updated: number }> {
    const { addTags = [], removeTags = [], ...fields } = patch;
    const stored = new Map<string, DealRow>();
    const updated = await bulkApply(ctx, {
      ids,
      table: 'deals',
      entity: 'deal',
      load: async (batch) => {
        const rows = await loadLive(ctx.db, batch);
        for (const row of rows) stored.set(row.id, row);
        return toDeals(ctx.db, rows, ctx.now);
      },
      apply: async (deal) => {
        const normalized = await normalizeDeal(ctx, fields, deal, 'patch.');
        await ctx.db
          .updateTable('deals')
          .set({ ...changedColumns(stored.get(deal.id)!, normalized.row), version: deal.version + 1 })
          .where('id', '=', deal.id)
          .execute();
      },
      tags: (batch) => changeTags(ctx, 'deal', batch, addTags, removeTags),
      audit: auditShape,
      touchesRow: Object.keys(fields).length > 0,
      touchesTags: addTags.length > 0 || removeTags.length > 0,
    });
    return { updated };
  },
});

export const dealsBulkDelete = defineProcedure({
  name: 'deals.bulkDelete',
  summary: 'Moves many deals to the trash at once.',
  input: z.object({ ids: bulkIds() }).strict(),
  permission: 'records.write',
  mutates: true,
  async handler(ctx, { ids }): Promise<{ deleted: number }> {
    return { deleted: await bulkDelete(ctx, 'deals', 'deal', ids) };
  },
});

export const dealProcedures = {
  [pipelinesList.name]: pipelinesList,
  [pipelinesCreate.name]: pipelinesCreate,
  [pipelinesUpdate.name]: pipelinesUpdate,
  [pipelinesArchive.name]: pipelinesArchive,
  [dealsCreate.name]: dealsCreate,
  [dealsGet.name]: dealsGet,
  [dealsUpdate.name]: dealsUpdate,
  [dealsMove.name]: dealsMove,
  [dealsDelete.name]: dealsDelete,
  [dealsRestore.name]: dealsRestore,
  [dealsList.name]: dealsList,
  [dealsBulkUpdate.name]: dealsBulkUpdate,
  [dealsBulkDelete.name]: dealsBulkDelete,
  [dealsBoard.name]: dealsBoard,
  [dealsHistory.name]: dealsHistory,
  [ratesList.name]: ratesList,
  [ratesSet.name]: ratesSet,
  [ratesDelete.name]: ratesDelete,
  [automationsList.name]: automationsList,
  [automationsCreate.name]: automationsCreate,
  [automationsUpdate.name]: automationsUpdate,
  [automationsDelete.name]: automationsDelete,
} as const;
