// What the in-memory index holds of each record: the words of its name (or title), of its email addresses and
// web domains, and of its other short text (job title, city, industry, custom text fields), plus the time it was
// last touched (for the recency boost). People, companies, deals and tasks are indexed this way; the longer text
// of notes, activities and task bodies, and phone digits, are answered by the trigram tables kept by triggers
// (text-tables.ts), which cost no memory and no load time.
import { preparedOnce, type SqliteDatabase } from '../db/connection.js';

export const INDEXED_TYPES = ['person', 'company', 'deal', 'task'] as const;
export type IndexedType = (typeof INDEXED_TYPES)[number];

/** One document of the index. `id` is the key: a type letter, ':', the record's id. */
export interface IndexDoc {
  id: string;
  name: string;
  email: string;
  other: string;
  /** Last touched, epoch ms. */
  t: number;
}

const LETTER: Record<IndexedType, string> = { person: 'p', company: 'c', deal: 'd', task: 't' };
const TYPE_OF_LETTER: Record<string, IndexedType> = { p: 'person', c: 'company', d: 'deal', t: 'task' };

export function docKey(type: IndexedType, id: string): string {
  return `${LETTER[type]}:${id}`;
}

export function parseDocKey(key: string): { type: IndexedType; id: string } {
  return { type: TYPE_OF_LETTER[key[0]!]!, id: key.slice(2) };
}

type Row = Record<string, unknown>;

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function jsonArray(value: unknown): unknown[] {
  if (typeof value !== 'string' || value === '') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

/** Phone numbers as custom values are found through the phone tables, not as one long word each. */
const PHONE_LIKE = /^\+?[\d\s().-]+$/;

/** The text of a record's custom values: every string (and string in a list) that is not a number or a phone. */
export function customText(value: unknown): string {
  if (typeof value !== 'string' || value === '{}' || value === '') return '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return '';
  }
  if (!parsed || typeof parsed !== 'object') return '';
  const parts: string[] = [];
  for (const item of Object.values(parsed as Record<string, unknown>)) {
    for (const one of Array.isArray(item) ? item : [item]) {
      if (typeof one === 'string' && one !== '' && !PHONE_LIKE.test(one)) parts.push(one);
    }
  }
  return parts.join(' ');
}

function join(...parts: unknown[]): string {
  return parts
    .map(text)
    .filter((part) => part !== '')
    .join(' ');
}

interface TypeSource {
  /** Selects the live rows; `{where}` is replaced by an id filter or nothing. */
  sql: string;
  doc: (row: Row) => Omit<IndexDoc, 'id' | 't'>;
}

const SOURCES: Record<IndexedType, TypeSource> = {
  person: {
    sql: `SELECT id, updated_at, first_name, last_name, emails, title, address_city, custom FROM people
      WHERE deleted_at IS NULL {where}`,
    doc: (r) => ({
      name: join(r.first_name, r.last_name),
      email: jsonArray(r.emails)
        .map((e) => text((e as { address?: unknown } | null)?.address))
        .join(' '),
      other: join(r.title, r.address_city, customText(r.custom)),
    }),
  },
  company: {
    sql: `SELECT id, updated_at, name, domains, industry, address_city, custom FROM companies
      WHERE deleted_at IS NULL {where}`,
    doc: (r) => ({
      name: text(r.name),
      email: jsonArray(r.domains).map(text).join(' '),
      other: join(r.industry, r.address_city, customText(r.custom)),
    }),
  },
  deal: {
    sql: `SELECT id, updated_at, title, source, custom FROM deals WHERE deleted_at IS NULL {where}`,
    doc: (r) => ({ name: text(r.title), email: '', other: join(r.source, customText(r.custom)) }),
  },
  task: {
    sql: `SELECT id, updated_at, title FROM tasks WHERE deleted_at IS NULL {where}`,
    doc: (r) => ({ name: text(r.title), email: '', other: '' }),
  },
};

function toDoc(type: IndexedType, row: Row): IndexDoc {
  return { id: docKey(type, row.id as string), t: Number(row.updated_at), ...SOURCES[type].doc(row) };
}

/** Every live record of a type, as documents, one at a time (for a build). */
export function* allDocs(sqlite: SqliteDatabase, type: IndexedType): Generator<IndexDoc> {
  const statement = sqlite.prepare(SOURCES[type].sql.replace('{where}', ''));
  for (const row of statement.iterate() as Iterable<Row>) yield toDoc(type, row);
}

/** The live records among `ids` of a type, as documents (ids not found, or in the trash, are left out). */
export function docsFor(sqlite: SqliteDatabase, type: IndexedType, ids: readonly string[]): IndexDoc[] {
  if (ids.length === 0) return [];
  const statement = preparedOnce(
    sqlite,
    SOURCES[type].sql.replace('{where}', 'AND id IN (SELECT value FROM json_each(?))'),
  );
  return (statement.all(JSON.stringify(ids)) as Row[]).map((row) => toDoc(type, row));
}
