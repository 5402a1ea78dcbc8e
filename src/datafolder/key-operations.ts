// Key commands on an open data folder: rekey, change or set a passphrase, escrow, import an escrowed key.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { v7 as uuidv7 } from 'uuid';
import { HearthError } from '../api/errors.js';
import { openDatabase } from '../db/connection.js';
import { parseKeyHex } from '../keys/keyfile.js';
import { readKeyMeta, writeKeyMeta, type KeyMeta } from '../keys/meta.js';
import type { KeyProvider } from '../keys/provider.js';
import type { Hearth } from './hearth.js';
import { acquireLock } from './lock.js';
import { dataPaths } from './paths.js';

/** The raw database key, for a firm's safe. */
export async function escrowKey(hearth: Hearth): Promise<string> {
  const key = await hearth.provider.read(hearth.meta, 'current');
  if (!key) throw new HearthError('KEY_UNAVAILABLE', 'The key source holds no key.');
  return key.toString('hex');
}

/**
 * Re-encrypts the database under a new random key. The new key is stored as "pending" before the
 * database changes, so a crash at any point leaves a key that opens it (open tries "pending" second).
 */
export async function rekey(hearth: Hearth): Promise<void> {
  const { sqlite, provider, paths } = hearth;
  const newKey = randomBytes(32);
  let meta = await provider.write(hearth.meta, 'pending', newKey);
  writeKeyMeta(paths.keyMeta, meta);
  // Leaving WAL mode needs the only connection, so the background checkpointer goes first.
  await hearth.pauseCheckpoints();
  let rekeyed = false;
  try {
    // Rekeying rewrites every page; do it outside WAL mode so no old-key frames linger in a WAL file.
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    sqlite.pragma('journal_mode = DELETE');
    try {
      sqlite.pragma(`rekey="x'${newKey.toString('hex')}'"`);
      rekeyed = true;
    } finally {
      sqlite.pragma('journal_mode = WAL');
    }
    sqlite.prepare('SELECT count(*) FROM sqlite_schema').get();
  } finally {
    hearth.resumeCheckpoints(rekeyed ? newKey : undefined);
  }
  meta = await provider.write(meta, 'current', newKey);
  meta = await provider.remove(meta, 'pending');
  writeKeyMeta(paths.keyMeta, meta);
  hearth.meta = meta;
}

/**
 * Protects the same database key with another source (a new passphrase, or switching between keychain,
 * passphrase and key file). Only key.json and the key source change: instant, the database is untouched.
 */
export async function moveKey(hearth: Hearth, target: KeyProvider): Promise<KeyMeta> {
  const key = await hearth.provider.read(hearth.meta, 'current');
  if (!key) throw new HearthError('KEY_UNAVAILABLE', 'The key source holds no key.');
  const fresh: KeyMeta = { ...hearth.meta, source: target.kind, slots: {} };
  const meta = await target.write(fresh, 'current', key);
  writeKeyMeta(hearth.paths.keyMeta, meta);
  if (hearth.provider.kind !== target.kind) {
    // The old source no longer protects anything; remove its copy of the key (best effort).
    await hearth.provider.remove(hearth.meta, 'current').catch(() => undefined);
  }
  hearth.meta = meta;
  hearth.provider = target;
  return meta;
}

/**
 * Puts an escrowed key back (for example after the OS keychain lost its entry). The key is checked
 * against the database before anything is written.
 */
export async function importKey(options: {
  dir: string;
  hexKey: string;
  provider: (meta: KeyMeta) => KeyProvider;
}): Promise<KeyMeta> {
  const paths = dataPaths(options.dir);
  const key = parseKeyHex(options.hexKey, 'The escrowed key');
  const lock = acquireLock(paths.lock, 'hearth key import');
  try {
    const db = openDatabase({ file: paths.database, key });
    let folderId: string | undefined;
    try {
      folderId = (db.prepare("SELECT value FROM meta WHERE key = 'folder.id'").get() as { value: string } | undefined)
        ?.value;
    } finally {
      db.close();
    }
    // A lost key.json is rebuilt from the folder id kept inside the database.
    const existing: KeyMeta = existsSync(paths.keyMeta)
      ? readKeyMeta(paths.keyMeta)
      : { format: 1, folderId: folderId ?? uuidv7(), source: 'keyfile', createdAt: Date.now(), slots: {} };
    const provider = options.provider(existing);
    const meta = await provider.write({ ...existing, source: provider.kind, slots: {} }, 'current', key);
    writeKeyMeta(paths.keyMeta, meta);
    return meta;
  } finally {
    lock.release();
  }
}
