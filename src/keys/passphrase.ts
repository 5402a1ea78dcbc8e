// A passphrase the user types: scrypt derives a wrapping key, AES-256-GCM wraps the random database key.
import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb, type ScryptOptions } from 'node:crypto';
import { HearthError } from '../api/errors.js';
import type { KeyMeta, KeySlot, WrappedKey } from './meta.js';
import { withoutSlot, type KeyProvider } from './provider.js';

const SCRYPT = { N: 2 ** 17, r: 8, p: 1 };
export const MIN_PASSPHRASE_LENGTH = 8;

function scrypt(passphrase: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(passphrase.normalize('NFC'), salt, 32, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function wrapKey(key: Buffer, passphrase: string, folderId: string): Promise<WrappedKey> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const kek = await scrypt(passphrase, salt, { ...SCRYPT, maxmem: 256 * 1024 * 1024 });
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(Buffer.from(folderId));
  const data = Buffer.concat([cipher.update(key), cipher.final()]);
  return {
    kdf: 'scrypt',
    ...SCRYPT,
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

export async function unwrapKey(wrapped: WrappedKey, passphrase: string, folderId: string): Promise<Buffer> {
  const kek = await scrypt(passphrase, Buffer.from(wrapped.salt, 'base64'), {
    N: wrapped.N,
    r: wrapped.r,
    p: wrapped.p,
    maxmem: 256 * 1024 * 1024,
  });
  const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(wrapped.iv, 'base64'));
  decipher.setAAD(Buffer.from(folderId));
  decipher.setAuthTag(Buffer.from(wrapped.tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(wrapped.data, 'base64')), decipher.final()]);
  } catch {
    throw new HearthError('WRONG_KEY', 'The passphrase is wrong.');
  }
}

export function passphraseProvider(passphrase: string): KeyProvider {
  return {
    kind: 'passphrase',
    describe: () => 'passphrase (scrypt, AES-256-GCM)',
    async read(meta: KeyMeta, slot: KeySlot) {
      const wrapped = meta.slots[slot];
      if (wrapped === undefined) return null;
      if (typeof wrapped === 'string')
        throw new HearthError('KEY_UNAVAILABLE', 'key.json does not hold a passphrase-wrapped key.');
      return unwrapKey(wrapped, passphrase, meta.folderId);
    },
    async write(meta, slot, key) {
      if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
        throw new HearthError('VALIDATION', `A passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters.`, {
          issues: [{ path: 'passphrase', message: `at least ${MIN_PASSPHRASE_LENGTH} characters` }],
        });
      }
      return { ...meta, slots: { ...meta.slots, [slot]: await wrapKey(key, passphrase, meta.folderId) } };
    },
    async remove(meta, slot) {
      return withoutSlot(meta, slot);
    },
  };
}
