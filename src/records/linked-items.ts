// What activities, notes and tasks ("items" linked to people, companies and deals) have in common: the record
// columns they show, the errors for a missing or stale item, times as input, and list filters on their links.
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { z } from 'zod';
import { HearthError } from '../api/errors.js';
import type { CallContext } from '../api/procedure.js';
import type { DB } from '../db/schema.js';
import { checkLinks, type ItemType, type LinkedType, type LinkSet } from './links.js';
import type { FilterCondition, FilterOp, ListField } from './list-query.js';
import { invalid, IssueList } from './values.js';

/** The fields every record (item, person, company) carries in the API (DESIGN.md "Data"). */
export interface ItemBase {
  id: string;
  version: number;
  createdAt: number;
  updatedAt: number;
  createdBy: string | null;
  ownerId: string | null;
  deletedAt: number | null;
}

export interface ItemBaseRow {
  id: string;
  version: number;
  created_at: number;
  updated_at: number;
  created_by: string | null;
  owner_id: string | null;
  deleted_at: number | null;
}

/** Those fields from a stored row. */
export function itemBase(row: ItemBaseRow): ItemBase {
  return {
    id: row.id,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    createdBy: row.created_by,
    ownerId: row.owner_id,
    deletedAt: row.deleted_at,
  };
}

/** The last millisecond of 9999-12-31: later times are typing mistakes, not plans. */
export const MAX_TIME = 253_402_300_799_999;

/** A point in time as the API takes it: UTC epoch milliseconds. */
export const epochMs = () =>
  z
    .number()
    .int('must be a whole number of milliseconds since 1970 (UTC)')
    .min(0, 'must be a time after 1970')
    .max(MAX_TIME, 'must be a time before the year 10000');

export function itemNotFound(noun: string): HearthError {
  return new HearthError('NOT_FOUND', `There is no ${noun} with this id (it may be in the trash).`);
}

/** The item that was found, or NOT_FOUND naming the noun. */
export function foundItem<T>(item: T | undefined, noun: string): T {
  if (!item) throw itemNotFound(noun);
  return item;
}

/**
 * Moves an item to the trash and audits it; one already there is returned as it is. `afterTrash` runs once the
 * item is in the trash, before the change is recorded (activities refresh their records' last activity there).
 */
export async function trashItem<T extends { version: number; deletedAt: number | null }>(
  ctx: CallContext,
  id: string,
  item: {
    entity: ItemType;
    get: (db: Kysely<DB>, id: string) => Promise<T | undefined>;
    updateIfVersion: (
      db: Kysely<DB>,
      id: string,
      version: number,
      set: { deleted_at: number; updated_at: number },
    ) => Promise<boolean>;
    audit: (item: T) => Record<string, unknown>;
    afterTrash?: (current: T) => Promise<void>;
  },
): Promise<T> {
  const current = foundItem(await item.get(ctx.db, id), item.entity);
  // Already in the trash (a second click, another window): nothing to do.
  if (current.deletedAt !== null) return current;
  await item.updateIfVersion(ctx.db, id, current.version, { deleted_at: ctx.now, updated_at: ctx.now });
  const deleted = (await item.get(ctx.db, id))!;
  await item.afterTrash?.(current);
  ctx.recordChange({
    entity: item.entity,
    id,
    action: 'delete',
    version: deleted.version,
    before: item.audit(current),
    after: item.audit(deleted),
  });
  return deleted;
}

/** A write that named a version someone else has already replaced. */
export function staleItem(noun: string, current: unknown): HearthError {
  return new HearthError('CONFLICT', `This ${noun} was changed by someone else since you read it.`, { current });
}

const LINKED_NOUN: Record<LinkedType, string> = { person: 'person', company: 'company', deal: 'deal' };

function idValue(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length === 0) throw invalid(path, 'must be a record id');
  return value;
}

/**
 * A list field over an item's links to one kind of record (`personId`, `companyId`, `dealId`): eq/in keep items
 * linked to any of the ids, neq keeps items not linked to it, isEmpty keeps items linked to no record of the kind.
 * Written as `id IN (SELECT … FROM links)` so a filter on one record starts from the links_record index.
 */
