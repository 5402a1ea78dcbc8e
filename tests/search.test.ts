import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPaths } from '../src/datafolder/paths.js';
import { openHearth, type Hearth } from '../src/datafolder/hearth.js';
import { keyFileProvider } from '../src/keys/keyfile.js';
import type { SearchAnswer, SearchResult } from '../src/search/service.js';
import { runHearth, stdoutJson } from './support/cli.js';
import { makeDataFolder } from './support/data-folder.js';
import { issuePaths, openRecordsHearth, type TestHearth } from './support/records.js';

let t: TestHearth;

const ids = (answer: SearchAnswer) => answer.results.map((r) => r.id);
const find = (q: string, extra: Record<string, unknown> = {}) =>
  t.call('search.query', { q, ...extra }) as Promise<SearchAnswer>;
const marked = (result: SearchResult, field: 'title' | 'subtitle') =>
  result.matches.filter((m) => m.field === field).map((m) => result[field].slice(m.start, m.end));

let jonathan: { id: string; version: number };
let anna: { id: string; version: number };
let acme: { id: string };

beforeAll(async () => {
  t = await openRecordsHearth();
  await t.call('settings.update', {
    version: (await t.call('settings.get', {})).version,
    patch: { phoneRegion: 'GB' },
  });
  acme = await t.call('companies.create', { name: 'Acme Widgets', domains: ['acme-widgets.example'] });
  jonathan = await t.call('people.create', {
    firstName: 'Jonathan',
    lastName: 'Whitfield',
    emails: [{ address: 'jon.whitfield@acme-widgets.example' }],
    phones: [{ number: '+44 20 7946 0958' }],
    companies: [{ companyId: acme.id }],
  });
  anna = await t.call('people.create', { firstName: 'Anna', lastName: 'Müller' });
  // The first query starts the index build (no snapshot yet) and is answered by the SQL fallback.
  const first = await find('whitfield');
  expect(first.mode).toBe('fallback');
  expect(ids(first)).toContain(jonathan.id);
  await t.hearth.search.ready();
}, 30_000);
/** The Hearth a restart opened, closed before the next restart and at the end. */
let reopened: Hearth | null = null;

afterAll(async () => {
  await reopened?.close();
  await t.close();
});

async function restart(logger?: Hearth['logger'], warmSearch = false): Promise<Hearth> {
  const { folder } = t;
  await (reopened ?? t.hearth).close();
  reopened = await openHearth({
    dir: folder.dir,
    provider: () => keyFileProvider(folder.keyFile),
    purpose: 'test',
    warmSearch,
    ...(logger ? { logger } : {}),
  });
  return reopened;
}

async function query(hearth: Hearth, q: string): Promise<SearchAnswer> {
  const result = await hearth.dispatcher.call('search.query', { q }, hearth.localActor);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as SearchAnswer;
}

