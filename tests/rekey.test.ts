import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type HearthError } from '../src/api/errors.js';
import { escrowKey, importKey, moveKey, rekey } from '../src/datafolder/key-operations.js';
import { openHearth } from '../src/datafolder/hearth.js';
import { keyFileProvider } from '../src/keys/keyfile.js';
import { passphraseProvider } from '../src/keys/passphrase.js';
import { makeDataFolder, openTestHearth, type TempFolder } from './support/data-folder.js';

let folder: TempFolder | undefined;
afterEach(() => folder?.cleanup());

async function firmName(f: TempFolder): Promise<string> {
  const h = await openTestHearth(f);
  try {
    const result = await h.dispatcher.call('settings.get', {}, h.localActor);
    return result.ok ? (result.value as { firmName: string }).firmName : `error ${result.error.code}`;
  } finally {
    await h.close();
  }
}

describe('rekey', () => {
  it('re-encrypts under a new key: the old key no longer opens the database', async () => {
    folder = await makeDataFolder();
    const oldKey = readFileSync(folder.keyFile, 'utf8');
    const h = await openTestHearth(folder);
    await h.dispatcher.call('settings.update', { version: 1, patch: { firmName: 'Before rekey' } }, h.localActor);
    await rekey(h);
    await h.close();
    expect(readFileSync(folder.keyFile, 'utf8')).not.toBe(oldKey);
    expect(existsSync(`${folder.keyFile}.pending`)).toBe(false);
    expect(await firmName(folder)).toBe('Before rekey');

    writeFileSync(folder.keyFile, oldKey);
    const error = await openTestHearth(folder).then(
      () => null,
      (e: unknown) => e as HearthError,
    );
    expect(error?.code).toBe('WRONG_KEY');
  });

  it('recovers when interrupted after the database changed but before the new key was made current', async () => {
    folder = await makeDataFolder();
    const h = await openTestHearth(folder);
    await h.dispatcher.call('settings.update', { version: 1, patch: { firmName: 'Crash test' } }, h.localActor);
    // What rekey() does up to the crash: store the pending key, rekey the file. The process then dies.
    const newKey = randomBytes(32);
    await keyFileProvider(folder.keyFile).write(h.meta, 'pending', newKey);
    h.sqlite.pragma('journal_mode = DELETE');
    h.sqlite.pragma(`rekey="x'${newKey.toString('hex')}'"`);
    await h.close();

    expect(await firmName(folder)).toBe('Crash test');
    expect(readFileSync(folder.keyFile, 'utf8').trim()).toBe(newKey.toString('hex'));
    expect(existsSync(`${folder.keyFile}.pending`)).toBe(false);
  });

  it('ignores a pending key left when interrupted before the database changed', async () => {
    folder = await makeDataFolder();
    const h = await openTestHearth(folder);
    await keyFileProvider(folder.keyFile).write(h.meta, 'pending', randomBytes(32));
    await h.close();
    expect(await firmName(folder)).toBe('My firm');
  });
});

describe('changing the passphrase', () => {
  it('rewraps the key only: the database file is untouched, the old passphrase fails, the new one opens', async () => {
    folder = await makeDataFolder();
    const h = await openTestHearth(folder);
    await moveKey(h, passphraseProvider('first passphrase'));
    await h.close();
    const dbBefore = readFileSync(`${folder.dir}/hearth.db`);

    const opened = await openHearth({ dir: folder.dir, provider: () => passphraseProvider('first passphrase') });
    await moveKey(opened, passphraseProvider('second passphrase'));
    await opened.close();
    expect(readFileSync(`${folder.dir}/hearth.db`).equals(dbBefore)).toBe(true);

    const old = await openHearth({ dir: folder.dir, provider: () => passphraseProvider('first passphrase') }).then(
      () => null,
      (e: unknown) => e as HearthError,
    );
    expect(old?.code).toBe('WRONG_KEY');
    const fresh = await openHearth({ dir: folder.dir, provider: () => passphraseProvider('second passphrase') });
    expect(fresh.meta.source).toBe('passphrase');
    await fresh.close();
  });

  it('refuses a passphrase shorter than eight characters and keeps the old one', async () => {
    folder = await makeDataFolder();
    const h = await openTestHearth(folder);
    const error = await moveKey(h, passphraseProvider('short')).then(
      () => null,
      (e: unknown) => e as HearthError,
    );
    await h.close();
    expect(error?.code).toBe('VALIDATION');
    expect(await firmName(folder)).toBe('My firm');
  });
});

describe('importing an escrowed key', () => {
  it('rebuilds a lost key.json from the escrowed key and the folder id inside the database', async () => {
    folder = await makeDataFolder();
    const h = await openTestHearth(folder);
    const folderId = h.meta.folderId;
    const hex = await escrowKey(h);
    await h.close();
    rmSync(`${folder.dir}/key.json`);
    rmSync(folder.keyFile);

    const newKeyFile = `${folder.root}/restored.key`;
    const meta = await importKey({ dir: folder.dir, hexKey: hex, provider: () => keyFileProvider(newKeyFile) });
    expect(meta).toMatchObject({ folderId, source: 'keyfile' });
    const reopened = await openHearth({ dir: folder.dir, provider: () => keyFileProvider(newKeyFile) });
    expect(reopened.meta.folderId).toBe(folderId);
    await reopened.close();
  });

  it('refuses a key that does not open the database and writes nothing', async () => {
    folder = await makeDataFolder();
    const before = readFileSync(`${folder.dir}/key.json`, 'utf8');
    const error = await importKey({
      dir: folder.dir,
      hexKey: randomBytes(32).toString('hex'),
      provider: () => keyFileProvider(`${folder!.root}/other.key`),
    }).then(
      () => null,
      (e: unknown) => e as HearthError,
    );
    expect(error?.code).toBe('WRONG_KEY');
    expect(readFileSync(`${folder.dir}/key.json`, 'utf8')).toBe(before);
    expect(existsSync(`${folder.root}/other.key`)).toBe(false);
  });
});
