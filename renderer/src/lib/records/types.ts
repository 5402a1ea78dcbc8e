// The record shapes the renderer works with, taken from the records procedures' own types.
import type { InputOf, OutputOf } from '../api/contract';

export type RecordEntity = 'person' | 'company' | 'deal';

export type Person = OutputOf<'people.get'>;
export type Company = OutputOf<'companies.get'>;
export type Deal = OutputOf<'deals.get'>;
export type AnyRecord = Person | Company | Deal;
export type RecordOf<E extends RecordEntity> = E extends 'person' ? Person : E extends 'company' ? Company : Deal;

export type ListInput = InputOf<'people.list'>;
export type FilterCondition = NonNullable<ListInput['filter']>[number];
export type FilterOp = FilterCondition['op'];
export type FilterValue = FilterCondition['value'];
export type SortTerm = NonNullable<ListInput['sort']>[number];

export interface ListOutput<R> {
  items: R[];
  nextCursor: string | null;
  total?: number;
}

export type LifecycleStage = NonNullable<Person['lifecycleStage']>;
export type CompanySize = NonNullable<Company['size']>;

export interface MoneyValue {
  amount: number;
  currency: string;
}

export type FieldDefinition = OutputOf<'fields.list'>['items'][number];
export type CustomFieldType = FieldDefinition['type'];
export type Tag = OutputOf<'tags.list'>['items'][number];
export type SavedView = OutputOf<'views.list'>['items'][number];
export type UserSummary = OutputOf<'users.list'>['items'][number];

/** What `people.bulkUpdate` / `companies.bulkUpdate` may change on many records at once. */
export type BulkPatch = InputOf<'people.bulkUpdate'>['patch'] & InputOf<'companies.bulkUpdate'>['patch'];
