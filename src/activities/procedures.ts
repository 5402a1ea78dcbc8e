// activities.*: logging calls, meetings, emails and other touch points against people, companies and deals.
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
  sameIds,
  staleItem,
  trashItem,
} from '../records/linked-items.js';
import { auditUpdate, getProcedure, listPage } from '../records/record-procedures.js';
import { checkLinks, linkIds, recordId, setLinks, type LinkSet } from '../records/links.js';
import { col, listInputShape, runList, type ListPage, type ListSpec } from '../records/list-query.js';
import { version } from '../records/schemas.js';
import { cleanText } from '../records/values.js';
import { checkUser } from '../users/procedures.js';
import {
  ACTIVITY_KINDS,
  findActivityRow,
  getActivity,
  insertActivity,
  refreshLastActivity,
  toActivities,
  updateActivityIfVersion,
  type Activity,
  type ActivityRow,
} from './repository.js';

/** A week: longer is a typing mistake. */
export const MAX_DURATION_MINUTES = 10_080;

const activityFields = {
  kind: z.enum(ACTIVITY_KINDS),
  subject: shortText(),
  body: longText(),
  occurredAt: epochMs(),
  durationMinutes: z.number().int().min(0).max(MAX_DURATION_MINUTES).nullable(),
  outcome: shortText().nullable(),
  personIds: linkIds(),
  companyIds: linkIds(),
  dealIds: linkIds(),
  ownerId: recordId().nullable(),
};

const createInput = z
  .object({
    ...activityFields,
    subject: activityFields.subject.optional(),
    body: activityFields.body.optional(),
    occurredAt: activityFields.occurredAt.optional(),
    durationMinutes: activityFields.durationMinutes.optional(),
    outcome: activityFields.outcome.optional(),
    personIds: activityFields.personIds.optional(),
    companyIds: activityFields.companyIds.optional(),
    dealIds: activityFields.dealIds.optional(),
    ownerId: activityFields.ownerId.optional(),
  })
  .strict();

const activityPatch = z.object(activityFields).partial().strict();

const ACTIVITIES = 'activities';
export const ACTIVITY_LIST: ListSpec = {
  table: 'activities',
  entity: 'activity',
  fields: {
    kind: { kind: 'enum', expr: col(ACTIVITIES, 'kind'), values: ACTIVITY_KINDS, nullable: false },
    occurredAt: { kind: 'number', expr: col(ACTIVITIES, 'occurred_at'), nullable: false },
    ownerId: { kind: 'id', expr: col(ACTIVITIES, 'owner_id') },
    subject: { kind: 'text', expr: col(ACTIVITIES, 'subject'), nullable: false },
    outcome: { kind: 'text', expr: col(ACTIVITIES, 'outcome') },
    durationMinutes: { kind: 'number', expr: col(ACTIVITIES, 'duration_minutes') },
    createdAt: { kind: 'number', expr: col(ACTIVITIES, 'created_at'), nullable: false },
    updatedAt: { kind: 'number', expr: col(ACTIVITIES, 'updated_at'), nullable: false },
    ...linkListFields('activity', ACTIVITIES),
  },
  defaultSort: [{ field: 'occurredAt', dir: 'desc' }],
};

function asRecord(activity: Activity): Record<string, unknown> {
  return activity as unknown as Record<string, unknown>;
}

/** The trimmed subject (never null: an activity without one shows its kind). */
function subjectOf(value: string | undefined): string {
  return value?.trim() ?? '';
}

async function liveActivity(ctx: CallContext, id: string): Promise<{ row: ActivityRow; current: Activity }> {
  const row = await findActivityRow(ctx.db, id);
  if (!row || row.deleted_at !== null) throw itemNotFound('activity');
  const [current] = await toActivities(ctx.db, [row]);
  return { row, current: current! };
}

function linkedRecords(...sets: LinkSet[]) {
  return {
    personIds: sets.flatMap((s) => s.personIds),
    companyIds: sets.flatMap((s) => s.companyIds),
    dealIds: sets.flatMap((s) => s.dealIds),
  };
}

