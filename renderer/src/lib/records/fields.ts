// Field metadata for record lists: which columns a list can show and how each cell reads, and which fields the
// filter builder offers with the operators and value inputs that suit each field's type.
import { dealStages } from './deal-stages.svelte';
import { COMPANY_SIZES, formatDateOnly, LIFECYCLE_STAGES, primaryEmail, primaryPhone } from './format';
import type {
  AnyRecord,
  Company,
  Deal,
  FieldDefinition,
  FilterCondition,
  FilterOp,
  Person,
  RecordEntity,
  SortTerm,
} from './types';

// ---------------------------------------------------------------- columns

/** How a cell shows its record; the list's cell component renders each kind. */
export type CellSpec =
  | { kind: 'personName' }
  | { kind: 'companyName' }
  | { kind: 'dealTitle' }
  | { kind: 'dealStatus' }
  | { kind: 'money'; get: (record: AnyRecord) => { amount: number; currency: string } | null }
  | { kind: 'text'; get: (record: AnyRecord) => string | null }
  | { kind: 'email'; get: (record: AnyRecord) => string | null }
  | { kind: 'phone'; get: (record: AnyRecord) => string | null }
  | { kind: 'list'; get: (record: AnyRecord) => string[] }
  | { kind: 'lifecycle' }
  | { kind: 'size' }
  | { kind: 'owner' }
  | { kind: 'tags' }
  | { kind: 'relative'; get: (record: AnyRecord) => number | null }
  | { kind: 'date'; get: (record: AnyRecord) => number | null }
  | { kind: 'number'; get: (record: AnyRecord) => number | null }
  | { kind: 'custom'; def: FieldDefinition };

export interface ColumnMeta {
  /** Stored in saved views and in the remembered column choice. */
  id: string;
  label: string;
  width: number;
  cell: CellSpec;
  /** The sort a header click applies in a direction; absent when the column cannot be sorted. */
  sort?: (dir: SortTerm['dir']) => SortTerm[];
  align?: 'start' | 'end';
  /** Always shown (the record's name): it cannot be hidden. */
  locked?: boolean;
  group: 'Fields' | 'Custom fields';
}

const by =
  (...fields: string[]) =>
  (dir: SortTerm['dir']): SortTerm[] =>
    fields.map((field) => ({ field, dir }));

// The getters receive the entity's own record type; the cast is the one place a column meets AnyRecord.
const person = (get: (p: Person) => string | null) => (record: AnyRecord) => get(record as Person);
const company = (get: (c: Company) => string | null) => (record: AnyRecord) => get(record as Company);
const deal = (get: (d: Deal) => string | null) => (record: AnyRecord) => get(record as Deal);

const standard = (columns: Array<Omit<ColumnMeta, 'group'>>): ColumnMeta[] =>
  columns.map((column) => ({ ...column, group: 'Fields' }));

// The activity and bookkeeping dates every record has, last in both entities' standard columns.
const TIMESTAMP_COLUMNS: Array<Omit<ColumnMeta, 'group'>> = [
  {
    id: 'lastActivityAt',
    label: 'Last activity',
    width: 130,
    cell: { kind: 'relative', get: (record) => record.lastActivityAt },
    sort: by('lastActivityAt'),
  },
  {
    id: 'createdAt',
    label: 'Created',
    width: 130,
    cell: { kind: 'date', get: (record) => record.createdAt },
    sort: by('createdAt'),
  },
  {
    id: 'updatedAt',
    label: 'Updated',
    width: 130,
    cell: { kind: 'date', get: (record) => record.updatedAt },
    sort: by('updatedAt'),
  },
];

