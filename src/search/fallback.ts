// The simple SQL search that answers while the index is being built (a first start, or a snapshot that could not be
// read): names and titles containing every word, newest first. No typo tolerance and no ranking beyond that; the
// index takes over as soon as it is ready.
import type { SqliteDatabase } from '../db/connection.js';
import type { IndexedType } from './documents.js';

function like(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const SOURCES: Record<IndexedType, { table: string; text: string }> = {
  person: { table: 'people', text: "first_name || ' ' || last_name || ' ' || emails" },
  company: { table: 'companies', text: "name || ' ' || domains" },
  deal: { table: 'deals', text: 'title' },
  task: { table: 'tasks', text: 'title' },
};

/** Live records of `types` whose name or title contains every one of `terms` (folded words), newest first. */
export function fallbackSearch(
  sqlite: SqliteDatabase,
  terms: readonly string[],
  types: readonly IndexedType[],
  limit: number,
): { type: IndexedType; id: string }[] {
  if (terms.length === 0) return [];
  const found: { type: IndexedType; id: string }[] = [];
  for (const type of types) {
    const { table, text } = SOURCES[type];
    // LIKE ignores case for ASCII letters; the words are folded, so accented names need the index (or the
    // people list's trigram search) to be found by their plain spelling.
    const where = terms.map(() => `(${text}) LIKE ? ESCAPE '\\'`).join(' AND ');
    const rows = sqlite
      .prepare(`SELECT id FROM ${table} WHERE deleted_at IS NULL AND ${where} ORDER BY updated_at DESC LIMIT ?`)
      .all(...terms.map(like), limit) as { id: string }[];
    for (const row of rows) found.push({ type, id: row.id });
  }
  return found;
}
