// Data fetched from the core that a screen shows: its value, whether it is loading, and the last error.
import { toApiError, type ApiError } from '../api';

export class Resource<T> {
  value = $state<T | null>(null);
  error = $state<ApiError | null>(null);
  loading = $state(false);

  readonly #fetch: () => Promise<T>;
  #generation = 0;

  constructor(fetch: () => Promise<T>) {
    this.#fetch = fetch;
  }

  /** Nothing to show yet: render a skeleton. */
  get pending(): boolean {
    return this.value === null && this.error === null;
  }

  /**
   * Fetches again. The current value stays on screen meanwhile, so live refreshes don't flash a skeleton;
   * an answer that arrives after a newer request started is dropped.
   */
  async load(): Promise<void> {
    const generation = ++this.#generation;
    this.loading = true;
    try {
      const value = await this.#fetch();
      if (generation !== this.#generation) return;
      this.value = value;
      this.error = null;
    } catch (error) {
      if (generation !== this.#generation) return;
      this.error = toApiError(error);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  /** Replaces the value with one the caller already has (e.g. the answer to an update). */
  set(value: T): void {
    this.#generation++;
    this.value = value;
    this.error = null;
    this.loading = false;
  }
}