const PEOPLE_COLUMNS: ColumnMeta[] = standard([
  {
    id: 'name',
    label: 'Name',
    width: 220,
    cell: { kind: 'personName' },
    sort: by('lastName', 'firstName'),
    locked: true,
  },
  { id: 'email', label: 'Email', width: 220, cell: { kind: 'email', get: person(primaryEmail) }, sort: by('email') },
  { id: 'phone', label: 'Phone', width: 150, cell: { kind: 'phone', get: person(primaryPhone) }, sort: by('phone') },
  { id: 'title', label: 'Title', width: 170, cell: { kind: 'text', get: person((p) => p.title) }, sort: by('title') },
  {
    id: 'companies',
    label: 'Companies',
    width: 170,
    cell: { kind: 'list', get: (record) => (record as Person).companies.map((c) => c.name) },
  },
  { id: 'lifecycleStage', label: 'Stage', width: 136, cell: { kind: 'lifecycle' }, sort: by('lifecycleStage') },
  { id: 'owner', label: 'Owner', width: 150, cell: { kind: 'owner' } },
  { id: 'tags', label: 'Tags', width: 180, cell: { kind: 'tags' } },
  {
    id: 'source',
    label: 'Source',
    width: 140,
    cell: { kind: 'text', get: person((p) => p.source) },
    sort: by('source'),
  },
  {
    id: 'city',
    label: 'City',
    width: 140,
    cell: { kind: 'text', get: person((p) => p.address.city) },
    sort: by('address.city'),
  },
  ...TIMESTAMP_COLUMNS,
]);

const COMPANY_COLUMNS: ColumnMeta[] = standard([
  { id: 'name', label: 'Name', width: 260, cell: { kind: 'companyName' }, sort: by('name'), locked: true },
  {
    id: 'domains',
    label: 'Domains',
    width: 200,
    cell: { kind: 'list', get: (record) => (record as Company).domains },
    sort: by('domain'),
  },
  {
    id: 'industry',
    label: 'Industry',
    width: 160,
    cell: { kind: 'text', get: company((c) => c.industry) },
    sort: by('industry'),
  },
  // The core sorts size bands from small to large.
  { id: 'size', label: 'Employees', width: 120, cell: { kind: 'size' }, sort: by('size') },
  { id: 'phone', label: 'Phone', width: 160, cell: { kind: 'phone', get: company((c) => c.phone) }, sort: by('phone') },
  {
    id: 'peopleCount',
    label: 'People',
    width: 90,
    cell: { kind: 'number', get: (record) => (record as Company).peopleCount },
    align: 'end',
  },
  { id: 'owner', label: 'Owner', width: 150, cell: { kind: 'owner' } },
  { id: 'tags', label: 'Tags', width: 200, cell: { kind: 'tags' } },
  {
    id: 'city',
    label: 'City',
    width: 140,
    cell: { kind: 'text', get: company((c) => c.address.city) },
    sort: by('address.city'),
  },
  ...TIMESTAMP_COLUMNS,
]);

const DEAL_COLUMNS: ColumnMeta[] = standard([
  { id: 'title', label: 'Title', width: 260, cell: { kind: 'dealTitle' }, sort: by('title'), locked: true },
  {
    id: 'stage',
    label: 'Stage',
    width: 150,
    cell: { kind: 'text', get: deal((d) => dealStages.name(d.stageId)) },
  },
  {
    id: 'amount',
    label: 'Amount',
    width: 130,
    cell: {
      kind: 'money',
      get: (record) => ({ amount: (record as Deal).amount, currency: (record as Deal).currency }),
    },
    sort: by('amount'),
    align: 'end',
  },
  {
    id: 'currency',
    label: 'Currency',
    width: 110,
    cell: { kind: 'text', get: deal((d) => d.currency) },
    sort: by('currency'),
  },
  {
    id: 'expectedCloseDate',
    label: 'Expected close',
    width: 150,
    cell: { kind: 'text', get: deal((d) => (d.expectedCloseDate ? formatDateOnly(d.expectedCloseDate) : null)) },
    sort: by('expectedCloseDate'),
  },
  { id: 'owner', label: 'Owner', width: 150, cell: { kind: 'owner' } },
  { id: 'company', label: 'Company', width: 180, cell: { kind: 'text', get: deal((d) => d.companyName) } },
  { id: 'status', label: 'Status', width: 100, cell: { kind: 'dealStatus' }, sort: by('status') },
  { id: 'source', label: 'Source', width: 140, cell: { kind: 'text', get: deal((d) => d.source) }, sort: by('source') },
  { id: 'tags', label: 'Tags', width: 180, cell: { kind: 'tags' } },
  {
    id: 'probability',
    label: 'Probability',
    width: 100,
    cell: { kind: 'number', get: (record) => (record as Deal).effectiveProbability },
    sort: by('probability'),
    align: 'end',
  },
  {
    id: 'people',
    label: 'People',
    width: 180,
    cell: { kind: 'list', get: (record) => (record as Deal).people.map((p) => p.name) },
  },
  {
    id: 'lostReason',
    label: 'Lost reason',
    width: 170,
    cell: { kind: 'text', get: deal((d) => d.lostReason) },
    sort: by('lostReason'),
  },
  {
    id: 'closedAt',
    label: 'Closed',
    width: 130,
    cell: { kind: 'date', get: (record) => (record as Deal).closedAt },
    sort: by('closedAt'),
  },
  ...TIMESTAMP_COLUMNS,
]);

