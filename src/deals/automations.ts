// automations.*: rules that act when a deal enters a stage, is won or is lost: create a task for the deal's
// owner, set a field, or add a tag. They run inside deals.move's transaction (src/deals/procedures.ts).
import type { Kysely, Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { HearthError } from '../api/errors.js';
import { shortText } from '../api/limits.js';
import { defineProcedure, type CallContext } from '../api/procedure.js';
import type { AutomationRulesTable, DB } from '../db/schema.js';
import { recordId, version } from '../records/schemas.js';
import { IssueList } from '../records/values.js';
import { tagName } from '../tags/repository.js';
import { findPipeline } from './pipelines.js';
import { RULE_TRIGGERS, type AutomationRule, type RuleAction, type RuleTrigger } from './types.js';

type RuleRow = Selectable<AutomationRulesTable>;

/** Fields a rule can set (besides custom.<key>). */
export const RULE_FIELDS = ['source', 'probability', 'expectedCloseDate', 'lostReason'] as const;

const actionInput = z.discriminatedUnion('type', [
  z
    .object({ type: z.literal('createTask'), title: shortText(), dueInDays: z.number().int().min(0).max(3650) })
    .strict(),
  z
    .object({
      type: z.literal('setField'),
      field: z.string().min(1).max(110),
      value: z.union([shortText(), z.number().finite(), z.boolean(), z.null()]),
    })
    .strict(),
  z.object({ type: z.literal('addTag'), tag: tagName() }).strict(),
]);

function toRule(row: RuleRow): AutomationRule {
  return {
    id: row.id,
    version: row.version,
    pipelineId: row.pipeline_id,
    name: row.name,
    trigger: row.trigger as RuleTrigger,
    stageId: row.stage_id,
    action: JSON.parse(row.params) as RuleAction,
    enabled: row.enabled === 1,
    position: row.position,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

async function checkRule(
  db: Kysely<DB>,
  rule: { pipelineId: string; name: string; trigger: RuleTrigger; stageId: string | null; action: RuleAction },
  base: string,
): Promise<void> {
  const issues = new IssueList();
  if (!rule.name.trim()) issues.add(`${base}name`, 'a rule needs a name');
  const pipeline = await findPipeline(db, rule.pipelineId);
  if (rule.trigger === 'enter') {
    if (!rule.stageId) issues.add(`${base}stageId`, 'say which stage the rule watches');
    else if (!pipeline.stages.some((s) => s.id === rule.stageId))
      issues.add(`${base}stageId`, 'there is no stage with this id in the pipeline');
  } else if (rule.stageId) issues.add(`${base}stageId`, 'a won or lost rule watches no particular stage');
  const action = rule.action;
  if (action.type === 'createTask' && !action.title.trim()) issues.add(`${base}action.title`, 'the task needs a title');
  if (action.type === 'setField') {
    const custom = /^custom\.(.+)$/.exec(action.field);
    if (custom) {
      const def = await db
        .selectFrom('field_definitions')
        .select('id')
        .where('entity', '=', 'deal')
        .where('key', '=', custom[1]!)
        .where('archived_at', 'is', null)
        .executeTakeFirst();
      if (!def) issues.add(`${base}action.field`, 'there is no deal custom field with this key');
    } else if (!(RULE_FIELDS as readonly string[]).includes(action.field)) {
      issues.add(`${base}action.field`, `must be one of ${RULE_FIELDS.join(', ')} or custom.<key>`);
    }
  }
  issues.throwIfAny();
}

export const automationsList = defineProcedure({
  name: 'automations.list',
  summary: 'Automation rules, of one pipeline or of all, in the order they run.',
  input: z.object({ pipelineId: recordId().optional() }).strict(),
  permission: 'records.read',
  mutates: false,
  async handler(ctx, input): Promise<{ items: AutomationRule[] }> {
    let query = ctx.db.selectFrom('automation_rules').selectAll().orderBy('pipeline_id').orderBy('position');
    if (input.pipelineId) query = query.where('pipeline_id', '=', input.pipelineId);
    return { items: (await query.execute()).map(toRule) };
  },
});

export const automationsCreate = defineProcedure({
  name: 'automations.create',
  summary:
    'Adds a rule: when a deal enters a stage (trigger enter + stageId), is won or is lost, create a task for its owner (title, dueInDays), set a field, or add a tag.',
  input: z
    .object({
      pipelineId: recordId(),
      name: shortText(),
      trigger: z.enum(RULE_TRIGGERS),
      stageId: recordId().nullable().optional(),
      action: actionInput,
      enabled: z.boolean().optional(),
    })
    .strict(),
  permission: 'settings.manage',
  mutates: true,
  async handler(ctx, input): Promise<AutomationRule> {
    const rule = { ...input, name: input.name.trim(), stageId: input.stageId ?? null };
    await checkRule(ctx.db, rule, '');
    const last = await ctx.db
      .selectFrom('automation_rules')
      .select((eb) => eb.fn.max('position').as('max'))
      .where('pipeline_id', '=', input.pipelineId)
      .executeTakeFirst();
    const row: RuleRow = {
      id: uuidv7(),
      pipeline_id: rule.pipelineId,
      name: rule.name,
      trigger: rule.trigger,
      stage_id: rule.stageId,
      action: rule.action.type,
      params: JSON.stringify(rule.action),
      enabled: input.enabled === false ? 0 : 1,
      position: Number(last?.max ?? -1) + 1,
      version: 1,
      created_at: ctx.now,
      updated_at: ctx.now,
      created_by: ctx.actor.userId,
      owner_id: ctx.actor.userId,
    };
    await ctx.db.insertInto('automation_rules').values(row).execute();
    const created = toRule(row);
    ctx.recordChange({
      entity: 'automation',
      id: row.id,
      action: 'create',
      version: 1,
      after: created as unknown as Record<string, unknown>,
    });
    return created;
  },
});

async function findRule(db: Kysely<DB>, id: string): Promise<RuleRow> {
  const row = await db.selectFrom('automation_rules').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new HearthError('NOT_FOUND', 'There is no automation rule with this id.', { id });
  return row;
}

/**
 * Puts `rule` at `index` among its pipeline's rules: the others are numbered 0, 1, … in their order around it.
 * Returns the rule's new position.
 */
async function placeRule(db: Kysely<DB>, rule: RuleRow, index: number): Promise<number> {
  const others = await db
    .selectFrom('automation_rules')
    .select(['id', 'position'])
    .where('pipeline_id', '=', rule.pipeline_id)
    .where('id', '<>', rule.id)
    .orderBy('position')
    .orderBy('id')
    .execute();
  const at = Math.min(index, others.length);
  for (const [i, other] of others.entries()) {
    const position = i < at ? i : i + 1;
    if (other.position !== position)
      await db.updateTable('automation_rules').set({ position }).where('id', '=', other.id).execute();
  }
  return at;
}

export const automationsUpdate = defineProcedure({
  name: 'automations.update',
  summary:
    "Changes a rule (name, trigger, stageId, action, enabled, position). `position` is the rule's 0-based place among its pipeline's rules, which run in that order; the others keep their order around it. Names the version it read.",
  input: z
    .object({
      id: recordId(),
      version: version(),
      patch: z
        .object({
          name: shortText(),
          trigger: z.enum(RULE_TRIGGERS),
          stageId: recordId().nullable(),
          action: actionInput,
          enabled: z.boolean(),
          position: z.number().int().min(0),
        })
        .partial()
        .strict(),
    })
    .strict(),
  permission: 'settings.manage',
  mutates: true,
  async handler(ctx, { id, version: expected, patch }): Promise<AutomationRule> {
    const row = await findRule(ctx.db, id);
    const current = toRule(row);
    if (row.version !== expected)
      throw new HearthError('CONFLICT', 'Someone else changed this rule since you read it.', { current });
    const trigger = patch.trigger ?? current.trigger;
    const next = {
      pipelineId: current.pipelineId,
      name: (patch.name ?? current.name).trim(),
      trigger,
      stageId: patch.stageId !== undefined ? patch.stageId : trigger === 'enter' ? current.stageId : null,
      action: patch.action ?? current.action,
    };
    await checkRule(ctx.db, next, 'patch.');
    const values = {
      name: next.name,
      trigger: next.trigger,
      stage_id: next.stageId,
      action: next.action.type,
      params: JSON.stringify(next.action),
      enabled: patch.enabled === undefined ? row.enabled : patch.enabled ? 1 : 0,
      position: patch.position === undefined ? row.position : await placeRule(ctx.db, row, patch.position),
      updated_at: ctx.now,
      version: expected + 1,
    };
    await ctx.db.updateTable('automation_rules').set(values).where('id', '=', id).execute();
    const updated = toRule({ ...row, ...values });
    ctx.recordChange({
      entity: 'automation',
      id,
      action: 'update',
      version: updated.version,
      before: current as unknown as Record<string, unknown>,
      after: updated as unknown as Record<string, unknown>,
    });
    return updated;
  },
});

export const automationsDelete = defineProcedure({
  name: 'automations.delete',
  summary: 'Removes a rule.',
  input: z.object({ id: recordId() }).strict(),
  permission: 'settings.manage',
  mutates: true,
  async handler(ctx, { id }): Promise<{ deleted: true }> {
    const row = await findRule(ctx.db, id);
    await ctx.db.deleteFrom('automation_rules').where('id', '=', id).execute();
    ctx.recordChange({
      entity: 'automation',
      id,
      action: 'purge',
      version: row.version,
      before: toRule(row) as unknown as Record<string, unknown>,
      after: null,
    });
    return { deleted: true };
  },
});

/** The enabled rules a move fires: those watching the stage entered, and the won or lost rules of its kind. */
export async function rulesFor(
  ctx: CallContext,
  pipelineId: string,
  stageId: string,
  kind: string,
): Promise<AutomationRule[]> {
  const rows = await ctx.db
    .selectFrom('automation_rules')
    .selectAll()
    .where('pipeline_id', '=', pipelineId)
    .where('enabled', '=', 1)
    .where((eb) =>
      eb.or([eb.and([eb('trigger', '=', 'enter'), eb('stage_id', '=', stageId)]), eb('trigger', '=', kind)]),
    )
    .orderBy('position')
    .execute();
  return rows.map(toRule);
}
