// The audit log's hash chain: canonical encoding, entry hashes and field-level diffs.
import { createHash } from 'node:crypto';
import type { RecordChange } from '../api/procedure.js';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level, so equal content always hashes equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as Record<string, unknown>).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The part of an entry the chain covers. The diff is covered through its hash, so it can be redacted (GDPR) without breaking the chain. */
export interface AuditHeader {
  id: string;
  at: number;
  actorId: string | null;
  procedure: string;
  recordIds: string[];
  diffHash: string;
}

export function entryHash(prevHash: string, header: AuditHeader): string {
  return sha256Hex(prevHash + canonicalJson(header));
}

export interface FieldDiff {
  from?: unknown;
  to?: unknown;
}

export interface ChangeDiff {
  entity: string;
  id: string;
  action: RecordChange['action'];
  fields: Record<string, FieldDiff>;
}

const UNDIFFED_FIELDS = new Set(['version', 'updatedAt', 'createdAt']);

/** Field-level diff of one change: only the fields whose values differ. */
export function diffChange(change: RecordChange): ChangeDiff {
  const before = change.before ?? {};
  const after = change.after ?? {};
  const fields: Record<string, FieldDiff> = {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of [...keys].sort()) {
    if (UNDIFFED_FIELDS.has(key)) continue;
    const from = before[key];
    const to = after[key];
    if (canonicalJson(from ?? null) === canonicalJson(to ?? null)) continue;
    const field: FieldDiff = {};
    if (from !== undefined) field.from = from;
    if (to !== undefined) field.to = to;
    fields[key] = field;
  }
  return { entity: change.entity, id: change.id, action: change.action, fields };
}
