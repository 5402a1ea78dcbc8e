// A record's timeline: pages of activities, notes, tasks and changes, newest first, kept current by change events.
import { api, toApiError, touches, type ApiError } from '../../../lib/api';
import { call, type TimelineEntity, type TimelineItem } from '../types';

const PAGE = 30;

export function itemKey(item: TimelineItem): string {
  switch (item.type) {
    case 'activity':
      return `activity:${item.activity.id}`;
    case 'note':
      return `note:${item.note.id}`;
    case 'task':
      return `task:${item.task.id}`;
    case 'change':
      return `change:${item.change.id}`;
    case 'deal':
      return `deal:${item.deal.id}`;
  }
}

export class TimelineState {
  readonly entity: TimelineEntity;
  readonly id: string;
  items = $state<TimelineItem[]>([]);
  nextCursor = $state<string | null>(null);
  /** The first page has arrived (or failed). */
  loaded = $state(false);
  error = $state<ApiError | null>(null);
  loadingMore = $state(false);
  moreError = $state<ApiError | null>(null);
  refreshing = $state(false);

  #generation = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(entity: TimelineEntity, id: string) {
    this.entity = entity;
    this.id = id;
  }

  /** Loads the first page and follows change events until the returned function is called. */
  start(): () => void {
    void this.refresh();
    const stop = api.onChange((event) => {
      const mine = event?.changes.some((change) => change.entity === this.entity && change.id === this.id);
      if (event === null || mine || touches(event, 'activity', 'note', 'task')) this.refreshSoon();
    });
    return () => {
      stop();
      if (this.#timer) clearTimeout(this.#timer);
    };
  }

  /** Several events often arrive together (a save and its tags); one refresh answers them all. */
  refreshSoon(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.refresh(), 150);
  }

  /**
   * Fetches the newest page again and puts it in front of the older items already loaded, so a live update
   * neither drops what the user scrolled to nor shows anything twice.
   */
  async refresh(): Promise<void> {
    const generation = ++this.#generation;
    this.refreshing = true;
    try {
      const page = await call('timeline.get', { entity: this.entity, id: this.id, limit: PAGE });
      if (generation !== this.#generation) return;
      const keys = page.items.map(itemKey);
      const oldest = page.items.at(-1)?.at ?? Infinity;
      const tail = page.nextCursor
        ? this.items.filter((item) => !keys.includes(itemKey(item)) && item.at < oldest)
        : [];
      this.nextCursor = tail.length > 0 ? this.nextCursor : page.nextCursor;
      this.items = [...page.items, ...tail];
      this.error = null;
    } catch (error) {
      if (generation === this.#generation) this.error = toApiError(error);
    } finally {
      if (generation === this.#generation) {
        this.loaded = true;
        this.refreshing = false;
      }
    }
  }

  async loadMore(): Promise<void> {
    if (!this.nextCursor || this.loadingMore) return;
    this.loadingMore = true;
    this.moreError = null;
    const cursor = this.nextCursor;
    try {
      const page = await call('timeline.get', { entity: this.entity, id: this.id, limit: PAGE, cursor });
      if (cursor !== this.nextCursor) return;
      const keys = this.items.map(itemKey);
      this.items = [...this.items, ...page.items.filter((item) => !keys.includes(itemKey(item)))];
      this.nextCursor = page.nextCursor;
    } catch (error) {
      this.moreError = toApiError(error);
    } finally {
      this.loadingMore = false;
    }
  }

  /** Shows an item the user just created or changed at once, before the refresh confirms it. */
  put(item: TimelineItem): void {
    const key = itemKey(item);
    const at = this.items.findIndex((existing) => itemKey(existing) === key);
    if (at >= 0) this.items[at] = item;
    else this.items = [item, ...this.items].sort((a, b) => b.at - a.at);
  }

  remove(key: string): void {
    this.items = this.items.filter((item) => itemKey(item) !== key);
  }
}