const STANDARD_COLUMNS: Record<RecordEntity, ColumnMeta[]> = {
  person: PEOPLE_COLUMNS,
  company: COMPANY_COLUMNS,
  deal: DEAL_COLUMNS,
};

/** Columns shown until someone chooses otherwise. */
export const DEFAULT_COLUMNS: Record<RecordEntity, string[]> = {
  person: ['name', 'email', 'phone', 'title', 'companies', 'lifecycleStage', 'owner', 'tags', 'lastActivityAt'],
  company: ['name', 'industry', 'size', 'peopleCount', 'owner', 'tags', 'city', 'lastActivityAt'],
  deal: ['title', 'stage', 'amount', 'currency', 'expectedCloseDate', 'owner', 'company', 'status', 'source', 'tags'],
};

const CUSTOM_WIDTH: Record<FieldDefinition['type'], number> = {
  text: 170,
  longText: 220,
  number: 120,
  money: 140,
  date: 130,
  boolean: 100,
  select: 150,
  multiSelect: 200,
  email: 210,
  phone: 160,
  url: 200,
};

/** Every column a list of `entity` can show: the standard ones, then the live custom fields in their order. */
export function columnsFor(entity: RecordEntity, fields: readonly FieldDefinition[]): ColumnMeta[] {
  const standard = STANDARD_COLUMNS[entity];
  const custom = liveFields(entity, fields).map((def): ColumnMeta => ({
    id: `custom.${def.key}`,
    label: def.label,
    width: CUSTOM_WIDTH[def.type] ?? 160,
    cell: { kind: 'custom', def },
    sort: def.type === 'multiSelect' || def.type === 'longText' ? undefined : by(`custom.${def.key}`),
    align: def.type === 'number' || def.type === 'money' ? 'end' : 'start',
    group: 'Custom fields',
  }));
  return [...standard, ...custom];
}

/** The entity's custom fields that forms and lists show, in their set order. */
export function liveFields(entity: RecordEntity, fields: readonly FieldDefinition[]): FieldDefinition[] {
  return fields.filter((def) => def.entity === entity && !def.archived).sort((a, b) => a.position - b.position);
}

/** The column a sort's first term belongs to, so its header shows the direction. */
export function sortedColumn(columns: readonly ColumnMeta[], sort: readonly SortTerm[]) {
  const first = sort[0];
  if (!first) return null;
  const column = columns.find((c) => c.sort?.(first.dir)[0]?.field === first.field);
  return column ? { id: column.id, dir: first.dir } : null;
}

/** A header click: ascending, then descending, then back to the list's default order. */
export function nextSort(column: ColumnMeta, sort: readonly SortTerm[], columns: readonly ColumnMeta[]): SortTerm[] {
  if (!column.sort) return [...sort];
  const current = sortedColumn(columns, sort);
  if (current?.id !== column.id) return column.sort('asc');
  if (current.dir === 'asc') return column.sort('desc');
  return [];
}

// ---------------------------------------------------------------- filters

/** How a filter's value is chosen: free text, a number, a date, one of a fixed list, tags, people in the firm. */
export type ValueKind =
  'text' | 'number' | 'money' | 'date' | 'datetime' | 'boolean' | 'select' | 'multiSelect' | 'tag' | 'user';

export interface FilterFieldMeta {
  /** The list procedure's field name: `lifecycleStage`, `custom.budget`, `tag`. */
  field: string;
  label: string;
  kind: ValueKind;
  options?: ReadonlyArray<{ value: string; label: string }>;
  /** Whether the field can be blank (offers "is empty"). */
  nullable: boolean;
  group: 'Fields' | 'Custom fields';
}