export function linkListField(itemType: ItemType, table: string, recordType: LinkedType): ListField {
  const itemId = sql.ref(`${table}.id`);
  const linked = (ids: string[] | null) =>
    sql<SqlBool>`${itemId} IN (SELECT l.item_id FROM links l WHERE l.record_type = ${recordType}${
      ids ? sql` AND l.record_id IN (${sql.join(ids)})` : sql``
    } AND l.item_type = ${itemType})`;
  return {
    kind: 'id',
    sortable: false,
    filter(op: FilterOp, value: FilterCondition['value'], path: string): RawBuilder<SqlBool> {
      const valuePath = `${path}.value`;
      switch (op) {
        case 'eq':
          return linked([idValue(value, valuePath)]);
        case 'neq':
          return sql<SqlBool>`NOT ${linked([idValue(value, valuePath)])}`;
        case 'in': {
          if (!Array.isArray(value) || value.length === 0) throw invalid(valuePath, 'must be a non-empty list of ids');
          return linked(value.map((v, i) => idValue(v, `${valuePath}.${i}`)));
        }
        case 'isEmpty': {
          if (value !== undefined && value !== null && typeof value !== 'boolean') {
            throw invalid(valuePath, 'must be true or false');
          }
          return value === false ? linked(null) : sql<SqlBool>`NOT ${linked(null)}`;
        }
        default:
          throw invalid(
            `${path}.op`,
            `"${op}" does not apply to links to a ${LINKED_NOUN[recordType]}; use eq, neq, in or isEmpty`,
          );
      }
    },
  };
}

/** The three link fields of an item list. */
export function linkListFields(itemType: ItemType, table: string): Record<string, ListField> {
  return {
    personId: linkListField(itemType, table, 'person'),
    companyId: linkListField(itemType, table, 'company'),
    dealId: linkListField(itemType, table, 'deal'),
  };
}

/**
 * Runs checks that each may throw VALIDATION and throws one VALIDATION with all their issues, so a form can mark
 * every bad input at once. Any other error stops at once.
 */
export async function checkAll(...checks: Array<() => Promise<void>>): Promise<void> {
  const issues = new IssueList();
  for (const check of checks) {
    try {
      await check();
    } catch (error) {
      if (!(error instanceof HearthError) || error.code !== 'VALIDATION') throw error;
      const found = (error.details as { issues?: { path: string; message: string }[] } | undefined)?.issues ?? [];
      for (const issue of found) issues.add(issue.path, issue.message);
    }
  }
  issues.throwIfAny();
}

/** Same ids in any order (a patch that repeats the links it read changes nothing). */
export function sameIds(a: readonly string[] | undefined, b: readonly string[]): boolean {
  if (!a) return true;
  if (a.length !== b.length) return false;
  const set = new Set(b);
  return a.every((id) => set.has(id));
}

/**
 * Checks the links a patch names, except those the item already has: an edit that sends the links back as it read
 * them is not refused because one of those people has since gone to the trash.
 */
export async function checkPatchLinks(db: Kysely<DB>, patch: Partial<LinkSet>, current: LinkSet): Promise<void> {
  try {
    await checkLinks(db, patch, 'patch.');
  } catch (error) {
    if (!(error instanceof HearthError) || error.code !== 'VALIDATION') throw error;
    const issues = (error.details as { issues?: { path: string; message: string }[] } | undefined)?.issues ?? [];
    const remaining = new IssueList();
    for (const issue of issues) {
      const [, key, index] = /^patch\.(personIds|companyIds|dealIds)\.(\d+)$/.exec(issue.path) ?? [];
      const id = key ? patch[key as keyof LinkSet]?.[Number(index)] : undefined;
      if (id === undefined || !current[key as keyof LinkSet].includes(id)) remaining.add(issue.path, issue.message);
    }
    remaining.throwIfAny();
  }
}