describe('search.query', () => {
  it('finds a person by a misspelled surname, a prefix, and a name written without its accents', async () => {
    const typo = await find('whitfeld');
    expect(typo.mode).toBe('index');
    expect(ids(typo)[0]).toBe(jonathan.id);
    expect(ids(await find('whitf'))[0]).toBe(jonathan.id);
    expect(ids(await find('jon whit'))[0]).toBe(jonathan.id);
    const muller = await find('muller');
    expect(ids(muller)).toEqual([anna.id]);
    // The highlight covers the accented letters as written.
    expect(marked(muller.results[0]!, 'title')).toEqual(['Müller']);
    expect(marked((await find('mül')).results[0]!, 'title')).toEqual(['Mül']);
  });

  it('finds people by the whole email address, its local part and its domain, and companies by domain', async () => {
    expect(ids(await find('jon.whitfield@acme-widgets.example'))).toEqual([jonathan.id]);
    expect(ids(await find('jon.whitfield'))).toEqual([jonathan.id]);
    const domain = await find('acme-widgets.example');
    expect(new Set(ids(domain))).toEqual(new Set([jonathan.id, acme.id]));
  });

  it('finds people by any run of their phone digits, written internationally or at home', async () => {
    for (const q of ['7946 0958', '020 7946', '+44 20 7946', '0044 20 7946 0958', '4420']) {
      expect(ids(await find(q)), q).toContain(jonathan.id);
    }
    expect(ids(await find('555 0199'))).toEqual([]);
  });

  it('ranks exact words above prefixes and prefixes above typos', async () => {
    const smith = await t.call('people.create', { firstName: 'Ann', lastName: 'Smith' });
    const smithers = await t.call('people.create', { firstName: 'Bob', lastName: 'Smithers' });
    const smyth = await t.call('people.create', { firstName: 'Cy', lastName: 'Smyth' });
    expect(ids(await find('smith')).slice(0, 3)).toEqual([smith.id, smithers.id, smyth.id]);
    // Names rank above other text: a company named Smith comes before a note that mentions smith.
    const note = await t.call('notes.create', { body: 'Spoke to smith about renewals' });
    const answer = await find('smith');
    expect(ids(answer).indexOf(smith.id)).toBeLessThan(ids(answer).indexOf(note.id));
  });

  it('finds a new record at once and loses a deleted one at once, and follows renames', async () => {
    const created = await t.call('people.create', { firstName: 'Quentin', lastName: 'Zebedee' });
    expect(ids(await find('zebedee'))).toEqual([created.id]);
    await t.call('people.update', {
      id: created.id,
      version: created.version,
      patch: { lastName: 'Ollivander' },
    });
    expect(ids(await find('zebedee'))).toEqual([]);
    expect(ids(await find('ollivander'))).toEqual([created.id]);
    await t.call('people.delete', { id: created.id });
    expect(ids(await find('ollivander'))).toEqual([]);
    expect(ids(await find('ol'))).not.toContain(created.id);
    await t.call('trash.restore', { entity: 'person', id: created.id });
    expect(ids(await find('ollivander'))).toEqual([created.id]);
    await t.call('people.delete', { id: created.id });
    await t.call('trash.empty', { entity: 'person' });
    expect(ids(await find('ollivander'))).toEqual([]);
  });

  it('finds notes, activities and tasks by their text, opening the record they belong to', async () => {
    const note = await t.call('notes.create', {
      body: '# Renewal\nJonathan asked about the quarterly invoicing schedule',
      personIds: [jonathan.id],
    });
    const call = await t.call('activities.create', {
      kind: 'call',
      subject: 'Discussed warehouse expansion',
      occurredAt: t.clock.now,
      companyIds: [acme.id],
    });
    const task = await t.call('tasks.create', { title: 'Send the onboarding pack', personIds: [anna.id] });
    const byBody = (await find('invoic')).results.find((r) => r.id === note.id)!;
    expect(byBody).toMatchObject({ type: 'note', title: 'Renewal', open: { entity: 'person', id: jonathan.id } });
    // The subtitle shows where the body matched, highlighted.
    expect(marked(byBody, 'subtitle')).toEqual(['invoic']);
    expect((await find('warehouse')).results.find((r) => r.id === call.id)).toMatchObject({
      type: 'activity',
      open: { entity: 'company', id: acme.id },
    });
    // A task's title is in the index: a typo finds it.
    expect((await find('onbaording')).results.find((r) => r.id === task.id)).toMatchObject({
      type: 'task',
      open: { entity: 'person', id: anna.id },
    });
  });

  it('includes custom text fields, and finds deals by title with their stage in the subtitle', async () => {
    await t.call('fields.create', { entity: 'person', key: 'tier', label: 'Tier', type: 'text' });
    const current = await t.call('people.get', { id: anna.id });
    await t.call('people.update', { id: anna.id, version: current.version, patch: { custom: { tier: 'Platinum' } } });
    expect(ids(await find('platinum'))).toEqual([anna.id]);
    const pipelines = await t.call('pipelines.list', {});
    const deal = await t.call('deals.create', {
      title: 'Warehouse robotics retrofit',
      pipelineId: pipelines.items[0]!.id,
      amount: 1_250_000,
      currency: 'EUR',
    });
    const hit = (await find('robotics')).results[0]!;
    expect(hit).toMatchObject({ type: 'deal', id: deal.id, open: { entity: 'deal', id: deal.id } });
    expect(hit.subtitle).toContain('€12,500');
  });

  it('filters by type, limits, shows recent records for an empty query, and refuses bad input', async () => {
    const onlyCompanies = await find('acme', { types: ['company'] });
    expect(onlyCompanies.results.map((r) => r.type)).toEqual(['company']);
    expect((await find('a', { limit: 2 })).results).toHaveLength(2);
    const recent = await find('');
    expect(recent.mode).toBe('recent');
    expect(recent.results.length).toBeGreaterThan(0);
    const touched = recent.results.map((r) => r.type);
    expect(touched.every((type) => type === 'person' || type === 'company' || type === 'deal')).toBe(true);
    expect(issuePaths(await t.fail('search.query', { q: 'x'.repeat(201) }))).toEqual(['q']);
    expect(issuePaths(await t.fail('search.query', { q: 'a', types: ['person', 'person'] }))).toEqual(['types']);
    expect(issuePaths(await t.fail('search.query', { q: 'a', limit: 0 }))).toEqual(['limit']);
    expect(issuePaths(await t.fail('search.query', { q: 'a', types: ['mail'] }))).toEqual(['types.0']);
    // Nothing a person can type breaks a query.
    for (const q of ['"', '*', 'a"b OR c', 'NEAR(x y)', '(((', '💡', '\\%_']) {
      expect((await find(q)).results).toBeInstanceOf(Array);
    }
  });

  it('catches up with a long backlog a slice at a time, letting other work run in between', async () => {
    // 2,100 people written with no search in between: the next query has them all to catch up with.
    for (let i = 0; i < 2_100; i++) {
      await t.call('people.create', { firstName: `Bulk${i}`, lastName: 'Backlogged' });
    }
    let turned = false;
    setImmediate(() => (turned = true));
    const answer = await find('backlogged', { limit: 50 });
    expect(answer.results).toHaveLength(50);
    expect(answer.results.every((r) => r.title.endsWith('Backlogged'))).toBe(true);
    // The catch-up gave way to the event loop between slices (a query over a short backlog never does).
    expect(turned).toBe(true);
  }, 60_000);
});

