// Tasks (to-dos with a due time, a reminder and an assignee) as rows and as API records.
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { DB, TasksTable } from '../db/schema.js';
import { itemBase, type ItemBase } from '../records/linked-items.js';
import { linksFor, type LinkSet } from '../records/links.js';

export type TaskRow = Selectable<TasksTable>;

export interface Task extends ItemBase, LinkSet {
  title: string;
  body: string;
  dueAt: number | null;
  remindAt: number | null;
  assigneeId: string | null;
  done: boolean;
  completedAt: number | null;
}

export function toTask(row: TaskRow, links: LinkSet): Task {
  return {
    ...itemBase(row),
    title: row.title,
    body: row.body,
    dueAt: row.due_at,
    remindAt: row.remind_at,
    assigneeId: row.assignee_id,
    done: row.done === 1,
    completedAt: row.completed_at,
    personIds: links.personIds,
    companyIds: links.companyIds,
    dealIds: links.dealIds,
  };
}

/** API records for rows, in the rows' order, with their links. */
export async function toTasks(db: Kysely<DB>, rows: readonly TaskRow[]): Promise<Task[]> {
  const links = await linksFor(
    db,
    'task',
    rows.map((r) => r.id),
  );
  return rows.map((row) => toTask(row, links.get(row.id)!));
}

export async function findTaskRow(db: Kysely<DB>, id: string): Promise<TaskRow | undefined> {
  return db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The task, trashed or not. */
export async function getTask(db: Kysely<DB>, id: string): Promise<Task | undefined> {
  const row = await findTaskRow(db, id);
  return row ? (await toTasks(db, [row]))[0] : undefined;
}

export async function insertTask(db: Kysely<DB>, row: Insertable<TasksTable>): Promise<void> {
  await db.insertInto('tasks').values(row).execute();
}

/** Writes `set` and bumps the version if the row still has `version`; false when someone got there first. */
export async function updateTaskIfVersion(
  db: Kysely<DB>,
  id: string,
  version: number,
  set: Partial<Omit<TaskRow, 'id' | 'version'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('tasks')
    .set({ ...set, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A reminder is pending while its task is open, live and not yet reminded (the tasks_reminders index). */
function pendingReminders(db: Kysely<DB>) {
  return db
    .selectFrom('tasks')
    .where('reminded_at', 'is', null)
    .where('done', '=', 0)
    .where('deleted_at', 'is', null)
    .where('remind_at', 'is not', null);
}

/** Tasks whose reminder time has come, oldest first. */
export async function dueReminderIds(db: Kysely<DB>, now: number, limit: number): Promise<string[]> {
  const rows = await pendingReminders(db)
    .select('id')
    .where('remind_at', '<=', now)
    .orderBy('remind_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** The time of the next pending reminder, or null when there is none. */
export async function nextReminderAt(db: Kysely<DB>): Promise<number | null> {
  const row = await pendingReminders(db)
    .select(sql<number>`min(remind_at)`.as('at'))
    .executeTakeFirst();
  return row?.at ?? null;
}

/**
 * Reminders delivered since `since` whose task is still open and not in the trash, most recently delivered first:
 * what a window that opened after their announcement should still show (the partial index tasks_reminded).
 */
export async function deliveredRemindersSince(
  db: Kysely<DB>,
  since: number,
  now: number,
  limit: number,
): Promise<TaskRow[]> {
  // INDEXED BY: without statistics the planner would rather start from tasks_done_order and sort every open task.
  const found = await sql<TaskRow>`SELECT * FROM tasks INDEXED BY tasks_reminded
    WHERE reminded_at IS NOT NULL AND done = 0 AND deleted_at IS NULL
      AND reminded_at >= ${since} AND remind_at IS NOT NULL AND remind_at <= ${now}
    ORDER BY reminded_at DESC, id DESC LIMIT ${limit}`.execute(db);
  return found.rows;
}

/** Whether the row's reminder is due at `now` and not yet delivered. */
export function reminderDue(row: TaskRow, now: number): boolean {
  return (
    row.deleted_at === null &&
    row.done === 0 &&
    row.reminded_at === null &&
    row.remind_at !== null &&
    row.remind_at <= now
  );
}

/** Marks the reminder delivered. Not a version bump: bookkeeping must not make someone's open edit conflict. */
export async function markReminded(db: Kysely<DB>, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('tasks')
    .set({ reminded_at: now })
    .where('id', '=', id)
    .where('reminded_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
