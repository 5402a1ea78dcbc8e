// What a call reads of the workspace's configuration (settings, custom field definitions), kept between calls
// under the database's config stamp (migrations/0006_config_stamp.ts): one small read tells whether it still
// holds, in this process or after a change made by another (the CLI beside `hearth serve`). Inside a
// transaction that changed them, the stamp has changed too, so that transaction reads them afresh.
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.js';

/** Stamps kept, newest last; a stamp is random, so two databases never share one by chance. */
const MAX_STAMPS = 16;
const byStamp = new Map<string, Map<string, unknown>>();

/**
 * `load()`'s value under the current stamp, loaded once per stamp and key. The value is shared between calls:
 * callers must treat it as read-only (it is frozen, one level deep for arrays and objects inside them).
 */
export async function cachedConfig<T>(db: Kysely<DB>, key: string, load: () => Promise<T>): Promise<T> {
  const found = await sql<{ value: string }>`SELECT value FROM meta WHERE key = 'config.stamp'`.execute(db);
  const stamp = found.rows[0]?.value;
  if (!stamp) return load();
  let entries = byStamp.get(stamp);
  if (!entries) {
    entries = new Map();
    byStamp.set(stamp, entries);
    if (byStamp.size > MAX_STAMPS) byStamp.delete(byStamp.keys().next().value!);
  }
  if (entries.has(key)) return entries.get(key) as T;
  const value = freeze(await load());
  entries.set(key, value);
  return value;
}

function freeze<T>(value: T): T {
  if (Array.isArray(value)) for (const item of value) freeze(item);
  else if (value !== null && typeof value === 'object') for (const inner of Object.values(value)) freeze(inner);
  return typeof value === 'object' && value !== null ? Object.freeze(value) : value;
}
