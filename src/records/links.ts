// Links from an activity, note or task to the people, companies and deals it is about.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema.js';
import { IssueList } from './values.js';

export type ItemType = 'activity' | 'note' | 'task';
export type LinkedType = 'person' | 'company' | 'deal';

export interface LinkSet {
  personIds: string[];
  companyIds: string[];
  dealIds: string[];
}

export const recordId = () => z.uuid({ message: 'must be a record id' });
export const linkIds = () =>
  z
    .array(recordId())
    .max(100)
    .transform((ids) => [...new Set(ids)]);

const TABLE_OF = { person: 'people', company: 'companies', deal: 'deals' } as const;

/**
 * Checks that every linked person, company and deal exists and is not in the trash. `base` is the path prefix
 * ('' or 'patch.').
 */
export async function checkLinks(db: Kysely<DB>, links: Partial<LinkSet>, base: string): Promise<void> {
  const issues = new IssueList();
  const check = async (type: LinkedType, ids: string[] | undefined, key: keyof LinkSet) => {
    if (!ids || ids.length === 0) return;
    const found = new Set(
      (
        await db
          .selectFrom(TABLE_OF[type])
          .select('id')
          .where('id', 'in', ids)
          .where('deleted_at', 'is', null)
          .execute()
      ).map((r) => r.id),
    );
    ids.forEach((id, i) => {
      if (!found.has(id)) issues.add(`${base}${key}.${i}`, `there is no ${type} with this id`);
    });
  };
  await check('person', links.personIds, 'personIds');
  await check('company', links.companyIds, 'companyIds');
  await check('deal', links.dealIds, 'dealIds');
  issues.throwIfAny();
}

/** Replaces the links of the given kinds (a kind left undefined keeps its links). */
export async function setLinks(
  db: Kysely<DB>,
  itemType: ItemType,
  itemId: string,
  links: Partial<LinkSet>,
): Promise<void> {
  const kinds: [LinkedType, string[] | undefined][] = [
    ['person', links.personIds],
    ['company', links.companyIds],
    ['deal', links.dealIds],
  ];
  for (const [recordType, ids] of kinds) {
    if (ids === undefined) continue;
    await db
      .deleteFrom('links')
      .where('item_type', '=', itemType)
      .where('item_id', '=', itemId)
      .where('record_type', '=', recordType)
      .execute();
    if (ids.length > 0) {
      await db
        .insertInto('links')
        .values(ids.map((id) => ({ item_type: itemType, item_id: itemId, record_type: recordType, record_id: id })))
        .execute();
    }
  }
}

/** The links of each item. */
export async function linksFor(
  db: Kysely<DB>,
  itemType: ItemType,
  itemIds: readonly string[],
): Promise<Map<string, LinkSet>> {
  const out = new Map<string, LinkSet>();
  for (const id of itemIds) out.set(id, { personIds: [], companyIds: [], dealIds: [] });
  for (let i = 0; i < itemIds.length; i += 500) {
    const rows = await db
      .selectFrom('links')
      .select(['item_id', 'record_type', 'record_id'])
      .where('item_type', '=', itemType)
      .where('item_id', 'in', itemIds.slice(i, i + 500))
      .execute();
    for (const row of rows) {
      const set = out.get(row.item_id);
      if (!set) continue;
      if (row.record_type === 'person') set.personIds.push(row.record_id);
      else if (row.record_type === 'company') set.companyIds.push(row.record_id);
      else set.dealIds.push(row.record_id);
    }
  }
  return out;
}
