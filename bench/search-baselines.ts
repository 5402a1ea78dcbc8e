// Search baselines for the search issue: on the records data set (people, companies, notes, activities, tasks),
// minisearch with its default options and SQLite FTS5 with the trigram tokenizer, side by side, answering the
// same queries: 1-, 2- and 3-character prefixes, single fuzzy words and two-word queries. Hearth's own index is
// measured against these (each query class's ratio to both).
import { performance } from 'node:perf_hooks';
import MiniSearch from 'minisearch';
import type { SqliteDatabase } from '../src/db/connection.js';
import { heapMiB, log, median, prng, quantile, SEED } from './data.js';

/** Queries per class; each is asked once after a warm-up round. */
const QUERIES = 60;
const LIMIT = 20;

interface Doc {
  id: number;
  title: string;
  subtitle: string;
  body: string;
}

export interface QueryClass {
  name: string;
  queries: string[];
}

/** Every searchable record of the data set as one document (numbers, not ids, keep both indexes small). */
function loadDocs(sqlite: SqliteDatabase): Doc[] {
  const docs: Doc[] = [];
  const add = (
    title: string | null | undefined,
    subtitle: string | null | undefined,
    body: string | null | undefined,
  ) => docs.push({ id: docs.length, title: title ?? '', subtitle: subtitle ?? '', body: body ?? '' });
  for (const r of sqlite
    .prepare(
      `SELECT first_name, last_name, title, primary_email, primary_phone, address_city FROM people
       WHERE deleted_at IS NULL`,
    )
    .iterate() as Iterable<Record<string, string | null>>) {
    add(
      [r.first_name, r.last_name].filter(Boolean).join(' '),
      [r.title, r.primary_email, r.primary_phone].filter(Boolean).join(' '),
      r.address_city,
    );
  }
  for (const r of sqlite
    .prepare('SELECT name, primary_domain, industry, address_city FROM companies WHERE deleted_at IS NULL')
    .iterate() as Iterable<Record<string, string | null>>) {
    add(r.name, [r.primary_domain, r.industry].filter(Boolean).join(' '), r.address_city);
  }
  for (const r of sqlite.prepare('SELECT body FROM notes WHERE deleted_at IS NULL').iterate() as Iterable<{
    body: string;
  }>) {
    add(r.body.slice(0, 80), '', r.body);
  }
  for (const r of sqlite
    .prepare('SELECT subject, body FROM activities WHERE deleted_at IS NULL')
    .iterate() as Iterable<{
    subject: string;
    body: string;
  }>) {
    add(r.subject, '', r.body);
  }
  for (const r of sqlite.prepare('SELECT title, body FROM tasks WHERE deleted_at IS NULL').iterate() as Iterable<{
    title: string;
    body: string;
  }>) {
    add(r.title, '', r.body);
  }
  for (const r of sqlite.prepare('SELECT title, source FROM deals WHERE deleted_at IS NULL').iterate() as Iterable<{
    title: string;
    source: string | null;
  }>) {
    add(r.title, r.source, '');
  }
  return docs;
}

/** The query classes the search issue names, drawn from the people in the data set. */
export function queryClasses(sqlite: SqliteDatabase): QueryClass[] {
  const rng = prng(SEED + 31);
  const people = sqlite
    .prepare("SELECT first_name, last_name FROM people WHERE last_name <> '' AND first_name <> '' LIMIT 5000")
    .all() as { first_name: string; last_name: string }[];
  const someone = () => people[Math.floor(rng() * people.length)]!;
  const lower = (s: string) => s.toLowerCase();
  /** One letter changed, as a typo. */
  const typo = (word: string) => {
    const at = 1 + Math.floor(rng() * Math.max(1, word.length - 2));
    const letter = 'aeioulnrst'[Math.floor(rng() * 10)]!;
    return word.slice(0, at) + letter + word.slice(at + 1);
  };
  const make = (fn: () => string) => Array.from({ length: QUERIES }, fn);
  return [
    { name: '1-character prefix', queries: make(() => lower(someone().last_name.slice(0, 1))) },
    { name: '2-character prefix', queries: make(() => lower(someone().last_name.slice(0, 2))) },
    { name: '3-character prefix', queries: make(() => lower(someone().last_name.slice(0, 3))) },
    { name: 'single fuzzy word (one letter wrong)', queries: make(() => lower(typo(someone().last_name))) },
    {
      name: 'two words (first name, surname prefix)',
      queries: make(() => {
        const p = someone();
        return lower(`${p.first_name} ${p.last_name.slice(0, 3)}`);
      }),
    },
  ];
}

function timeAll(queries: string[], run: (q: string) => unknown): number[] {
  for (const q of queries.slice(0, 10)) run(q);
  return queries.map((q) => {
    const t = performance.now();
    run(q);
    return performance.now() - t;
  });
}

