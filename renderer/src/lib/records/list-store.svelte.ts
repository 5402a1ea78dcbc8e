// The rows of a record list, fetched page by page with keyset cursors and kept current from change events:
// changed rows are fetched again, deleted rows drop out, and new records either appear (when the list is at
// its top) or wait behind an "N new" prompt so rows never move under the reader's cursor.
import { api, toApiError, type ApiError } from '../api';
import { ChangeBatch, RecordIndex, type ChangeSet } from './change-batch';
import { recordsApi } from './records-api';
import type { AnyRecord, FilterCondition, RecordEntity, SortTerm } from './types';

export const PAGE_SIZE = 100;
/** Up to this many changed rows are fetched one by one; more and the loaded range is fetched again. */
const REFETCH_ONE_BY_ONE = 40;
/** Events arrive in bursts (a bulk edit announces each record); handle them together. */
const EVENT_BATCH_MS = 120;

export interface ListQuery {
  filter: FilterCondition[];
  sort: SortTerm[];
}

export class RecordListStore {
  readonly entity: RecordEntity;
  items = $state.raw<AnyRecord[]>([]);
  /** How many records match the query, loaded or not; null until the first answer. */
  total = $state<number | null>(null);
  status = $state<'loading' | 'ready' | 'error'>('loading');
  error = $state<ApiError | null>(null);
  loadingMore = $state(false);
  moreError = $state<ApiError | null>(null);
  /** Records created elsewhere that match the query but are not shown yet. */
  newCount = $state(0);
  /** Set by the view while the reader is at the top of the list: new records can then appear in place. */
  followNew = true;

  #query: ListQuery = { filter: [], sort: [] };
  #cursor: string | null = null;
  #generation = 0;
  /** The total as of the last full load, less the rows deleted since: what `newCount` is measured against. */
  #baseTotal = 0;
  readonly #index = new RecordIndex<AnyRecord>();

  constructor(entity: RecordEntity) {
    this.entity = entity;
  }

  get hasMore(): boolean {
    return this.#cursor !== null;
  }

  get query(): ListQuery {
    return this.#query;
  }

  /** Position of a loaded record by id. */
  indexOf(id: string): number {
    return this.#index.indexOf(this.items, id);
  }

  /** Shows the first page of a new query (a skeleton meanwhile). */
  setQuery(query: ListQuery): Promise<void> {
    this.#query = query;
    return this.reload();
  }