export interface OperatorMeta {
  /** Unique within a field kind (`isEmpty` and `isNotEmpty` share the API op). */
  id: string;
  op: FilterOp;
  label: string;
  /** What the value input asks for: nothing, one value, or several. */
  input: 'none' | 'single' | 'multi';
  /** The value sent for operators without an input (`isEmpty` → true / false). */
  fixed?: boolean;
}

const single = (op: FilterOp, label: string): OperatorMeta => ({ id: op, op, label, input: 'single' });

/** "Is empty" and its opposite: one API op, told apart by the fixed value. */
const emptiness = (empty: string, notEmpty: string): [OperatorMeta, OperatorMeta] => [
  { id: 'isEmpty', op: 'isEmpty', label: empty, input: 'none', fixed: true },
  { id: 'isNotEmpty', op: 'isEmpty', label: notEmpty, input: 'none', fixed: false },
];

/** Matching one of a set of values (an option, a tag, a user): is, is not, is any of. */
const oneOf = (is: string, isNot: string, anyOf: string): OperatorMeta[] => [
  single('eq', is),
  single('neq', isNot),
  { id: 'in', op: 'in', label: anyOf, input: 'multi' },
];

const EMPTY = emptiness('is empty', 'is not empty');

const OPERATORS: Record<ValueKind, OperatorMeta[]> = {
  text: [
    single('contains', 'contains'),
    single('eq', 'is'),
    single('neq', 'is not'),
    single('startsWith', 'starts with'),
    ...EMPTY,
  ],
  number: [
    single('eq', '='),
    single('neq', '≠'),
    single('gt', '>'),
    single('gte', '≥'),
    single('lt', '<'),
    single('lte', '≤'),
    ...EMPTY,
  ],
  money: [],
  date: [single('eq', 'is'), single('lt', 'is before'), single('gt', 'is after'), ...EMPTY],
  datetime: [single('gte', 'is on or after'), single('lt', 'is before'), ...EMPTY],
  boolean: [single('eq', 'is'), EMPTY[0]],
  select: [...oneOf('is', 'is not', 'is any of'), ...EMPTY],
  multiSelect: [...oneOf('includes', "doesn't include", 'includes any of'), ...EMPTY],
  tag: [...oneOf('has', "doesn't have", 'has any of'), ...emptiness('has none', 'has some')],
  user: [...oneOf('is', 'is not', 'is any of'), ...emptiness('is nobody', 'is somebody')],
};
OPERATORS.money = OPERATORS.number;

/** The operators that make sense for a field, "is empty" only where the field can be blank. */
export function operatorsFor(meta: FilterFieldMeta): OperatorMeta[] {
  const all = OPERATORS[meta.kind];
  return meta.nullable || meta.kind === 'tag' ? all : all.filter((op) => op.op !== 'isEmpty');
}

/** The operator a stored condition was made with. */
export function operatorOf(meta: FilterFieldMeta, condition: FilterCondition): OperatorMeta | undefined {
  return OPERATORS[meta.kind].find(
    (op) => op.op === condition.op && (op.op !== 'isEmpty' || op.fixed === (condition.value !== false)),
  );
}

const text = (field: string, label: string, nullable = true): FilterFieldMeta => ({
  field,
  label,
  kind: 'text',
  nullable,
  group: 'Fields',
});
const datetime = (field: string, label: string, nullable: boolean): FilterFieldMeta => ({
  field,
  label,
  kind: 'datetime',
  nullable,
  group: 'Fields',
});
const owner: FilterFieldMeta = { field: 'ownerId', label: 'Owner', kind: 'user', nullable: true, group: 'Fields' };
const tag: FilterFieldMeta = { field: 'tag', label: 'Tag', kind: 'tag', nullable: true, group: 'Fields' };

const PEOPLE_FILTERS: FilterFieldMeta[] = [
  text('name', 'Name', false),
  text('email', 'Email'),
  text('phone', 'Phone'),
  text('title', 'Title'),
  {
    field: 'lifecycleStage',
    label: 'Lifecycle stage',
    kind: 'select',
    options: LIFECYCLE_STAGES,
    nullable: true,
    group: 'Fields',
  },
  owner,
  tag,
  text('source', 'Source'),
  text('address.city', 'City'),
  text('address.country', 'Country'),
  text('website', 'Website'),
  datetime('lastActivityAt', 'Last activity', true),
  datetime('createdAt', 'Created', false),
  datetime('updatedAt', 'Updated', false),
];

