// The records procedures the list screens call, with one signature for people, companies and deals.
import { api } from '../api';
import type {
  BulkPatch,
  Deal,
  FieldDefinition,
  ListInput,
  ListOutput,
  RecordEntity,
  RecordOf,
  SavedView,
  Tag,
  UserSummary,
} from './types';

type SaveViewInput = Parameters<typeof api.call<'views.save'>>[1];

/** Only the fields the area's own bulk update accepts (people have stages, companies sizes). */
function bulkPatchFor(entity: RecordEntity, patch: BulkPatch) {
  const { ownerId, addTags, removeTags, custom, lifecycleStage, source, industry, size } = patch;
  const common = { ownerId, addTags, removeTags, custom };
  const all = entity === 'person' ? { ...common, lifecycleStage, source } : { ...common, industry, size };
  return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
}

/** The fields deals.bulkUpdate takes (stages change through deals.move). */
function dealBulkPatch(patch: BulkPatch) {
  const { ownerId, addTags, removeTags, custom, source } = patch;
  const all = { ownerId, addTags, removeTags, custom, source };
  return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
}

export const recordsApi = {
  async list<E extends RecordEntity>(entity: E, input: ListInput): Promise<ListOutput<RecordOf<E>>> {
    const page =
      entity === 'person'
        ? await api.call('people.list', input)
        : entity === 'company'
          ? await api.call('companies.list', input)
          : await api.call('deals.list', input);
    return page as ListOutput<RecordOf<E>>;
  },
  async get<E extends RecordEntity>(entity: E, id: string): Promise<RecordOf<E>> {
    const record =
      entity === 'person'
        ? await api.call('people.get', { id })
        : entity === 'company'
          ? await api.call('companies.get', { id })
          : ((await api.call('deals.get', { id })) as Deal);
    return record as RecordOf<E>;
  },
  bulkUpdate(entity: RecordEntity, ids: string[], patch: BulkPatch): Promise<{ updated: number }> {
    if (entity === 'deal') return api.call('deals.bulkUpdate', { ids, patch: dealBulkPatch(patch) });
    const clean = bulkPatchFor(entity, patch);
    return entity === 'person'
      ? api.call('people.bulkUpdate', { ids, patch: clean })
      : api.call('companies.bulkUpdate', { ids, patch: clean });
  },
  bulkDelete(entity: RecordEntity, ids: string[]): Promise<{ deleted: number }> {
    if (entity === 'deal') return api.call('deals.bulkDelete', { ids });
    return entity === 'person' ? api.call('people.bulkDelete', { ids }) : api.call('companies.bulkDelete', { ids });
  },
  restore(entity: RecordEntity, id: string): Promise<unknown> {
    if (entity === 'deal') return api.call('deals.restore', { id });
    return entity === 'person' ? api.call('people.restore', { id }) : api.call('companies.restore', { id });
  },
  async fields(entity: RecordEntity): Promise<FieldDefinition[]> {
    return (await api.call('fields.list', { entity })).items;
  },
  async tags(entity: RecordEntity): Promise<Tag[]> {
    return (await api.call('tags.list', { entity })).items;
  },
  async users(): Promise<UserSummary[]> {
    return (await api.call('users.list', {})).items;
  },
  async views(entity: RecordEntity): Promise<SavedView[]> {
    return (await api.call('views.list', { entity })).items;
  },
  saveView(view: Omit<SaveViewInput, 'entity'> & { entity: RecordEntity }): Promise<SavedView> {
    return api.call('views.save', view as SaveViewInput);
  },
  deleteView(id: string): Promise<unknown> {
    return api.call('views.delete', { id });
  },
};
