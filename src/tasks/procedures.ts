// tasks.*: to-dos with a due time, a reminder and an assignee, linked to people, companies and deals.
import { sql, type SqlBool } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { longText, shortText } from '../api/limits.js';
import { defineProcedure, type CallContext } from '../api/procedure.js';
import {
  checkAll,
  checkPatchLinks,
  foundItem,
  epochMs,
  itemNotFound,
  linkListFields,
  MAX_TIME,
  sameIds,
  staleItem,
  trashItem,
} from '../records/linked-items.js';
import { auditUpdate, getProcedure, listPage } from '../records/record-procedures.js';
import { checkLinks, linkIds, recordId, setLinks } from '../records/links.js';
import {
  col,
  conditionFor,
  listInputShape,
  runList,
  type ListField,
  type ListPage,
  type ListSpec,
  type SortKey,
} from '../records/list-query.js';
import { version } from '../records/schemas.js';
import { checkUser } from '../users/procedures.js';
import { localDay, timeZoneName } from './days.js';
import {
  deliveredRemindersSince,
  findTaskRow,
  getTask,
  insertTask,
  markReminded,
  reminderDue,
  toTasks,
  updateTaskIfVersion,
  type Task,
  type TaskRow,
} from './repository.js';

export const TASK_VIEWS = ['today', 'overdue', 'upcoming', 'open', 'done'] as const;
export type TaskView = (typeof TASK_VIEWS)[number];

const title = () =>
  shortText()
    .transform((s) => s.trim())
    .pipe(z.string().min(1, 'must not be empty'));

const taskFields = {
  title: title(),
  body: longText(),
  dueAt: epochMs().nullable(),
  remindAt: epochMs().nullable(),
  assigneeId: recordId().nullable(),
  personIds: linkIds(),
  companyIds: linkIds(),
  dealIds: linkIds(),
};

const createInput = z
  .object({
    ...taskFields,
    body: taskFields.body.optional(),
    dueAt: taskFields.dueAt.optional(),
    remindAt: taskFields.remindAt.optional(),
    assigneeId: taskFields.assigneeId.optional(),
    personIds: taskFields.personIds.optional(),
    companyIds: taskFields.companyIds.optional(),
    dealIds: taskFields.dealIds.optional(),
  })
  .strict();

const taskPatch = z
  .object({ ...taskFields, done: z.boolean() })
  .partial()
  .strict();

const TASKS = 'tasks';
/** Sorting puts tasks without a due time after every dated one, in both directions of "soonest first". */
const NO_DUE_TIME = MAX_TIME + 1;
const dueAtColumn = col(TASKS, 'due_at');
/**
 * The due time as lists sort it. The views' conditions are written on it too, so one index on
 * (done, coalesce(due_at, …), id) can answer both the condition and the order.
 */
const dueOrder = sql`coalesce(${dueAtColumn}, ${sql.lit(NO_DUE_TIME)})`;

const TASK_FIELDS: Record<string, ListField> = {
  title: { kind: 'text', expr: col(TASKS, 'title'), nullable: false },
  dueAt: {
    kind: 'number',
    expr: dueOrder,
    nullable: false,
    filter: (op, value, path) => conditionFor(dueAtColumn, { kind: 'number' }, op, value, path),
  },
  remindAt: { kind: 'number', expr: col(TASKS, 'remind_at') },
  assigneeId: { kind: 'id', expr: col(TASKS, 'assignee_id') },
  ownerId: { kind: 'id', expr: col(TASKS, 'owner_id') },
  done: { kind: 'boolean', expr: col(TASKS, 'done'), nullable: false },
  createdAt: { kind: 'number', expr: col(TASKS, 'created_at'), nullable: false },
  updatedAt: { kind: 'number', expr: col(TASKS, 'updated_at'), nullable: false },
  completedAt: { kind: 'number', expr: col(TASKS, 'completed_at') },
  ...linkListFields('task', TASKS),
};

const DEFAULT_SORT: SortKey[] = [{ field: 'dueAt', dir: 'asc' }];
const DONE_SORT: SortKey[] = [{ field: 'completedAt', dir: 'desc' }];

/** The list spec for a view; `today` and friends are days in the caller's time zone. */
export function taskListSpec(view: TaskView | undefined, now: number, timeZone: string): ListSpec {
  const where = [];
  const done = sql.ref(`${TASKS}.done`);
  if (view === 'done') where.push(sql<SqlBool>`${done} = 1`);
  else if (view) where.push(sql<SqlBool>`${done} = 0`);
  if (view === 'today' || view === 'overdue' || view === 'upcoming') {
    const day = localDay(now, timeZone);
    // Undated tasks sort as NO_DUE_TIME: never today or overdue, always upcoming.
    if (view === 'today') where.push(sql<SqlBool>`${dueOrder} >= ${day.start} AND ${dueOrder} < ${day.end}`);
    if (view === 'overdue') where.push(sql<SqlBool>`${dueOrder} < ${day.start}`);
    if (view === 'upcoming') where.push(sql<SqlBool>`${dueOrder} >= ${day.end}`);
  }
  return {
    table: 'tasks',
    entity: 'task',
    fields: TASK_FIELDS,
    defaultSort: view === 'done' ? DONE_SORT : DEFAULT_SORT,
    where,
  };
}

