// Record tests: a real encrypted data folder with a controllable clock, typed calls that unwrap results,
// and the things a test looks at afterwards (audit entries, change events, raw rows).
import { v7 as uuidv7 } from 'uuid';
import type { InputOf, OutputOf, ProcedureName } from '../../src/api/contract.js';
import type { ApiErrorBody } from '../../src/api/errors.js';
import type { ChangeEvent } from '../../src/api/events.js';
import type { Actor } from '../../src/api/procedure.js';
import { openHearth, type Hearth } from '../../src/datafolder/hearth.js';
import { keyFileProvider } from '../../src/keys/keyfile.js';
import type { Role } from '../../src/users/roles.js';
import { makeDataFolder, type TempFolder } from './data-folder.js';

/** 2026-01-05T09:00:00Z: every test starts its clock here. */
export const START = Date.UTC(2026, 0, 5, 9, 0, 0);

export interface TestHearth {
  hearth: Hearth;
  folder: TempFolder;
  /** The machine's own user (an admin). */
  actor: Actor;
  /** The time the next call will see; each call advances it by one second. */
  clock: { now: number };
  /** Change events announced so far, oldest first. */
  events: ChangeEvent[];
  /** Calls a procedure and returns its value; an API error fails the test with the error's message. */
  call<N extends ProcedureName>(name: N, input: InputOf<N>, actor?: Actor): Promise<OutputOf<N>>;
  /** Calls a procedure that must fail (the input is untyped, so tests can send what the types forbid). */
  fail(name: ProcedureName, input: unknown, actor?: Actor): Promise<ApiErrorBody>;
  /** Audit entries, all of them or those written by one procedure. */
  auditCount(procedure?: string): number;
  /** Rows in a table. */
  count(table: string): number;
  /** Adds a user straight into `users` (there is no procedure for that yet) and returns them as an actor. */
  addUser(name: string, role?: Role): Actor;
  close(): Promise<void>;
}

export class ApiCallFailed extends Error {
  constructor(
    readonly procedure: string,
    readonly body: ApiErrorBody,
  ) {
    super(`${procedure} failed with ${body.code}: ${body.message} ${JSON.stringify(body.details ?? null)}`);
  }
}

export async function openRecordsHearth(): Promise<TestHearth> {
  const folder = await makeDataFolder();
  const clock = { now: START };
  let hearth: Hearth;
  try {
    hearth = await openHearth({
      dir: folder.dir,
      provider: () => keyFileProvider(folder.keyFile),
      purpose: 'test',
      clock: () => {
        const now = clock.now;
        clock.now += 1000;
        return now;
      },
    });
  } catch (error) {
    folder.cleanup();
    throw error;
  }
  const events: ChangeEvent[] = [];
  hearth.dispatcher.onEvent((event) => {
    if (event.type === 'change') events.push(event);
  });
  const actor = hearth.localActor;
  const scalar = (query: string, ...params: unknown[]) =>
    Number((hearth.sqlite.prepare(query).get(...params) as { n: number }).n);

  return {
    hearth,
    folder,
    actor,
    clock,
    events,
    async call(name, input, as = actor) {
      const result = await hearth.dispatcher.call(name, input, as);
      if (!result.ok) throw new ApiCallFailed(name, result.error);
      return result.value as OutputOf<typeof name>;
    },
    async fail(name, input, as = actor) {
      const result = await hearth.dispatcher.call(name, input, as);
      if (result.ok) throw new Error(`${name} was expected to fail but returned ${JSON.stringify(result.value)}`);
      return result.error;
    },
    auditCount(procedure) {
      return procedure === undefined
        ? scalar('SELECT count(*) AS n FROM audit_log')
        : scalar('SELECT count(*) AS n FROM audit_log WHERE procedure = ?', procedure);
    },
    count(table) {
      if (!/^[a-z_]+$/.test(table)) throw new Error(`not a table name: ${table}`);
      return scalar(`SELECT count(*) AS n FROM ${table}`);
    },
    addUser(name, role = 'member') {
      const id = uuidv7();
      hearth.sqlite
        .prepare(
          `INSERT INTO users (id, name, email, role, is_local, version, created_at, updated_at)
           VALUES (?, ?, ?, ?, 0, 1, ?, ?)`,
        )
        .run(id, name, `${name.toLowerCase().replace(/\W+/g, '.')}@example.test`, role, START, START);
      return { userId: id, role };
    },
    async close() {
      try {
        await hearth.close();
      } finally {
        folder.cleanup();
      }
    },
  };
}

/** The field paths a VALIDATION error names, in order. */
export function issuePaths(error: ApiErrorBody): string[] {
  const issues = (error.details as { issues?: { path: string }[] } | undefined)?.issues ?? [];
  return issues.map((i) => i.path);
}

/** Every page of a list, following nextCursor; fails if a page comes back empty while promising more. */
export async function allPages<T extends { id: string }>(
  fetch: (cursor: string | null) => Promise<{ items: T[]; nextCursor: string | null }>,
): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 10_000; pages++) {
    const page: { items: T[]; nextCursor: string | null } = await fetch(cursor);
    out.push(...page.items);
    if (page.nextCursor === null) return out;
    if (page.items.length === 0) throw new Error('an empty page promised more');
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
}
