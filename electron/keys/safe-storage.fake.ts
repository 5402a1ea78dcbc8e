// A stand-in for Electron's safeStorage in tests: reversible, and bound to one "machine" like the real one.
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
  const failure = () => new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
  const calls: string[] = [];
  return {
    calls,
    isEncryptionAvailable: () => options.available ?? true,
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    encryptString(plain) {
      calls.push('encrypt');
      return Buffer.concat([Buffer.from('v11'), xor(Buffer.from(plain, 'utf8'))]);
    },
    decryptString(encrypted) {
      calls.push('decrypt');
      if (encrypted.subarray(0, 3).toString() !== 'v11') throw failure();
      const plain = xor(encrypted.subarray(3)).toString('utf8');
      if (!/^[0-9a-f]*$/.test(plain)) throw failure();
      return plain;
    },
  };
}
