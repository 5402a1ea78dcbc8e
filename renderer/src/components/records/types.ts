// The records API as the record pages use it (people, companies, custom fields, the timeline and its items).
import { api, type InputOf, type OutputOf, type ProcedureName } from '../../lib/api';

export type Entity = 'person' | 'company';
/** Records with a timeline: people, companies and deals. */
export type TimelineEntity = Entity | 'deal';

export type Person = OutputOf<'people.get'>;
export type Company = OutputOf<'companies.get'>;
export type Address = Person['address'];
export type EmailEntry = Person['emails'][number];
export type PhoneEntry = Person['phones'][number];
export type CompanyLink = Person['companies'][number];
export type LifecycleStage = NonNullable<Person['lifecycleStage']>;
export type CompanySize = NonNullable<Company['size']>;
export type CustomValues = Person['custom'];
export type RecordOf<E extends Entity> = E extends 'person' ? Person : Company;
export type FieldDefinition = OutputOf<'fields.list'>['items'][number];
export type CustomFieldType = FieldDefinition['type'];
export type Activity = OutputOf<'activities.get'>;
export type ActivityKind = Activity['kind'];
export type Note = OutputOf<'notes.get'>;
export type Task = OutputOf<'tasks.get'>;
export type TimelineItem = OutputOf<'timeline.get'>['items'][number];
export type Change = Extract<TimelineItem, { type: 'change' }>['change'];
export type User = OutputOf<'users.list'>['items'][number];
export type Tag = OutputOf<'tags.list'>['items'][number];

export interface Links {
  personIds: string[];
  companyIds: string[];
  dealIds: string[];
}

export interface ListFilter {
  field: string;
  op: 'eq' | 'neq' | 'contains' | 'startsWith' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'isEmpty';
  value?: unknown;
}

export interface ListInput {
  filter?: ListFilter[];
  sort?: Array<{ field: string; dir: 'asc' | 'desc' }>;
  limit?: number;
  cursor?: string | null;
  count?: boolean;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  total?: number;
}

/** A typed call to a records procedure; errors arrive as ApiError like any other call. */
export function call<N extends ProcedureName>(name: N, input: InputOf<N>): Promise<OutputOf<N>> {
  return api.call(name, input);
}

export const ENTITY_PROCEDURES = {
  person: { area: 'people', path: '/people', noun: 'person' },
  company: { area: 'companies', path: '/companies', noun: 'company' },
} as const;

export function recordPath(entity: Entity, id: string): string {
  return `${ENTITY_PROCEDURES[entity].path}/${id}`;
}

/** The name a record goes by in headings and links. */
export function recordTitle(record: Person | Company): string {
  if ('name' in record) return record.name;
  return record.displayName || [record.firstName, record.lastName].filter(Boolean).join(' ') || 'Unnamed person';
}
