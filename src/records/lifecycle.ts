// Trash, restore and bulk edits, the same for every record table.
import type { Kysely } from 'kysely';
import { HearthError } from '../api/errors.js';
import { list } from '../api/limits.js';
import type { CallContext } from '../api/procedure.js';
import type { DB } from '../db/schema.js';
import { changeRecordTags, setRecordTags, type TaggedEntity } from '../tags/repository.js';
import { recordId } from './links.js';

/** The ids of a bulk operation: 1–1000, duplicates dropped. */
export const bulkIds = () =>
  list(recordId())
    .min(1)
    .transform((ids) => [...new Set(ids)]);

/** Audits the tags a write created along the way (a tag named for the first time). */
function auditCreatedTags(ctx: CallContext, created: { id: string; name: string }[]): void {
  for (const tag of created) ctx.recordChange({ entity: 'tag', id: tag.id, action: 'create', version: 1, after: tag });
}

/**
 * Sets a record's tags, creating (and auditing) unknown ones; `fresh`: a record just created, with none to remove. Returns its tags as stored, in the
 * order a read gives them.
 */
export async function setTags(
  ctx: CallContext,
  entity: TaggedEntity,
  id: string,
  names: string[],
  fresh = false,
): Promise<string[]> {
  const result = await setRecordTags(ctx.db, entity, id, names, ctx.now, ctx.actor.userId, fresh);
  auditCreatedTags(ctx, result.created);
  return result.names;
}

/** Adds and removes tags on a batch of records, creating (and auditing) unknown ones. */
export async function changeTags(
  ctx: CallContext,
  entity: TaggedEntity,
  ids: string[],
  add: string[],
  remove: string[],
): Promise<void> {
  auditCreatedTags(ctx, await changeRecordTags(ctx.db, entity, ids, add, remove, ctx.now, ctx.actor.userId));
}

export type TrashTable = 'people' | 'companies' | 'activities' | 'notes' | 'tasks' | 'deals';

const NAMES: Record<string, string> = {
  person: 'person',
  company: 'company',
  activity: 'activity',
  note: 'note',
  task: 'task',
  deal: 'deal',
};

async function state(db: Kysely<DB>, table: TrashTable, id: string) {
  return db.selectFrom(table).select(['version', 'deleted_at']).where('id', '=', id).executeTakeFirst();
}

/** Moves a record to the trash (deleted_at, version + 1). A record already there is left as it is. */
export async function deleteRecord(ctx: CallContext, table: TrashTable, entity: string, id: string): Promise<void> {
  const row = await state(ctx.db, table, id);
  if (!row) throw new HearthError('NOT_FOUND', `There is no ${NAMES[entity] ?? entity} with this id.`, { id });
  if (row.deleted_at !== null) return;
  await ctx.db
    .updateTable(table)
    .set({ deleted_at: ctx.now, updated_at: ctx.now, version: row.version + 1 })
    .where('id', '=', id)
    .execute();
  ctx.recordChange({
    entity,
    id,
    action: 'delete',
    version: row.version + 1,
    before: { deletedAt: null },
    after: { deletedAt: ctx.now },
  });
}

/** Brings a record back from the trash. A record not in the trash is left as it is. */
export async function restoreRecord(ctx: CallContext, table: TrashTable, entity: string, id: string): Promise<void> {
  const row = await state(ctx.db, table, id);
  if (!row) throw new HearthError('NOT_FOUND', `There is no ${NAMES[entity] ?? entity} with this id.`, { id });
  if (row.deleted_at === null) return;
  await ctx.db
    .updateTable(table)
    .set({ deleted_at: null, updated_at: ctx.now, version: row.version + 1 })
    .where('id', '=', id)
    .execute();
  ctx.recordChange({
    entity,
    id,
    action: 'restore',
    version: row.version + 1,
    before: { deletedAt: row.deleted_at },
    after: { deletedAt: null },
  });
}

/** Moves every live record among `ids` to the trash; returns how many moved. */
export async function bulkDelete(ctx: CallContext, table: TrashTable, entity: string, ids: string[]): Promise<number> {
  let deleted = 0;
  for (const id of ids) {
    const row = await state(ctx.db, table, id);
    if (!row || row.deleted_at !== null) continue;
    await deleteRecord(ctx, table, entity, id);
    deleted++;
  }
  return deleted;
}

interface Versioned {
  id: string;
  version: number;
}

/**
 * A bulk edit: for each live record among `ids`, applies the field changes (or only bumps the version when
 * just tags change), then the tag changes for the batch, and audits each record with its before and after.
 * Records missing or in the trash are skipped. Returns how many were changed.
 */
export async function bulkApply<T extends Versioned>(
  ctx: CallContext,
  op: {
    ids: string[];
    table: 'people' | 'companies' | 'deals';
    entity: string;
    load: (ids: string[]) => Promise<T[]>;
    apply: (record: T) => Promise<void>;
    tags: (ids: string[]) => Promise<void>;
    audit: (record: T) => Record<string, unknown>;
    touchesRow: boolean;
    touchesTags: boolean;
  },
): Promise<number> {
  let updated = 0;
  for (let i = 0; i < op.ids.length; i += 500) {
    const before = await op.load(op.ids.slice(i, i + 500));
    if (before.length === 0) continue;
    for (const record of before) {
      if (op.touchesRow) await op.apply(record);
      else {
        await ctx.db
          .updateTable(op.table)
          .set({ version: record.version + 1, updated_at: ctx.now })
          .where('id', '=', record.id)
          .execute();
      }
    }
    const batch = before.map((r) => r.id);
    if (op.touchesTags) await op.tags(batch);
    const after = new Map((await op.load(batch)).map((r) => [r.id, r]));
    for (const record of before) {
      const next = after.get(record.id);
      if (!next) continue;
      ctx.recordChange({
        entity: op.entity,
        id: record.id,
        action: 'update',
        version: next.version,
        before: op.audit(record),
        after: op.audit(next),
      });
      updated++;
    }
  }
  return updated;
}
