// The people list's trigram index (people_text) becomes contentless: it answered "which people" only, yet
// stored a copy of every name and address as well. Without the copy each new person writes one B-tree page
// fewer and the file is smaller. contentless_delete keeps the triggers' delete-then-insert working.
import { sql, type Kysely } from 'kysely';

type AnyDb = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PEOPLE_TEXT_ROW = (row: 'NEW' | 'p') =>
  sql.raw(`${row}.rowid, ${row}.first_name || ' ' || ${row}.last_name,
    (SELECT coalesce(group_concat(json_extract(e.value, '$.address'), ' '), '') FROM json_each(${row}.emails) e)`);

export async function up(db: AnyDb): Promise<void> {
  await sql`DROP TRIGGER people_text_insert`.execute(db);
  await sql`DROP TRIGGER people_text_update`.execute(db);
  await sql`DROP TRIGGER people_text_delete`.execute(db);
  await sql`DROP TABLE people_text`.execute(db);
  await sql`CREATE VIRTUAL TABLE people_text USING fts5(name, emails, tokenize = 'trigram remove_diacritics 1',
    content = '', contentless_delete = 1)`.execute(db);
  await sql`INSERT INTO people_text (rowid, name, emails) SELECT ${PEOPLE_TEXT_ROW('p')} FROM people p`.execute(db);
  // One merged segment instead of the many a bulk insert leaves.
  await sql`INSERT INTO people_text (people_text) VALUES ('optimize')`.execute(db);
  const insert = sql`INSERT INTO people_text (rowid, name, emails) VALUES (${PEOPLE_TEXT_ROW('NEW')})`;
  await sql`CREATE TRIGGER people_text_insert AFTER INSERT ON people BEGIN ${insert}; END`.execute(db);
  await sql`CREATE TRIGGER people_text_update AFTER UPDATE OF first_name, last_name, emails ON people BEGIN
    DELETE FROM people_text WHERE rowid = OLD.rowid; ${insert}; END`.execute(db);
  await sql`CREATE TRIGGER people_text_delete AFTER DELETE ON people BEGIN
    DELETE FROM people_text WHERE rowid = OLD.rowid; END`.execute(db);
}
