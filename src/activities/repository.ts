// Activities (calls, meetings, emails, anything else that happened) as rows, as API records, and the
// "last activity" time they give the people and companies they are linked to.
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { ActivitiesTable, DB } from '../db/schema.js';
import { itemBase, type ItemBase } from '../records/linked-items.js';
import { linksFor, type LinkSet } from '../records/links.js';

export const ACTIVITY_KINDS = ['call', 'meeting', 'email', 'other'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export type ActivityRow = Selectable<ActivitiesTable>;

export interface Activity extends ItemBase, LinkSet {
  kind: ActivityKind;
  subject: string;
  body: string;
  occurredAt: number;
  durationMinutes: number | null;
  outcome: string | null;
}

export function toActivity(row: ActivityRow, links: LinkSet): Activity {
  return {
    ...itemBase(row),
    kind: row.kind as ActivityKind,
    subject: row.subject,
    body: row.body,
    occurredAt: row.occurred_at,
    durationMinutes: row.duration_minutes,
    outcome: row.outcome,
    personIds: links.personIds,
    companyIds: links.companyIds,
    dealIds: links.dealIds,
  };
}

/** API records for rows, in the rows' order, with their links. */
export async function toActivities(db: Kysely<DB>, rows: readonly ActivityRow[]): Promise<Activity[]> {
  const links = await linksFor(
    db,
    'activity',
    rows.map((r) => r.id),
  );
  return rows.map((row) => toActivity(row, links.get(row.id)!));
}

export async function findActivityRow(db: Kysely<DB>, id: string): Promise<ActivityRow | undefined> {
  return db.selectFrom('activities').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The activity, trashed or not. */
export async function getActivity(db: Kysely<DB>, id: string): Promise<Activity | undefined> {
  const row = await findActivityRow(db, id);
  return row ? (await toActivities(db, [row]))[0] : undefined;
}

export async function insertActivity(db: Kysely<DB>, row: Insertable<ActivitiesTable>): Promise<void> {
  await db.insertInto('activities').values(row).execute();
}

/** Writes `set` and bumps the version if the row still has `version`; false when someone got there first. */
export async function updateActivityIfVersion(
  db: Kysely<DB>,
  id: string,
  version: number,
  set: Partial<Omit<ActivityRow, 'id' | 'version'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('activities')
    .set({ ...set, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Sets `last_activity_at` of the given people, companies and deals to the latest `occurred_at` of their live activities.
 * It is derived data: the records' versions and update times stay as they are, so nobody's edit conflicts with it.
 */
export async function refreshLastActivity(
  db: Kysely<DB>,
  records: { personIds: readonly string[]; companyIds: readonly string[]; dealIds?: readonly string[] },
): Promise<void> {
  const targets = [
    ['people', 'person', [...new Set(records.personIds)]],
    ['companies', 'company', [...new Set(records.companyIds)]],
    ['deals', 'deal', [...new Set(records.dealIds ?? [])]],
  ] as const;
  for (const [table, recordType, ids] of targets) {
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      await sql`UPDATE ${sql.table(table)} SET last_activity_at = (
          SELECT max(a.occurred_at) FROM links l JOIN activities a ON a.id = l.item_id
          WHERE l.record_type = ${recordType} AND l.record_id = ${sql.ref(`${table}.id`)}
            AND l.item_type = 'activity' AND a.deleted_at IS NULL)
        WHERE id IN (${sql.join(chunk)})`.execute(db);
    }
  }
}
