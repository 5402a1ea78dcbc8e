// What a search result shows: the record's title and a subtitle that says which one it is (a person's job and
// company, a deal's stage and amount, the record a note belongs to), read from the database for the few results a
// query returns, so they are always current (a renamed company shows its new name under its people at once).
import { preparedOnce, type SqliteDatabase } from '../db/connection.js';
import { minorDigits } from '../deals/money.js';

export const SEARCH_TYPES = ['person', 'company', 'deal', 'task', 'note', 'activity'] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];
export type PageEntity = 'person' | 'company' | 'deal';

export interface Hydrated {
  type: SearchType;
  id: string;
  title: string;
  /** What identifies the record besides its title; a body snippet may be put in front of it. */
  details: string[];
  /** Longer text a match may be in (a note's or activity's body, a task's description). */
  body: string;
  touchedAt: number;
  open: { entity: PageEntity; id: string } | null;
}

type Row = Record<string, unknown>;

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Rows for a list of ids: `sql` says `IN (?)`, which gets the ids as one JSON array (one statement, prepared once). */
function rowsById(sqlite: SqliteDatabase, sql: string, ids: readonly string[]): Row[] {
  if (ids.length === 0) return [];
  const statement = preparedOnce(sqlite, sql.replace('IN (?)', 'IN (SELECT value FROM json_each(?))'));
  return statement.all(JSON.stringify(ids)) as Row[];
}

/** "Ada Lovelace", or the address when a person has no name. */
export function personTitle(first: unknown, last: unknown, email: unknown): string {
  const name = [str(first), str(last)].filter(Boolean).join(' ');
  return name || str(email) || 'Unnamed person';
}

