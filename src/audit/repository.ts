// Appending to and reading the audit log. Rows are never updated or deleted (triggers enforce it).
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { RecordChange } from '../api/procedure.js';
import type { DB } from '../db/schema.js';
import { canonicalJson, diffChange, entryHash, GENESIS_HASH, sha256Hex, type AuditHeader } from './chain.js';

const HEAD_KEY = 'audit.head';

export interface AuditHead {
  count: number;
  hash: string;
}

export async function readAuditHead(db: Kysely<DB>): Promise<AuditHead> {
  const row = await db.selectFrom('meta').select('value').where('key', '=', HEAD_KEY).executeTakeFirst();
  return row ? (JSON.parse(row.value) as AuditHead) : { count: 0, hash: GENESIS_HASH };
}

/** Appends one entry for a mutating call. Must run inside the call's transaction. */
export async function appendAuditEntry(
  trx: Kysely<DB>,
  entry: { at: number; actorId: string | null; procedure: string; changes: RecordChange[] },
): Promise<void> {
  const head = await readAuditHead(trx);
  const diff = canonicalJson(entry.changes.map(diffChange));
  const header: AuditHeader = {
    id: uuidv7(),
    at: entry.at,
    actorId: entry.actorId,
    procedure: entry.procedure,
    recordIds: [...new Set(entry.changes.map((c) => c.id))],
    diffHash: sha256Hex(diff),
  };
  const hash = entryHash(head.hash, header);
  const inserted = await trx
    .insertInto('audit_log')
    .values({
      id: header.id,
      at: header.at,
      actor_id: header.actorId,
      procedure: header.procedure,
      record_ids: JSON.stringify(header.recordIds),
      diff,
      diff_hash: header.diffHash,
      prev_hash: head.hash,
      hash,
    })
    .executeTakeFirstOrThrow();
  // The timeline's index from a record to the entries that touched it.
  const seq = Number(inserted.insertId);
  await trx
    .insertInto('audit_records')
    .values(header.recordIds.map((recordId) => ({ record_id: recordId, audit_seq: seq })))
    .execute();
  const next: AuditHead = { count: head.count + 1, hash };
  await trx
    .insertInto('meta')
    .values({ key: HEAD_KEY, value: JSON.stringify(next) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(next) }))
    .execute();
}
