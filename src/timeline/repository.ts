// The queries behind a record's timeline. Each source answers its newest `limit` items after a cursor, already
// in timeline order, so the procedure merges a few short lists instead of sorting a record's whole history.
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { DB } from '../db/schema.js';
import type { ItemType } from '../records/links.js';

export type TimelineEntity = 'person' | 'company' | 'deal';
export type TimelineType = 'activity' | 'change' | 'deal' | 'note' | 'task';

/** Where the timeline continues: items strictly older than this in (at, type, id) order, newest first. */
export interface TimelineCursor {
  at: number;
  type: TimelineType;
  id: string;
}

/**
 * The condition for a source whose items all have `type`, ordered by (`atExpr`, `idExpr`): what comes after the
 * cursor in (at, type, id) descending order.
 */
export function afterCursor(
  type: TimelineType,
  atExpr: RawBuilder<unknown>,
  idExpr: RawBuilder<unknown>,
  cursor: TimelineCursor | null,
): RawBuilder<SqlBool> {
  if (!cursor) return sql<SqlBool>`1`;
  if (type < cursor.type) return sql<SqlBool>`${atExpr} <= ${cursor.at}`;
  if (type > cursor.type) return sql<SqlBool>`${atExpr} < ${cursor.at}`;
  return sql<SqlBool>`(${atExpr} < ${cursor.at} OR (${atExpr} = ${cursor.at} AND ${idExpr} < ${cursor.id}))`;
}

/** Ids of the items of `itemType` linked to the record (for a company: to it or to one of its people in the live list). */
function linkedItemIds(entity: TimelineEntity, recordId: string, itemType: ItemType): RawBuilder<unknown> {
  if (entity === 'person' || entity === 'deal') {
    return sql`SELECT l.item_id FROM links l
      WHERE l.record_type = ${entity} AND l.record_id = ${recordId} AND l.item_type = ${itemType}`;
  }
  return sql`SELECT l.item_id FROM links l
      WHERE l.record_type = 'company' AND l.record_id = ${recordId} AND l.item_type = ${itemType}
    UNION
    SELECT l.item_id FROM person_companies pc
      JOIN people p ON p.id = pc.person_id AND p.deleted_at IS NULL
      JOIN links l ON l.record_type = 'person' AND l.record_id = pc.person_id AND l.item_type = ${itemType}
    WHERE pc.company_id = ${recordId}`;
}

const ITEM_SOURCES = {
  activity: { table: 'activities', at: 'occurred_at' },
  note: { table: 'notes', at: 'created_at' },
  task: { table: 'tasks', at: 'created_at' },
} as const;

/** Live items of one kind linked to the record, newest first by their timeline time, after the cursor. */
export async function linkedItemRows<Row>(
  db: Kysely<DB>,
  itemType: ItemType,
  entity: TimelineEntity,
  recordId: string,
  cursor: TimelineCursor | null,
  limit: number,
): Promise<Row[]> {
  const { table, at } = ITEM_SOURCES[itemType];
  const atExpr = sql.ref(`i.${at}`);
  const idExpr = sql.ref('i.id');
  const result = await sql<Row>`SELECT i.* FROM ${sql.table(table)} i
    WHERE i.id IN (${linkedItemIds(entity, recordId, itemType)})
      AND i.deleted_at IS NULL
      AND ${afterCursor(itemType, atExpr, idExpr, cursor)}
    ORDER BY ${atExpr} DESC, ${idExpr} DESC
    LIMIT ${limit}`.execute(db);
  return result.rows;
}

export interface AuditEntryRow {
  id: string;
  at: number;
  actor_id: string | null;
  actor_name: string | null;
  procedure: string;
  diff: string | null;
}

/**
 * Audit entries that touched the record, newest first, after the cursor. Written as `seq IN (…)` so each entry is
 * fetched by its rowid from the audit_records index, whatever the planner's statistics say about the log's size.
 */
export async function auditEntriesFor(
  db: Kysely<DB>,
  recordId: string,
  cursor: TimelineCursor | null,
  limit: number,
): Promise<AuditEntryRow[]> {
  const result = await sql<AuditEntryRow>`SELECT a.id, a.at, a.actor_id, u.name AS actor_name, a.procedure, a.diff
    FROM audit_log a
    LEFT JOIN users u ON u.id = a.actor_id
    WHERE a.seq IN (SELECT r.audit_seq FROM audit_records r WHERE r.record_id = ${recordId})
      AND ${afterCursor('change', sql.ref('a.at'), sql.ref('a.id'), cursor)}
    ORDER BY a.at DESC, a.id DESC
    LIMIT ${limit}`.execute(db);
  return result.rows;
}

/** Live deals of a person (linked to it) or a company (its deals), newest first by creation, after the cursor. */
export async function dealRowsFor<Row>(
  db: Kysely<DB>,
  entity: TimelineEntity,
  recordId: string,
  cursor: TimelineCursor | null,
  limit: number,
): Promise<Row[]> {
  if (entity === 'deal') return [];
  const which =
    entity === 'person'
      ? sql<SqlBool>`d.id IN (SELECT dp.deal_id FROM deal_people dp WHERE dp.person_id = ${recordId})`
      : sql<SqlBool>`d.company_id = ${recordId}`;
  const result = await sql<Row>`SELECT d.* FROM deals d
    WHERE ${which} AND d.deleted_at IS NULL AND ${afterCursor('deal', sql.ref('d.created_at'), sql.ref('d.id'), cursor)}
    ORDER BY d.created_at DESC, d.id DESC LIMIT ${limit}`.execute(db);
  return result.rows;
}

/** Whether the record exists (in the trash or not). */
export async function recordExists(db: Kysely<DB>, entity: TimelineEntity, id: string): Promise<boolean> {
  const table = entity === 'person' ? 'people' : entity === 'company' ? 'companies' : 'deals';
  const row = await db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}
