// The trash: records with deleted_at set, across every record table, and removing them for real.
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { DB } from '../db/schema.js';
import type { TrashTable } from '../records/lifecycle.js';
import type { ItemType } from '../records/links.js';

export const TRASH_ENTITIES = ['person', 'company', 'deal', 'activity', 'note', 'task'] as const;
export type TrashEntity = (typeof TRASH_ENTITIES)[number];

export const TABLE_OF: Record<TrashEntity, TrashTable> = {
  person: 'people',
  company: 'companies',
  deal: 'deals',
  activity: 'activities',
  note: 'notes',
  task: 'tasks',
};

export interface TrashItem {
  entity: TrashEntity;
  id: string;
  /** What the record is called: a person's name, a company's name, a subject, a title, a note's first line. */
  title: string;
  deletedAt: number;
}

/** Where a trash listing continues: entries strictly after this in (deletedAt, entity, id) descending order. */
export interface TrashCursor {
  deletedAt: number;
  entity: TrashEntity;
  id: string;
}

const ACTIVITY_NOUN: Record<string, string> = { call: 'Call', meeting: 'Meeting', email: 'Email', other: 'Activity' };

/** The SQL that gives each table's rows a title, kept short (a note's body can be 100k characters). */
const TITLE_SQL: Record<TrashEntity, RawBuilder<string>> = {
  person: sql<string>`coalesce(nullif(trim(first_name || ' ' || last_name), ''), primary_email)`,
  company: sql<string>`name`,
  deal: sql<string>`title`,
  activity: sql<string>`subject`,
  note: sql<string>`substr(body, 1, 300)`,
  task: sql<string>`title`,
};

interface TrashRow {
  id: string;
  deleted_at: number;
  title: string | null;
  kind: string | null;
}

function afterCursor(entity: TrashEntity, cursor: TrashCursor | null): RawBuilder<SqlBool> {
  if (!cursor) return sql<SqlBool>`deleted_at IS NOT NULL`;
  if (entity < cursor.entity) return sql<SqlBool>`deleted_at <= ${cursor.deletedAt}`;
  if (entity > cursor.entity) return sql<SqlBool>`deleted_at < ${cursor.deletedAt}`;
  return sql<SqlBool>`(deleted_at < ${cursor.deletedAt} OR (deleted_at = ${cursor.deletedAt} AND id < ${cursor.id}))`;
}

/** The first line of a note's Markdown, without heading and list marks. */
export function noteTitle(body: string): string {
  const line =
    body
      .split('\n')
      .map((l) => l.replace(/^\s*(#{1,6}\s+|[-*+]\s+|>\s*|\d+[.)]\s+)/, '').trim())
      .find((l) => l.length > 0) ?? '';
  return line.length > 80 ? `${line.slice(0, 79)}…` : line || 'Note';
}

function titleOf(entity: TrashEntity, row: TrashRow): string {
  const title = row.title?.trim() ?? '';
  switch (entity) {
    case 'person':
      return title || 'Unnamed person';
    case 'activity':
      return title || ACTIVITY_NOUN[row.kind ?? 'other'] || 'Activity';
    case 'note':
      return noteTitle(title);
    default:
      return title;
  }
}

/** One table's trashed records, most recently deleted first, after the cursor (the *_trash partial indexes). */
export async function trashedIn(
  db: Kysely<DB>,
  entity: TrashEntity,
  cursor: TrashCursor | null,
  limit: number,
): Promise<TrashItem[]> {
  const kind = entity === 'activity' ? sql`kind` : sql`NULL`;
  const result = await sql<TrashRow>`SELECT id, deleted_at, ${TITLE_SQL[entity]} AS title, ${kind} AS kind
    FROM ${sql.table(TABLE_OF[entity])}
    WHERE deleted_at IS NOT NULL AND ${afterCursor(entity, cursor)}
    ORDER BY deleted_at DESC, id DESC
    LIMIT ${limit}`.execute(db);
  return result.rows.map((row) => ({ entity, id: row.id, title: titleOf(entity, row), deletedAt: row.deleted_at }));
}

export async function trashedIds(db: Kysely<DB>, entity: TrashEntity): Promise<string[]> {
  const rows = await db.selectFrom(TABLE_OF[entity]).select('id').where('deleted_at', 'is not', null).execute();
  return rows.map((r) => r.id);
}

/**
 * Deletes every trashed record of one kind for real, with what hangs off it: its links (both ends), its tags, and
 * through foreign-key cascades a person's emails and company memberships, a company's domains, a deal's people
 * and stage history.
 */
export async function purgeTrashed(db: Kysely<DB>, entity: TrashEntity): Promise<void> {
  const table = sql.table(TABLE_OF[entity]);
  const trashed = sql`SELECT id FROM ${table} WHERE deleted_at IS NOT NULL`;
  if (entity === 'person' || entity === 'company' || entity === 'deal') {
    await sql`DELETE FROM links WHERE record_type = ${entity} AND record_id IN (${trashed})`.execute(db);
    await sql`DELETE FROM record_tags WHERE entity = ${entity} AND record_id IN (${trashed})`.execute(db);
    if (entity === 'person') await sql`DELETE FROM deal_people WHERE person_id IN (${trashed})`.execute(db);
    if (entity === 'company')
      await sql`UPDATE deals SET company_id = NULL WHERE company_id IN (${trashed})`.execute(db);
  } else {
    await sql`DELETE FROM links WHERE item_type = ${entity} AND item_id IN (${trashed})`.execute(db);
  }
  await sql`DELETE FROM ${table} WHERE deleted_at IS NOT NULL`.execute(db);
}

const ITEM_TABLE: Record<ItemType, 'activities' | 'notes' | 'tasks'> = {
  activity: 'activities',
  note: 'notes',
  task: 'tasks',
};

/** Ids per statement, well under SQLite's limit on bound parameters. */
const CHUNK = 500;

/**
 * The activities, notes and tasks (live or trashed) linked to trashed people or companies: purging those records
 * takes the links away, which changes these items.
 */
export async function itemsLinkedToTrashed(
  db: Kysely<DB>,
  entity: 'person' | 'company' | 'deal',
): Promise<Map<ItemType, string[]>> {
  const table = sql.table(TABLE_OF[entity]);
  const result = await sql<{ item_type: ItemType; item_id: string }>`SELECT DISTINCT item_type, item_id FROM links
    WHERE record_type = ${entity} AND record_id IN (SELECT id FROM ${table} WHERE deleted_at IS NOT NULL)
    ORDER BY item_type, item_id`.execute(db);
  const out = new Map<ItemType, string[]>();
  for (const row of result.rows) out.set(row.item_type, [...(out.get(row.item_type) ?? []), row.item_id]);
  return out;
}

/** Bumps the items' versions (their links changed, so an edit opened before must not save over it); new versions by id. */
export async function bumpItemVersions(
  db: Kysely<DB>,
  itemType: ItemType,
  ids: readonly string[],
  now: number,
): Promise<Map<string, number>> {
  const table = ITEM_TABLE[itemType];
  const versions = new Map<string, number>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    await db
      .updateTable(table)
      .set((eb) => ({ version: eb('version', '+', 1), updated_at: now }))
      .where('id', 'in', chunk)
      .execute();
    const rows = await db.selectFrom(table).select(['id', 'version']).where('id', 'in', chunk).execute();
    for (const row of rows) versions.set(row.id, row.version);
  }
  return versions;
}
