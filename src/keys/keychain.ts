// The OS keychain through keytar (Secret Service on Linux, Keychain on macOS, Credential Vault on Windows).
import type * as KeytarModule from 'keytar';
import { HearthError } from '../api/errors.js';
import type { KeyMeta, KeySlot } from './meta.js';
import type { KeyProvider } from './provider.js';
import { parseKeyHex } from './keyfile.js';

export const KEYCHAIN_SERVICE = 'Hearth CRM';

type Keytar = typeof KeytarModule;

async function loadKeytar(): Promise<Keytar> {
  try {
    const mod = (await import('keytar')) as Keytar & { default?: Keytar };
    return mod.default ?? mod;
  } catch (error) {
    throw unavailable(error);
  }
}

function unavailable(error: unknown): HearthError {
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return new HearthError(
    'KEY_UNAVAILABLE',
    `The OS keychain is not available here (${reason}). Use a passphrase (--passphrase-file) or a key file (--key-file) instead.`,
  );
}

const account = (meta: KeyMeta, slot: KeySlot) => (slot === 'current' ? meta.folderId : `${meta.folderId}.pending`);

export function keychainProvider(): KeyProvider {
  return {
    kind: 'keychain',
    describe: () => `OS keychain (service "${KEYCHAIN_SERVICE}")`,
    async read(meta, slot) {
      const keytar = await loadKeytar();
      let value: string | null;
      try {
        value = await keytar.getPassword(KEYCHAIN_SERVICE, account(meta, slot));
      } catch (error) {
        throw unavailable(error);
      }
      if (value === null) {
        if (slot === 'pending') return null;
        throw new HearthError(
          'KEY_UNAVAILABLE',
          `The OS keychain has no key for this data folder (account ${meta.folderId}). Restore the key from escrow with \`hearth key import\`.`,
        );
      }
      return parseKeyHex(value, 'The keychain entry');
    },
    async write(meta, slot, key) {
      const keytar = await loadKeytar();
      try {
        await keytar.setPassword(KEYCHAIN_SERVICE, account(meta, slot), key.toString('hex'));
      } catch (error) {
        throw unavailable(error);
      }
      return meta;
    },
    async remove(meta, slot) {
      const keytar = await loadKeytar();
      try {
        await keytar.deletePassword(KEYCHAIN_SERVICE, account(meta, slot));
      } catch (error) {
        throw unavailable(error);
      }
      return meta;
    },
  };
}
