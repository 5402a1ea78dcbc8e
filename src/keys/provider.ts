// Where a data folder's 32-byte database key is kept. Each source stores a "current" and, during a rekey, a "pending" key.
import type { KeyMeta, KeySlot, KeySourceKind } from './meta.js';

export interface KeyProvider {
  readonly kind: KeySourceKind;
  /** A human description for system.info, without secrets. */
  describe(meta: KeyMeta): string;
  /** The key in a slot, or null when the slot is empty. */
  read(meta: KeyMeta, slot: KeySlot): Promise<Buffer | null>;
  /** Stores a key in a slot; returns key.json as it must now be written. */
  write(meta: KeyMeta, slot: KeySlot, key: Buffer): Promise<KeyMeta>;
  remove(meta: KeyMeta, slot: KeySlot): Promise<KeyMeta>;
}

export function withoutSlot(meta: KeyMeta, slot: KeySlot): KeyMeta {
  const slots = { ...meta.slots };
  delete slots[slot];
  return { ...meta, slots };
}
