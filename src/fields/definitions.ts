// Custom field definitions and the validation of a record's `custom` object against them.
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { cachedConfig } from '../db/config-cache.js';
import type { DB, FieldDefinitionsTable } from '../db/schema.js';
import { LIMITS } from '../api/limits.js';
import type { FilterCondition, FilterOp, ListField } from '../records/list-query.js';
import { conditionFor } from '../records/list-query.js';
import { checkDate, invalid, IssueList, normalizeEmail, normalizePhone, normalizeUrl } from '../records/values.js';
import type { Selectable } from 'kysely';

export const FIELD_TYPES = [
  'text',
  'longText',
  'number',
  'money',
  'date',
  'boolean',
  'select',
  'multiSelect',
  'email',
  'phone',
  'url',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const FIELD_ENTITIES = ['person', 'company', 'deal'] as const;
export type FieldEntity = (typeof FIELD_ENTITIES)[number];

export interface FieldOption {
  value: string;
  label: string;
}

export interface FieldDefinition {
  id: string;
  version: number;
  entity: FieldEntity;
  key: string;
  label: string;
  type: FieldType;
  required: boolean;
  options: FieldOption[];
  helpText: string | null;
  position: number;
  archived: boolean;
  archivedAt: number | null;
  createdAt: number;
  updatedAt: number;
  createdBy: string | null;
  ownerId: string | null;
}

export type FieldRow = Selectable<FieldDefinitionsTable>;

export function toFieldDefinition(row: FieldRow): FieldDefinition {
  return {
    id: row.id,
    version: row.version,
    entity: row.entity as FieldEntity,
    key: row.key,
    label: row.label,
    type: row.type as FieldType,
    required: row.required === 1,
    options: JSON.parse(row.options) as FieldOption[],
    helpText: row.help_text,
    position: row.position,
    archived: row.archived_at !== null,
    archivedAt: row.archived_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    createdBy: row.created_by,
    ownerId: row.owner_id,
  };
}

/**
 * An entity's definitions in form order, archived ones last, kept between calls while the configuration is
 * unchanged (src/db/config-cache.ts). Read-only: fields.* procedures, which change them, use loadDefinitions.
 */
export function definitionsFor(db: Kysely<DB>, entity: FieldEntity): Promise<readonly FieldDefinition[]> {
  return cachedConfig(db, `definitions:${entity}`, () => loadDefinitions(db, entity));
}

/** An entity's definitions in form order; archived ones last. */
export async function loadDefinitions(db: Kysely<DB>, entity: FieldEntity): Promise<FieldDefinition[]> {
  const rows = await db
    .selectFrom('field_definitions')
    .selectAll()
    .where('entity', '=', entity)
    .orderBy(sql`archived_at IS NOT NULL`)
    .orderBy('position')
    .execute();
  return rows.map(toFieldDefinition);
}

function isEmptyValue(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

/** Checks and normalizes one value for its definition; throws VALIDATION at `path`. */
export function normalizeCustomValue(def: FieldDefinition, value: unknown, region: string, path: string): unknown {
  const text = (max: number) => {
    if (typeof value !== 'string') throw invalid(path, 'must be text');
    if (value.length > max) throw invalid(path, `must be at most ${max} characters`);
    return value;
  };
  const optionValues = def.options.map((o) => o.value);
  switch (def.type) {
    case 'text':
      return text(LIMITS.mediumText).trim();
    case 'longText':
      return text(LIMITS.longText);
    case 'email':
      return normalizeEmail(text(LIMITS.shortText), path);
    case 'phone':
      return normalizePhone(text(LIMITS.shortText), region, path);
    case 'url':
      return normalizeUrl(text(LIMITS.mediumText), path);
    case 'date':
      return checkDate(text(10), path);
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(path, 'must be a number');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw invalid(path, 'must be true or false');
      return value;
    case 'money': {
      const money = value as { amount?: unknown; currency?: unknown };
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw invalid(path, 'must be { amount, currency } with the amount in minor units (cents)');
      }
      if (typeof money.amount !== 'number' || !Number.isSafeInteger(money.amount)) {
        throw invalid(`${path}.amount`, 'must be a whole number of minor units (cents)');
      }
      if (typeof money.currency !== 'string' || !CURRENCIES.has(money.currency)) {
        throw invalid(`${path}.currency`, 'must be an ISO 4217 currency code such as EUR');
      }
      const extra = Object.keys(value).filter((k) => k !== 'amount' && k !== 'currency');
      if (extra.length > 0) throw invalid(`${path}.${extra[0]}`, 'is not part of a money value');
      return { amount: money.amount, currency: money.currency };
    }
    case 'select':
      if (typeof value !== 'string' || !optionValues.includes(value)) {
        throw invalid(path, `must be one of ${optionValues.join(', ')}`);
      }
      return value;
    case 'multiSelect': {
      if (!Array.isArray(value)) throw invalid(path, 'must be a list of options');
      value.forEach((item, i) => {
        if (typeof item !== 'string' || !optionValues.includes(item)) {
          throw invalid(`${path}.${i}`, `must be one of ${optionValues.join(', ')}`);
        }
      });
      return [...new Set(value as string[])];
    }
  }
}

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/**
 * Merges a `custom` patch into the stored values, checking every written key. Null or '' removes a value.
 * On create (`existing` null) every required field must be present; on update a required field may not be
 * cleared. Unknown and archived keys are refused. `base` is the path prefix (`custom` or `patch.custom`).
 */
export function applyCustom(
  defs: readonly FieldDefinition[],
  patch: Record<string, unknown> | undefined,
  existing: Record<string, unknown> | null,
  region: string,
  base: string,
): Record<string, unknown> {
  const issues = new IssueList();
  const next: Record<string, unknown> = { ...(existing ?? {}) };
  for (const [key, value] of Object.entries(patch ?? {})) {
    const path = `${base}.${key}`;
    const def = defs.find((d) => d.key === key);
    if (!def) {
      issues.add(path, 'there is no custom field with this key');
      continue;
    }
    if (def.archived) {
      issues.add(path, `the field "${def.label}" is archived and cannot be changed`);
      continue;
    }
    if (isEmptyValue(value)) {
      if (def.required) issues.add(path, `${def.label} is required`);
      delete next[key];
      continue;
    }
    const normalized = issues.check(() => normalizeCustomValue(def, value, region, path));
    if (normalized !== undefined) next[key] = normalized;
  }
  if (existing === null) {
    for (const def of defs) {
      if (def.required && !def.archived && isEmptyValue(next[def.key]) && !(patch && def.key in patch)) {
        issues.add(`${base}.${def.key}`, `${def.label} is required`);
      }
    }
  }
  issues.throwIfAny();
  return next;
}

/** How a list filters and sorts on a custom field. */
export function customFieldListField(table: string, def: FieldDefinition): ListField {
  const custom = sql.ref(`${table}.custom`);
  const jsonPath = `$."${def.key}"`;
  const value = sql`json_extract(${custom}, ${jsonPath})`;
  switch (def.type) {
    case 'number':
      return { kind: 'number', expr: value, sortable: true, nullable: true };
    case 'money':
      return {
        kind: 'number',
        expr: sql`json_extract(${custom}, ${`${jsonPath}.amount`})`,
        sortable: true,
        nullable: true,
      };
    case 'boolean':
      return { kind: 'boolean', expr: value, sortable: true, nullable: true };
    case 'date':
      return { kind: 'date', expr: value, sortable: true, nullable: true };
    case 'select':
      return { kind: 'enum', expr: value, values: def.options.map((o) => o.value), sortable: true, nullable: true };
    case 'multiSelect':
      return {
        kind: 'enum',
        sortable: false,
        values: def.options.map((o) => o.value),
        filter: (op: FilterOp, v: FilterCondition['value'], path: string): RawBuilder<SqlBool> => {
          const each = sql`json_each(${custom}, ${jsonPath})`;
          if (op === 'isEmpty') {
            const none = sql<SqlBool>`NOT EXISTS (SELECT 1 FROM ${each})`;
            return v === false ? sql<SqlBool>`NOT ${none}` : none;
          }
          const field: ListField = { kind: 'enum', values: def.options.map((o) => o.value) };
          const item = sql`j.value`;
          if (op === 'neq') {
            return sql<SqlBool>`NOT EXISTS (SELECT 1 FROM ${each} AS j WHERE ${conditionFor(item, field, 'eq', v, path)})`;
          }
          // "contains" on a multi-select reads as "has this option", like eq.
          const itemOp = op === 'contains' ? 'eq' : op;
          return sql<SqlBool>`EXISTS (SELECT 1 FROM ${each} AS j WHERE ${conditionFor(item, field, itemOp, v, path)})`;
        },
      };
    default:
      return { kind: 'text', expr: sql`(${value} COLLATE NOCASE)`, sortable: true, nullable: true };
  }
}
