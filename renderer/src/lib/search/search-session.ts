// Search as you type: waits for a pause in typing, and shows only the newest query's answer however the answers
// arrive.
import type { SearchAnswer, SearchMode, SearchResult } from './types';

/** The longest query the API takes. */
export const MAX_QUERY_LENGTH = 200;

export interface SearchView {
  /** The query as it is now (trimmed). */
  query: string;
  /** The newest answer shown and the query it answers; null until the first arrives. */
  answer: { query: string; results: SearchResult[]; mode: SearchMode } | null;
  /** The answer for `query` is still to come. */
  loading: boolean;
  /** Why the call for `query` failed; null when it did not. */
  error: unknown;
}

export type SearchFetch = (query: string) => Promise<SearchAnswer>;

export class SearchSession {
  readonly #fetch: SearchFetch;
  readonly #publish: (view: SearchView) => void;
  readonly #delayMs: number;
  #view: SearchView = { query: '', answer: null, loading: false, error: null };
  /** Numbers the calls, so an answer that is no longer the newest is dropped. */
  #sequence = 0;
  /** The query of the newest call, answered or not. */
  #asked: string | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #disposed = false;

  constructor(fetch: SearchFetch, publish: (view: SearchView) => void, delayMs = 100) {
    this.#fetch = fetch;
    this.#publish = publish;
    this.#delayMs = delayMs;
  }

  get view(): SearchView {
    return this.#view;
  }

  /** Asks for `text` after a pause in typing (at once with `immediate`, for the first query of a session). */
  search(text: string, { immediate = false } = {}): void {
    if (this.#disposed) return;
    const query = normalizeQuery(text);
    if (query === this.#asked && this.#view.error === null) {
      // Same query as the newest call (a space typed at the end): nothing new to ask.
      this.#update({ query });
      return;
    }
    this.#clearTimer();
    this.#asked = query;
    const sequence = ++this.#sequence;
    this.#update({ query, loading: true, error: null });
    const run = () => void this.#run(sequence, query);
    if (immediate) run();
    else this.#timer = setTimeout(run, this.#delayMs);
  }

  /** Asks again for the current query (after an error). */
  retry(): void {
    this.search(this.#view.query, { immediate: true });
  }

  dispose(): void {
    this.#disposed = true;
    this.#clearTimer();
  }

  async #run(sequence: number, query: string): Promise<void> {
    this.#timer = null;
    try {
      const answer = await this.#fetch(query);
      if (this.#disposed || sequence !== this.#sequence) return;
      this.#update({ answer: { query, results: answer.results, mode: answer.mode }, loading: false, error: null });
    } catch (error) {
      if (this.#disposed || sequence !== this.#sequence) return;
      this.#update({ loading: false, error });
    }
  }

  #update(change: Partial<SearchView>): void {
    this.#view = { ...this.#view, ...change };
    this.#publish(this.#view);
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}

/** The query as sent: without surrounding spaces and no longer than the API takes. */
export function normalizeQuery(text: string): string {
  return text.trim().slice(0, MAX_QUERY_LENGTH);
}
