// trash.*: what was deleted, bringing it back, and emptying the trash for good.
import { z } from 'zod';
import { refreshLastActivity } from '../activities/repository.js';
import { HearthError } from '../api/errors.js';
import { defineProcedure, type CallContext } from '../api/procedure.js';
import { restoreRecord } from '../records/lifecycle.js';
import { linksFor, recordId, type LinkSet } from '../records/links.js';
import { invalid } from '../records/values.js';
import {
  bumpItemVersions,
  itemsLinkedToTrashed,
  purgeTrashed,
  TABLE_OF,
  TRASH_ENTITIES,
  trashedIds,
  trashedIn,
  type TrashCursor,
  type TrashEntity,
  type TrashItem,
} from './repository.js';

export const TRASH_MAX = 200;

function encodeCursor(cursor: TrashCursor): string {
  return Buffer.from(JSON.stringify([cursor.deletedAt, cursor.entity, cursor.id])).toString('base64url');
}

function decodeCursor(raw: string): TrashCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 3) {
      const [deletedAt, entity, id] = value as unknown[];
      if (
        typeof deletedAt === 'number' &&
        Number.isSafeInteger(deletedAt) &&
        TRASH_ENTITIES.includes(entity as TrashEntity) &&
        typeof id === 'string' &&
        id.length <= 100
      ) {
        return { deletedAt, entity: entity as TrashEntity, id };
      }
    }
  } catch {
    // falls through to the error below
  }
  throw invalid('cursor', 'is not a cursor from the trash; start again without one');
}

/** Most recently deleted first; ties by entity, then id, all descending (the order each table's query uses). */
function newestFirst(a: TrashItem, b: TrashItem): number {
  if (a.deletedAt !== b.deletedAt) return b.deletedAt - a.deletedAt;
  if (a.entity !== b.entity) return a.entity < b.entity ? 1 : -1;
  return a.id === b.id ? 0 : a.id < b.id ? 1 : -1;
}

const trashEntity = () => z.enum(TRASH_ENTITIES);

export const trashList = defineProcedure({
  name: 'trash.list',
  summary:
    'Deleted people, companies, activities, notes and tasks (or one kind), most recently deleted first, with keyset paging.',
  input: z
    .object({
      entity: trashEntity().optional(),
      limit: z.number().int().min(1).max(TRASH_MAX).optional(),
      cursor: z.string().max(400).nullable().optional(),
    })
    .strict(),
  permission: 'records.read',
  mutates: false,
  async handler(ctx, input): Promise<{ items: TrashItem[]; nextCursor: string | null }> {
    const cursor = input.cursor ? decodeCursor(input.cursor) : null;
    const limit = input.limit ?? 50;
    const entities = input.entity ? [input.entity] : TRASH_ENTITIES;
    const found: TrashItem[] = [];
    for (const entity of entities) found.push(...(await trashedIn(ctx.db, entity, cursor, limit + 1)));
    found.sort(newestFirst);
    const items = found.slice(0, limit);
    const last = items.at(-1);
    const nextCursor =
      found.length > limit && last
        ? encodeCursor({ deletedAt: last.deletedAt, entity: last.entity, id: last.id })
        : null;
    return { items, nextCursor };
  },
});

export const trashRestore = defineProcedure({
  name: 'trash.restore',
  summary:
    'Brings a deleted person, company, deal, activity, note or task back from the trash (a record not in the trash is left as it is).',
  input: z.object({ entity: trashEntity(), id: recordId() }).strict(),
  permission: 'records.write',
  mutates: true,
  async handler(ctx, { entity, id }): Promise<{ entity: TrashEntity; id: string; version: number }> {
    await restoreRecord(ctx, TABLE_OF[entity], entity, id);
    if (entity === 'activity') {
      // A restored activity counts again towards its people's and companies' last activity.
      const links = (await linksFor(ctx.db, 'activity', [id])).get(id)!;
      await refreshLastActivity(ctx.db, links);
    }
    const row = await ctx.db.selectFrom(TABLE_OF[entity]).select('version').where('id', '=', id).executeTakeFirst();
    if (!row) throw new HearthError('NOT_FOUND', `There is no ${entity} with this id.`);
    return { entity, id, version: row.version };
  },
});

export const trashEmpty = defineProcedure({
  name: 'trash.empty',
  summary:
    'Deletes everything in the trash (or one kind) for good, with its links and tags. The audit log records each purge without its contents. Activities, notes and tasks that were linked to a purged person, company or deal lose the link: each gets a new version and is recorded as an update of its personIds, companyIds or dealIds. Deals lose purged people and companies.',
  input: z.object({ entity: trashEntity().optional() }).strict(),
  permission: 'settings.manage',
  mutates: true,
  async handler(ctx, { entity }): Promise<{ purged: number }> {
    let purged = 0;
    // Items before the records they link to, so a link is removed with the item rather than left to the record.
    const order: TrashEntity[] = ['activity', 'note', 'task', 'deal', 'person', 'company'];
    for (const kind of order) {
      if (entity && kind !== entity) continue;
      const ids = await trashedIds(ctx.db, kind);
      if (ids.length === 0) continue;
      const unlink =
        kind === 'person' || kind === 'company' || kind === 'deal' ? await unlinkingPurge(ctx, kind) : null;
      await purgeTrashed(ctx.db, kind);
      for (const id of ids) ctx.recordChange({ entity: kind, id, action: 'purge', before: null, after: null });
      await unlink?.();
      purged += ids.length;
    }
    return { purged };
  },
});

/**
 * Purging people or companies takes away the links activities, notes and tasks had to them. Reads those links
 * before the purge; the function it returns, run after it, gives each such item a new version and records it as
 * changed (the link ids only, none of its contents), so its history shows the unlink and open windows refresh it.
 */
async function unlinkingPurge(ctx: CallContext, kind: 'person' | 'company' | 'deal'): Promise<() => Promise<void>> {
  const key: keyof LinkSet = kind === 'person' ? 'personIds' : kind === 'company' ? 'companyIds' : 'dealIds';
  const affected = await itemsLinkedToTrashed(ctx.db, kind);
  const before = new Map<string, Map<string, LinkSet>>();
  for (const [itemType, ids] of affected) before.set(itemType, await linksFor(ctx.db, itemType, ids));
  return async () => {
    for (const [itemType, ids] of affected) {
      const versions = await bumpItemVersions(ctx.db, itemType, ids, ctx.now);
      const after = await linksFor(ctx.db, itemType, ids);
      for (const id of ids) {
        ctx.recordChange({
          entity: itemType,
          id,
          action: 'update',
          version: versions.get(id)!,
          before: { [key]: before.get(itemType)!.get(id)![key] },
          after: { [key]: after.get(id)![key] },
        });
      }
    }
  };
}
