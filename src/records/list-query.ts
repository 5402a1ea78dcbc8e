// The one list engine behind every `<area>.list`: filters ({ field, op, value }), sorts on any declared field,
// and keyset pagination that stays correct while others insert (a cursor names the last row's sort values,
// never an offset). Each area declares its fields; this turns them into one SQL query.
import { CompiledQuery, sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { z } from 'zod';
import { HearthError } from '../api/errors.js';
import { LIMITS, shortText } from '../api/limits.js';
import type { DB } from '../db/schema.js';
import { customFieldListField, type FieldDefinition } from '../fields/definitions.js';

export const FILTER_OPS = ['eq', 'neq', 'contains', 'startsWith', 'gt', 'gte', 'lt', 'lte', 'in', 'isEmpty'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

const scalar = z.union([shortText(), z.number().finite(), z.boolean(), z.null()]);

export const filterCondition = z
  .object({
    field: z.string().min(1).max(100),
    op: z.enum(FILTER_OPS),
    value: z.union([scalar, z.array(z.union([shortText(), z.number().finite()])).max(LIMITS.listItems)]).optional(),
  })
  .strict();
export type FilterCondition = z.infer<typeof filterCondition>;

export const sortKey = z.object({ field: z.string().min(1).max(100), dir: z.enum(['asc', 'desc']) }).strict();
export type SortKey = z.infer<typeof sortKey>;

export const MAX_PAGE = 500;

/** The input every `<area>.list` accepts; areas extend it with their own switches. */
export const listInputShape = {
  filter: z.array(filterCondition).max(50).optional(),
  sort: z.array(sortKey).max(3).optional(),
  limit: z.number().int().min(1).max(MAX_PAGE).optional(),
  cursor: z.string().max(4000).nullable().optional(),
  count: z.boolean().optional(),
};
export const listInput = z.object(listInputShape).strict();
export type ListInput = z.infer<typeof listInput>;

export interface ListPage<T> {
  items: T[];
  nextCursor: string | null;
  total?: number;
}

export type FieldKind = 'text' | 'number' | 'boolean' | 'enum' | 'id' | 'date';

/** One field a list can filter or sort on. */
export interface ListField {
  kind: FieldKind;
  /** SQL expression over the table (columns qualified by the table name). */
  expr?: RawBuilder<unknown>;
  sortable?: boolean;
  /** What to sort by when it is not `expr` itself (an enum in its own order rather than alphabetical). */
  sortExpr?: RawBuilder<unknown>;
  /** Allowed values of an enum field. */
  values?: readonly string[];
  /** Whether the expression can be NULL (decides whether keyset can seek with a row-value comparison). */
  nullable?: boolean;
  /** A filter on this field usually matches few rows (an id, an email, a name): the planner's way in is best. */
  selective?: boolean;
  /** A field that is not a plain expression (any email, a related id): builds its own condition. */
  filter?: (op: FilterOp, value: FilterCondition['value'], path: string) => RawBuilder<SqlBool>;
}

export interface ListSpec {
  table: 'people' | 'companies' | 'activities' | 'notes' | 'tasks' | 'deals';
  /** The entity name used by tags and custom fields (`person`, `company`, …). */
  entity: string;
  fields: Record<string, ListField>;
  defaultSort: SortKey[];
  /** Whether `tag` filters apply. */
  tagged?: boolean;
  /** Extra conditions the area adds (a task view, say). */
  where?: RawBuilder<SqlBool>[];
  /**
   * Sorts an index over live rows answers in order (field names, `|`-joined: `lastName|firstName`, in either
   * direction), and that index's name. A filtered first page of such a sort is first looked for among the next
   * rows in index order.
   */
  indexedSorts?: Readonly<Record<string, string>>;
  /**
   * Fields (with their columns) that the indexedSorts indexes also carry: a filter on them is checked inside the
   * index while walking it, without reading the rows it rules out.
   */
  coveredFields?: Readonly<Record<string, string>>;
}

const plans = new Map<string, boolean>();

/**
 * Whether SQLite's plan for a list query sorts every matching row (it starts from a filter's index) rather than
 * walking the sort's index. Asked once per query shape (the SQL text) and remembered.
 */
async function sortsEveryMatch(db: Kysely<DB>, query: RawBuilder<unknown>): Promise<boolean> {
  const compiled = query.compile(db);
  let sorts = plans.get(compiled.sql);
  if (sorts === undefined) {
    const plan = await db.executeQuery<{ detail: string }>(
      CompiledQuery.raw(`EXPLAIN QUERY PLAN ${compiled.sql}`, [...compiled.parameters]),
    );
    sorts = plan.rows.some((row) => row.detail.includes('TEMP B-TREE FOR ORDER BY'));
    if (plans.size >= 500) plans.delete(plans.keys().next().value!);
    plans.set(compiled.sql, sorts);
  }
  return sorts;
}

/**
 * How a filtered page walks its sort's index (the constants are here so tests can make small tables behave like
 * large ones): `probe` rows looked at first (five times as many index entries when covered filters do the
 * looking); what a walk may cost, in rows read, before SQLite's planner is asked instead (`budget`); and what an
 * index entry checked by covered filters alone costs, as a part of a row read.
 */
export const WALK = { probe: 400, budget: 3_000, entryCost: 0.05 };

/** How the pages of filtered lists were found, counted for tests: by a walk, by the planner after a probe, or
 * by the planner after a walk fell short. */
export const walkCounts = { walked: 0, probedThenPlanned: 0, fellShort: 0 };

const OPS_BY_KIND: Record<FieldKind, readonly FilterOp[]> = {
  text: FILTER_OPS,
  date: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'isEmpty'],
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'isEmpty'],
  boolean: ['eq', 'neq', 'isEmpty'],
  enum: ['eq', 'neq', 'in', 'isEmpty'],
  id: ['eq', 'neq', 'in', 'isEmpty'],
};

