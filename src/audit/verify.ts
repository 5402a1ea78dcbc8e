// Walks the audit chain and reports every entry that was edited, removed or moved.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { entryHash, GENESIS_HASH, sha256Hex } from './chain.js';
import { readAuditHead } from './repository.js';

export type AuditProblemKind = 'edited' | 'missing' | 'reordered' | 'truncated';

export interface AuditProblem {
  /** 1-based position in the log as stored. */
  position: number;
  kind: AuditProblemKind;
  message: string;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  problems: AuditProblem[];
}

export async function verifyAuditChain(db: Kysely<DB>): Promise<AuditVerification> {
  const rows = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  const problems: AuditProblem[] = [];
  let prevHash = GENESIS_HASH;
  let prevSeq = 0;
  rows.forEach((row, index) => {
    const position = index + 1;
    let recordIds: string[] = [];
    try {
      recordIds = JSON.parse(row.record_ids) as string[];
    } catch {
      problems.push({ position, kind: 'edited', message: `entry ${position} has unreadable record ids` });
    }
    const recomputed = entryHash(row.prev_hash, {
      id: row.id,
      at: row.at,
      actorId: row.actor_id,
      procedure: row.procedure,
      recordIds,
      diffHash: row.diff_hash,
    });
    if (recomputed !== row.hash) {
      problems.push({
        position,
        kind: 'edited',
        message: `entry ${position} (${row.procedure}) was edited: its hash does not match its content`,
      });
    } else if (row.diff !== null && sha256Hex(row.diff) !== row.diff_hash) {
      problems.push({
        position,
        kind: 'edited',
        message: `entry ${position} (${row.procedure}) was edited: its diff does not match its hash`,
      });
    }
    if (row.prev_hash !== prevHash) {
      if (row.seq !== prevSeq + 1) {
        problems.push({
          position,
          kind: 'missing',
          message: `${row.seq - prevSeq - 1} entr${row.seq - prevSeq - 1 === 1 ? 'y is' : 'ies are'} missing before entry ${position}`,
        });
      } else {
        problems.push({
          position,
          kind: 'reordered',
          message: `entry ${position} is out of order: it does not follow the entry before it`,
        });
      }
    }
    prevHash = row.hash;
    prevSeq = row.seq;
  });
  const head = await readAuditHead(db);
  if (problems.length === 0 && (head.count !== rows.length || head.hash !== prevHash)) {
    problems.push({
      position: rows.length + 1,
      kind: 'truncated',
      message: `the log ends after ${rows.length} entries but ${head.count} were written`,
    });
  }
  return { ok: problems.length === 0, entries: rows.length, problems };
}