describe('the stored index', () => {
  it('is loaded on restart, not rebuilt, and caught up with the changes made since it was stored', async () => {
    const before = t.hearth.search.stats();
    expect(before).toMatchObject({ rebuilds: 1, state: 'ready' });
    const storedSeq = before.seq;
    // Changes after the snapshot was written: the next process must see them through the audit log.
    const late = await t.call('people.create', { firstName: 'Latecomer', lastName: 'Pemberton' });
    const removed = await t.call('people.create', { firstName: 'Gone', lastName: 'Fotheringay' });
    await t.call('people.delete', { id: removed.id });
    const logged: string[] = [];
    const hearth = await restart({
      log: (_level, message, fields) => logged.push(`${message} ${JSON.stringify(fields ?? {})}`),
    });
    const call = (q: string) => query(hearth, q);
    const answer = await call('pemberton');
    expect(answer.mode).toBe('index');
    expect(ids(answer)).toEqual([late.id]);
    expect(ids(await call('fotheringay'))).toEqual([]);
    expect(ids(await call('whitfeld'))[0]).toBe(jonathan.id);
    const stats = hearth.search.stats();
    expect(stats).toMatchObject({ loads: 1, rebuilds: 0, state: 'ready' });
    expect(stats.seq).toBeGreaterThan(storedSeq);
    expect(stats.caughtUp).toBeGreaterThan(0);
    expect(logged.some((line) => line.startsWith('search index loaded'))).toBe(true);
    // The log says how much, never what.
    expect(logged.join('\n')).not.toMatch(/Pemberton|Whitfield|Müller/i);
  });

  it('is loaded in slices by a long-running host, the fallback answering until it is ready', async () => {
    const hearth = await restart(undefined, true);
    expect(hearth.search.stats().state).toBe('loading');
    const early = await query(hearth, 'whitfield');
    expect(early.mode).toBe('fallback');
    expect(ids(early)).toEqual([jonathan.id]);
    await hearth.search.ready();
    const stats = hearth.search.stats();
    expect(stats).toMatchObject({ state: 'ready', loads: 1, rebuilds: 0 });
    // Each slice held the thread briefly (the whole load is longer than any slice of it).
    expect(stats.longestStepMs).toBeLessThan(stats.loadMs);
    expect(ids(await query(hearth, 'whitfeld'))[0]).toBe(jonathan.id);
  });

  it('is rebuilt when the stored snapshot cannot be read, while the fallback answers', async () => {
    reopened!.sqlite.prepare("UPDATE search_snapshots SET data = X'7b6e6f7420a5' WHERE name = 'records'").run();
    const hearth = await restart();
    const first = await query(hearth, 'whitfield');
    expect(first.mode).toBe('fallback');
    expect(ids(first)).toEqual([jonathan.id]);
    await hearth.search.ready();
    expect(hearth.search.stats()).toMatchObject({ loads: 1, rebuilds: 1, state: 'ready' });
    expect(ids(await query(hearth, 'whitfeld'))[0]).toBe(jonathan.id);
  });
});

describe('hearth call search.query', () => {
  it('answers in a fresh process: the first builds and stores the index, the next loads it and catches up', async () => {
    const folder = await makeDataFolder();
    try {
      const cli = (...args: string[]) =>
        runHearth(['--data-dir', folder.dir, '--key-file', folder.keyFile, 'call', ...args]);
      const search = async (q: string) => stdoutJson<SearchAnswer>(await cli('search.query', JSON.stringify({ q })));
      const made = stdoutJson<{ id: string }>(
        await cli('people.create', JSON.stringify({ firstName: 'Jonathan', lastName: 'Whitfield' })),
      );
      const first = await search('whitfield');
      expect(first.mode).toBe('fallback');
      expect(ids(first)).toEqual([made.id]);
      // Written after the first command stored the index: the next process must catch up with it.
      const late = stdoutJson<{ id: string }>(
        await cli('people.create', JSON.stringify({ firstName: 'Latecomer', lastName: 'Pemberton' })),
      );
      const typo = await search('pembertn');
      expect(typo.mode).toBe('index');
      expect(ids(typo)).toEqual([late.id]);
      expect(ids(await search('whitfeld'))).toEqual([made.id]);
      const log = readFileSync(dataPaths(folder.dir).logFile, 'utf8');
      expect(log.match(/search index rebuild started/g)).toHaveLength(1);
      expect(log.match(/search index loaded/g)?.length).toBe(2);
      expect(log).not.toMatch(/Whitfield|Pemberton/);
    } finally {
      folder.cleanup();
    }
  }, 60_000);
});
