// Who can own or be assigned records, and the tags in use: loaded once, shared by every picker, kept live.
import { api, touches } from '../../../lib/api';
import { Resource } from '../../../lib/state/resource.svelte';
import { call, type Entity, type Tag, type User } from '../types';

class Directory {
  readonly users = new Resource<User[]>(async () => (await call('users.list', {})).items);
  readonly tags = new Resource<Tag[]>(async () => (await call('tags.list', {})).items);
  #started = false;
  #tagTimer: ReturnType<typeof setTimeout> | null = null;

  /** Loads on first use; later change events keep the lists current. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    void this.users.load();
    void this.tags.load();
    api.onChange((event) => {
      if (touches(event, 'user')) void this.users.load();
      if (!touches(event, 'tag', 'person', 'company')) return;
      // Saving a record may create tags; a burst of saves needs one reload.
      if (this.#tagTimer) clearTimeout(this.#tagTimer);
      this.#tagTimer = setTimeout(() => void this.tags.load(), 300);
    });
  }

  userName(id: string | null | undefined): string | undefined {
    if (!id) return undefined;
    return this.users.value?.find((user) => user.id === id)?.name;
  }

  tagNames(entity?: Entity): string[] {
    const tags = this.tags.value ?? [];
    const used = entity ? tags.filter((tag) => tag.counts[entity] > 0) : tags;
    // Tags used on this kind of record first, then the rest of the workspace's.
    return [...new Set([...used, ...tags].map((tag) => tag.name))];
  }
}

export const directory = new Directory();
