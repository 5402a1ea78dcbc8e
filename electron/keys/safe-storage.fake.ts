// A stand-in for Electron's safeStorage in tests: reversible, and bound to one "machine" like the real one.
import { createHmac } from 'node:crypto';
import type { SafeStorageLike } from './safe-storage.js';

type Backend = ReturnType<SafeStorageLike['getSelectedStorageBackend']>;

export interface FakeSafeStorageOptions {
  backend?: Backend;
  available?: boolean;
  /** Ciphertext from one machine does not decrypt on another. */
  machine?: string;
}

export function fakeSafeStorage(options: FakeSafeStorageOptions = {}): SafeStorageLike & { calls: string[] } {
  const machine = Buffer.from(options.machine ?? 'machine-a');
  const xor = (data: Buffer) => Buffer.from(data.map((b, i) => b ^ machine[i % machine.length]!));
  // Like the real backends, ciphertext is authenticated with the machine's key, so another machine's
  // always fails to decrypt (an XOR alone would sometimes still yield valid-looking hex).
  const tag = (plain: string) => createHmac('sha256', machine).update(plain).digest().subarray(0, 16);
  const failure = () => new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
  const calls: string[] = [];
  return {
    calls,
    isEncryptionAvailable: () => options.available ?? true,
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    encryptString(plain) {
      calls.push('encrypt');
      return Buffer.concat([Buffer.from('v11'), tag(plain), xor(Buffer.from(plain, 'utf8'))]);
    },
    decryptString(encrypted) {
      calls.push('decrypt');
      if (encrypted.subarray(0, 3).toString() !== 'v11') throw failure();
      const plain = xor(encrypted.subarray(19)).toString('utf8');
      if (!tag(plain).equals(encrypted.subarray(3, 19))) throw failure();
      return plain;
    },
  };
}