function invalid(path: string, message: string): HearthError {
  return new HearthError('VALIDATION', `Invalid input. ${path}: ${message}`, { issues: [{ path, message }] });
}

function likeEscape(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Checks a filter value against the field's kind; returns it in the form SQL compares. */
function checkScalar(field: ListField, value: unknown, path: string): string | number {
  switch (field.kind) {
    case 'number':
      if (typeof value !== 'number') throw invalid(path, 'must be a number');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw invalid(path, 'must be true or false');
      return value ? 1 : 0;
    case 'date':
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw invalid(path, 'must be YYYY-MM-DD');
      return value;
    case 'enum':
      if (typeof value !== 'string' || !field.values?.includes(value)) {
        throw invalid(path, `must be one of ${(field.values ?? []).join(', ')}`);
      }
      return value;
    default:
      if (typeof value === 'number') return String(value);
      if (typeof value !== 'string') throw invalid(path, 'must be text');
      return value;
  }
}

/** The SQL condition for one filter on a plain expression. */
export function conditionFor(
  expr: RawBuilder<unknown>,
  field: ListField,
  op: FilterOp,
  value: FilterCondition['value'],
  path: string,
): RawBuilder<SqlBool> {
  if (!OPS_BY_KIND[field.kind].includes(op)) {
    throw invalid(
      `${path}.op`,
      `"${op}" does not apply to this field; use one of ${OPS_BY_KIND[field.kind].join(', ')}`,
    );
  }
  const valuePath = `${path}.value`;
  if (op === 'isEmpty') {
    const empty = value === undefined || value === null || value === true;
    if (value !== undefined && value !== null && typeof value !== 'boolean')
      throw invalid(valuePath, 'must be true or false');
    const blank =
      field.kind === 'text' ? sql<SqlBool>`(${expr} IS NULL OR ${expr} = '')` : sql<SqlBool>`${expr} IS NULL`;
    return empty ? blank : sql<SqlBool>`NOT ${blank}`;
  }
  if (op === 'in') {
    if (!Array.isArray(value) || value.length === 0) throw invalid(valuePath, 'must be a non-empty list');
    const items = value.map((v, i) => checkScalar(field, v, `${valuePath}.${i}`));
    return sql<SqlBool>`${expr} IN (${sql.join(items)})`;
  }
  if (Array.isArray(value) || value === undefined || value === null) throw invalid(valuePath, 'must be a single value');
  const v = checkScalar(field, value, valuePath);
  switch (op) {
    case 'eq':
      return sql<SqlBool>`${expr} = ${v}`;
    case 'neq':
      return sql<SqlBool>`(${expr} IS NULL OR ${expr} <> ${v})`;
    case 'contains':
      return sql<SqlBool>`${expr} LIKE ${`%${likeEscape(String(v))}%`} ESCAPE '\\'`;
    case 'startsWith':
      return sql<SqlBool>`${expr} LIKE ${`${likeEscape(String(v))}%`} ESCAPE '\\'`;
    case 'gt':
      return sql<SqlBool>`${expr} > ${v}`;
    case 'gte':
      return sql<SqlBool>`${expr} >= ${v}`;
    case 'lt':
      return sql<SqlBool>`${expr} < ${v}`;
    case 'lte':
      return sql<SqlBool>`${expr} <= ${v}`;
  }
}

/** A filter over names kept in a related table (tags): eq/in → has any, neq → has none, isEmpty → has none at all. */
export function tagCondition(
  entity: string,
  idExpr: RawBuilder<unknown>,
  op: FilterOp,
  value: FilterCondition['value'],
  path: string,
): RawBuilder<SqlBool> {
  const has = (names: RawBuilder<SqlBool> | null) =>
    sql<SqlBool>`EXISTS (SELECT 1 FROM record_tags rt JOIN tags t ON t.id = rt.tag_id
      WHERE rt.entity = ${entity} AND rt.record_id = ${idExpr}${names ? sql` AND ${names}` : sql``})`;
  const names = (list: unknown[]) => {
    const items = list.map((v, i) => {
      if (typeof v !== 'string' || v.length === 0) throw invalid(`${path}.value.${i}`, 'must be a tag name');
      return v;
    });
    return sql<SqlBool>`t.name IN (${sql.join(items)})`;
  };
  switch (op) {
    case 'eq':
    case 'in':
      // `id IN (…)` lets SQLite start from the tag's records when that is the narrower way in.
      return sql<SqlBool>`${idExpr} IN (SELECT rt.record_id FROM record_tags rt JOIN tags t ON t.id = rt.tag_id
        WHERE rt.entity = ${entity} AND ${names(Array.isArray(value) ? value : [value])})`;
    case 'neq':
      return sql<SqlBool>`NOT ${has(names(Array.isArray(value) ? value : [value]))}`;
    case 'isEmpty':
      return value === false ? has(null) : sql<SqlBool>`NOT ${has(null)}`;
    default:
      throw invalid(`${path}.op`, `"${op}" does not apply to tags; use eq, neq, in or isEmpty`);
  }
}

interface Cursor {
  /** The sort signature the cursor was made for. */
  s: string;
  v: unknown[];
  id: string;
}

function signature(sort: SortKey[]): string {
  return sort.map((k) => `${k.field}:${k.dir}`).join(',');
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(raw: string, sort: SortKey[]): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor;
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      parsed.s === signature(sort) &&
      Array.isArray(parsed.v) &&
      parsed.v.length === sort.length &&
      typeof parsed.id === 'string'
    ) {
      return parsed;
    }
  } catch {
    // falls through to the error below
  }
  throw invalid('cursor', 'is not a cursor from this list with this sort; start again without one');
}