  /**
   * Fetches the list again from its start. `quiet` keeps the current rows on screen until the answer arrives and
   * fetches as many rows as are shown now (up to one full page of the API), so the reader keeps their place.
   */
  async reload({ quiet = false }: { quiet?: boolean } = {}): Promise<void> {
    const generation = ++this.#generation;
    const limit = quiet ? Math.min(500, Math.max(PAGE_SIZE, this.items.length)) : PAGE_SIZE;
    if (!quiet) {
      this.status = 'loading';
      this.items = [];
      this.total = null;
    }
    this.error = null;
    this.moreError = null;
    this.loadingMore = false;
    try {
      const page = await recordsApi.list(this.entity, { ...this.#query, limit, count: true, cursor: null });
      if (generation !== this.#generation) return;
      this.items = page.items;
      this.#cursor = page.nextCursor;
      this.total = page.total ?? page.items.length;
      this.#baseTotal = this.total;
      this.newCount = 0;
      this.status = 'ready';
    } catch (error) {
      if (generation !== this.#generation) return;
      this.error = toApiError(error);
      if (!quiet || this.status !== 'ready') this.status = 'error';
    }
  }

  /** Fetches the next page after the last loaded row; the view calls it as the reader nears the end. */
  async loadMore(): Promise<void> {
    if (this.loadingMore || !this.#cursor || this.status !== 'ready') return;
    const generation = this.#generation;
    this.loadingMore = true;
    this.moreError = null;
    try {
      const page = await recordsApi.list(this.entity, { ...this.#query, limit: PAGE_SIZE, cursor: this.#cursor });
      if (generation !== this.#generation) return;
      // A record that moved while paging (edited, so it sorts later) must not appear twice.
      const fresh = page.items.filter((item) => this.indexOf(item.id) < 0);
      this.items = [...this.items, ...fresh];
      this.#cursor = page.nextCursor;
    } catch (error) {
      if (generation !== this.#generation) return;
      this.moreError = toApiError(error);
    } finally {
      if (generation === this.#generation) this.loadingMore = false;
    }
  }

  /** Fetches loaded records again (after an edit made here or reported by an event). */
  async refreshRecords(ids: Iterable<string>): Promise<void> {
    const loaded = [...ids].filter((id, i, all) => all.indexOf(id) === i && this.indexOf(id) >= 0);
    if (loaded.length === 0) return;
    if (loaded.length > REFETCH_ONE_BY_ONE) return this.reload({ quiet: true });
    const generation = this.#generation;
    const results = await Promise.allSettled(loaded.map((id) => recordsApi.get(this.entity, id)));
    if (generation !== this.#generation) return;
    const gone: string[] = [];
    // Positions are those of the rows as they are now; `next` is their copy with the fresh records in place.
    const next = [...this.items];
    let replaced = false;
    for (const [i, result] of results.entries()) {
      const id = loaded[i]!;
      if (result.status === 'rejected') {
        if (toApiError(result.reason).code === 'NOT_FOUND') gone.push(id);
        continue;
      }
      const record = result.value;
      if (record.deletedAt !== null) {
        gone.push(id);
        continue;
      }
      const at = this.indexOf(id);
      // An answer older than what is shown (two edits crossing) is not a step back.
      if (at < 0 || next[at]!.version > record.version) continue;
      next[at] = record;
      replaced = true;
    }
    if (replaced) this.items = next;
    if (gone.length > 0) this.remove(gone);
  }

  /** Drops rows (deleted here or elsewhere). */
  remove(ids: Iterable<string>): void {
    const drop = [...ids].map((id) => this.indexOf(id)).filter((at) => at >= 0);
    if (drop.length === 0) return;
    const before = this.items.length;
    const positions = new Uint8Array(before);
    for (const at of drop) positions[at] = 1;
    this.items = this.items.filter((_, i) => positions[i] === 0);
    const removed = before - this.items.length;
    if (removed > 0 && this.total !== null) {
      this.total = Math.max(this.items.length, this.total - removed);
      this.#baseTotal = Math.max(0, this.#baseTotal - removed);
    }
  }

  /** Shows records created elsewhere: the list from its start. */
  showNew(): Promise<void> {
    return this.reload({ quiet: true });
  }

  /** Starts following change events; returns the function that stops. */
  connect(): () => void {
    const batch = new ChangeBatch(this.entity, EVENT_BATCH_MS, (changes) => void this.#apply(changes));
    const off = api.onChange((event) => batch.add(event));
    return () => {
      off();
      batch.stop();
    };
  }

  async #apply({ created, updated, removed, resync }: ChangeSet): Promise<void> {
    if (this.status === 'loading') return;
    if (this.status === 'error' || resync) return this.reload({ quiet: true });
    if (removed.size > 0) this.remove(removed);
    if (created.size > 0 && (this.followNew || this.items.length === 0)) return this.reload({ quiet: true });
    const changed = [...updated].filter((id) => !removed.has(id));
    if (changed.length > 0) await this.refreshRecords(changed);
    if (created.size > 0 || removed.size > 0) await this.#recount();
  }

  /** Asks for the current number of matches (one row, with the count) to keep the header and "N new" right. */
  async #recount(): Promise<void> {
    const generation = this.#generation;
    try {
      const page = await recordsApi.list(this.entity, { ...this.#query, limit: 1, count: true, cursor: null });
      if (generation !== this.#generation || page.total === undefined) return;
      this.newCount = Math.max(0, page.total - this.#baseTotal);
      this.total = Math.max(page.total, this.items.length);
      if (this.newCount === 0) this.#baseTotal = page.total;
    } catch {
      // The counts stay as they were; the next event or refresh corrects them.
    }
  }
}
