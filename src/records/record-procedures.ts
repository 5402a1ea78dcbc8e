// What the records procedures share: finding a record or failing with NOT_FOUND, the trash and version checks of
// an update, its audit entry, the list answer, and the get (all records) and delete/restore (people, companies)
// procedures.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { HearthError } from '../api/errors.js';
import { defineProcedure, type CallContext } from '../api/procedure.js';
import type { DB } from '../db/schema.js';
import { deleteRecord, restoreRecord, type TrashTable } from './lifecycle.js';
import { recordId } from './schemas.js';
import type { ListPage } from './list-query.js';

/** A finder that fails with NOT_FOUND (`message`, details `{ id }`) when there is no record with the id. */
export function mustFindBy<T>(
  find: (db: Kysely<DB>, id: string) => Promise<T | undefined | null>,
  message: string,
): (db: Kysely<DB>, id: string) => Promise<T> {
  return async (db, id) => {
    const found = await find(db, id);
    if (!found) throw new HearthError('NOT_FOUND', message, { id });
    return found;
  };
}

/**
 * Before an update: a record in the trash fails with NOT_FOUND (`trashed`, details `{ id }`), one changed since
 * `expected` with CONFLICT (`stale`, details `{ current }`).
 */
export function checkEditable(
  current: { id: string; version: number; deletedAt: number | null },
  expected: number,
  messages: { trashed: string; stale: string },
): void {
  if (current.deletedAt !== null) throw new HearthError('NOT_FOUND', messages.trashed, { id: current.id });
  if (current.version !== expected) throw new HearthError('CONFLICT', messages.stale, { current });
}

/** A list handler's answer: the page's rows as API records, with `total` only when it was counted. */
export async function listPage<Row, T>(
  page: { rows: Row[]; nextCursor: string | null; total?: number },
  toApi: (rows: Row[]) => Promise<T[]>,
): Promise<ListPage<T>> {
  const items = await toApi(page.rows);
  return page.total === undefined
    ? { items, nextCursor: page.nextCursor }
    : { items, nextCursor: page.nextCursor, total: page.total };
}

const byId = z.object({ id: recordId() }).strict();

/** A `<kind>.get` procedure: one record by id, from `find` (which fails with NOT_FOUND when there is none). */
export function getProcedure<Name extends string, T>(spec: {
  name: Name;
  summary: string;
  find: (db: Kysely<DB>, id: string) => Promise<T>;
}) {
  return defineProcedure({
    name: spec.name,
    summary: spec.summary,
    input: byId,
    permission: 'records.read',
    mutates: false,
    async handler(ctx, { id }): Promise<T> {
      return spec.find(ctx.db, id);
    },
  });
}

/** `<prefix>.get`, `<prefix>.delete` and `<prefix>.restore` of a record kept in the trash when deleted. */
export function trashableProcedures<Prefix extends string, T>(spec: {
  prefix: Prefix;
  table: TrashTable;
  entity: string;
  find: (db: Kysely<DB>, id: string) => Promise<T>;
  summaries: { get: string; delete: string; restore: string };
}) {
  const { prefix, table, entity, find, summaries } = spec;
  return {
    get: getProcedure({ name: `${prefix}.get` as `${Prefix}.get`, summary: summaries.get, find }),
    delete: defineProcedure({
      name: `${prefix}.delete` as `${Prefix}.delete`,
      summary: summaries.delete,
      input: byId,
      permission: 'records.write',
      mutates: true,
      async handler(ctx, { id }): Promise<T> {
        await deleteRecord(ctx, table, entity, id);
        return find(ctx.db, id);
      },
    }),
    restore: defineProcedure({
      name: `${prefix}.restore` as `${Prefix}.restore`,
      summary: summaries.restore,
      input: byId,
      permission: 'records.write',
      mutates: true,
      async handler(ctx, { id }): Promise<T> {
        await restoreRecord(ctx, table, entity, id);
        return find(ctx.db, id);
      },
    }),
  };
}

/** Records an update for the audit log and the change feed, with both versions in their audit shape. */
export function auditUpdate<T extends { id: string; version: number }>(
  ctx: CallContext,
  entity: string,
  before: T,
  after: T,
  audit: (record: T) => Record<string, unknown>,
): void {
  ctx.recordChange({
    entity,
    id: after.id,
    action: 'update',
    version: after.version,
    before: audit(before),
    after: audit(after),
  });
}