/** The keyset condition: rows strictly after the cursor in the sort order (NULLs sort first ascending, SQLite's rule). */
function afterCursor(
  keys: { expr: RawBuilder<unknown>; dir: 'asc' | 'desc'; nullable: boolean }[],
  idExpr: RawBuilder<unknown>,
  cursor: Cursor,
) {
  const idDir = keys.at(-1)?.dir ?? 'asc';
  const sameDir = keys.every((k) => k.dir === idDir);
  const noNulls = keys.every((k, i) => !k.nullable && cursor.v[i] !== null);
  if (sameDir && noNulls) {
    // A row-value comparison lets SQLite seek straight to the cursor in the index.
    const left = sql.join([...keys.map((k) => k.expr), idExpr]);
    const right = sql.join([...cursor.v, cursor.id].map((v) => sql`${v}`));
    return idDir === 'asc' ? sql<SqlBool>`(${left}) > (${right})` : sql<SqlBool>`(${left}) < (${right})`;
  }
  let rest: RawBuilder<SqlBool> =
    idDir === 'asc' ? sql<SqlBool>`${idExpr} > ${cursor.id}` : sql<SqlBool>`${idExpr} < ${cursor.id}`;
  for (let i = keys.length - 1; i >= 0; i--) {
    const { expr, dir } = keys[i]!;
    const v = cursor.v[i];
    if (v === null || v === undefined) {
      rest =
        dir === 'asc'
          ? sql<SqlBool>`(${expr} IS NOT NULL OR (${expr} IS NULL AND ${rest}))`
          : sql<SqlBool>`(${expr} IS NULL AND ${rest})`;
    } else {
      rest =
        dir === 'asc'
          ? sql<SqlBool>`(${expr} > ${v} OR (${expr} = ${v} AND ${rest}))`
          : sql<SqlBool>`(${expr} < ${v} OR ${expr} IS NULL OR (${expr} = ${v} AND ${rest}))`;
    }
  }
  return rest;
}

