// What differs between people, companies and deals in the renderer: names, routes and the quick-search field.
import type { RecordEntity } from './types';

export interface EntityInfo {
  entity: RecordEntity;
  singular: string;
  plural: string;
  /** Title case plural, for headings and "All people". */
  title: string;
  /** The list's route; a record's page is `${route}/${id}`. */
  route: string;
  /** The field the quick search box filters with `contains`. */
  searchField: string;
}

export const ENTITIES: Record<RecordEntity, EntityInfo> = {
  person: {
    entity: 'person',
    singular: 'person',
    plural: 'people',
    title: 'People',
    route: '/people',
    searchField: 'name',
  },
  company: {
    entity: 'company',
    singular: 'company',
    plural: 'companies',
    title: 'Companies',
    route: '/companies',
    searchField: 'name',
  },
  deal: {
    entity: 'deal',
    singular: 'deal',
    plural: 'deals',
    title: 'Deals',
    route: '/deals',
    searchField: 'title',
  },
};

/** The hash link to a record's page. */
export function recordHref(entity: RecordEntity, id: string): string {
  return `#${ENTITIES[entity].route}/${id}`;
}
