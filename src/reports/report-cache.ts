// Reports' answers kept between calls under the database's reports stamp (migrations/0007_deals.ts), which every
// write to a table a report reads changes, in this process or another (the CLI beside `hearth serve`). An answer
// is only ever given again under the stamp it was computed under, so it is exactly what the report would compute.
// Inside a transaction that wrote, the stamp has changed too; if that transaction rolls back, its random stamp
// never comes back, so what was kept under it is never read.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

/** Stamps kept, newest last: one database's current stamp and a few earlier ones (or other databases'). */
const MAX_STAMPS = 4;
/** Answers kept per stamp (procedure, filters and day). */
const MAX_ENTRIES = 256;
const byStamp = new Map<string, Map<string, unknown>>();

/**
 * `load()`'s value under the current reports stamp, computed once per stamp and key. The value is shared between
 * calls, so it is frozen; `key` must name everything besides the stored data that the value depends on.
 */
export async function cachedReport<T>(db: Kysely<DB>, key: string, load: () => Promise<T>): Promise<T> {
  const stamp = await reportsStamp(db);
  if (stamp === null) return load();
  const kept = byStamp.get(stamp);
  if (kept?.has(key)) return kept.get(key) as T;
  const value = deepFreeze(await load());
  // The report's queries are separate reads: another process may have committed between them. Such an answer is
  // given now but not kept (the stamp it would be kept under is no longer current).
  if ((await reportsStamp(db)) !== stamp) return value;
  let entries = byStamp.get(stamp);
  if (!entries) {
    entries = new Map();
    byStamp.set(stamp, entries);
    if (byStamp.size > MAX_STAMPS) byStamp.delete(byStamp.keys().next().value!);
  }
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(key, value);
  return value;
}

async function reportsStamp(db: Kysely<DB>): Promise<string | null> {
  const found = await sql<{ value: string }>`SELECT value FROM meta WHERE key = 'reports.stamp'`.execute(db);
  return found.rows[0]?.value ?? null;
}

function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  for (const inner of Object.values(value)) deepFreeze(inner);
  return Object.freeze(value);
}
