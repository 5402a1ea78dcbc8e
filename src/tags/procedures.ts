// tags.*: the workspace's tag list: counts, rename, merge, delete.
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { HearthError } from '../api/errors.js';
import { defineProcedure, type CallContext } from '../api/procedure.js';
import type { DB } from '../db/schema.js';
import { recordId } from '../records/schemas.js';
import { invalid } from '../records/values.js';
import { tagName, TAGGED_ENTITIES } from './repository.js';

export interface Tag {
  id: string;
  name: string;
  color: string | null;
  version: number;
  createdAt: number;
  updatedAt: number;
  counts: { person: number; company: number; deal: number };
}

/** Counts only live records: a tag used only by trashed people shows 0. */
async function loadTags(db: Kysely<DB>, ids?: string[]): Promise<Tag[]> {
  const where = ids ? sql`WHERE t.id IN (${sql.join(ids)})` : sql``;
  const result = await sql<{
    id: string;
    name: string;
    color: string | null;
    version: number;
    created_at: number;
    updated_at: number;
    person: number;
    company: number;
    deal: number;
  }>`SELECT t.id, t.name, t.color, t.version, t.created_at, t.updated_at,
      (SELECT count(*) FROM record_tags rt JOIN people p ON p.id = rt.record_id AND p.deleted_at IS NULL
        WHERE rt.tag_id = t.id AND rt.entity = 'person') AS person,
      (SELECT count(*) FROM record_tags rt JOIN companies c ON c.id = rt.record_id AND c.deleted_at IS NULL
        WHERE rt.tag_id = t.id AND rt.entity = 'company') AS company,
      (SELECT count(*) FROM record_tags rt JOIN deals d ON d.id = rt.record_id AND d.deleted_at IS NULL
        WHERE rt.tag_id = t.id AND rt.entity = 'deal') AS deal
    FROM tags t ${where} ORDER BY t.name`.execute(db);
  return result.rows.map((r) => ({
    id: r.id,
    name: r.name,
    color: r.color,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    counts: { person: Number(r.person), company: Number(r.company), deal: Number(r.deal) },
  }));
}

async function mustFind(db: Kysely<DB>, id: string, path = 'id'): Promise<Tag> {
  const [tag] = await loadTags(db, [id]);
  if (!tag) {
    if (path === 'id') throw new HearthError('NOT_FOUND', 'There is no tag with this id.', { id });
    throw invalid(path, 'there is no tag with this id');
  }
  return tag;
}

const shape = (tag: Tag) => ({ name: tag.name, color: tag.color });

function recordTagChange(ctx: CallContext, before: Tag | null, after: Tag | null, action: 'update' | 'delete'): void {
  const tag = (after ?? before)!;
  ctx.recordChange({
    entity: 'tag',
    id: tag.id,
    action,
    ...(after ? { version: after.version } : {}),
    before: before ? shape(before) : null,
    after: after ? shape(after) : null,
  });
}

export const tagsList = defineProcedure({
  name: 'tags.list',
  summary:
    'Every tag with how many live people and companies carry it; `entity` keeps only tags used on that kind of record.',
  input: z.object({ entity: z.enum(TAGGED_ENTITIES).optional() }).strict(),
  permission: 'records.read',
  mutates: false,
  async handler(ctx, { entity }): Promise<{ items: Tag[] }> {
    const tags = await loadTags(ctx.db);
    if (entity) return { items: tags.filter((t) => t.counts[entity] > 0) };
    return { items: tags };
  },
});

export const tagsRename = defineProcedure({
  name: 'tags.rename',
  summary: 'Renames a tag everywhere it is used. A name another tag has is refused: merge them instead.',
  input: z.object({ id: recordId(), name: tagName() }).strict(),
  permission: 'records.write',
  mutates: true,
  async handler(ctx, { id, name }): Promise<Tag> {
    const before = await mustFind(ctx.db, id);
    const clash = await ctx.db
      .selectFrom('tags')
      .select('id')
      .where('name', '=', name)
      .where('id', '!=', id)
      .executeTakeFirst();
    if (clash) throw invalid('name', 'another tag has this name; merge the two instead');
    if (before.name === name) return before;
    await ctx.db
      .updateTable('tags')
      .set({ name, version: before.version + 1, updated_at: ctx.now })
      .where('id', '=', id)
      .execute();
    const after = await mustFind(ctx.db, id);
    recordTagChange(ctx, before, after, 'update');
    return after;
  },
});

export const tagsMerge = defineProcedure({
  name: 'tags.merge',
  summary: 'Moves every use of the source tags onto the target tag and deletes the sources.',
  input: z.object({ sourceIds: z.array(recordId()).min(1).max(100), targetId: recordId() }).strict(),
  permission: 'records.write',
  mutates: true,
  async handler(ctx, { sourceIds, targetId }): Promise<Tag> {
    const target = await mustFind(ctx.db, targetId, 'targetId');
    const sources = [...new Set(sourceIds)].filter((id) => id !== targetId);
    const before: Tag[] = [];
    for (const [i, id] of sources.entries()) before.push(await mustFind(ctx.db, id, `sourceIds.${i}`));
    if (sources.length === 0) return target;
    await sql`INSERT OR IGNORE INTO record_tags (entity, record_id, tag_id)
      SELECT entity, record_id, ${targetId} FROM record_tags WHERE tag_id IN (${sql.join(sources)})`.execute(ctx.db);
    await ctx.db.deleteFrom('record_tags').where('tag_id', 'in', sources).execute();
    await ctx.db.deleteFrom('tags').where('id', 'in', sources).execute();
    await ctx.db
      .updateTable('tags')
      .set({ version: target.version + 1, updated_at: ctx.now })
      .where('id', '=', targetId)
      .execute();
    for (const tag of before) recordTagChange(ctx, tag, null, 'delete');
    const after = await mustFind(ctx.db, targetId);
    ctx.recordChange({
      entity: 'tag',
      id: targetId,
      action: 'update',
      version: after.version,
      before: { ...shape(target), merged: [] },
      after: { ...shape(after), merged: before.map((t) => t.name) },
    });
    return after;
  },
});

export const tagsDelete = defineProcedure({
  name: 'tags.delete',
  summary: 'Deletes a tag and takes it off every record that carries it.',
  input: z.object({ id: recordId() }).strict(),
  permission: 'records.write',
  mutates: true,
  async handler(ctx, { id }): Promise<{ id: string; deleted: true }> {
    const before = await mustFind(ctx.db, id);
    await ctx.db.deleteFrom('record_tags').where('tag_id', '=', id).execute();
    await ctx.db.deleteFrom('tags').where('id', '=', id).execute();
    recordTagChange(ctx, before, null, 'delete');
    return { id, deleted: true };
  },
});
