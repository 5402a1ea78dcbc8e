// fields.*: custom field definitions. Values live in each record's `custom` object and are checked on write.
import { sql, type Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { HearthError } from '../api/errors.js';
import { mediumText } from '../api/limits.js';
import { defineProcedure, type CallContext } from '../api/procedure.js';
import type { DB } from '../db/schema.js';
import { recordId, version } from '../records/schemas.js';
import { IssueList } from '../records/values.js';
import {
  FIELD_TYPES,
  loadDefinitions,
  toFieldDefinition,
  type FieldDefinition,
  type FieldOption,
} from './definitions.js';

/** Entities that carry custom fields. */
const ENTITIES = ['person', 'company', 'deal'] as const;
type Entity = (typeof ENTITIES)[number];
const TABLE: Record<Entity, 'people' | 'companies' | 'deals'> = {
  person: 'people',
  company: 'companies',
  deal: 'deals',
};

const KEY = /^[a-z][a-zA-Z0-9]{0,39}$/;
const labelText = () => z.string().trim().min(1, 'must not be empty').max(80);
const optionInput = z.object({ value: z.string().trim().min(1).max(80).optional(), label: labelText() }).strict();

/** `Renewal date` → `renewalDate`. */
export function keyFromLabel(label: string): string {
  const words = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  const key = words
    .map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase()))
    .join('')
    .replace(/^[0-9]+/, '');
  return (key || 'field').slice(0, 40);
}

function normalizeOptions(
  type: string,
  options: z.infer<typeof optionInput>[] | undefined,
  base: string,
  issues: IssueList,
) {
  const isSelect = type === 'select' || type === 'multiSelect';
  if (!isSelect) {
    if (options && options.length > 0) issues.add(`${base}options`, 'only select fields have options');
    return [];
  }
  if (!options || options.length === 0) {
    issues.add(`${base}options`, 'a select field needs at least one option');
    return [];
  }
  const out: FieldOption[] = [];
  options.forEach((o, i) => {
    const value = o.value ?? o.label;
    if (out.some((x) => x.value.toLowerCase() === value.toLowerCase())) {
      issues.add(`${base}options.${i}`, 'this option is listed twice');
    } else out.push({ value, label: o.label });
  });
  return out;
}

