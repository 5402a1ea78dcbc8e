// Table types for Kysely. Columns are snake_case; the API maps them to camelCase.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface MetaTable {
  key: string;
  value: string;
}

export interface UsersTable {
  id: string;
  name: string;
  email: string | null;
  role: string;
  is_local: number;
  password_hash: string | null;
  totp_secret: string | null;
  version: number;
  created_at: number;
  updated_at: number;
  created_by: string | null;
  owner_id: string | null;
  deleted_at: number | null;
}

export interface SettingsTable {
  id: string;
  firm_name: string;
  base_currency: string;
  phone_region: string;
  version: number;
  created_at: number;
  updated_at: number;
  created_by: string | null;
  owner_id: string | null;
}

export interface AuditLogTable {
  seq: Generated<number>;
  id: string;
  at: number;
  actor_id: string | null;
  procedure: string;
  record_ids: string;
  diff: string | null;
  diff_hash: string;
  prev_hash: string;
  hash: string;
}

export interface DB {
  meta: MetaTable;
  users: UsersTable;
  settings: SettingsTable;
  audit_log: AuditLogTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type SettingsRow = Selectable<SettingsTable>;
export type SettingsUpdate = Updateable<SettingsTable>;
export type AuditRow = Selectable<AuditLogTable>;