const COMPANY_FILTERS: FilterFieldMeta[] = [
  text('name', 'Name', false),
  text('domain', 'Domain'),
  text('industry', 'Industry'),
  { field: 'size', label: 'Employees', kind: 'select', options: COMPANY_SIZES, nullable: true, group: 'Fields' },
  owner,
  tag,
  text('phone', 'Phone'),
  text('address.city', 'City'),
  text('address.country', 'Country'),
  text('website', 'Website'),
  datetime('lastActivityAt', 'Last activity', true),
  datetime('createdAt', 'Created', false),
  datetime('updatedAt', 'Updated', false),
];

const DEAL_STATUSES = [
  { value: 'open', label: 'Open' },
  { value: 'won', label: 'Won' },
  { value: 'lost', label: 'Lost' },
];

/** The deal filters; the stage options come from the pipelines, so the list is built when asked for. */
function dealFilters(): FilterFieldMeta[] {
  return [
    text('title', 'Title', false),
    {
      field: 'stageId',
      label: 'Stage',
      kind: 'select',
      options: dealStages.options(),
      nullable: false,
      group: 'Fields',
    },
    { field: 'status', label: 'Status', kind: 'select', options: DEAL_STATUSES, nullable: false, group: 'Fields' },
    { field: 'amount', label: 'Amount', kind: 'money', nullable: false, group: 'Fields' },
    text('currency', 'Currency', false),
    { field: 'expectedCloseDate', label: 'Expected close', kind: 'date', nullable: true, group: 'Fields' },
    { field: 'probability', label: 'Probability', kind: 'number', nullable: true, group: 'Fields' },
    owner,
    tag,
    text('source', 'Source'),
    text('lostReason', 'Lost reason'),
    datetime('closedAt', 'Closed', true),
    datetime('lastActivityAt', 'Last activity', true),
    datetime('createdAt', 'Created', false),
    datetime('updatedAt', 'Updated', false),
  ];
}

const CUSTOM_KIND: Record<FieldDefinition['type'], ValueKind> = {
  text: 'text',
  longText: 'text',
  email: 'text',
  phone: 'text',
  url: 'text',
  number: 'number',
  money: 'money',
  date: 'date',
  boolean: 'boolean',
  select: 'select',
  multiSelect: 'multiSelect',
};

/** Every field the filter builder offers for `entity`. */
export function filterFieldsFor(entity: RecordEntity, fields: readonly FieldDefinition[]): FilterFieldMeta[] {
  const standard = entity === 'person' ? PEOPLE_FILTERS : entity === 'company' ? COMPANY_FILTERS : dealFilters();
  const custom = liveFields(entity, fields).map((def): FilterFieldMeta => ({
    field: `custom.${def.key}`,
    label: def.label,
    kind: CUSTOM_KIND[def.type] ?? 'text',
    options: def.options,
    nullable: true,
    group: 'Custom fields',
  }));
  return [...standard, ...custom];
}

/**
 * Meta for a condition's field, including fields the list no longer offers (an archived custom field in a saved
 * view still shows as a chip that can be removed).
 */
export function filterFieldMeta(all: readonly FilterFieldMeta[], field: string): FilterFieldMeta {
  return (
    all.find((meta) => meta.field === field) ?? {
      field,
      label: field.startsWith('custom.') ? field.slice('custom.'.length) : field,
      kind: field === 'tag' ? 'tag' : 'text',
      nullable: true,
      group: 'Fields',
    }
  );
}

// ---------------------------------------------------------------- dates in filters

/** Local midnight of a `YYYY-MM-DD` day, as epoch ms: "created before 3 March" means before that day starts here. */
export function startOfDay(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1).getTime();
}

/** The local `YYYY-MM-DD` of an instant. */
export function dayOf(epochMs: number): string {
  const date = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Sort-free comparison of two filter lists (views are "changed" when these differ). */
export function sameConditions(a: readonly FilterCondition[], b: readonly FilterCondition[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
