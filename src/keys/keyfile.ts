// A key file an administrator controls (headless hosts): 64 hex characters, kept outside the data folder.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { HearthError } from '../api/errors.js';
import { writeFileAtomic, type KeySlot } from './meta.js';
import type { KeyProvider } from './provider.js';

export function parseKeyHex(text: string, where: string): Buffer {
  const hex = text.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new HearthError('KEY_UNAVAILABLE', `${where} must hold exactly 64 hexadecimal characters (a 32-byte key).`);
  }
  return Buffer.from(hex, 'hex');
}

export function keyFileProvider(path: string): KeyProvider {
  const fileFor = (slot: KeySlot) => (slot === 'current' ? path : `${path}.pending`);
  return {
    kind: 'keyfile',
    describe: () => `key file ${path}`,
    async read(_meta, slot) {
      const file = fileFor(slot);
      if (!existsSync(file)) {
        if (slot === 'pending') return null;
        throw new HearthError('KEY_UNAVAILABLE', `The key file ${file} does not exist.`);
      }
      return parseKeyHex(readFileSync(file, 'utf8'), file);
    },
    async write(meta, slot, key) {
      writeFileAtomic(fileFor(slot), key.toString('hex') + '\n', 0o600);
      return meta;
    },
    async remove(meta, slot) {
      if (slot === 'pending') rmSync(fileFor(slot), { force: true });
      return meta;
    },
  };
}
