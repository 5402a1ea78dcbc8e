// timeline.get: everything that happened around a person, company or deal, newest first — activities, notes, tasks,
// deals (on a person's or company's timeline) and the changes made to the record itself.
import { z } from 'zod';
import { toActivities, type Activity, type ActivityRow } from '../activities/repository.js';
import { HearthError } from '../api/errors.js';
import { toDeals, type DealRow } from '../deals/repository.js';
import type { Deal } from '../deals/types.js';
import { defineProcedure } from '../api/procedure.js';
import { toNotes, type Note, type NoteRow } from '../notes/repository.js';
import { recordId } from '../records/links.js';
import { toTasks, type Task, type TaskRow } from '../tasks/repository.js';
import { invalid } from '../records/values.js';
import {
  auditEntriesFor,
  dealRowsFor,
  linkedItemRows,
  recordExists,
  type AuditEntryRow,
  type TimelineCursor,
  type TimelineType,
} from './repository.js';

export interface TimelineFieldChange {
  field: string;
  from?: unknown;
  to?: unknown;
}

export interface TimelineChange {
  /** The audit entry's id. */
  id: string;
  actorId: string | null;
  actorName: string | null;
  procedure: string;
  action: string;
  fields: TimelineFieldChange[];
}

/**
 * One thing on a timeline. `at` orders it: an activity's occurredAt, a note's createdAt, a task's createdAt (when it
 * was set, not when it is due: a timeline is history, and a due time can lie in the future), a change's audit time.
 */
export type TimelineItem =
  | { type: 'activity'; at: number; activity: Activity }
  | { type: 'note'; at: number; note: Note }
  | { type: 'task'; at: number; task: Task }
  | { type: 'deal'; at: number; deal: Deal }
  | { type: 'change'; at: number; change: TimelineChange };

export const TIMELINE_MAX = 200;

const TYPES: readonly TimelineType[] = ['activity', 'change', 'deal', 'note', 'task'];

function encodeCursor(cursor: TimelineCursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.type, cursor.id])).toString('base64url');
}

function decodeCursor(raw: string): TimelineCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 3) {
      const [at, type, id] = value as unknown[];
      if (
        typeof at === 'number' &&
        Number.isSafeInteger(at) &&
        TYPES.includes(type as TimelineType) &&
        typeof id === 'string' &&
        id.length <= 100
      ) {
        return { at, type: type as TimelineType, id };
      }
    }
  } catch {
    // falls through to the error below
  }
  throw invalid('cursor', 'is not a cursor from this timeline; start again without one');
}

interface DiffEntry {
  entity?: unknown;
  id?: unknown;
  action?: unknown;
  fields?: unknown;
}

/** The change an audit entry made to one record, or null when there is nothing to show (an empty update, a redacted entry). */
export function changeFor(entry: AuditEntryRow, recordId: string): TimelineChange | null {
  if (entry.diff === null) return null;
  let diffs: unknown;
  try {
    diffs = JSON.parse(entry.diff);
  } catch {
    return null;
  }
  if (!Array.isArray(diffs)) return null;
  const mine = (diffs as DiffEntry[]).filter((d) => d && typeof d === 'object' && d.id === recordId);
  if (mine.length === 0) return null;
  const fields: TimelineFieldChange[] = [];
  for (const diff of mine) {
    if (!diff.fields || typeof diff.fields !== 'object') continue;
    for (const [field, value] of Object.entries(diff.fields as Record<string, { from?: unknown; to?: unknown }>)) {
      const change: TimelineFieldChange = { field };
      if (value && 'from' in value) change.from = value.from;
      if (value && 'to' in value) change.to = value.to;
      fields.push(change);
    }
  }
  const action = typeof mine[0]!.action === 'string' ? mine[0]!.action : 'update';
  if (action === 'update' && fields.length === 0) return null;
  return {
    id: entry.id,
    actorId: entry.actor_id,
    actorName: entry.actor_name,
    procedure: entry.procedure,
    action,
    fields,
  };
}

