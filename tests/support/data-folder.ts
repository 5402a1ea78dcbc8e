// Test fixtures: real encrypted data folders in temporary directories.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Migration } from 'kysely';
import { initDataFolder, openHearth, type Hearth } from '../../src/datafolder/hearth.js';
import { keyFileProvider } from '../../src/keys/keyfile.js';

export interface TempFolder {
  root: string;
  dir: string;
  keyFile: string;
  cleanup(): void;
}

/** A temp root holding `data/` (an initialized data folder) and `hearth.key` (its key file, outside the folder). */
export async function makeDataFolder(migrations?: Readonly<Record<string, Migration>>): Promise<TempFolder> {
  const root = mkdtempSync(join(tmpdir(), 'hearth-test-'));
  const dir = join(root, 'data');
  const keyFile = join(root, 'hearth.key');
  const key = randomBytes(32);
  writeFileSync(keyFile, key.toString('hex') + '\n', { mode: 0o600 });
  await initDataFolder({ dir, provider: keyFileProvider(keyFile), key, userName: 'Test Admin', migrations });
  return { root, dir, keyFile, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export async function openTestHearth(folder: TempFolder): Promise<Hearth> {
  return openHearth({ dir: folder.dir, provider: () => keyFileProvider(folder.keyFile), purpose: 'test' });
}
