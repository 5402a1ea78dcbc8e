// The SQL side of global search: the texts of notes, activities and tasks, and the digits of people's and
// companies' phone numbers, from the trigram tables that triggers keep current (migrations/0009_search.ts).
// These run on every keystroke in the search box, so each walks its index newest first and stops at the limit
// (no ranking, no sort), through statements prepared once per database.
import { preparedOnce, type SqliteDatabase } from '../db/connection.js';
import { fold } from './text.js';

export type TextType = 'person' | 'company' | 'note' | 'activity' | 'task';

export interface TextHit {
  type: TextType;
  id: string;
  field: 'body' | 'subject' | 'title' | 'phone';
}

interface Source {
  /** The record table, and its trigram table keyed by the record's rowid. */
  table: string;
  index: string;
  /** The index's columns searched, as an FTS5 column filter. */
  columns: string;
  /** The column a hit is named by when the first word is in it (else the body). */
  lead?: 'subject' | 'title';
  /** A condition on the record row `s` that each match must also meet, given one parameter. */
  check?: string;
}

const TEXT_SOURCES: Partial<Record<TextType, Source>> = {
  note: { table: 'notes', index: 'note_text', columns: 'body' },
  activity: { table: 'activities', index: 'activity_text', columns: '{subject body}', lead: 'subject' },
  task: { table: 'tasks', index: 'task_text', columns: '{title body}', lead: 'title' },
};

/** A phone number's digits, as migration 0009 puts them in the index. */
const digitsOf = (expr: string) =>
  ['+', ' ', '-', '(', ')', '.', '/'].reduce((inner, sign) => `replace(${inner}, '${sign}', '')`, expr);

/** Phone searches match the end of the digits in the index and check the whole digits here (see phoneSearch). */
const PHONE_SOURCES: Partial<Record<TextType, Source>> = {
  person: {
    table: 'people',
    index: 'people_text',
    columns: 'phones',
    check: `EXISTS (SELECT 1 FROM json_each(s.phones) p, json_each(?) d
      WHERE instr(${digitsOf(`json_extract(p.value, '$.number')`)}, d.value) > 0)`,
  },
  company: {
    table: 'companies',
    index: 'company_text',
    columns: 'phones',
    check: `EXISTS (SELECT 1 FROM json_each(?) d WHERE instr(${digitsOf('s.phone')}, d.value) > 0)`,
  },
};

/** The trigram tokenizer matches nothing shorter than three characters. */
const MIN_CHARS = 3;

/**
 * Live records whose index row matches, newest first (UUIDv7 ids are inserted in time order, so rowid order is
 * creation order). CROSS JOIN keeps the index as the outer loop: started from the record table's own indexes,
 * the planner would probe the index once per live record.
 */
function querySql(source: Source): string {
  return `SELECT s.id AS id${source.lead ? `, s.${source.lead} AS lead` : ''}
    FROM ${source.index} f CROSS JOIN ${source.table} s ON s.rowid = f.rowid
    WHERE ${source.index} MATCH ? AND s.deleted_at IS NULL${source.check ? ` AND ${source.check}` : ''}
    ORDER BY f.rowid DESC LIMIT ?`;
}

interface Row {
  id: string;
  lead?: string;
}

/** `params`: the MATCH text, the check's parameter when the source has a check, and the limit. */
function rowsOf(sqlite: SqliteDatabase, source: Source, ...params: unknown[]): Row[] {
  return preparedOnce(sqlite, querySql(source)).all(...params) as Row[];
}

/**
 * A word as an FTS5 phrase: quoted, so nothing in it is read as syntax (quotes doubled). NUL would end the query
 * text early and leave the quote open, so it goes.
 */
function phrase(word: string): string {
  return `"${word.replace(/\0/g, '').replace(/"/g, '""')}"`;
}

function rowLimit(limit: number): number {
  return Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0;
}

/**
 * Live notes, activities and tasks whose text contains every one of `words` (folded; words under three
 * characters are ignored, and none left finds nothing), newest first, at most `limit` per type, in the order of
 * `types` (people and companies are not searched here). `field` says where the first word is: an activity's
 * subject or body, a task's title or body.
 */
export function textSearch(
  sqlite: SqliteDatabase,
  words: readonly string[],
  types: readonly TextType[],
  limit: number,
): TextHit[] {
  const max = rowLimit(limit);
  // Folding again costs nothing and keeps the query in the index's form whatever the caller passed.
  const terms = [...new Set(words.map((word) => fold(word.replace(/\0/g, '')).trim()))].filter(
    (word) => [...word].length >= MIN_CHARS,
  );
  const first = terms[0];
  if (first === undefined || max === 0) return [];
  const hits: TextHit[] = [];
  for (const type of new Set(types)) {
    const source = TEXT_SOURCES[type];
    if (!source) continue;
    const match = terms.map((term) => `${source.columns} : ${phrase(term)}`).join(' AND ');
    for (const row of rowsOf(sqlite, source, match, max)) {
      // The index cannot say which column matched (it keeps no text), but the record row is at hand.
      const field = source.lead && fold(row.lead ?? '').includes(first) ? source.lead : 'body';
      hits.push({ type, id: row.id, field });
    }
  }
  return hits;
}

/** Digits from the end of a phone query that the index is asked for (see phoneSearch). */
const PHONE_TAIL = 6;

/**
 * Live people and companies with a phone number containing `digits` (other characters are dropped; under three
 * digits finds nothing), at most `limit` per type, newest first. Numbers are stored international, so the digits
 * are also tried without a leading trunk 0 (020 7946 finds +44 20 7946 …) and without a leading 00 (0044 20).
 *
 * Numbers in one firm share their first digits (country, area, mobile prefix), so the first trigrams of a long
 * query are in nearly every row, and matching them all took 2–3 ms at 100k people. Each form ends with the
 * shortest, so the index is asked only for that one's last PHONE_TAIL digits, which set numbers apart, and the
 * few rows found are checked for the whole of any form (0.2 ms).
 */
export function phoneSearch(
  sqlite: SqliteDatabase,
  digits: string,
  types: readonly TextType[],
  limit: number,
): TextHit[] {
  const max = rowLimit(limit);
  const typed = digits.replace(/\D/g, '');
  // Longest first: each form ends with every shorter one.
  const forms = [typed];
  if (typed.startsWith('0')) forms.push(typed.slice(1));
  if (typed.startsWith('00')) forms.push(typed.slice(2));
  const usable = forms.filter((form) => form.length >= MIN_CHARS);
  const shortest = usable[usable.length - 1];
  if (shortest === undefined || max === 0) return [];
  const tail = phrase(shortest.slice(-PHONE_TAIL));
  const wanted = JSON.stringify(usable);
  const hits: TextHit[] = [];
  for (const type of new Set(types)) {
    const source = PHONE_SOURCES[type];
    if (!source) continue;
    for (const row of rowsOf(sqlite, source, `${source.columns} : ${tail}`, wanted, max)) {
      hits.push({ type, id: row.id, field: 'phone' });
    }
  }
  return hits;
}