function itemId(item: TimelineItem): string {
  switch (item.type) {
    case 'activity':
      return item.activity.id;
    case 'note':
      return item.note.id;
    case 'task':
      return item.task.id;
    case 'deal':
      return item.deal.id;
    case 'change':
      return item.change.id;
  }
}

/** Newest first: by time, then type, then id, all descending (the order every source query uses). */
function newestFirst(a: TimelineItem, b: TimelineItem): number {
  if (a.at !== b.at) return b.at - a.at;
  if (a.type !== b.type) return a.type < b.type ? 1 : -1;
  const ia = itemId(a);
  const ib = itemId(b);
  return ia === ib ? 0 : ia < ib ? 1 : -1;
}

export const timelineGet = defineProcedure({
  name: 'timeline.get',
  summary:
    "A person's, company's or deal's history, newest first: activities (at occurredAt), notes and tasks (at createdAt), the deals of a person or company (at createdAt) and changes to the record; a company's includes what is linked to its people.",
  input: z
    .object({
      entity: z.enum(['person', 'company', 'deal']),
      id: recordId(),
      limit: z.number().int().min(1).max(TIMELINE_MAX).optional(),
      cursor: z.string().max(400).nullable().optional(),
    })
    .strict(),
  permission: 'records.read',
  mutates: false,
  async handler(ctx, input): Promise<{ items: TimelineItem[]; nextCursor: string | null }> {
    const cursor = input.cursor ? decodeCursor(input.cursor) : null;
    if (!(await recordExists(ctx.db, input.entity, input.id))) {
      throw new HearthError('NOT_FOUND', `There is no ${input.entity} with this id.`);
    }
    const entity = input.entity;
    const limit = input.limit ?? 50;
    const fetch = limit + 1;

    const [activityRows, noteRows, taskRows, dealRows, changes] = await Promise.all([
      linkedItemRows<ActivityRow>(ctx.db, 'activity', entity, input.id, cursor, fetch),
      linkedItemRows<NoteRow>(ctx.db, 'note', entity, input.id, cursor, fetch),
      linkedItemRows<TaskRow>(ctx.db, 'task', entity, input.id, cursor, fetch),
      dealRowsFor<DealRow>(ctx.db, entity, input.id, cursor, fetch),
      changesFor(ctx.db, input.id, cursor, fetch),
    ]);
    const [activities, notes, tasks, deals] = await Promise.all([
      toActivities(ctx.db, activityRows),
      toNotes(ctx.db, noteRows),
      toTasks(ctx.db, taskRows),
      toDeals(ctx.db, dealRows, ctx.now),
    ]);
    const merged: TimelineItem[] = [
      ...activities.map((activity): TimelineItem => ({ type: 'activity', at: activity.occurredAt, activity })),
      ...notes.map((note): TimelineItem => ({ type: 'note', at: note.createdAt, note })),
      ...tasks.map((task): TimelineItem => ({ type: 'task', at: task.createdAt, task })),
      ...deals.map((deal): TimelineItem => ({ type: 'deal', at: deal.createdAt, deal })),
      ...changes,
    ].sort(newestFirst);
    const items = merged.slice(0, limit);
    const last = items.at(-1);
    const nextCursor =
      merged.length > limit && last ? encodeCursor({ at: last.at, type: last.type, id: itemId(last) }) : null;
    return { items, nextCursor };
  },
});

/** Up to `want` change items, reading past audit entries that show nothing for this record. */
async function changesFor(
  db: Parameters<typeof auditEntriesFor>[0],
  recordId: string,
  cursor: TimelineCursor | null,
  want: number,
): Promise<TimelineItem[]> {
  const out: TimelineItem[] = [];
  let after = cursor;
  for (;;) {
    const rows = await auditEntriesFor(db, recordId, after, want);
    for (const row of rows) {
      const change = changeFor(row, recordId);
      if (change) out.push({ type: 'change', at: row.at, change });
      if (out.length === want) return out;
    }
    const last = rows.at(-1);
    if (rows.length < want || !last) return out;
    after = { at: last.at, type: 'change', id: last.id };
  }
}
