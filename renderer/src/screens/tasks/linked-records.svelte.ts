// Names of the people and companies tasks link to, fetched once per record and shared by every row.
import { SvelteMap } from 'svelte/reactivity';
import { api, toApiError } from '../../lib/api';

export type LinkedEntity = 'person' | 'company';

export interface LinkedName {
  name: string;
  /** In the trash or gone: still shown, but not as a working link. */
  missing: boolean;
}

class LinkedRecordNames {
  readonly #names = new SvelteMap<string, LinkedName>();
  readonly #asked = new Set<string>();

  /** The record's name, or undefined while it loads (fetching it on first ask). */
  name(entity: LinkedEntity, id: string): LinkedName | undefined {
    const key = `${entity}:${id}`;
    if (!this.#asked.has(key)) {
      this.#asked.add(key);
      void this.#fetch(entity, id, key);
    }
    return this.#names.get(key);
  }

  /** Fetches again the names already shown of these records (after a change event: a rename, a delete). */
  refresh(entity: LinkedEntity, ids: string[]): void {
    for (const id of ids) {
      const key = `${entity}:${id}`;
      if (this.#asked.has(key)) void this.#fetch(entity, id, key);
    }
  }

  async #fetch(entity: LinkedEntity, id: string, key: string): Promise<void> {
    try {
      if (entity === 'person') {
        const person = await api.call('people.get', { id });
        this.#names.set(key, { name: person.displayName, missing: person.deletedAt !== null });
      } else {
        const company = await api.call('companies.get', { id });
        this.#names.set(key, { name: company.name, missing: company.deletedAt !== null });
      }
    } catch (error) {
      const gone = toApiError(error).code === 'NOT_FOUND';
      this.#names.set(key, { name: gone ? 'Deleted record' : 'Unavailable', missing: true });
    }
  }
}

export const linkedNames = new LinkedRecordNames();
