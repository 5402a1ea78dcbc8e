// views.*: saved list views (filter, sort, columns) for people and companies; private or shared.
import { DEALS_LIST } from '../deals/procedures.js';
import type { Kysely, Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { HearthError } from '../api/errors.js';
import { defineProcedure } from '../api/procedure.js';
import { COMPANIES_LIST } from '../companies/procedures.js';
import type { DB, ViewsTable } from '../db/schema.js';
import { loadDefinitions } from '../fields/definitions.js';
import { PEOPLE_LIST } from '../people/procedures.js';
import { filterCondition, runList, sortKey, type FilterCondition, type SortKey } from '../records/list-query.js';
import { recordId, version } from '../records/schemas.js';

const ENTITIES = ['person', 'company', 'deal'] as const;
type Entity = (typeof ENTITIES)[number];
const SPECS = { person: PEOPLE_LIST, company: COMPANIES_LIST, deal: DEALS_LIST } as const;

export interface View {
  id: string;
  version: number;
  entity: Entity;
  name: string;
  filter: FilterCondition[];
  sort: SortKey[];
  columns: string[];
  shared: boolean;
  ownerId: string | null;
  createdAt: number;
  updatedAt: number;
}

function toView(row: Selectable<ViewsTable>): View {
  return {
    id: row.id,
    version: row.version,
    entity: row.entity as Entity,
    name: row.name,
    filter: JSON.parse(row.filter) as FilterCondition[],
    sort: JSON.parse(row.sort) as SortKey[],
    columns: JSON.parse(row.columns) as string[],
    shared: row.shared === 1,
    ownerId: row.owner_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

async function findView(db: Kysely<DB>, id: string): Promise<View | undefined> {
  const row = await db.selectFrom('views').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toView(row) : undefined;
}

function audit(view: View): Record<string, unknown> {
  const { version: _v, updatedAt: _u, createdAt: _c, ...rest } = view;
  return rest;
}

export const viewsSave = defineProcedure({
  name: 'views.save',
  summary:
    'Saves a list view (filter, sort, columns). Without an id it creates one; with an id it updates it and needs the version it read.',
  input: z
    .object({
      id: recordId().optional(),
      version: version().optional(),
      entity: z.enum(ENTITIES),
      name: z.string().trim().min(1, 'must not be empty').max(80),
      filter: z.array(filterCondition).max(50),
      sort: z.array(sortKey).max(3),
      columns: z.array(z.string().min(1).max(100)).max(60),
      shared: z.boolean().optional(),
    })
    .strict(),
  permission: 'records.write',
  mutates: true,
  async handler(ctx, input): Promise<View> {
    // The view must be one the list accepts: run it once (one row) so a bad field or operator fails here.
    await runList(
      ctx.db,
      SPECS[input.entity],
      { filter: input.filter, sort: input.sort, limit: 1 },
      await loadDefinitions(ctx.db, input.entity),
    );
    const values = {
      entity: input.entity,
      name: input.name,
      filter: JSON.stringify(input.filter),
      sort: JSON.stringify(input.sort),
      columns: JSON.stringify(input.columns),
      updated_at: ctx.now,
    };
    if (!input.id) {
      const id = uuidv7();
      await ctx.db
        .insertInto('views')
        .values({
          ...values,
          id,
          shared: input.shared ? 1 : 0,
          version: 1,
          created_at: ctx.now,
          created_by: ctx.actor.userId,
          owner_id: ctx.actor.userId,
        })
        .execute();
      const view = (await findView(ctx.db, id))!;
      ctx.recordChange({ entity: 'view', id, action: 'create', version: 1, after: audit(view) });
      return view;
    }
    const current = await findView(ctx.db, input.id);
    if (!current || (!current.shared && current.ownerId !== ctx.actor.userId)) {
      throw new HearthError('NOT_FOUND', 'There is no saved view with this id.', { id: input.id });
    }
    if (input.version === undefined) {
      throw new HearthError('VALIDATION', 'Invalid input. version: needed to update a saved view', {
        issues: [{ path: 'version', message: 'needed to update a saved view' }],
      });
    }
    if (current.version !== input.version) {
      throw new HearthError('CONFLICT', 'Someone else changed this view since you read it.', { current });
    }
    await ctx.db
      .updateTable('views')
      .set({
        ...values,
        shared: input.shared === undefined ? (current.shared ? 1 : 0) : input.shared ? 1 : 0,
        version: current.version + 1,
      })
      .where('id', '=', current.id)
      .execute();
    const view = (await findView(ctx.db, current.id))!;
    ctx.recordChange({
      entity: 'view',
      id: view.id,
      action: 'update',
      version: view.version,
      before: audit(current),
      after: audit(view),
    });
    return view;
  },
});

export const viewsList = defineProcedure({
  name: 'views.list',
  summary: 'Your saved views for an entity, and the ones others shared, by name.',
  input: z.object({ entity: z.enum(ENTITIES) }).strict(),
  permission: 'records.read',
  mutates: false,
  async handler(ctx, { entity }): Promise<{ items: View[] }> {
    const rows = await ctx.db
      .selectFrom('views')
      .selectAll()
      .where('entity', '=', entity)
      .where((eb) => eb.or([eb('owner_id', '=', ctx.actor.userId), eb('shared', '=', 1)]))
      .orderBy('name')
      .execute();
    return { items: rows.map(toView) };
  },
});

export const viewsDelete = defineProcedure({
  name: 'views.delete',
  summary: 'Deletes a saved view (your own; an admin may delete a shared one).',
  input: z.object({ id: recordId() }).strict(),
  permission: 'records.write',
  mutates: true,
  async handler(ctx, { id }): Promise<{ id: string; deleted: true }> {
    const view = await findView(ctx.db, id);
    const mayDelete = view && (view.ownerId === ctx.actor.userId || (view.shared && ctx.actor.role === 'admin'));
    if (!view || (!view.shared && view.ownerId !== ctx.actor.userId)) {
      throw new HearthError('NOT_FOUND', 'There is no saved view with this id.', { id });
    }
    if (!mayDelete)
      throw new HearthError('FORBIDDEN', 'Only the person who saved this view (or an admin) may delete it.');
    await ctx.db.deleteFrom('views').where('id', '=', id).execute();
    ctx.recordChange({ entity: 'view', id, action: 'delete', before: audit(view), after: null });
    return { id, deleted: true };
  },
});
