// system.info and system.procedures: what a client or integrator needs to know about this Hearth.
import { sql } from 'kysely';
import { z } from 'zod';
import { defineProcedure } from '../api/procedure.js';
import type { Permission } from '../users/roles.js';

export interface SystemInfo {
  version: string;
  schemaVersion: number;
  sqliteVersion: string;
  counts: { users: number; auditEntries: number };
  dataDir: string;
  databaseFile: string;
  keySource: string;
}

export const systemInfo = defineProcedure({
  name: 'system.info',
  summary: 'Version, schema version, record counts, data folder, database file and key source.',
  input: z.object({}).strict(),
  permission: 'system.read',
  mutates: false,
  async handler(ctx): Promise<SystemInfo> {
    const counts = await ctx.db
      .selectNoFrom((eb) => [
        eb.selectFrom('users').select(eb.fn.countAll<number>().as('n')).where('deleted_at', 'is', null).as('users'),
        eb.selectFrom('audit_log').select(eb.fn.countAll<number>().as('n')).as('auditEntries'),
      ])
      .executeTakeFirstOrThrow();
    const version = await sql<{ v: string }>`select sqlite_version() as v`.execute(ctx.db);
    return {
      version: ctx.host.appVersion,
      schemaVersion: ctx.host.schemaVersion(),
      sqliteVersion: version.rows[0]?.v ?? 'unknown',
      counts: { users: Number(counts.users), auditEntries: Number(counts.auditEntries) },
      dataDir: ctx.host.dataDir,
      databaseFile: ctx.host.databaseFile,
      keySource: ctx.host.keySource,
    };
  },
});

export interface ProcedureDescription {
  name: string;
  summary: string;
  permission: Permission;
  mutates: boolean;
  input: unknown;
}

export function describeProcedures(
  registry: Parameters<typeof systemProcedures.handler>[0]['registry'],
): ProcedureDescription[] {
  return Object.values(registry)
    .map((p) => ({
      name: p.name,
      summary: p.summary,
      permission: p.permission,
      mutates: p.mutates,
      input: z.toJSONSchema(p.input, { unrepresentable: 'any', io: 'input' }),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export const systemProcedures = defineProcedure({
  name: 'system.procedures',
  summary: 'Every procedure with its permission, whether it mutates, and its input as JSON Schema.',
  input: z.object({}).strict(),
  permission: 'system.read',
  mutates: false,
  handler(ctx): { procedures: ProcedureDescription[] } {
    return { procedures: describeProcedures(ctx.registry) };
  },
});
