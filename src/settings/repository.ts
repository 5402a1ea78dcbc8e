// Workspace settings: a single row keyed 'workspace'.
import type { Kysely } from 'kysely';
import { cachedConfig } from '../db/config-cache.js';
import type { DB, SettingsRow } from '../db/schema.js';

export const WORKSPACE_ID = 'workspace';

export interface WorkspaceSettings {
  id: string;
  version: number;
  firmName: string;
  baseCurrency: string;
  phoneRegion: string;
  createdAt: number;
  updatedAt: number;
  ownerId: string | null;
}

export function toSettings(row: SettingsRow): WorkspaceSettings {
  return {
    id: row.id,
    version: row.version,
    firmName: row.firm_name,
    baseCurrency: row.base_currency,
    phoneRegion: row.phone_region,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ownerId: row.owner_id,
  };
}

export async function findSettings(db: Kysely<DB>): Promise<SettingsRow | undefined> {
  return db.selectFrom('settings').selectAll().where('id', '=', WORKSPACE_ID).executeTakeFirst();
}

/** Writes the new values only if the stored version is still `expectedVersion`; returns whether it did. */
export async function updateSettingsIfVersion(
  db: Kysely<DB>,
  expectedVersion: number,
  values: { firm_name: string; base_currency: string; phone_region: string; updated_at: number },
): Promise<boolean> {
  const result = await db
    .updateTable('settings')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('id', '=', WORKSPACE_ID)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** The region phone numbers without a country code are read in, kept between calls (src/db/config-cache.ts). */
export function phoneRegion(db: Kysely<DB>): Promise<string> {
  return cachedConfig(db, 'phoneRegion', async () => (await findSettings(db))?.phone_region ?? 'GB');
}

/** The workspace's base currency, kept between calls as the phone region is. */
export function baseCurrency(db: Kysely<DB>): Promise<string> {
  return cachedConfig(db, 'baseCurrency', async () => (await findSettings(db))?.base_currency ?? 'EUR');
}
