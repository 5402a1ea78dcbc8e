import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { KeyMeta } from '../../src/keys/meta.js';
import { safeStorageProvider, safeStorageStatus } from './safe-storage.js';
import { fakeSafeStorage } from './safe-storage.fake.js';

const emptyMeta = (): KeyMeta => ({ format: 1, folderId: 'folder-1', source: 'safeStorage', createdAt: 0, slots: {} });

describe('safeStorageProvider', () => {
  it('stores the key in key.json only as safeStorage ciphertext and reads the same key back', async () => {
    const fake = fakeSafeStorage();
    const provider = safeStorageProvider(fake, 'linux');
    const key = randomBytes(32);
    const meta = await provider.write(emptyMeta(), 'current', key);
    const stored = meta.slots.current;
    expect(typeof stored).toBe('string');
    expect(JSON.stringify(meta)).not.toContain(key.toString('hex'));
    expect(await provider.read(meta, 'current')).toEqual(key);
  });

  it('keeps a pending key beside the current one and removes it on request', async () => {
    const fake = fakeSafeStorage();
    const provider = safeStorageProvider(fake, 'linux');
    const current = randomBytes(32);
    const pending = randomBytes(32);
    let meta = await provider.write(emptyMeta(), 'current', current);
    meta = await provider.write(meta, 'pending', pending);
    expect(await provider.read(meta, 'pending')).toEqual(pending);
    meta = await provider.remove(meta, 'pending');
    expect(await provider.read(meta, 'pending')).toBeNull();
    expect(await provider.read(meta, 'current')).toEqual(current);
  });

  it.each(['basic_text', 'unknown'] as const)(
    'refuses Linux\'s "%s" backend and suggests a passphrase',
    async (backend) => {
      const fake = fakeSafeStorage({ backend });
      const provider = safeStorageProvider(fake, 'linux');
      await expect(provider.write(emptyMeta(), 'current', randomBytes(32))).rejects.toMatchObject({
        code: 'KEY_UNAVAILABLE',
        message: expect.stringMatching(/passphrase/),
      });
      expect(fake.calls).toEqual([]);
    },
  );

  it('does not ask for a Linux backend on macOS or Windows', async () => {
    const fake = fakeSafeStorage({ backend: 'unknown' });
    for (const platform of ['darwin', 'win32'] as const) {
      const provider = safeStorageProvider(fake, platform);
      const key = randomBytes(32);
      expect(await provider.read(await provider.write(emptyMeta(), 'current', key), 'current')).toEqual(key);
    }
  });

  it('refuses when encryption is not available', async () => {
    const fake = fakeSafeStorage({ available: false });
    await expect(
      safeStorageProvider(fake, 'darwin').write(emptyMeta(), 'current', randomBytes(32)),
    ).rejects.toMatchObject({
      code: 'KEY_UNAVAILABLE',
    });
  });

  it('explains a key that another machine encrypted instead of failing with a driver message', async () => {
    const here = safeStorageProvider(fakeSafeStorage({ machine: 'machine-a' }), 'linux');
    const there = safeStorageProvider(fakeSafeStorage({ machine: 'machine-b' }), 'linux');
    const meta = await here.write(emptyMeta(), 'current', randomBytes(32));
    await expect(there.read(meta, 'current')).rejects.toMatchObject({
      code: 'KEY_UNAVAILABLE',
      message: expect.stringMatching(/another computer or user account/),
    });
  });

  it('rejects a key.json whose slot holds a passphrase-wrapped key', async () => {
    const provider = safeStorageProvider(fakeSafeStorage(), 'linux');
    const meta: KeyMeta = {
      ...emptyMeta(),
      slots: { current: { kdf: 'scrypt', N: 1, r: 1, p: 1, salt: '', iv: '', tag: '', data: '' } },
    };
    await expect(provider.read(meta, 'current')).rejects.toMatchObject({ code: 'KEY_UNAVAILABLE' });
  });

  it('reports a missing current key as unavailable rather than returning nothing', async () => {
    const provider = safeStorageProvider(fakeSafeStorage(), 'linux');
    await expect(provider.read(emptyMeta(), 'current')).rejects.toMatchObject({ code: 'KEY_UNAVAILABLE' });
  });
});

describe('safeStorageStatus', () => {
  it('names the Linux keyring in use', () => {
    expect(safeStorageStatus(fakeSafeStorage({ backend: 'kwallet6' }), 'linux')).toEqual({
      available: true,
      backend: 'kwallet6',
    });
  });

  it('is unavailable with basic_text even though Electron calls encryption available', () => {
    const status = safeStorageStatus(fakeSafeStorage({ backend: 'basic_text', available: true }), 'linux');
    expect(status.available).toBe(false);
  });
});