export const activitiesCreate = defineProcedure({
  name: 'activities.create',
  summary: 'Logs a call, meeting, email or other activity, linked to people, companies and deals.',
  input: createInput,
  permission: 'records.write',
  mutates: true,
  async handler(ctx, input): Promise<Activity> {
    await checkAll(
      () => checkLinks(ctx.db, input, ''),
      () => checkUser(ctx.db, input.ownerId, 'ownerId'),
    );
    const id = uuidv7();
    await insertActivity(ctx.db, {
      id,
      version: 1,
      created_at: ctx.now,
      updated_at: ctx.now,
      created_by: ctx.actor.userId,
      owner_id: input.ownerId === undefined ? ctx.actor.userId : input.ownerId,
      kind: input.kind,
      subject: subjectOf(input.subject),
      body: input.body ?? '',
      occurred_at: input.occurredAt ?? ctx.now,
      duration_minutes: input.durationMinutes ?? null,
      outcome: cleanText(input.outcome),
      deleted_at: null,
    });
    await setLinks(ctx.db, 'activity', id, {
      personIds: input.personIds ?? [],
      companyIds: input.companyIds ?? [],
      dealIds: input.dealIds ?? [],
    });
    const created = (await getActivity(ctx.db, id))!;
    await refreshLastActivity(ctx.db, linkedRecords(created));
    ctx.recordChange({ entity: 'activity', id, action: 'create', version: 1, after: asRecord(created) });
    return created;
  },
});

export const activitiesGet = getProcedure({
  name: 'activities.get',
  summary: 'One activity by id (a trashed one comes back with deletedAt set).',
  find: async (db, id) => foundItem(await getActivity(db, id), 'activity'),
});

export const activitiesUpdate = defineProcedure({
  name: 'activities.update',
  summary: 'Changes an activity. Names the version it read; a stale version fails with CONFLICT and the current one.',
  input: z.object({ id: recordId(), version: version(), patch: activityPatch }).strict(),
  permission: 'records.write',
  mutates: true,
  async handler(ctx, { id, version: expected, patch }): Promise<Activity> {
    const { row, current } = await liveActivity(ctx, id);
    if (current.version !== expected) throw staleItem('activity', current);
    await checkAll(
      () => checkPatchLinks(ctx.db, patch, current),
      () => checkUser(ctx.db, patch.ownerId, 'patch.ownerId'),
    );
    const set = {
      kind: patch.kind ?? row.kind,
      subject: patch.subject === undefined ? row.subject : subjectOf(patch.subject),
      body: patch.body ?? row.body,
      occurred_at: patch.occurredAt ?? row.occurred_at,
      duration_minutes: patch.durationMinutes === undefined ? row.duration_minutes : patch.durationMinutes,
      outcome: patch.outcome === undefined ? row.outcome : cleanText(patch.outcome),
      owner_id: patch.ownerId === undefined ? row.owner_id : patch.ownerId,
    };
    const linksChanged = (['personIds', 'companyIds', 'dealIds'] as const).some(
      (key) => patch[key] !== undefined && !sameIds(patch[key], current[key]),
    );
    const columnsChanged = (Object.keys(set) as (keyof typeof set)[]).some((key) => set[key] !== row[key]);
    if (!linksChanged && !columnsChanged) return current;

    if (!(await updateActivityIfVersion(ctx.db, id, expected, { ...set, updated_at: ctx.now }))) {
      throw staleItem('activity', current);
    }
    await setLinks(ctx.db, 'activity', id, patch);
    const updated = (await getActivity(ctx.db, id))!;
    await refreshLastActivity(ctx.db, linkedRecords(current, updated));
    auditUpdate(ctx, 'activity', current, updated, asRecord);
    return updated;
  },
});

export const activitiesDelete = defineProcedure({
  name: 'activities.delete',
  summary: 'Moves an activity to the trash (trash.restore brings it back); one already there is left as it is.',
  input: z.object({ id: recordId() }).strict(),
  permission: 'records.write',
  mutates: true,
  async handler(ctx, { id }): Promise<Activity> {
    return trashItem(ctx, id, {
      entity: 'activity',
      get: getActivity,
      updateIfVersion: updateActivityIfVersion,
      audit: asRecord,
      afterTrash: (current) => refreshLastActivity(ctx.db, linkedRecords(current)),
    });
  },
});

export const activitiesList = defineProcedure({
  name: 'activities.list',
  summary:
    'Activities with filters, sorting and keyset paging (fields kind, occurredAt, ownerId, subject, outcome, durationMinutes, createdAt, updatedAt, personId, companyId, dealId); newest first by default.',
  input: z.object(listInputShape).strict(),
  permission: 'records.read',
  mutates: false,
  async handler(ctx, input): Promise<ListPage<Activity>> {
    const page = await runList<ActivityRow>(ctx.db, ACTIVITY_LIST, input, []);
    return listPage(page, (rows) => toActivities(ctx.db, rows));
  },
});
