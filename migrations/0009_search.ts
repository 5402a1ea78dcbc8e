// Global search (issue 5). Names and titles live in an in-memory index, which keeps its snapshot here
// (search_snapshots) so it opens without rereading every record. Body text and phone digits would make that index
// several times larger, so SQL answers them instead, from trigram tables kept exactly current by triggers: a
// committed change is found at once, trashed records are filtered out by the queries (restoring one costs
// nothing) and a purge removes its row. The tables are contentless (content = ''): they hold the index alone,
// not a second copy of every note.
//
// people_text gains the digits of each phone number, company_text holds a company's; note_text, activity_text and
// task_text hold the texts. src/search/text-tables.ts queries them.
import { sql, type Kysely } from 'kysely';

type AnyDb = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const OPTIONS = `tokenize = 'trigram remove_diacritics 1', content = '', contentless_delete = 1`;

/**
 * Letters that the product's fold (src/search/text.ts) turns into others but the trigram tokenizer keeps as they
 * are: written the product's way in the index, so that "orsted" (folded from Ørsted) finds Ørsted. Frozen here,
 * as a migration must be; upper case too, since SQLite's lower() knows only ASCII.
 */
const LETTERS: readonly (readonly [string, string])[] = [
  ['ß', 'ss'],
  ['ẞ', 'ss'],
  ['æ', 'ae'],
  ['Æ', 'ae'],
  ['œ', 'oe'],
  ['Œ', 'oe'],
  ['ø', 'o'],
  ['Ø', 'o'],
  ['ł', 'l'],
  ['Ł', 'l'],
  ['đ', 'd'],
  ['Đ', 'd'],
  ['ð', 'd'],
  ['Ð', 'd'],
  ['þ', 'th'],
  ['Þ', 'th'],
  ['ı', 'i'],
];

/** Text as the index should see it. */
const text = (expr: string) =>
  LETTERS.reduce((inner, [from, to]) => `replace(${inner}, '${from}', '${to}')`, `coalesce(${expr}, '')`);

/**
 * The digits of a phone number. Numbers are stored E.164 ('+' and digits); the separators people write are
 * dropped as well, so a number that reached the row some other way is still found by its digits.
 */
const digits = (expr: string) =>
  ['+', ' ', '-', '(', ')', '.', '/'].reduce((inner, sign) => `replace(${inner}, '${sign}', '')`, expr);

interface TextTable {
  name: string;
  /** The table it indexes, by rowid. */
  source: string;
  /** The index's columns and what each holds, as an expression over a source row (alias or NEW). */
  columns: Record<string, (row: string) => string>;
  /** The source columns the index is made from: an update of any other changes nothing here. */
  watched: string[];
}

const TABLES: TextTable[] = [
  {
    // As migration 0003 made it (the people list's "name contains" and "email contains" filters), plus phones.
    name: 'people_text',
    source: 'people',
    columns: {
      name: (r) => `${r}.first_name || ' ' || ${r}.last_name`,
      emails: (r) =>
        `(SELECT coalesce(group_concat(json_extract(e.value, '$.address'), ' '), '') FROM json_each(${r}.emails) e)`,
      phones: (r) =>
        `(SELECT coalesce(group_concat(${digits(`json_extract(p.value, '$.number')`)}, ' '), '')
          FROM json_each(${r}.phones) p)`,
    },
    watched: ['first_name', 'last_name', 'emails', 'phones'],
  },
  {
    name: 'company_text',
    source: 'companies',
    columns: { phones: (r) => `coalesce(${digits(`${r}.phone`)}, '')` },
    watched: ['phone'],
  },
  { name: 'note_text', source: 'notes', columns: { body: (r) => text(`${r}.body`) }, watched: ['body'] },
  {
    name: 'activity_text',
    source: 'activities',
    columns: { subject: (r) => text(`${r}.subject`), body: (r) => text(`${r}.body`) },
    watched: ['subject', 'body'],
  },
  {
    name: 'task_text',
    source: 'tasks',
    columns: { title: (r) => text(`${r}.title`), body: (r) => text(`${r}.body`) },
    watched: ['title', 'body'],
  },
];

async function createTextTable(db: AnyDb, table: TextTable): Promise<void> {
  const run = (query: string) => sql.raw(query).execute(db);
  const { name, source, watched } = table;
  const columns = Object.keys(table.columns).join(', ');
  const values = (row: string) =>
    Object.values(table.columns)
      .map((value) => value(row))
      .join(', ');
  await run(`CREATE VIRTUAL TABLE ${name} USING fts5(${columns}, ${OPTIONS})`);
  await run(`INSERT INTO ${name} (rowid, ${columns}) SELECT r.rowid, ${values('r')} FROM ${source} r`);
  // One merged segment instead of the many a bulk insert leaves.
  await run(`INSERT INTO ${name} (${name}) VALUES ('optimize')`);

  const insert = `INSERT INTO ${name} (rowid, ${columns}) VALUES (NEW.rowid, ${values('NEW')})`;
  // Notes, activities and tasks write their texts back on every edit (a relink, a completed task): only a real
  // change re-indexes. Case-only changes under NOCASE compare equal, which is right: the index folds case.
  const changed = watched.map((column) => `OLD.${column} IS NOT NEW.${column}`).join(' OR ');
  await run(`CREATE TRIGGER ${name}_insert AFTER INSERT ON ${source} BEGIN ${insert}; END`);
  await run(`CREATE TRIGGER ${name}_update AFTER UPDATE OF ${watched.join(', ')} ON ${source} WHEN ${changed} BEGIN
    DELETE FROM ${name} WHERE rowid = OLD.rowid; ${insert}; END`);
  await run(`CREATE TRIGGER ${name}_delete AFTER DELETE ON ${source} BEGIN
    DELETE FROM ${name} WHERE rowid = OLD.rowid; END`);
}

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('search_snapshots')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('schema_version', 'integer', (c) => c.notNull())
    .addColumn('format', 'integer', (c) => c.notNull())
    .addColumn('data', 'blob', (c) => c.notNull())
    .addColumn('written_at', 'integer', (c) => c.notNull())
    .execute();

  for (const event of ['insert', 'update', 'delete']) await sql.raw(`DROP TRIGGER people_text_${event}`).execute(db);
  await sql`DROP TABLE people_text`.execute(db);
  for (const table of TABLES) await createTextTable(db, table);
}
