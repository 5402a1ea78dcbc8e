// Notes (Markdown written about people, companies and deals) as rows and as API records.
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { DB, NotesTable } from '../db/schema.js';
import { itemBase, type ItemBase } from '../records/linked-items.js';
import { linksFor, type LinkSet } from '../records/links.js';

export type NoteRow = Selectable<NotesTable>;

export interface Note extends ItemBase, LinkSet {
  /** Markdown; the renderer shows it sanitized. */
  body: string;
}

export function toNote(row: NoteRow, links: LinkSet): Note {
  return {
    ...itemBase(row),
    body: row.body,
    personIds: links.personIds,
    companyIds: links.companyIds,
    dealIds: links.dealIds,
  };
}

/** API records for rows, in the rows' order, with their links. */
export async function toNotes(db: Kysely<DB>, rows: readonly NoteRow[]): Promise<Note[]> {
  const links = await linksFor(
    db,
    'note',
    rows.map((r) => r.id),
  );
  return rows.map((row) => toNote(row, links.get(row.id)!));
}

export async function findNoteRow(db: Kysely<DB>, id: string): Promise<NoteRow | undefined> {
  return db.selectFrom('notes').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The note, trashed or not. */
export async function getNote(db: Kysely<DB>, id: string): Promise<Note | undefined> {
  const row = await findNoteRow(db, id);
  return row ? (await toNotes(db, [row]))[0] : undefined;
}

export async function insertNote(db: Kysely<DB>, row: Insertable<NotesTable>): Promise<void> {
  await db.insertInto('notes').values(row).execute();
}

/** Writes `set` and bumps the version if the row still has `version`; false when someone got there first. */
export async function updateNoteIfVersion(
  db: Kysely<DB>,
  id: string,
  version: number,
  set: Partial<Omit<NoteRow, 'id' | 'version'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('notes')
    .set({ ...set, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
