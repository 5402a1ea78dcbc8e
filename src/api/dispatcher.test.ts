import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { makeDataFolder, type TempFolder } from '../../tests/support/data-folder.js';
import { openHearth, type Hearth } from '../datafolder/hearth.js';
import { keyFileProvider } from '../keys/keyfile.js';
import type { HearthEvent } from './events.js';
import { LIMITS } from './limits.js';
import { defineProcedure, type Actor } from './procedure.js';
import { registry } from './registry.js';

// Procedures that exist only here, to drive the dispatcher's failure paths through real transactions.
const writesThenFails = defineProcedure({
  name: 'test.writesThenFails',
  summary: 'changes the firm name, then fails',
  input: z.object({}).strict(),
  permission: 'settings.manage',
  mutates: true,
  async handler(ctx) {
    await ctx.db.updateTable('settings').set({ firm_name: 'PARTIAL' }).execute();
    ctx.recordChange({ entity: 'settings', id: 'workspace', action: 'update' });
    throw new Error('SQLITE_CONSTRAINT: UNIQUE failed: SELECT secret FROM people');
  },
});
const readOnlyThatWrites = defineProcedure({
  name: 'test.readOnlyThatWrites',
  summary: 'declares read-only but records a change',
  input: z.object({}).strict(),
  permission: 'settings.read',
  mutates: false,
  handler(ctx) {
    ctx.recordChange({ entity: 'settings', id: 'workspace', action: 'update' });
    return null;
  },
});

let folder: TempFolder;
let hearth: Hearth;
let admin: Actor;
const events: HearthEvent[] = [];

beforeAll(async () => {
  folder = await makeDataFolder();
  hearth = await openHearth({
    dir: folder.dir,
    provider: () => keyFileProvider(folder.keyFile),
    registry: { ...registry, [writesThenFails.name]: writesThenFails, [readOnlyThatWrites.name]: readOnlyThatWrites },
  });
  admin = hearth.localActor;
  hearth.dispatcher.onEvent((event) => events.push(event));
});
afterAll(async () => {
  await hearth.close();
  folder.cleanup();
});

/** Everything a failed call must leave alone. */
function state() {
  return {
    settings: hearth.sqlite.prepare('SELECT * FROM settings').all(),
    audit: hearth.sqlite.prepare('SELECT count(*) AS n FROM audit_log').get(),
  };
}

async function settingsVersion(): Promise<number> {
  const result = await hearth.dispatcher.call('settings.get', {}, admin);
  if (!result.ok) throw new Error('settings.get failed');
  return (result.value as { version: number }).version;
}

