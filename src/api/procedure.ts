// How a procedure is declared: one object gives the types, validation, permission, audit and docs.
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../db/schema.js';
import type { SearchService } from '../search/service.js';
import type { Permission, Role } from '../users/roles.js';

export interface Actor {
  userId: string;
  role: Role;
}

export type ChangeAction = 'create' | 'update' | 'delete' | 'restore' | 'purge';

/** One record changed by a mutating call; `before`/`after` feed the audit diff and never leave the process. */
export interface RecordChange {
  entity: string;
  id: string;
  action: ChangeAction;
  version?: number;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** What the host tells procedures about where they run (for system.info and the like). */
export interface HostInfo {
  appVersion: string;
  dataDir: string;
  databaseFile: string;
  keySource: string;
  schemaVersion: () => number;
  /** The open database's search (index, trigram tables, fallback). */
  search: () => SearchService;
}

export interface CallContext {
  /** The transaction for a mutating call; the shared connection for a read. */
  db: Kysely<DB>;
  actor: Actor;
  /** Time of the call, UTC epoch milliseconds; one value for the whole call. */
  now: number;
  host: HostInfo;
  /** Registers a changed record: it is audited in the same transaction and announced after commit. */
  recordChange(change: RecordChange): void;
  /** The registry being served, for introspection procedures. */
  registry: ProcedureRegistry;
}

export interface ProcedureDef<Name extends string = string, Input extends z.ZodType = z.ZodType, Output = unknown> {
  name: Name;
  summary: string;
  input: Input;
  permission: Permission;
  mutates: boolean;
  handler: (ctx: CallContext, input: z.output<Input>) => Promise<Output> | Output;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProcedure = ProcedureDef<string, z.ZodType, any>;

export type ProcedureRegistry = Readonly<Record<string, AnyProcedure>>;

export function defineProcedure<Name extends string, Input extends z.ZodType, Output>(
  def: ProcedureDef<Name, Input, Output>,
): ProcedureDef<Name, Input, Output> {
  return def;
}