/** A note's first line without Markdown's marks, as its title. */
export function noteTitle(body: string): string {
  const line =
    body
      .split('\n')
      .map((l) =>
        l
          .replace(/^\s*(?:#{1,6}\s+|[-*+>]\s+|\d+[.)]\s+)*/, '')
          .replace(/[*_`~]/g, '')
          .trim(),
      )
      .find((l) => l !== '') ?? '';
  return line.length > 100 ? `${line.slice(0, 99)}…` : line || 'Empty note';
}

export function formatAmount(amount: number, currency: string): string {
  const digits = minorDigits(currency);
  try {
    return new Intl.NumberFormat('en-GB', {
      style: 'currency',
      currency,
      minimumFractionDigits: 0,
      maximumFractionDigits: digits,
    }).format(amount / 10 ** digits);
  } catch {
    return `${(amount / 10 ** digits).toFixed(digits)} ${currency}`;
  }
}

const ACTIVITY_KINDS: Record<string, string> = { call: 'Call', email: 'Email', meeting: 'Meeting', other: 'Activity' };

function day(ms: unknown): string {
  return typeof ms === 'number' ? new Date(ms).toISOString().slice(0, 10) : '';
}

/** The record each activity, note or task belongs to (a person first, then a company, then a deal), with its name. */
function owners(
  sqlite: SqliteDatabase,
  itemType: 'note' | 'activity' | 'task',
  ids: readonly string[],
): Map<string, { entity: PageEntity; id: string; name: string }> {
  const order: Record<string, number> = { person: 0, company: 1, deal: 2 };
  const links = rowsById(
    sqlite,
    `SELECT item_id, record_type, record_id FROM links WHERE item_type = '${itemType}' AND item_id IN (?)`,
    ids,
  );
  const best = new Map<string, { entity: PageEntity; id: string }>();
  for (const link of links) {
    const entity = str(link.record_type) as PageEntity;
    if (!(entity in order)) continue;
    const had = best.get(str(link.item_id));
    if (!had || order[entity]! < order[had.entity]!) best.set(str(link.item_id), { entity, id: str(link.record_id) });
  }
  const names = new Map<string, string>();
  const want = (entity: PageEntity) => [
    ...new Set([...best.values()].filter((b) => b.entity === entity).map((b) => b.id)),
  ];
  for (const r of rowsById(
    sqlite,
    'SELECT id, first_name, last_name, primary_email FROM people WHERE id IN (?)',
    want('person'),
  )) {
    names.set(str(r.id), personTitle(r.first_name, r.last_name, r.primary_email));
  }
  for (const r of rowsById(sqlite, 'SELECT id, name FROM companies WHERE id IN (?)', want('company'))) {
    names.set(str(r.id), str(r.name));
  }
  for (const r of rowsById(sqlite, 'SELECT id, title FROM deals WHERE id IN (?)', want('deal'))) {
    names.set(str(r.id), str(r.title));
  }
  const result = new Map<string, { entity: PageEntity; id: string; name: string }>();
  for (const [item, owner] of best) result.set(item, { ...owner, name: names.get(owner.id) ?? '' });
  return result;
}

const SQL: Record<SearchType, string> = {
  person: `SELECT p.id, p.updated_at, p.first_name, p.last_name, p.title, p.primary_email,
      (SELECT c.name FROM person_companies pc JOIN companies c ON c.id = pc.company_id
        WHERE pc.person_id = p.id AND c.deleted_at IS NULL ORDER BY pc.position LIMIT 1) AS company
    FROM people p WHERE p.deleted_at IS NULL AND p.id IN (?)`,
  company: `SELECT id, updated_at, name, primary_domain, industry, address_city FROM companies
    WHERE deleted_at IS NULL AND id IN (?)`,
  deal: `SELECT d.id, d.updated_at, d.title, d.amount, d.currency, d.status, s.name AS stage,
      (SELECT c.name FROM companies c WHERE c.id = d.company_id AND c.deleted_at IS NULL) AS company
    FROM deals d JOIN pipeline_stages s ON s.id = d.stage_id WHERE d.deleted_at IS NULL AND d.id IN (?)`,
  task: `SELECT id, updated_at, title, body, done, due_at FROM tasks WHERE deleted_at IS NULL AND id IN (?)`,
  note: `SELECT id, updated_at, body FROM notes WHERE deleted_at IS NULL AND id IN (?)`,
  activity: `SELECT id, updated_at, kind, subject, body, occurred_at FROM activities
    WHERE deleted_at IS NULL AND id IN (?)`,
};

/** Titles and details of the live records among `refs` (records gone or in the trash are left out). */
export function hydrate(
  sqlite: SqliteDatabase,
  refs: readonly { type: SearchType; id: string }[],
): Map<string, Hydrated> {
  const found = new Map<string, Hydrated>();
  for (const type of SEARCH_TYPES) {
    const ids = [...new Set(refs.filter((ref) => ref.type === type).map((ref) => ref.id))];
    if (ids.length === 0) continue;
    const rows = rowsById(sqlite, SQL[type], ids);
    const belongs = type === 'note' || type === 'activity' || type === 'task' ? owners(sqlite, type, ids) : null;
    for (const r of rows) {
      const id = str(r.id);
      const owner = belongs?.get(id) ?? null;
      const base = { type, id, touchedAt: Number(r.updated_at), body: '' };
      let item: Hydrated;
      switch (type) {
        case 'person':
          item = {
            ...base,
            title: personTitle(r.first_name, r.last_name, r.primary_email),
            details: [str(r.title), str(r.company), str(r.primary_email)],
            open: { entity: 'person', id },
          };
          break;
        case 'company':
          item = {
            ...base,
            title: str(r.name),
            details: [str(r.primary_domain), str(r.industry), str(r.address_city)],
            open: { entity: 'company', id },
          };
          break;
        case 'deal':
          item = {
            ...base,
            title: str(r.title),
            details: [str(r.stage), str(r.company), formatAmount(Number(r.amount), str(r.currency))],
            open: { entity: 'deal', id },
          };
          break;
        case 'task':
          item = {
            ...base,
            title: str(r.title),
            body: str(r.body),
            details: [owner?.name ?? '', r.done ? 'Done' : r.due_at ? `Due ${day(r.due_at)}` : 'Task'],
            open: owner ? { entity: owner.entity, id: owner.id } : null,
          };
          break;
        case 'note':
          item = {
            ...base,
            title: noteTitle(str(r.body)),
            body: str(r.body),
            details: ['Note', owner?.name ?? ''],
            open: owner ? { entity: owner.entity, id: owner.id } : null,
          };
          break;
        case 'activity':
          item = {
            ...base,
            title: str(r.subject) || ACTIVITY_KINDS[str(r.kind)] || 'Activity',
            body: str(r.body),
            details: [ACTIVITY_KINDS[str(r.kind)] ?? 'Activity', owner?.name ?? '', day(r.occurred_at)],
            open: owner ? { entity: owner.entity, id: owner.id } : null,
          };
          break;
      }
      item.details = item.details.filter((d) => d !== '');
      found.set(`${type}:${id}`, item);
    }
  }
  return found;
}

/** The most recently touched people, companies and deals (for an empty query), newest first. */
export function recentRefs(
  sqlite: SqliteDatabase,
  types: readonly SearchType[],
  limit: number,
): { type: SearchType; id: string; touchedAt: number }[] {
  const tables: [SearchType, string][] = [
    ['person', 'people'],
    ['company', 'companies'],
    ['deal', 'deals'],
  ];
  const found: { type: SearchType; id: string; touchedAt: number }[] = [];
  for (const [type, table] of tables) {
    if (!types.includes(type)) continue;
    const rows = preparedOnce(
      sqlite,
      `SELECT id, updated_at FROM ${table} WHERE deleted_at IS NULL ORDER BY updated_at DESC LIMIT ?`,
    ).all(limit) as { id: string; updated_at: number }[];
    for (const r of rows) found.push({ type, id: r.id, touchedAt: r.updated_at });
  }
  found.sort((a, b) => b.touchedAt - a.touchedAt || (a.id < b.id ? 1 : -1));
  return found.slice(0, limit);
}
