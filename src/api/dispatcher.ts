// The one path from any front (IPC, HTTP, CLI, tests) to the core: validate, authorize, run, audit, emit.
import type { Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { appendAuditEntry } from '../audit/repository.js';
import type { DB } from '../db/schema.js';
import type { Logger } from '../log/logger.js';
import { roleGrants } from '../users/roles.js';
import { HearthError, type ApiErrorBody } from './errors.js';
import type { EventListener, HearthEvent } from './events.js';
import { depthOf, LIMITS } from './limits.js';
import type { Actor, CallContext, HostInfo, ProcedureRegistry, RecordChange } from './procedure.js';

export type CallResult<T = unknown> = { ok: true; value: T } | { ok: false; error: ApiErrorBody };

export interface DispatcherOptions {
  db: Kysely<DB>;
  registry: ProcedureRegistry;
  host: HostInfo;
  logger: Logger;
  clock?: () => number;
}

export interface Dispatcher {
  /** Runs a procedure for an actor (null when the caller is not signed in). Never throws. */
  call(procedure: string, input: unknown, actor: Actor | null): Promise<CallResult>;
  onEvent(listener: EventListener): () => void;
  /** Announces an event that is not a committed change (a reminder coming due) to every listener. */
  publish(event: HearthEvent): void;
  readonly registry: ProcedureRegistry;
}

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { db, registry, host, logger } = options;
  const clock = options.clock ?? Date.now;
  const listeners = new Set<EventListener>();

  function emit(event: HearthEvent): void {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        logger.log('error', 'event-listener-failed', { error: errorName(error) });
      }
    }
  }

  async function run(name: string, input: unknown, actor: Actor | null): Promise<unknown> {
    const procedure = Object.hasOwn(registry, name) ? registry[name] : undefined;
    if (!procedure) throw new HearthError('NOT_FOUND', `There is no procedure named "${truncate(name)}".`);
    if (!actor) throw new HearthError('UNAUTHENTICATED', 'Sign in first.');
    if (!roleGrants(actor.role, procedure.permission)) {
      throw new HearthError('FORBIDDEN', `Your role (${actor.role}) may not ${procedure.name}.`, {
        permission: procedure.permission,
      });
    }
    const parsed = validateInput(procedure.input, input);
    const changes: RecordChange[] = [];
    const now = clock();
    const context = (conn: Kysely<DB>): CallContext => ({
      db: conn,
      actor,
      now,
      host,
      registry,
      recordChange(change) {
        if (!procedure.mutates) throw new Error(`${procedure.name} is declared read-only but changed a record`);
        changes.push(change);
      },
    });
    if (!procedure.mutates) return await procedure.handler(context(db), parsed);

    const result = await db.transaction().execute(async (trx) => {
      const value = await procedure.handler(context(trx), parsed);
      if (changes.length > 0) {
        await appendAuditEntry(trx, { at: now, actorId: actor.userId, procedure: procedure.name, changes });
      }
      return value;
    });
    if (changes.length > 0) {
      emit({
        type: 'change',
        procedure: procedure.name,
        actorId: actor.userId,
        at: now,
        changes: changes.map(({ entity, id, action, version }) =>
          version === undefined ? { entity, id, action } : { entity, id, action, version },
        ),
      });
    }
    return result;
  }

  return {
    registry,
    async call(name, input, actor) {
      try {
        return { ok: true, value: await run(name, input, actor) };
      } catch (error) {
        if (error instanceof HearthError) return { ok: false, error: error.toBody() };
        const ref = randomUUID().slice(0, 8);
        // Name and stack only: a message from a driver may quote values.
        logger.log('error', 'internal-error', {
          procedure: truncate(name),
          ref,
          error: errorName(error),
          stack: error instanceof Error ? (error.stack ?? '').split('\n').slice(1, 8).join(' | ') : null,
        });
        return {
          ok: false,
          error: { code: 'INTERNAL', message: `Something went wrong on our side (reference ${ref}).` },
        };
      }
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    publish: emit,
  };
}

/** Checks an input against a schema the way every procedure's input is checked; throws VALIDATION with field paths. */
export function validateInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const value = input === undefined ? {} : input;
  if (depthOf(value, LIMITS.inputDepth) > LIMITS.inputDepth) {
    throw new HearthError('VALIDATION', `Input is nested deeper than ${LIMITS.inputDepth} levels.`, {
      issues: [{ path: '', message: `nested deeper than ${LIMITS.inputDepth} levels` }],
    });
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.slice(0, 50).map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    }));
    const first = issues[0];
    const where = first && first.path ? `${first.path}: ` : '';
    throw new HearthError('VALIDATION', `Invalid input. ${where}${first?.message ?? ''}`.trim(), { issues });
  }
  return result.data;
}

function errorName(error: unknown): string {
  if (error instanceof Error) return `${error.name}${'code' in error ? ` ${String(error.code)}` : ''}`;
  return typeof error;
}

function truncate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
