// users.list: the people who can own records and be assigned tasks.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { defineProcedure } from '../api/procedure.js';
import type { DB } from '../db/schema.js';
import { invalid } from '../records/values.js';

export interface UserSummary {
  id: string;
  name: string;
  email: string | null;
  role: string;
}

export const usersList = defineProcedure({
  name: 'users.list',
  summary: 'The workspace users (id, name, email, role), for owner and assignee pickers.',
  input: z.object({}).strict(),
  permission: 'records.read',
  mutates: false,
  async handler(ctx): Promise<{ items: UserSummary[] }> {
    const rows = await ctx.db
      .selectFrom('users')
      .select(['id', 'name', 'email', 'role'])
      .where('deleted_at', 'is', null)
      .orderBy('name')
      .execute();
    return { items: rows };
  },
});

/** Refuses an owner or assignee that is not a current user. */
export async function checkUser(db: Kysely<DB>, id: string | null | undefined, path: string): Promise<void> {
  if (id === null || id === undefined) return;
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw invalid(path, 'there is no user with this id');
}