/**
 * Runs a list query and returns raw rows plus the next cursor. `customFields` are the entity's definitions
 * (archived ones included: their values stay filterable).
 */
export async function runList<Row extends { id: string }>(
  db: Kysely<DB>,
  spec: ListSpec,
  input: ListInput,
  customFields: readonly FieldDefinition[],
): Promise<{ rows: Row[]; nextCursor: string | null; total?: number }> {
  const table = sql.table(spec.table);
  const idExpr = sql.ref(`${spec.table}.id`);
  const resolve = (name: string, path: string): ListField & { expr?: RawBuilder<unknown> } => {
    if (name.startsWith('custom.')) {
      const def = customFields.find((f) => f.key === name.slice('custom.'.length));
      if (!def) throw invalid(path, `there is no custom field "${name.slice(7)}" on ${spec.entity}`);
      return customFieldListField(spec.table, def);
    }
    const field = Object.hasOwn(spec.fields, name) ? spec.fields[name] : undefined;
    if (!field)
      throw invalid(
        path,
        `unknown field "${name}"; use one of ${Object.keys(spec.fields).join(', ')}, custom.<key>${spec.tagged ? ' or tag' : ''}`,
      );
    return field;
  };

  const conditions: RawBuilder<SqlBool>[] = [
    sql<SqlBool>`${sql.ref(`${spec.table}.deleted_at`)} IS NULL`,
    ...(spec.where ?? []),
  ];
  /** Filters a walk can check on the sort index alone: those on coveredFields, and tags (by the record's id). */
  const inIndex: RawBuilder<SqlBool>[] = [];
  (input.filter ?? []).forEach((f, i) => {
    const path = `filter.${i}`;
    if (f.field === 'tag' && spec.tagged) {
      const condition = tagCondition(spec.entity, idExpr, f.op, f.value, path);
      conditions.push(condition);
      inIndex.push(condition);
      return;
    }
    const field = resolve(f.field, `${path}.field`);
    if (field.filter) conditions.push(field.filter(f.op, f.value, path));
    else if (field.expr) {
      const condition = conditionFor(field.expr, field, f.op, f.value, path);
      conditions.push(condition);
      if (spec.coveredFields && Object.hasOwn(spec.coveredFields, f.field)) inIndex.push(condition);
    } else throw invalid(`${path}.field`, `"${f.field}" can be sorted on but not filtered`);
  });

  const sort = input.sort && input.sort.length > 0 ? input.sort : spec.defaultSort;
  const keys = sort.map((k, i) => {
    const field = resolve(k.field, `sort.${i}.field`);
    if (!field.expr || field.sortable === false)
      throw invalid(`sort.${i}.field`, `the list cannot be sorted by "${k.field}"`);
    return { expr: field.sortExpr ?? field.expr, dir: k.dir, nullable: field.nullable ?? true };
  });
  const where = [...conditions];
  if (input.cursor) where.push(afterCursor(keys, idExpr, decodeCursor(input.cursor, sort)));
  const idDir = keys.at(-1)?.dir ?? 'asc';
  const orderBy = sql.join([
    ...keys.map((k) => (k.dir === 'asc' ? sql`${k.expr} ASC` : sql`${k.expr} DESC`)),
    idDir === 'asc' ? sql`${idExpr} ASC` : sql`${idExpr} DESC`,
  ]);
  const limit = input.limit ?? 50;
  const sortValues = sql.join(keys.map((k, i) => sql`${k.expr} AS ${sql.ref(`__sort${i}`)}`));
  type KeyRow = { __rowid: number; __id: string } & Record<`__sort${number}`, unknown>;
  // Two steps: the ordered page as row ids and sort values only (SQLite's sorter then carries a few bytes per
  // matching row instead of whole records), then the page's records by rowid.
  let result: { rows: KeyRow[] } | null = null;
  const filtered = where.length > (input.cursor ? 2 : 1);
  const sameDir = keys.every((k) => k.dir === idDir);
  const selective = (input.filter ?? []).some(
    (f) =>
      f.op !== 'neq' &&
      f.op !== 'isEmpty' &&
      f.field !== 'tag' &&
      !f.field.startsWith('custom.') &&
      spec.fields[f.field]?.selective,
  );
  const plannerQuery = sql<KeyRow>`SELECT ${table}.rowid AS __rowid, ${idExpr} AS __id, ${sortValues}
    FROM ${table} WHERE ${sql.join(where, sql` AND `)} ORDER BY ${orderBy} LIMIT ${limit + 1}`;
  const sortIndex = spec.indexedSorts?.[sort.map((k) => k.field).join('|')];
  if (filtered && !selective && sameDir && sortIndex && (await sortsEveryMatch(db, plannerQuery))) {
    // SQLite's planner sometimes starts from an equality filter's index and sorts every match (its plan says so;
    // otherwise it is left alone), which costs tens of milliseconds when the filter matches thousands of rows.
    // Walking the sort's own index until the page is full is cheap whenever matches are not rare, and a page
    // found that way is exactly the first matches in order:
    // - Filters on coveredFields and tags are checked on the index (its columns and the record id), so rows they
    //   rule out are never read.
    // - The walk's outer ORDER BY names the scan's own columns, so SQLite sees the rows already come in order and
    //   stops at the page's last match instead of reading the whole stretch and sorting it.
    // - CROSS JOIN keeps SQLite from reordering the join (it would start from the filter's index again).
    // How far to walk comes from a probe along the first stretch of the index: the matches found there give the
    // stretch that should fill the page, and the walk goes that far (twice, for unevenness) if its cost, in row
    // reads, stays within WALK.budget. Otherwise, and if the walk falls short, the planner's way is the right one.
    const live = [sql<SqlBool>`${sql.ref(`${spec.table}.deleted_at`)} IS NULL`];
    if (input.cursor) live.push(where.at(-1)!);
    const carriedColumns = Object.values(spec.coveredFields ?? {});
    const carried =
      carriedColumns.length > 0
        ? sql`, ${sql.join(carriedColumns.map((column) => sql`${sql.ref(`${spec.table}.${column}`)} AS ${sql.id(column)}`))}`
        : sql``;
    // The next `entries` of the sort's index, read from the index alone (the derived table takes the table's
    // name, so the in-index filters' column references resolve to the id and columns the index carries).
    const stretch = (entries: number) => sql`(SELECT ${table}.rowid AS w, ${idExpr} AS id, ${sortValues}${carried}
      FROM ${table} INDEXED BY ${sql.id(sortIndex)} WHERE ${sql.join(live, sql` AND `)} ORDER BY ${orderBy}
      LIMIT ${entries}) AS ${table}`;
    const scanOrder = sql.join([
      ...keys.map((k, i) => sql`${sql.ref(`scan.__sort${i}`)} ${sql.raw(k.dir === 'asc' ? 'ASC' : 'DESC')}`),
      sql`scan.__id ${sql.raw(idDir === 'asc' ? 'ASC' : 'DESC')}`,
    ]);
    const sortColumns = (from: string) => sql.join(keys.map((_, i) => sql.ref(`${from}.__sort${i}`)));
    const inIndexWhere = inIndex.length > 0 ? sql`WHERE ${sql.join(inIndex, sql` AND `)}` : sql``;
    // What is left to check on the row (deleted_at again: the index is partial, but the row is the truth).
    const onRow = where.filter((condition) => !inIndex.includes(condition));
    const walk = (entries: number) =>
      sql<KeyRow>`SELECT scan.w AS __rowid, scan.__id, ${sortColumns('scan')}
      FROM (SELECT ${sql.ref(`${spec.table}.w`)} AS w, ${sql.ref(`${spec.table}.id`)} AS __id,
          ${sortColumns(spec.table)} FROM ${stretch(entries)} ${inIndexWhere}) AS scan
      CROSS JOIN ${table} ON ${table}.rowid = scan.w
      WHERE ${sql.join(onRow, sql` AND `)} ORDER BY ${scanOrder} LIMIT ${limit + 1}`.execute(db);
    // With in-index filters an index entry costs a small part of a row read, and only entries passing them are
    // read as rows: the probe can look further for the same cost.
    const probeEntries = inIndex.length > 0 ? WALK.probe * 5 : WALK.probe;
    const probe = await walk(probeEntries);
    if (probe.rows.length > limit) result = probe;
    else if (probe.rows.length === 0) walkCounts.probedThenPlanned++;
    else {
      let passing = 1;
      if (inIndex.length > 0) {
        const counted = await sql<{
          n: number;
        }>`SELECT count(*) AS n FROM ${stretch(probeEntries)} ${inIndexWhere}`.execute(db);
        passing = Number(counted.rows[0]?.n ?? 0) / probeEntries;
      }
      const needed = Math.ceil((probeEntries * (limit + 1)) / probe.rows.length);
      const cost = needed * ((inIndex.length > 0 ? WALK.entryCost : 0) + passing);
      if (cost <= WALK.budget) {
        const window = await walk(needed * 2);
        if (window.rows.length > limit) result = window;
        else walkCounts.fellShort++;
      } else walkCounts.probedThenPlanned++;
    }
    if (result) walkCounts.walked++;
  }
  result ??= await plannerQuery.execute(db);
  const more = result.rows.length > limit;
  const keysOfPage = more ? result.rows.slice(0, limit) : result.rows;
  const last = keysOfPage.at(-1);
  const nextCursor =
    more && last
      ? encodeCursor({ s: signature(sort), v: keys.map((_, i) => last[`__sort${i}`] ?? null), id: last.__id })
      : null;
  const page: Row[] = [];
  if (keysOfPage.length > 0) {
    const fetched = await sql<Row & { __rowid: number }>`SELECT ${table}.rowid AS __rowid, ${table}.* FROM ${table}
      WHERE ${table}.rowid IN (${sql.join(keysOfPage.map((r) => r.__rowid))})`.execute(db);
    const byRowid = new Map(fetched.rows.map((row) => [row.__rowid, row]));
    for (const { __rowid } of keysOfPage) {
      const row = byRowid.get(__rowid);
      if (!row) continue;
      delete (row as Partial<typeof row>).__rowid;
      page.push(row);
    }
  }
  const out: { rows: Row[]; nextCursor: string | null; total?: number } = { rows: page, nextCursor };
  if (input.count) {
    const counted = await sql<{
      n: number;
    }>`SELECT count(*) AS n FROM ${table} WHERE ${sql.join(conditions, sql` AND `)}`.execute(db);
    out.total = Number(counted.rows[0]?.n ?? 0);
  }
  return out;
}

/** Sorts an enum column in the order its values are declared (sizes small to large), unknown values last. */
export function enumOrder(expr: RawBuilder<unknown>, values: readonly string[]): RawBuilder<unknown> {
  return sql`CASE ${expr} ${sql.join(
    values.map((v, i) => sql`WHEN ${sql.lit(v)} THEN ${sql.lit(i)}`),
    sql` `,
  )} END`;
}

/** A sortable text column. */
export function textField(table: string, column: string, nullable = true): ListField {
  return { kind: 'text', expr: col(table, column), sortable: true, nullable };
}

/** A sortable number or time column. */
export function numberField(table: string, column: string, nullable = true): ListField {
  return { kind: 'number', expr: col(table, column), sortable: true, nullable };
}

/** Shorthand for a column of the list's table. */
export function col(table: string, column: string): RawBuilder<unknown> {
  return sql.ref(`${table}.${column}`);
}
