import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HearthError } from '../src/api/errors.js';
import { defineProcedure } from '../src/api/procedure.js';
import { registry } from '../src/api/registry.js';
import { openDatabase } from '../src/db/connection.js';
import { initDataFolder, openHearth } from '../src/datafolder/hearth.js';
import { keyFileProvider } from '../src/keys/keyfile.js';
import { passphraseProvider } from '../src/keys/passphrase.js';
import { makeDataFolder, openTestHearth, type TempFolder } from './support/data-folder.js';
import { filesContaining, listFiles, snapshot } from './support/files.js';

const MARKER = 'ZEBRA-MARKER-7Q2X-plaintext-must-not-leak';

let folder: TempFolder | undefined;
afterEach(() => folder?.cleanup());

async function expectCode(promise: Promise<unknown>, code: string): Promise<HearthError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HearthError);
  expect((error as HearthError).code).toBe(code);
  return error as HearthError;
}

describe('data at rest', () => {
  it('stores the database in a file that is not plain SQLite', async () => {
    folder = await makeDataFolder();
    const header = readFileSync(join(folder.dir, 'hearth.db')).subarray(0, 16).toString('latin1');
    expect(header).not.toBe('SQLite format 3\0');
  });

  it('never writes a value given through the API in plaintext to any file of the data folder', async () => {
    folder = await makeDataFolder();
    const leaky = defineProcedure({
      name: 'test.fail',
      summary: 'throws an error quoting its input, as a driver error might',
      input: z.object({ text: z.string() }).strict(),
      permission: 'records.write',
      mutates: true,
      handler(_ctx, input) {
        throw new Error(`constraint failed for ${input.text}`);
      },
    });
    const hearth = await openHearth({
      dir: folder.dir,
      provider: () => keyFileProvider(folder!.keyFile),
      registry: { ...registry, [leaky.name]: leaky },
    });
    const settings = await hearth.dispatcher.call('settings.get', {}, hearth.localActor);
    expect(settings.ok).toBe(true);
    const version = settings.ok ? (settings.value as { version: number }).version : 0;
    const updated = await hearth.dispatcher.call(
      'settings.update',
      { version, patch: { firmName: MARKER } },
      hearth.localActor,
    );
    expect(updated.ok).toBe(true);
    // An internal error whose message quotes the input must not reach the log either.
    const failed = await hearth.dispatcher.call('test.fail', { text: MARKER }, hearth.localActor);
    expect(failed.ok).toBe(false);
    hearth.backup(join(folder.dir, 'backups', 'manual.db'));

    // While open, the WAL and shared-memory files exist and must be encrypted too.
    expect(existsSync(join(folder.dir, 'hearth.db-wal'))).toBe(true);
    expect(filesContaining(folder.dir, MARKER)).toEqual([]);
    await hearth.close();

    const files = listFiles(folder.dir).map((f) => f.slice(folder!.dir.length + 1));
    expect(files).toEqual(expect.arrayContaining(['hearth.db', 'key.json', 'backups/manual.db', 'logs/hearth.log']));
    expect(readFileSync(join(folder.dir, 'logs', 'hearth.log'), 'utf8')).toContain('internal-error');
    expect(filesContaining(folder.dir, MARKER)).toEqual([]);
    expect(filesContaining(folder.root, MARKER)).toEqual([]);

    // And the value really was stored: it reads back through the API.
    const reopened = await openTestHearth(folder);
    const read = await reopened.dispatcher.call('settings.get', {}, reopened.localActor);
    expect(read.ok && (read.value as { firmName: string }).firmName).toBe(MARKER);
    await reopened.close();
  });

  it('keeps the raw key out of key.json when a passphrase protects it', async () => {
    folder = await makeDataFolder();
    const hearth = await openTestHearth(folder);
    const rawKey = readFileSync(folder.keyFile, 'utf8').trim();
    await hearth.close();
    const dir = join(folder.root, 'pp');
    await initDataFolder({ dir, provider: passphraseProvider('a long passphrase'), key: Buffer.from(rawKey, 'hex') });
    const keyJson = readFileSync(join(dir, 'key.json'), 'utf8');
    expect(keyJson).not.toContain(rawKey);
    expect(keyJson).not.toContain(Buffer.from(rawKey, 'hex').toString('base64'));
    expect(JSON.parse(keyJson).source).toBe('passphrase');
  });
});

describe('a wrong key', () => {
  it('is refused with WRONG_KEY and leaves every file byte-for-byte unchanged', async () => {
    folder = await makeDataFolder();
    const before = snapshot(folder.dir);
    const wrongKeyFile = join(folder.root, 'wrong.key');
    writeFileSync(wrongKeyFile, randomBytes(32).toString('hex'));
    const error = await expectCode(
      openHearth({ dir: folder.dir, provider: () => keyFileProvider(wrongKeyFile) }),
      'WRONG_KEY',
    );
    expect(error.message).toMatch(/key/i);
    expect(snapshot(folder.dir)).toEqual(before);
  });

  it('given as a wrong passphrase is refused with WRONG_KEY and changes nothing', async () => {
    const root = (folder = await makeDataFolder()).root;
    const dir = join(root, 'pp');
    await initDataFolder({ dir, provider: passphraseProvider('the right passphrase') });
    const before = snapshot(dir);
    await expectCode(openHearth({ dir, provider: () => passphraseProvider('not the passphrase') }), 'WRONG_KEY');
    expect(snapshot(dir)).toEqual(before);
    const opened = await openHearth({ dir, provider: () => passphraseProvider('the right passphrase') });
    await opened.close();
  });

  it('is detected at open even on a raw connection (PRAGMA key alone accepts any key)', async () => {
    folder = await makeDataFolder();
    const before = snapshot(folder.dir);
    expect(() => openDatabase({ file: join(folder!.dir, 'hearth.db'), key: randomBytes(32) })).toThrow(
      expect.objectContaining({ code: 'WRONG_KEY' }),
    );
    expect(snapshot(folder.dir)).toEqual(before);
  });
});