async function mustFind(db: Kysely<DB>, id: string): Promise<FieldDefinition> {
  const row = await db.selectFrom('field_definitions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new HearthError('NOT_FOUND', 'There is no custom field with this id.', { id });
  return toFieldDefinition(row);
}

/** How many live records hold one of `values` in this select field. */
async function recordsUsing(db: Kysely<DB>, def: FieldDefinition, values: string[]): Promise<number> {
  if (values.length === 0 || (def.entity !== 'person' && def.entity !== 'company')) return 0;
  const table = sql.table(TABLE[def.entity]);
  const path = `$."${def.key}"`;
  const result =
    def.type === 'multiSelect'
      ? await sql<{
          n: number;
        }>`SELECT count(*) AS n FROM ${table} t WHERE EXISTS (SELECT 1 FROM json_each(t.custom, ${path}) j
          WHERE j.value IN (${sql.join(values)}))`.execute(db)
      : await sql<{
          n: number;
        }>`SELECT count(*) AS n FROM ${table} t WHERE json_extract(t.custom, ${path}) IN (${sql.join(values)})`.execute(
          db,
        );
  return Number(result.rows[0]?.n ?? 0);
}

function audit(def: FieldDefinition): Record<string, unknown> {
  const { version: _v, updatedAt: _u, ...rest } = def;
  return rest;
}

async function saveChange(
  ctx: CallContext,
  before: FieldDefinition,
  action: 'update',
  values: Record<string, unknown>,
) {
  const result = await ctx.db
    .updateTable('field_definitions')
    .set({ ...values, version: before.version + 1, updated_at: ctx.now })
    .where('id', '=', before.id)
    .where('version', '=', before.version)
    .executeTakeFirst();
  if (result.numUpdatedRows !== 1n) {
    throw new HearthError('CONFLICT', 'Someone else changed this field since you read it.', { current: before });
  }
  const after = await mustFind(ctx.db, before.id);
  ctx.recordChange({
    entity: 'field',
    id: before.id,
    action,
    version: after.version,
    before: audit(before),
    after: audit(after),
  });
  return after;
}

export const fieldsCreate = defineProcedure({
  name: 'fields.create',
  summary:
    'Defines a custom field for people or companies: label, type (text, longText, number, money, date, boolean, select, multiSelect, email, phone, url), required, options.',
  input: z
    .object({
      entity: z.enum(ENTITIES),
      label: labelText(),
      type: z.enum(FIELD_TYPES),
      key: z
        .string()
        .regex(KEY, 'must start with a lower-case letter and hold only letters and digits (40 at most)')
        .optional(),
      required: z.boolean().optional(),
      options: z.array(optionInput).max(200).optional(),
      helpText: mediumText().nullable().optional(),
    })
    .strict(),
  permission: 'settings.manage',
  mutates: true,
  async handler(ctx, input): Promise<FieldDefinition> {
    const issues = new IssueList();
    const options = normalizeOptions(input.type, input.options, '', issues);
    const existing = await loadDefinitions(ctx.db, input.entity);
    let key = input.key ?? keyFromLabel(input.label);
    if (input.key && existing.some((d) => d.key === key)) issues.add('key', 'another field already uses this key');
    if (!input.key) {
      const base = key;
      for (let n = 2; existing.some((d) => d.key === key); n++) key = `${base.slice(0, 37)}${n}`;
    }
    if (existing.some((d) => !d.archived && d.label.toLowerCase() === input.label.toLowerCase())) {
      issues.add('label', 'another field already has this label');
    }
    issues.throwIfAny();
    const id = uuidv7();
    await ctx.db
      .insertInto('field_definitions')
      .values({
        id,
        entity: input.entity,
        key,
        label: input.label,
        type: input.type,
        required: input.required ? 1 : 0,
        options: JSON.stringify(options),
        help_text: input.helpText?.trim() || null,
        position: existing.reduce((max, d) => Math.max(max, d.position + 1), 0),
        archived_at: null,
        version: 1,
        created_at: ctx.now,
        updated_at: ctx.now,
        created_by: ctx.actor.userId,
        owner_id: ctx.actor.userId,
      })
      .execute();
    const def = await mustFind(ctx.db, id);
    ctx.recordChange({ entity: 'field', id, action: 'create', version: 1, after: audit(def) });
    return def;
  },
});

export const fieldsUpdate = defineProcedure({
  name: 'fields.update',
  summary:
    'Changes a custom field: label, required, options, help text, position, or `archived: false` to bring it back. Its key and type never change.',
  input: z
    .object({
      id: recordId(),
      version: version(),
      patch: z
        .object({
          label: labelText(),
          required: z.boolean(),
          options: z.array(optionInput).max(200),
          helpText: mediumText().nullable(),
          position: z.number().int().min(0).max(10_000),
          archived: z.literal(false),
        })
        .partial()
        .strict(),
    })
    .strict(),
  permission: 'settings.manage',
  mutates: true,
  async handler(ctx, { id, version: expected, patch }): Promise<FieldDefinition> {
    const current = await mustFind(ctx.db, id);
    if (current.version !== expected) {
      throw new HearthError('CONFLICT', 'Someone else changed this field since you read it.', { current });
    }
    const issues = new IssueList();
    const values: Record<string, unknown> = {};
    if (patch.label !== undefined) {
      const others = await loadDefinitions(ctx.db, current.entity);
      if (others.some((d) => d.id !== id && !d.archived && d.label.toLowerCase() === patch.label!.toLowerCase())) {
        issues.add('patch.label', 'another field already has this label');
      }
      values.label = patch.label;
    }
    if (patch.required !== undefined) values.required = patch.required ? 1 : 0;
    if (patch.helpText !== undefined) values.help_text = patch.helpText?.trim() || null;
    if (patch.position !== undefined) values.position = patch.position;
    if (patch.archived === false) values.archived_at = null;
    if (patch.options !== undefined) {
      const options = normalizeOptions(current.type, patch.options, 'patch.', issues);
      const removed = current.options.map((o) => o.value).filter((v) => !options.some((o) => o.value === v));
      const using = await recordsUsing(ctx.db, current, removed);
      if (using > 0) {
        issues.add(
          'patch.options',
          `${using} record(s) still use ${removed.join(', ')}; change them first or keep the option`,
        );
      }
      values.options = JSON.stringify(options);
    }
    issues.throwIfAny();
    return saveChange(ctx, current, 'update', values);
  },
});

export const fieldsArchive = defineProcedure({
  name: 'fields.archive',
  summary:
    'Archives a custom field: hidden from forms and lists, its values kept (fields.update with archived: false brings it back).',
  input: z.object({ id: recordId(), version: version() }).strict(),
  permission: 'settings.manage',
  mutates: true,
  async handler(ctx, { id, version: expected }): Promise<FieldDefinition> {
    const current = await mustFind(ctx.db, id);
    if (current.version !== expected) {
      throw new HearthError('CONFLICT', 'Someone else changed this field since you read it.', { current });
    }
    if (current.archived) return current;
    return saveChange(ctx, current, 'update', { archived_at: ctx.now });
  },
});

export const fieldsList = defineProcedure({
  name: 'fields.list',
  summary: 'Custom field definitions in form order, for one entity or all; archived ones only when asked.',
  input: z.object({ entity: z.enum(ENTITIES).optional(), includeArchived: z.boolean().optional() }).strict(),
  permission: 'records.read',
  mutates: false,
  async handler(ctx, { entity, includeArchived }): Promise<{ items: FieldDefinition[] }> {
    const entities = entity ? [entity] : ENTITIES;
    const items: FieldDefinition[] = [];
    for (const e of entities) items.push(...(await loadDefinitions(ctx.db, e)));
    return { items: includeArchived ? items : items.filter((d) => !d.archived) };
  },
});

export const fieldsReorder = defineProcedure({
  name: 'fields.reorder',
  summary:
    "Puts an entity's custom fields in the given order (ids first to last); fields not named keep their order after them.",
  input: z.object({ entity: z.enum(ENTITIES), ids: z.array(recordId()).min(1).max(500) }).strict(),
  permission: 'settings.manage',
  mutates: true,
  async handler(ctx, { entity, ids }): Promise<{ items: FieldDefinition[] }> {
    const defs = await loadDefinitions(ctx.db, entity);
    const issues = new IssueList();
    ids.forEach((id, i) => {
      if (!defs.some((d) => d.id === id)) issues.add(`ids.${i}`, `there is no ${entity} field with this id`);
    });
    if (new Set(ids).size !== ids.length) issues.add('ids', 'a field is listed twice');
    issues.throwIfAny();
    const order = [...ids, ...defs.map((d) => d.id).filter((id) => !ids.includes(id))];
    for (const [position, id] of order.entries()) {
      const def = defs.find((d) => d.id === id)!;
      if (def.position !== position) await saveChange(ctx, def, 'update', { position });
    }
    return { items: (await loadDefinitions(ctx.db, entity)).filter((d) => !d.archived) };
  },
});