function asRecord(task: Task): Record<string, unknown> {
  return task as unknown as Record<string, unknown>;
}

async function liveTask(ctx: CallContext, id: string): Promise<{ row: TaskRow; current: Task }> {
  const row = await findTaskRow(ctx.db, id);
  if (!row || row.deleted_at !== null) throw itemNotFound('task');
  return { row, current: (await toTasks(ctx.db, [row]))[0]! };
}

/** Writes the new columns (version + 1), and records the change; a no-op patch writes and records nothing. */
async function saveTask(
  ctx: CallContext,
  row: TaskRow,
  current: Task,
  set: Partial<Omit<TaskRow, 'id' | 'version'>>,
  links: { personIds?: string[]; companyIds?: string[]; dealIds?: string[] },
): Promise<Task> {
  const changed = (Object.keys(set) as (keyof typeof set)[]).some((key) => set[key] !== row[key]);
  const linksChanged = (['personIds', 'companyIds', 'dealIds'] as const).some(
    (key) => !sameIds(links[key], current[key]),
  );
  if (!changed && !linksChanged) return current;
  // A new reminder time is a new reminder, even if the old one was already shown.
  const reminder = set.remind_at !== undefined && set.remind_at !== row.remind_at ? { reminded_at: null } : {};
  if (!(await updateTaskIfVersion(ctx.db, row.id, row.version, { ...set, ...reminder, updated_at: ctx.now }))) {
    throw staleItem('task', current);
  }
  await setLinks(ctx.db, 'task', row.id, links);
  const updated = (await getTask(ctx.db, row.id))!;
  auditUpdate(ctx, 'task', current, updated, asRecord);
  return updated;
}

function doneColumns(row: TaskRow, done: boolean, now: number): Pick<TaskRow, 'done' | 'completed_at'> {
  if (done) return { done: 1, completed_at: row.done === 1 ? row.completed_at : now };
  return { done: 0, completed_at: null };
}

export const tasksCreate = defineProcedure({
  name: 'tasks.create',
  summary:
    'Creates a task (assigned to the caller unless assigneeId says otherwise), linked to people, companies and deals.',
  input: createInput,
  permission: 'records.write',
  mutates: true,
  async handler(ctx, input): Promise<Task> {
    await checkAll(
      () => checkLinks(ctx.db, input, ''),
      () => checkUser(ctx.db, input.assigneeId, 'assigneeId'),
    );
    const id = uuidv7();
    await insertTask(ctx.db, {
      id,
      version: 1,
      created_at: ctx.now,
      updated_at: ctx.now,
      created_by: ctx.actor.userId,
      owner_id: ctx.actor.userId,
      title: input.title,
      body: input.body ?? '',
      due_at: input.dueAt ?? null,
      remind_at: input.remindAt ?? null,
      reminded_at: null,
      assignee_id: input.assigneeId === undefined ? ctx.actor.userId : input.assigneeId,
      done: 0,
      completed_at: null,
      deleted_at: null,
    });
    await setLinks(ctx.db, 'task', id, {
      personIds: input.personIds ?? [],
      companyIds: input.companyIds ?? [],
      dealIds: input.dealIds ?? [],
    });
    const created = (await getTask(ctx.db, id))!;
    ctx.recordChange({ entity: 'task', id, action: 'create', version: 1, after: asRecord(created) });
    return created;
  },
});

export const tasksGet = getProcedure({
  name: 'tasks.get',
  summary: 'One task by id (a trashed one comes back with deletedAt set).',
  find: async (db, id) => foundItem(await getTask(db, id), 'task'),
});

export const tasksUpdate = defineProcedure({
  name: 'tasks.update',
  summary:
    'Changes a task. A new remindAt re-arms the reminder. Names the version it read; a stale version fails with CONFLICT and the current one.',
  input: z.object({ id: recordId(), version: version(), patch: taskPatch }).strict(),
  permission: 'records.write',
  mutates: true,
  async handler(ctx, { id, version: expected, patch }): Promise<Task> {
    const { row, current } = await liveTask(ctx, id);
    if (current.version !== expected) throw staleItem('task', current);
    await checkAll(
      () => checkPatchLinks(ctx.db, patch, current),
      () => checkUser(ctx.db, patch.assigneeId, 'patch.assigneeId'),
    );
    const set: Partial<Omit<TaskRow, 'id' | 'version'>> = {
      title: patch.title ?? row.title,
      body: patch.body ?? row.body,
      due_at: patch.dueAt === undefined ? row.due_at : patch.dueAt,
      remind_at: patch.remindAt === undefined ? row.remind_at : patch.remindAt,
      assignee_id: patch.assigneeId === undefined ? row.assignee_id : patch.assigneeId,
      ...(patch.done === undefined ? {} : doneColumns(row, patch.done, ctx.now)),
    };
    return saveTask(ctx, row, current, set, patch);
  },
});

