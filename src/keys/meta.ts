// key.json: which key source protects a data folder, and (for a passphrase) the wrapped key itself.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { HearthError } from '../api/errors.js';

export const KEY_SOURCES = ['keychain', 'passphrase', 'keyfile', 'safeStorage'] as const;
export type KeySourceKind = (typeof KEY_SOURCES)[number];
export type KeySlot = 'current' | 'pending';

const wrappedKey = z.object({
  kdf: z.literal('scrypt'),
  N: z.number().int(),
  r: z.number().int(),
  p: z.number().int(),
  salt: z.string(),
  iv: z.string(),
  tag: z.string(),
  data: z.string(),
});
export type WrappedKey = z.infer<typeof wrappedKey>;

const keyMeta = z.object({
  format: z.literal(1),
  folderId: z.string().min(1),
  source: z.enum(KEY_SOURCES),
  createdAt: z.number(),
  /** Wrapped keys per slot, for sources whose secret lives in this file (passphrase, safeStorage). */
  slots: z.partialRecord(z.enum(['current', 'pending']), z.union([wrappedKey, z.string()])).default({}),
});
export type KeyMeta = z.infer<typeof keyMeta>;

export function readKeyMeta(file: string): KeyMeta {
  if (!existsSync(file)) {
    throw new HearthError('NOT_INITIALIZED', 'This folder has no Hearth data. Run `hearth init` first.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new HearthError('KEY_UNAVAILABLE', `${file} is unreadable; restore it from a backup of the data folder.`);
  }
  const result = keyMeta.safeParse(parsed);
  if (!result.success)
    throw new HearthError('KEY_UNAVAILABLE', `${file} is not a Hearth key file this version understands.`);
  return result.data;
}

/** Atomic and durable: write a temporary file, fsync it, rename it over the old one. */
export function writeFileAtomic(file: string, content: string | Buffer, mode = 0o600): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

export function writeKeyMeta(file: string, meta: KeyMeta): void {
  writeFileAtomic(file, JSON.stringify(meta, null, 2) + '\n');
}
