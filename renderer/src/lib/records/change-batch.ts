// Gathers change events for one entity over a short window, so a burst (a bulk edit announces every record) is
// handled once: which records appeared, changed or went, and whether events may have been missed.
import type { HearthEvent } from '../api';

export interface ChangeSet {
  created: Set<string>;
  updated: Set<string>;
  removed: Set<string>;
  /** Events may have been missed (the connection came back): everything shown should be fetched again. */
  resync: boolean;
}

const empty = (): ChangeSet => ({ created: new Set(), updated: new Set(), removed: new Set(), resync: false });

export class ChangeBatch {
  readonly #entity: string;
  readonly #delayMs: number;
  readonly #flush: (changes: ChangeSet) => void;
  #pending = empty();
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(entity: string, delayMs: number, flush: (changes: ChangeSet) => void) {
    this.#entity = entity;
    this.#delayMs = delayMs;
    this.#flush = flush;
  }

  add(event: HearthEvent | null): void {
    if (event === null) this.#pending.resync = true;
    else if (event.type === 'change') {
      for (const change of event.changes) {
        if (change.entity !== this.#entity) continue;
        if (change.action === 'create' || change.action === 'restore') this.#pending.created.add(change.id);
        else if (change.action === 'update') this.#pending.updated.add(change.id);
        else this.#pending.removed.add(change.id);
      }
    }
    const { created, updated, removed, resync } = this.#pending;
    if (!resync && created.size + updated.size + removed.size === 0) return;
    this.#timer ??= setTimeout(() => {
      this.#timer = null;
      const changes = this.#pending;
      this.#pending = empty();
      this.#flush(changes);
    }, this.#delayMs);
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#pending = empty();
  }
}

/** Positions of records by id, rebuilt only when the array it indexes is replaced. */
export class RecordIndex<T extends { id: string }> {
  #items: readonly T[] | null = null;
  #positions = new Map<string, number>();

  indexOf(items: readonly T[], id: string): number {
    if (items !== this.#items) {
      this.#positions = new Map(items.map((item, i) => [item.id, i]));
      this.#items = items;
    }
    return this.#positions.get(id) ?? -1;
  }
}
