// Tags: one workspace-wide list of names (case-insensitive), attached to people, companies and later deals.
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import type { DB } from '../db/schema.js';

export const TAG_MAX = 60;
export const TAGGED_ENTITIES = ['person', 'company', 'deal'] as const;
export type TaggedEntity = (typeof TAGGED_ENTITIES)[number];

/** A tag name as the API takes it: trimmed, inner whitespace collapsed, 1–60 characters. */
export const tagName = () =>
  z
    .string()
    .max(200)
    .transform((s) => s.trim().replace(/\s+/g, ' '))
    .pipe(z.string().min(1, 'must not be empty').max(TAG_MAX, `must be at most ${TAG_MAX} characters`));

export const tagList = () =>
  z
    .array(tagName())
    .max(100)
    .transform((names) => dedupe(names));

function dedupe(names: string[]): string[] {
  const seen = new Set<string>();
  return names.filter((n) => {
    const key = n.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Ids of the named tags, creating the missing ones. Returns maps from lower-cased name to id and to the name as
 * stored (an existing tag keeps its own spelling).
 */
export async function ensureTags(
  db: Kysely<DB>,
  names: readonly string[],
  now: number,
  actorId: string | null,
): Promise<{ ids: Map<string, string>; stored: Map<string, string>; created: { id: string; name: string }[] }> {
  const ids = new Map<string, string>();
  const stored = new Map<string, string>();
  const created: { id: string; name: string }[] = [];
  if (names.length === 0) return { ids, stored, created };
  const existing = await db
    .selectFrom('tags')
    .select(['id', 'name'])
    .where('name', 'in', [...names])
    .execute();
  for (const row of existing) {
    ids.set(row.name.toLowerCase(), row.id);
    stored.set(row.name.toLowerCase(), row.name);
  }
  for (const name of names) {
    if (ids.has(name.toLowerCase())) continue;
    const id = uuidv7();
    await db
      .insertInto('tags')
      .values({ id, name, color: null, version: 1, created_at: now, updated_at: now, created_by: actorId })
      .execute();
    ids.set(name.toLowerCase(), id);
    stored.set(name.toLowerCase(), name);
    created.push({ id, name });
  }
  return { ids, stored, created };
}

/** Tag names in the order tagsFor gives them: SQLite's NOCASE order (ASCII letters folded, then bytes). */
export function inTagOrder(names: Iterable<string>): string[] {
  const key = (name: string) => Buffer.from(name.replace(/[A-Z]/g, (c) => c.toLowerCase()));
  return [...names].sort((a, b) => Buffer.compare(key(a), key(b)));
}

/** Replaces a record's tags with `names` (creating unknown tags). Returns the tags it created, and the record's
 * tags as stored, in tagsFor's order. */
export async function setRecordTags(
  db: Kysely<DB>,
  entity: TaggedEntity,
  recordId: string,
  names: readonly string[],
  now: number,
  actorId: string | null,
  fresh = false,
): Promise<{ created: { id: string; name: string }[]; names: string[] }> {
  const { ids, stored, created } = await ensureTags(db, names, now, actorId);
  if (!fresh)
    await db.deleteFrom('record_tags').where('entity', '=', entity).where('record_id', '=', recordId).execute();
  if (ids.size > 0) {
    await db
      .insertInto('record_tags')
      .values([...ids.values()].map((tagId) => ({ entity, record_id: recordId, tag_id: tagId })))
      .execute();
  }
  return { created, names: inTagOrder(stored.values()) };
}

/** Adds and removes tags on many records at once (bulk edit). */
export async function changeRecordTags(
  db: Kysely<DB>,
  entity: TaggedEntity,
  recordIds: readonly string[],
  add: readonly string[],
  remove: readonly string[],
  now: number,
  actorId: string | null,
): Promise<{ id: string; name: string }[]> {
  const { ids, created } = await ensureTags(db, add, now, actorId);
  if (remove.length > 0 && recordIds.length > 0) {
    const removeIds = (
      await db
        .selectFrom('tags')
        .select('id')
        .where('name', 'in', [...remove])
        .execute()
    ).map((r) => r.id);
    if (removeIds.length > 0) {
      await db
        .deleteFrom('record_tags')
        .where('entity', '=', entity)
        .where('record_id', 'in', [...recordIds])
        .where('tag_id', 'in', removeIds)
        .execute();
    }
  }
  if (ids.size > 0 && recordIds.length > 0) {
    const rows = recordIds.flatMap((recordId) =>
      [...ids.values()].map((tagId) => ({ entity, record_id: recordId, tag_id: tagId })),
    );
    for (let i = 0; i < rows.length; i += 500) {
      await db
        .insertInto('record_tags')
        .values(rows.slice(i, i + 500))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }
  return created;
}

/** The tag names of each record, sorted case-insensitively. */
export async function tagsFor(
  db: Kysely<DB>,
  entity: TaggedEntity,
  recordIds: readonly string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const id of recordIds) out.set(id, []);
  if (recordIds.length === 0) return out;
  for (let i = 0; i < recordIds.length; i += 500) {
    const rows = await db
      .selectFrom('record_tags')
      .innerJoin('tags', 'tags.id', 'record_tags.tag_id')
      .select(['record_tags.record_id', 'tags.name'])
      .where('record_tags.entity', '=', entity)
      .where('record_tags.record_id', 'in', recordIds.slice(i, i + 500))
      .orderBy('tags.name')
      .execute();
    for (const row of rows) out.get(row.record_id)?.push(row.name);
  }
  return out;
}
