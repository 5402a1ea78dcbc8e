// The desktop app's default key source: the OS keychain through Electron's safeStorage, wrapping the key kept in key.json.
import type { SafeStorage } from 'electron';
import { HearthError } from '../../src/api/errors.js';
import { parseKeyHex } from '../../src/keys/keyfile.js';
import type { KeyMeta, KeySlot } from '../../src/keys/meta.js';
import { withoutSlot, type KeyProvider } from '../../src/keys/provider.js';

/**
 * The part of Electron's safeStorage this provider uses. Taking it as a parameter keeps this module free
 * of runtime Electron imports, so it runs under Node with a fake in tests.
 */
export type SafeStorageLike = Pick<
  SafeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'
>;

export type SafeStorageStatus = { available: true; backend: string } | { available: false; reason: string };

/**
 * On Linux without a keyring, Chromium falls back to `basic_text`: secrets "encrypted" with a password
 * that is the same in every copy of Chromium, which protects nothing. `unknown` means no backend was
 * chosen (called before the app was ready), which is no better.
 */
const UNSAFE_LINUX_BACKENDS = new Set(['basic_text', 'unknown']);

export function safeStorageStatus(
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform = process.platform,
): SafeStorageStatus {
  let backend = platform === 'darwin' ? 'macOS Keychain' : platform === 'win32' ? 'Windows DPAPI' : 'unknown';
  if (platform === 'linux') {
    backend = safeStorage.getSelectedStorageBackend();
    if (UNSAFE_LINUX_BACKENDS.has(backend)) {
      return {
        available: false,
        reason:
          `No OS keyring is available to Hearth here (Electron's safeStorage backend is "${backend}", which ` +
          'would keep the key under a password built into every copy of Chromium). Protect the data with a ' +
          'passphrase instead, or start Hearth in a desktop session with GNOME Keyring or KWallet running.',
      };
    }
  }
  if (!safeStorage.isEncryptionAvailable()) {
    return {
      available: false,
      reason: 'The OS keychain is not available to Hearth here. Protect the data with a passphrase instead.',
    };
  }
  return { available: true, backend };
}

function requireAvailable(safeStorage: SafeStorageLike, platform: NodeJS.Platform): void {
  const status = safeStorageStatus(safeStorage, platform);
  if (!status.available) throw new HearthError('KEY_UNAVAILABLE', status.reason);
}

/** Slots hold the base64 of `safeStorage.encryptString(<64 hex characters>)`. */
export function safeStorageProvider(
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform = process.platform,
): KeyProvider {
  return {
    kind: 'safeStorage',
    describe() {
      const status = safeStorageStatus(safeStorage, platform);
      return status.available
        ? `OS keychain through Electron safeStorage (${status.backend})`
        : 'OS keychain through Electron safeStorage (unavailable)';
    },
    async read(meta: KeyMeta, slot: KeySlot) {
      const stored = meta.slots[slot];
      if (stored === undefined) {
        if (slot === 'pending') return null;
        throw new HearthError(
          'KEY_UNAVAILABLE',
          'key.json holds no key for this data folder; restore it from a backup of the folder.',
        );
      }
      if (typeof stored !== 'string') {
        throw new HearthError('KEY_UNAVAILABLE', 'key.json does not hold a key protected by the OS keychain.');
      }
      requireAvailable(safeStorage, platform);
      let hex: string;
      try {
        hex = safeStorage.decryptString(Buffer.from(stored, 'base64'));
      } catch {
        // safeStorage keys belong to one OS user on one machine; a copied folder lands here.
        throw new HearthError(
          'KEY_UNAVAILABLE',
          "The OS keychain cannot unlock this data folder's key. Was the folder copied from another computer or " +
            'user account? Open it there, or put the escrowed key back under a passphrase with ' +
            '`hearth key import --hex-file FILE --passphrase` and unlock Hearth with that passphrase.',
        );
      }
      return parseKeyHex(hex, 'The key kept by the OS keychain');
    },
    async write(meta, slot, key) {
      requireAvailable(safeStorage, platform);
      const encrypted = safeStorage.encryptString(key.toString('hex'));
      return { ...meta, slots: { ...meta.slots, [slot]: encrypted.toString('base64') } };
    },
    async remove(meta, slot) {
      return withoutSlot(meta, slot);
    },
  };
}
