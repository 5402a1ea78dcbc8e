// What record screens look things up in: the entity's custom fields, the tags in use and the firm's users (owner
// names and pickers). Kept live from change events.
import { api, touches } from '../api';
import { Resource } from '../state/resource.svelte';
import { recordsApi } from './records-api';
import type { FieldDefinition, RecordEntity, Tag, UserSummary } from './types';

export class RecordLookups {
  readonly entity: RecordEntity;
  readonly fields: Resource<FieldDefinition[]>;
  readonly tags: Resource<Tag[]>;
  readonly users = new Resource<UserSummary[]>(() => recordsApi.users());

  constructor(entity: RecordEntity) {
    this.entity = entity;
    this.fields = new Resource(() => recordsApi.fields(entity));
    this.tags = new Resource(() => recordsApi.tags(entity));
  }

  /** A user's name by id, for owner cells; a removed user shows as "Former user". */
  userName(id: string | null | undefined): string | null {
    if (!id) return null;
    const users = this.users.value;
    if (!users) return null;
    return users.find((user) => user.id === id)?.name ?? 'Former user';
  }

  /** Loads everything and follows changes; returns the function that stops following. */
  connect(): () => void {
    void this.fields.load();
    void this.tags.load();
    void this.users.load();
    return api.onChange((event) => {
      if (touches(event, 'field')) void this.fields.load();
      // Tags appear when records are tagged with new names, so record changes can change the list too.
      if (touches(event, 'tag', this.entity)) void this.tags.load();
      if (touches(event, 'user')) void this.users.load();
    });
  }
}
