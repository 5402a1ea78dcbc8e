// A stamp that changes with every change to the workspace settings or the custom field definitions, so a
// process can keep what it read of them between calls and know, from one small read, whether it still holds
// (src/db/config-cache.ts). The stamp is random, not a counter: a rolled-back change leaves no stamp that a
// later, different change could repeat.
import { sql, type Kysely } from 'kysely';

type AnyDb = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export async function up(db: AnyDb): Promise<void> {
  await sql`INSERT INTO meta (key, value) VALUES ('config.stamp', lower(hex(randomblob(8))))
    ON CONFLICT (key) DO UPDATE SET value = excluded.value`.execute(db);
  for (const table of ['settings', 'field_definitions']) {
    for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
      await sql
        .raw(
          `CREATE TRIGGER ${table}_stamp_${event.toLowerCase()} AFTER ${event} ON ${table} BEGIN
            UPDATE meta SET value = lower(hex(randomblob(8))) WHERE key = 'config.stamp'; END`,
        )
        .execute(db);
    }
  }
}