const ms = (v: number) => `${v.toFixed(2)} ms`;

/** An FTS5 query: every word a quoted phrase (trigram matches substrings of 3 characters or more). */
function ftsQuery(q: string): string {
  return q
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => `"${w.replaceAll('"', '""')}"`)
    .join(' AND ');
}

export interface BaselineTimes {
  name: string;
  mini: number[];
  fts: number[];
}

/** Builds both baselines over the data set in `sqlite` and times every query class. */
export function searchBaselines(sqlite: SqliteDatabase): { lines: string[]; times: BaselineTimes[] } {
  log('search: loading documents');
  const docs = loadDocs(sqlite);
  const classes = queryClasses(sqlite);

  log(`search: minisearch (default options) over ${docs.length.toLocaleString('en-US')} documents`);
  const heapBefore = heapMiB();
  let t = performance.now();
  const mini = new MiniSearch<Doc>({ fields: ['title', 'subtitle', 'body'] });
  mini.addAll(docs);
  const miniBuildMs = performance.now() - t;
  const miniHeap = heapMiB() - heapBefore;
  t = performance.now();
  const snapshot = JSON.stringify(mini);
  const serializeMs = performance.now() - t;
  t = performance.now();
  MiniSearch.loadJSON(snapshot, { fields: ['title', 'subtitle', 'body'] });
  const loadMs = performance.now() - t;

  log('search: FTS5 trigram');
  t = performance.now();
  sqlite.exec(`DROP TABLE IF EXISTS bench_search_fts;
    CREATE VIRTUAL TABLE bench_search_fts USING fts5(title, subtitle, body, tokenize = 'trigram')`);
  const insert = sqlite.prepare('INSERT INTO bench_search_fts (rowid, title, subtitle, body) VALUES (?, ?, ?, ?)');
  sqlite.transaction(() => {
    for (const d of docs) insert.run(d.id, d.title, d.subtitle, d.body);
  })();
  const ftsBuildMs = performance.now() - t;
  const ftsMatch = sqlite.prepare(
    `SELECT rowid FROM bench_search_fts WHERE bench_search_fts MATCH ? ORDER BY rank LIMIT ${LIMIT}`,
  );
  // Trigrams need 3 characters: shorter words can only be matched by scanning (LIKE on the title).
  const ftsShort = sqlite.prepare(`SELECT rowid FROM bench_search_fts WHERE title LIKE ? LIMIT ${LIMIT}`);
  const fts = (q: string) =>
    q.split(/\s+/).every((w) => w.length >= 3) ? ftsMatch.all(ftsQuery(q)) : ftsShort.all(`%${q}%`);

  const rows: string[] = [];
  const summary: BaselineTimes[] = [];
  for (const c of classes) {
    const fuzzy = c.name.startsWith('single fuzzy');
    const miniTimes = timeAll(c.queries, (q) =>
      mini.search(q, fuzzy ? { fuzzy: 0.2 } : { prefix: true, combineWith: 'AND' }).slice(0, LIMIT),
    );
    const ftsTimes = timeAll(c.queries, fts);
    summary.push({ name: c.name, mini: miniTimes, fts: ftsTimes });
    rows.push(
      `| ${c.name} | ${ms(median(miniTimes))} / ${ms(quantile(miniTimes, 0.95))} | ${ms(median(ftsTimes))} / ${ms(quantile(ftsTimes, 0.95))} |`,
    );
  }
  sqlite.exec('DROP TABLE bench_search_fts');

  const lines = [
    '### Search baselines',
    '',
    `${docs.length.toLocaleString('en-US')} documents (every live person, company, note, activity, task and deal; ` +
      `title, subtitle and body), ${QUERIES} queries per class drawn from the people's names (seed ${SEED}), ` +
      `the first ${LIMIT} results. minisearch 7.2 with its default options (prefix search for prefixes and ` +
      `two words, fuzzy 0.2 for the fuzzy class); FTS5 trigram ranked by bm25, words under 3 characters by a ` +
      `LIKE scan of titles (trigrams cannot index them), no fuzzy matching (a misspelled word is a substring search).`,
    '',
    '| Query class | minisearch default, p50 / p95 | FTS5 trigram, p50 / p95 |',
    '| --- | --: | --: |',
    ...rows,
    '',
    `minisearch: built in ${(miniBuildMs / 1000).toFixed(1)} s, ${miniHeap.toFixed(0)} MiB of heap, snapshot ` +
      `${(snapshot.length / 1024 / 1024).toFixed(0)} MiB of JSON (serialized in ${(serializeMs / 1000).toFixed(1)} s, ` +
      `loaded in ${(loadMs / 1000).toFixed(1)} s). FTS5 trigram: built in ${(ftsBuildMs / 1000).toFixed(1)} s.`,
    '',
  ];
  return { lines, times: summary };
}
