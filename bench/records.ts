// The records part of `npm run bench`: lists, record pages and writes through the real dispatcher on the
// full-size synthetic data set (bench/records-data.ts). Returns markdown lines for the report.
import { randomBytes } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { initDataFolder, openHearth } from '../src/datafolder/hearth.js';
import { keyFileProvider } from '../src/keys/keyfile.js';
import { call, log, median, prng, quantile, SEED } from './data.js';
import { FULL_SIZE, generateRecords, type RecordsIds, type RecordsSize } from './records-data.js';

const LIST_RUNS = 200;
const PAGE_RUNS = 500;
const WRITE_RUNS = 500;
const WARMUP = 20;

export interface Timing {
  name: string;
  samples: number[];
  /** p95 target in ms, or null for context rows. */
  target: number | null;
}

async function time(runs: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await fn(i);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn(i + WARMUP);
    samples.push(performance.now() - t0);
  }
  return samples;
}

/** Builds the folder, fills it, reopens it the way the app would, and measures. */
export async function recordsBench(tmp: string, size: RecordsSize = FULL_SIZE): Promise<string[]> {
  const dir = join(tmp, 'records');
  const keyFile = join(tmp, 'records.key');
  const key = randomBytes(32);
  writeFileSync(keyFile, key.toString('hex') + '\n', { mode: 0o600 });
  await initDataFolder({ dir, provider: keyFileProvider(keyFile), key, userName: 'Bench' });
  const open = () => openHearth({ dir, provider: () => keyFileProvider(keyFile), purpose: 'bench', optimize: true });

  let hearth = await open();
  log(
    `records: generating ${size.people.toLocaleString('en-US')} people, ${size.companies.toLocaleString('en-US')} companies, ` +
      `${size.activities.toLocaleString('en-US')} activities, ${size.notes.toLocaleString('en-US')} notes, ${size.tasks.toLocaleString('en-US')} tasks`,
  );
  const t0 = performance.now();
  const ids: RecordsIds = generateRecords(hearth.sqlite, hearth.localActor.userId, size);
  const generateMs = performance.now() - t0;
  await hearth.close();
  const t1 = performance.now();
  hearth = await open();
  const reopenMs = performance.now() - t1;
  const fileMiB = statSync(join(dir, 'hearth.db')).size / 1024 / 1024;

  const timings: Timing[] = [];
  try {
    const rng = prng(SEED + 11);
    const somePerson = () => ids.people[Math.floor(rng() * ids.people.length)]!;
    const someCompany = () => ids.companies[Math.floor(rng() * ids.companies.length)]!;

    // Writes first: they also leave audit entries, so the record pages below show changes in their timelines.
    log('records: writes');
    // people.update alone (the read that gives the version is not timed); these people get audit entries.
    const updated: string[] = [];
    const updates: number[] = [];
    for (let i = 0; i < WRITE_RUNS + WARMUP; i++) {
      const id = ids.people[(i * 389 + 7) % ids.people.length]!;
      const person = (await call(hearth, 'people.get', { id })) as { version: number };
      const t = performance.now();
      await call(hearth, 'people.update', {
        id,
        version: person.version,
        patch: { title: `Role ${i}`, tags: ['vip'] },
      });
      if (i >= WARMUP) updates.push(performance.now() - t);
      updated.push(id);
    }
    timings.push({ name: 'people.update (title and tags)', target: 5, samples: updates });
    timings.push({
      name: 'people.create (names, email, phone, company, tag)',
      target: 5,
      samples: await time(WRITE_RUNS, (i) =>
        call(hearth, 'people.create', {
          firstName: `Bench${i}`,
          lastName: 'Person',
          emails: [{ address: `bench${i}@bench.example` }],
          phones: [{ number: '+44 20 7946 0958' }],
          companies: [{ companyId: someCompany(), role: 'Buyer' }],
          tags: ['newsletter'],
          custom: { tier: 'gold', score: i % 100 },
        }),
      ),
    });
    timings.push({
      name: 'companies.create',
      target: 5,
      samples: await time(WRITE_RUNS, (i) =>
        call(hearth, 'companies.create', {
          name: `Bench Company ${i}`,
          domains: [`bench${i}.example`],
          industry: 'Legal',
        }),
      ),
    });
    if ('activities.create' in hearth.dispatcher.registry) {
      timings.push({
        name: 'activities.create (call linked to a person)',
        target: 5,
        samples: await time(WRITE_RUNS, (i) =>
          call(hearth, 'activities.create', {
            kind: 'call',
            subject: `Bench call ${i}`,
            outcome: 'Connected',
            durationMinutes: 10,
            personIds: [somePerson()],
          }),
        ),
      });
    }

    log('records: lists');
    const lists: [string, string, Record<string, unknown>][] = [
      ['people, default sort (last, first name)', 'people.list', {}],
      [
        'people, lifecycle = customer, by last name',
        'people.list',
        { filter: [{ field: 'lifecycleStage', op: 'eq', value: 'customer' }] },
      ],
      [
        'people, tag = vip, newest updated first',
        'people.list',
        { filter: [{ field: 'tag', op: 'eq', value: 'vip' }], sort: [{ field: 'updatedAt', dir: 'desc' }] },
      ],
      [
        'people, name contains "ann", by last name',
        'people.list',
        { filter: [{ field: 'name', op: 'contains', value: 'ann' }] },
      ],
      [
        'people, custom tier = gold and city = Leeds, by first name',
        'people.list',
        {
          filter: [
            { field: 'custom.tier', op: 'eq', value: 'gold' },
            { field: 'address.city', op: 'eq', value: 'Leeds' },
          ],
          sort: [{ field: 'firstName', dir: 'asc' }],
        },
      ],
      [
        'people, owner + stage, last activity first',
        'people.list',
        {
          filter: [
            { field: 'ownerId', op: 'eq', value: ids.users[1] },
            { field: 'lifecycleStage', op: 'in', value: ['lead', 'prospect'] },
          ],
          sort: [{ field: 'lastActivityAt', dir: 'desc' }],
        },
      ],
      ['companies, default sort (name)', 'companies.list', {}],
      [
        'companies, industry = Legal, by name',
        'companies.list',
        { filter: [{ field: 'industry', op: 'eq', value: 'Legal' }] },
      ],
    ];
    for (const [name, procedure, input] of lists) {
      timings.push({
        name: `first page of 50: ${name}`,
        target: 10,
        samples: await time(LIST_RUNS, () => call(hearth, procedure, { ...input, limit: 50 })),
      });
    }
    timings.push({
      name: 'with count: people, lifecycle = customer (first page + total)',
      target: null,
      samples: await time(50, () =>
        call(hearth, 'people.list', {
          filter: [{ field: 'lifecycleStage', op: 'eq', value: 'customer' }],
          limit: 50,
          count: true,
        }),
      ),
    });
    // A page deep in the list: the cursor seeks, it does not skip rows.
    let cursor: string | null = null;
    for (let page = 0; page < 400; page++) {
      const result = (await call(hearth, 'people.list', { limit: 50, cursor })) as { nextCursor: string | null };
      cursor = result.nextCursor;
    }
    const deep = cursor;
    timings.push({
      name: 'page 401 of people (row 20,001 on), default sort',
      target: 10,
      samples: await time(LIST_RUNS, () => call(hearth, 'people.list', { limit: 50, cursor: deep })),
    });

    log('records: record pages');
    timings.push({
      name: 'person page: people.get + timeline.get (50 items)',
      target: 10,
      samples: await time(PAGE_RUNS, async (i) => {
        const id = i % 5 === 0 && updated.length > 0 ? updated[i % updated.length]! : somePerson();
        await call(hearth, 'people.get', { id });
        if ('timeline.get' in hearth.dispatcher.registry) {
          await call(hearth, 'timeline.get', { entity: 'person', id, limit: 50 });
        }
      }),
    });
    timings.push({
      name: 'company page: companies.get + its people + timeline.get (50 items)',
      target: 10,
      samples: await time(PAGE_RUNS, async () => {
        const id = someCompany();
        await call(hearth, 'companies.get', { id });
        await call(hearth, 'people.list', { filter: [{ field: 'companyId', op: 'eq', value: id }], limit: 50 });
        if ('timeline.get' in hearth.dispatcher.registry) {
          await call(hearth, 'timeline.get', { entity: 'company', id, limit: 50 });
        }
      }),
    });
  } finally {
    await hearth.close();
  }

  const f = (v: number) => `${v.toFixed(2)} ms`;
  const lines = [
    '',
    `### Records at size`,
    '',
    `${size.people.toLocaleString('en-US')} people, ${size.companies.toLocaleString('en-US')} companies, ` +
      `${size.activities.toLocaleString('en-US')} activities, ${size.notes.toLocaleString('en-US')} notes, ` +
      `${size.tasks.toLocaleString('en-US')} tasks (seed ${SEED}); encrypted file ${fileMiB.toFixed(0)} MiB; ` +
      `generated in ${(generateMs / 1000).toFixed(1)} s; reopened (with planner statistics) in ${f(reopenMs)}.`,
    '',
    '| Measure | p50 | p95 | Target (p95) | |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const t of timings) {
    const p95 = quantile(t.samples, 0.95);
    const verdict = t.target === null ? '' : p95 < t.target ? 'met' : '**missed**';
    lines.push(
      `| ${t.name} | ${f(median(t.samples))} | ${f(p95)} | ${t.target === null ? '—' : `< ${t.target} ms`} | ${verdict} |`,
    );
  }
  return lines;
}
