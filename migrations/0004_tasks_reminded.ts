// tasks.dueReminders (a window catching up on reminders announced while it was closed) reads the open tasks whose
// reminder was delivered lately, newest first: a small partial index instead of a scan of every task.
import { sql, type Kysely } from 'kysely';

type AnyDb = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export async function up(db: AnyDb): Promise<void> {
  await sql`CREATE INDEX tasks_reminded ON tasks (reminded_at, id)
    WHERE reminded_at IS NOT NULL AND done = 0 AND deleted_at IS NULL`.execute(db);
}
