// For the activities, notes, tasks, timeline and trash tests: making linked records, reading a record's audit
// trail, and waiting for something the background (the reminder scheduler) does.
import type { Hearth } from '../../src/datafolder/hearth.js';
import type { TestHearth } from './records.js';

export async function makePerson(t: TestHearth, firstName: string, lastName = 'Tester') {
  return t.call('people.create', { firstName, lastName });
}

export async function makeCompany(t: TestHearth, name: string) {
  return t.call('companies.create', { name });
}

export interface AuditedChange {
  procedure: string;
  action: string | undefined;
  fields: Record<string, { from?: unknown; to?: unknown }> | undefined;
}

/** The audit entries that touched a record, oldest first, with this record's part of each diff. */
export function auditFor(hearth: Hearth, recordId: string): AuditedChange[] {
  const rows = hearth.sqlite
    .prepare(
      `SELECT a.procedure, a.diff FROM audit_records r JOIN audit_log a ON a.seq = r.audit_seq
       WHERE r.record_id = ? ORDER BY a.seq`,
    )
    .all(recordId) as { procedure: string; diff: string | null }[];
  return rows.map((row) => {
    const diffs = JSON.parse(row.diff ?? '[]') as {
      id: string;
      action: string;
      fields: Record<string, { from?: unknown; to?: unknown }>;
    }[];
    const mine = diffs.find((d) => d.id === recordId);
    return { procedure: row.procedure, action: mine?.action, fields: mine?.fields };
  });
}

/** Polls until `check` holds; fails after `timeoutMs` naming `what`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
