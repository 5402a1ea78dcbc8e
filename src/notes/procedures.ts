// notes.*: Markdown notes about people, companies and deals. The author owns the note.
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { longText } from '../api/limits.js';
import { defineProcedure, type CallContext } from '../api/procedure.js';
import {
  checkAll,
  checkPatchLinks,
  foundItem,
  itemNotFound,
  linkListFields,
  sameIds,
  staleItem,
  trashItem,
} from '../records/linked-items.js';
import { auditUpdate, getProcedure, listPage } from '../records/record-procedures.js';
import { checkLinks, linkIds, recordId, setLinks } from '../records/links.js';
import { col, listInputShape, runList, type ListPage, type ListSpec } from '../records/list-query.js';
import { version } from '../records/schemas.js';
import {
  findNoteRow,
  getNote,
  insertNote,
  toNotes,
  updateNoteIfVersion,
  type Note,
  type NoteRow,
} from './repository.js';

/** Markdown, kept exactly as written, but not blank. */
const noteBody = () => longText().refine((body) => body.trim().length > 0, { message: 'must not be empty' });

const noteFields = {
  body: noteBody(),
  personIds: linkIds(),
  companyIds: linkIds(),
  dealIds: linkIds(),
};

const createInput = z
  .object({
    ...noteFields,
    personIds: noteFields.personIds.optional(),
    companyIds: noteFields.companyIds.optional(),
    dealIds: noteFields.dealIds.optional(),
  })
  .strict();

const notePatch = z.object(noteFields).partial().strict();

const NOTES = 'notes';
export const NOTE_LIST: ListSpec = {
  table: 'notes',
  entity: 'note',
  fields: {
    createdAt: { kind: 'number', expr: col(NOTES, 'created_at'), nullable: false },
    updatedAt: { kind: 'number', expr: col(NOTES, 'updated_at'), nullable: false },
    ownerId: { kind: 'id', expr: col(NOTES, 'owner_id') },
    body: { kind: 'text', expr: col(NOTES, 'body'), sortable: false, nullable: false },
    ...linkListFields('note', NOTES),
  },
  defaultSort: [{ field: 'createdAt', dir: 'desc' }],
};

function asRecord(note: Note): Record<string, unknown> {
  return note as unknown as Record<string, unknown>;
}

async function liveNote(ctx: CallContext, id: string): Promise<Note> {
  const row = await findNoteRow(ctx.db, id);
  if (!row || row.deleted_at !== null) throw itemNotFound('note');
  return (await toNotes(ctx.db, [row]))[0]!;
}

export const notesCreate = defineProcedure({
  name: 'notes.create',
  summary: 'Writes a Markdown note linked to people, companies and deals.',
  input: createInput,
  permission: 'records.write',
  mutates: true,
  async handler(ctx, input): Promise<Note> {
    await checkLinks(ctx.db, input, '');
    const id = uuidv7();
    await insertNote(ctx.db, {
      id,
      version: 1,
      created_at: ctx.now,
      updated_at: ctx.now,
      created_by: ctx.actor.userId,
      owner_id: ctx.actor.userId,
      body: input.body,
      deleted_at: null,
    });
    await setLinks(ctx.db, 'note', id, {
      personIds: input.personIds ?? [],
      companyIds: input.companyIds ?? [],
      dealIds: input.dealIds ?? [],
    });
    const created = (await getNote(ctx.db, id))!;
    ctx.recordChange({ entity: 'note', id, action: 'create', version: 1, after: asRecord(created) });
    return created;
  },
});

export const notesGet = getProcedure({
  name: 'notes.get',
  summary: 'One note by id (a trashed one comes back with deletedAt set).',
  find: async (db, id) => foundItem(await getNote(db, id), 'note'),
});

export const notesUpdate = defineProcedure({
  name: 'notes.update',
  summary: 'Changes a note. Names the version it read; a stale version fails with CONFLICT and the current one.',
  input: z.object({ id: recordId(), version: version(), patch: notePatch }).strict(),
  permission: 'records.write',
  mutates: true,
  async handler(ctx, { id, version: expected, patch }): Promise<Note> {
    const current = await liveNote(ctx, id);
    if (current.version !== expected) throw staleItem('note', current);
    await checkAll(() => checkPatchLinks(ctx.db, patch, current));
    const body = patch.body ?? current.body;
    const linksChanged = (['personIds', 'companyIds', 'dealIds'] as const).some(
      (key) => !sameIds(patch[key], current[key]),
    );
    if (body === current.body && !linksChanged) return current;

    if (!(await updateNoteIfVersion(ctx.db, id, expected, { body, updated_at: ctx.now }))) {
      throw staleItem('note', current);
    }
    await setLinks(ctx.db, 'note', id, patch);
    const updated = (await getNote(ctx.db, id))!;
    auditUpdate(ctx, 'note', current, updated, asRecord);
    return updated;
  },
});

export const notesDelete = defineProcedure({
  name: 'notes.delete',
  summary: 'Moves a note to the trash (trash.restore brings it back); one already there is left as it is.',
  input: z.object({ id: recordId() }).strict(),
  permission: 'records.write',
  mutates: true,
  async handler(ctx, { id }): Promise<Note> {
    return trashItem(ctx, id, {
      entity: 'note',
      get: getNote,
      updateIfVersion: updateNoteIfVersion,
      audit: asRecord,
    });
  },
});

export const notesList = defineProcedure({
  name: 'notes.list',
  summary:
    'Notes with filters, sorting and keyset paging (fields createdAt, updatedAt, ownerId, body, personId, companyId, dealId); newest first by default.',
  input: z.object(listInputShape).strict(),
  permission: 'records.read',
  mutates: false,
  async handler(ctx, input): Promise<ListPage<Note>> {
    const page = await runList<NoteRow>(ctx.db, NOTE_LIST, input, []);
    return listPage(page, (rows) => toNotes(ctx.db, rows));
  },
});