describe('the dispatcher', () => {
  it('rejects malformed input to every procedure with VALIDATION and changes nothing', async () => {
    for (const procedure of Object.values(registry)) {
      await fc.assert(
        fc.asyncProperty(fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true }), async (input) => {
          fc.pre(!procedure.input.safeParse(input === undefined ? {} : input).success);
          const before = state();
          const result = await hearth.dispatcher.call(procedure.name, input, admin);
          expect(result.ok).toBe(false);
          if (!result.ok) {
            expect(result.error.code).toBe('VALIDATION');
            expect(result.error.details).toMatchObject({ issues: expect.any(Array) });
          }
          expect(state()).toEqual(before);
        }),
        { numRuns: 150 },
      );
    }
  });

  it('rejects near-miss settings updates field by field with the field path', async () => {
    const validPatch = { firmName: 'Acme', baseCurrency: 'USD', phoneRegion: 'US' };
    const badValues: Record<'firmName' | 'baseCurrency' | 'phoneRegion', fc.Arbitrary<unknown>> = {
      firmName: fc.oneof(
        fc.constant(''),
        fc.constant('x'.repeat(LIMITS.shortText + 1)),
        fc.integer(),
        fc.constant(null),
      ),
      baseCurrency: fc.oneof(fc.constant('usd'), fc.constant('XYZ'), fc.constant('EURO'), fc.integer()),
      phoneRegion: fc.oneof(fc.constant('ZZ'), fc.constant('gbr'), fc.constant(''), fc.boolean()),
    };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...(Object.keys(badValues) as Array<keyof typeof badValues>)),
        fc.nat(),
        async (field, seed) => {
          const bad = fc.sample(badValues[field], { seed, numRuns: 1 })[0];
          const before = state();
          const result = await hearth.dispatcher.call(
            'settings.update',
            { version: await settingsVersion(), patch: { ...validPatch, [field]: bad } },
            admin,
          );
          expect(result.ok).toBe(false);
          if (!result.ok) {
            expect(result.error.code).toBe('VALIDATION');
            const issues = (result.error.details as { issues: Array<{ path: string }> }).issues;
            expect(issues.length).toBeGreaterThan(0);
            expect(new Set(issues.map((issue) => issue.path))).toEqual(new Set([`patch.${field}`]));
          }
          expect(state()).toEqual(before);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses input nested deeper than the limit without overflowing the stack', async () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const result = await hearth.dispatcher.call('settings.update', { version: 1, patch: deep }, admin);
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('refuses unknown procedures, including inherited property names', async () => {
    for (const name of ['nope.nothing', '__proto__', 'constructor', 'toString']) {
      expect(await hearth.dispatcher.call(name, {}, admin)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    }
  });

  it('refuses a caller who is not signed in', async () => {
    expect(await hearth.dispatcher.call('settings.get', {}, null)).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
  });

  it('checks the permission against the caller role', async () => {
    const readonly: Actor = { userId: admin.userId, role: 'readonly' };
    const before = state();
    const denied = await hearth.dispatcher.call(
      'settings.update',
      { version: await settingsVersion(), patch: { firmName: 'Nope' } },
      readonly,
    );
    expect(denied).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { permission: 'settings.manage' } },
    });
    expect(state()).toEqual(before);
    expect(await hearth.dispatcher.call('settings.get', {}, readonly)).toMatchObject({ ok: true });
  });

  it('answers a stale version with CONFLICT and the current record', async () => {
    const version = await settingsVersion();
    expect(
      await hearth.dispatcher.call('settings.update', { version, patch: { firmName: 'First' } }, admin),
    ).toMatchObject({
      ok: true,
    });
    const stale = await hearth.dispatcher.call('settings.update', { version, patch: { firmName: 'Second' } }, admin);
    expect(stale).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', details: { current: { firmName: 'First', version: version + 1 } } },
    });
  });

  it('rolls back a failing call completely, hides the internals, and announces nothing', async () => {
    const before = state();
    const eventsBefore = events.length;
    const result = await hearth.dispatcher.call('test.writesThenFails', {}, admin);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('INTERNAL');
      expect(result.error.message).not.toMatch(/SELECT|SQLITE|people|at /);
      expect(result.error.details).toBeUndefined();
    }
    expect(state()).toEqual(before);
    expect(events.length).toBe(eventsBefore);
  });

  it('does not let a read-only procedure record changes', async () => {
    const before = state();
    expect(await hearth.dispatcher.call('test.readOnlyThatWrites', {}, admin)).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });
    expect(state()).toEqual(before);
  });

  it('announces a committed change after commit, without record contents', async () => {
    const version = await settingsVersion();
    const seen: Array<{ event: HearthEvent; committedName: string }> = [];
    const stop = hearth.dispatcher.onEvent((event) => {
      // By the time listeners hear of it, a fresh read sees the change.
      const row = hearth.sqlite.prepare('SELECT firm_name FROM settings').get() as { firm_name: string };
      seen.push({ event, committedName: row.firm_name });
    });
    await hearth.dispatcher.call('settings.update', { version, patch: { firmName: 'Evented' } }, admin);
    stop();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.committedName).toBe('Evented');
    expect(seen[0]!.event).toMatchObject({
      type: 'change',
      procedure: 'settings.update',
      actorId: admin.userId,
      changes: [{ entity: 'settings', id: 'workspace', action: 'update', version: version + 1 }],
    });
    expect(JSON.stringify(seen[0]!.event)).not.toContain('Evented');
  });
});
