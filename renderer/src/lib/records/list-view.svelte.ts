// What a record list shows: its filter, sort and columns, the saved view they came from, and the quick search.
// The column choice of the unsaved "All" view and the last view opened are remembered on this device.
import { api, toApiError, touches, type ApiError } from '../api';
import { DEFAULT_COLUMNS, sameConditions } from './fields';
import type { ListQuery } from './list-store.svelte';
import { recordsApi } from './records-api';
import type { FilterCondition, RecordEntity, SavedView, SortTerm } from './types';

const storageKey = (entity: RecordEntity, what: 'columns' | 'view') => `hearth.list.${entity}.${what}`;

function readStored<T>(key: string, valid: (value: unknown) => value is T): T | null {
  try {
    const raw = localStorage.getItem(key);
    const value = raw === null ? null : (JSON.parse(raw) as unknown);
    return valid(value) ? value : null;
  } catch {
    return null;
  }
}

function writeStored(key: string, value: unknown): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage can be full or disabled; the choice then lasts for this session only.
  }
}

const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');
const isString = (value: unknown): value is string => typeof value === 'string';

export class ListViewState {
  readonly entity: RecordEntity;
  views = $state.raw<SavedView[]>([]);
  viewsLoaded = $state(false);
  viewsError = $state<ApiError | null>(null);
  /** The saved view being shown; null is the built-in "All" view. */
  activeId = $state<string | null>(null);
  filter = $state.raw<FilterCondition[]>([]);
  sort = $state.raw<SortTerm[]>([]);
  columns = $state.raw<string[]>([]);
  /** The quick search as typed; `searchTerm` follows it after a pause. */
  search = $state('');
  searchTerm = $state('');
  saving = $state(false);

  readonly #searchField: string;
  #searchTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(entity: RecordEntity, searchField: string) {
    this.entity = entity;
    this.#searchField = searchField;
    this.columns = readStored(storageKey(entity, 'columns'), isStringList) ?? DEFAULT_COLUMNS[entity];
  }

  get active(): SavedView | null {
    return this.views.find((view) => view.id === this.activeId) ?? null;
  }

  /** The filter and sort the list asks the core for: the view's conditions plus the quick search. */
  get query(): ListQuery {
    const term = this.searchTerm.trim();
    const search: FilterCondition[] = term ? [{ field: this.#searchField, op: 'contains', value: term }] : [];
    return { filter: [...this.filter, ...search], sort: this.sort };
  }

  /** Whether the filter, sort or columns differ from the saved view (or, for "All", whether there is anything to save). */
  get changed(): boolean {
    const view = this.active;
    if (!view) return this.filter.length > 0 || this.sort.length > 0;
    return (
      !sameConditions(view.filter, this.filter) ||
      JSON.stringify(view.sort) !== JSON.stringify(this.sort) ||
      JSON.stringify(view.columns) !== JSON.stringify(this.columns)
    );
  }

  get filtered(): boolean {
    return this.filter.length > 0 || this.searchTerm.trim() !== '';
  }

  setSearch(text: string): void {
    this.search = text;
    if (this.#searchTimer) clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => (this.searchTerm = text), 250);
  }

  clearFilters(): void {
    this.filter = [];
    this.search = '';
    this.searchTerm = '';
    if (this.#searchTimer) clearTimeout(this.#searchTimer);
  }

  setColumns(columns: string[]): void {
    this.columns = columns;
    if (!this.activeId) writeStored(storageKey(this.entity, 'columns'), columns);
  }

  /** Shows a saved view, or "All" for null. */
  open(view: SavedView | null): void {
    this.activeId = view?.id ?? null;
    writeStored(storageKey(this.entity, 'view'), view?.id ?? null);
    this.filter = view ? view.filter : [];
    this.sort = view ? view.sort : [];
    this.columns = view
      ? view.columns
      : (readStored(storageKey(this.entity, 'columns'), isStringList) ?? DEFAULT_COLUMNS[this.entity]);
  }

  /** Puts the saved view's own settings back. */
  revert(): void {
    this.open(this.active);
  }

  async loadViews(): Promise<void> {
    try {
      const views = await recordsApi.views(this.entity);
      this.views = views.filter((view) => view.entity === this.entity);
      this.viewsError = null;
      if (!this.viewsLoaded) {
        this.viewsLoaded = true;
        const remembered = readStored(storageKey(this.entity, 'view'), isString);
        const view = this.views.find((candidate) => candidate.id === remembered);
        if (view) this.open(view);
      } else if (this.activeId && !this.active) {
        // Deleted elsewhere: fall back to "All" without losing what is on screen.
        this.activeId = null;
      }
    } catch (error) {
      this.viewsError = toApiError(error);
      this.viewsLoaded = true;
    }
  }

  /** Saves the current filter, sort and columns into the open view. */
  async saveActive(): Promise<SavedView> {
    const view = this.active;
    if (!view) throw new Error('No saved view is open.');
    return this.#save({ id: view.id, version: view.version, name: view.name, shared: view.shared });
  }

  /** Saves the current filter, sort and columns as a new view and opens it. */
  async saveAsNew(name: string, shared = false): Promise<SavedView> {
    const saved = await this.#save({ name, shared });
    this.open(saved);
    return saved;
  }

  async rename(view: SavedView, name: string): Promise<SavedView> {
    return this.#store(
      await recordsApi.saveView({
        id: view.id,
        version: view.version,
        entity: this.entity,
        name,
        filter: view.filter,
        sort: view.sort,
        columns: view.columns,
        shared: view.shared,
      }),
    );
  }

  async remove(view: SavedView): Promise<void> {
    await recordsApi.deleteView(view.id);
    this.views = this.views.filter((candidate) => candidate.id !== view.id);
    if (this.activeId === view.id) this.open(null);
  }

  /** Follows views saved or deleted elsewhere; returns the function that stops. */
  connect(): () => void {
    void this.loadViews();
    return api.onChange((event) => {
      if (touches(event, 'view')) void this.loadViews();
    });
  }

  async #save(fields: { id?: string; version?: number; name: string; shared: boolean }): Promise<SavedView> {
    this.saving = true;
    try {
      const saved = await recordsApi.saveView({
        ...fields,
        entity: this.entity,
        filter: this.filter,
        sort: this.sort,
        columns: this.columns,
      });
      return this.#store(saved);
    } finally {
      this.saving = false;
    }
  }

  #store(saved: SavedView): SavedView {
    const others = this.views.filter((view) => view.id !== saved.id);
    this.views = [...others, saved].sort((a, b) => a.name.localeCompare(b.name));
    return saved;
  }
}