const versionedId = z.object({ id: recordId(), version: version() }).strict();

/** tasks.complete and tasks.reopen: marks the task done or open, if it is still at the version read. */
async function setDone(ctx: CallContext, id: string, expected: number, done: boolean): Promise<Task> {
  const { row, current } = await liveTask(ctx, id);
  if (current.version !== expected) throw staleItem('task', current);
  return saveTask(ctx, row, current, doneColumns(row, done, ctx.now), {});
}

export const tasksComplete = defineProcedure({
  name: 'tasks.complete',
  summary: 'Marks a task done (completedAt = now). A stale version fails with CONFLICT and the current task.',
  input: versionedId,
  permission: 'records.write',
  mutates: true,
  handler: (ctx, { id, version: expected }) => setDone(ctx, id, expected, true),
});

export const tasksReopen = defineProcedure({
  name: 'tasks.reopen',
  summary: 'Marks a done task open again. A stale version fails with CONFLICT and the current task.',
  input: versionedId,
  permission: 'records.write',
  mutates: true,
  handler: (ctx, { id, version: expected }) => setDone(ctx, id, expected, false),
});

export const tasksDelete = defineProcedure({
  name: 'tasks.delete',
  summary: 'Moves a task to the trash (trash.restore brings it back); one already there is left as it is.',
  input: z.object({ id: recordId() }).strict(),
  permission: 'records.write',
  mutates: true,
  async handler(ctx, { id }): Promise<Task> {
    return trashItem(ctx, id, {
      entity: 'task',
      get: getTask,
      updateIfVersion: updateTaskIfVersion,
      audit: asRecord,
    });
  },
});

export const tasksList = defineProcedure({
  name: 'tasks.list',
  summary:
    'Tasks with filters, sorting and keyset paging, optionally one view: today, overdue, upcoming (later or undated), open or done, with days in timeZone (IANA, default UTC). Soonest due first, undated last; done: latest completed first.',
  input: z
    .object({ ...listInputShape, view: z.enum(TASK_VIEWS).optional(), timeZone: timeZoneName().optional() })
    .strict(),
  permission: 'records.read',
  mutates: false,
  async handler(ctx, { view, timeZone, ...input }): Promise<ListPage<Task>> {
    const page = await runList<TaskRow>(ctx.db, taskListSpec(view, ctx.now, timeZone ?? 'UTC'), input, []);
    return listPage(page, (rows) => toTasks(ctx.db, rows));
  },
});

export const tasksMarkReminded = defineProcedure({
  name: 'tasks.markReminded',
  summary:
    "Used by Hearth's reminder scheduler: marks a task's due reminder as delivered so it fires once. Answers reminded: false when it was not due (done, already reminded, or later).",
  input: z.object({ id: recordId() }).strict(),
  permission: 'records.write',
  mutates: true,
  async handler(ctx, { id }): Promise<{ reminded: boolean; task: Task }> {
    const { row, current } = await liveTask(ctx, id);
    if (!reminderDue(row, ctx.now) || !(await markReminded(ctx.db, id, ctx.now))) {
      return { reminded: false, task: current };
    }
    ctx.recordChange({
      entity: 'task',
      id,
      action: 'update',
      version: row.version,
      before: { remindedAt: null },
      after: { remindedAt: ctx.now },
    });
    return { reminded: true, task: current };
  },
});

/** How far back tasks.dueReminders looks: a day covers a night with no window open, or a weekend's Monday morning. */
export const REMINDER_CATCH_UP_MS = 24 * 3_600_000;
/** At most this many reminders come back; a window would not show more notices than that anyway. */
export const REMINDER_CATCH_UP_MAX = 20;

export interface DeliveredReminder {
  task: Task;
  /** When the reminder was delivered (announced as a `reminder` event). */
  at: number;
}

export const tasksDueReminders = defineProcedure({
  name: 'tasks.dueReminders',
  summary:
    'Reminders delivered in the last 24 hours whose task is still open and not in the trash, most recently delivered first (at most 20), each as { task, at } like a reminder event: lets a window that opened or reconnected after the announcement still show them.',
  input: z.object({}).strict(),
  permission: 'records.read',
  mutates: false,
  async handler(ctx): Promise<{ items: DeliveredReminder[] }> {
    const rows = await deliveredRemindersSince(ctx.db, ctx.now - REMINDER_CATCH_UP_MS, ctx.now, REMINDER_CATCH_UP_MAX);
    const tasks = await toTasks(ctx.db, rows);
    return { items: rows.map((row, i) => ({ task: tasks[i]!, at: row.reminded_at! })) };
  },
});
