// Search at size (the search issue): the records data set plus 50k deals. Hearth's search against the two baselines
// (minisearch with default options, FTS5 trigram) on the same data and queries, with each class's ratio to both;
// the index's build, load and memory.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildIndex, loadStored } from '../src/search/snapshot.js';
import { words } from '../src/search/text.js';
import { call, heapMiB, log, median, quantile, SEED } from './data.js';
import { buildDealsFolder } from './deals.js';
import { FULL_DEALS } from './deals-data.js';
import { FULL_SIZE, type RecordsSize } from './records-data.js';
import { queryClasses, searchBaselines } from './search-baselines.js';

const LIMIT = 20;
const TARGET_MS = 10;
const READY_TARGET_MS = 1_000;
const MEMORY_TARGET_MB = 300;

const ms = (v: number) => `${v.toFixed(2)} ms`;
const ratio = (mine: number, theirs: number) => (theirs > 0 ? (mine / theirs).toFixed(3) : '—');

export async function searchBench(tmp: string, size: RecordsSize = FULL_SIZE): Promise<string[]> {
  const root = join(tmp, 'search');
  mkdirSync(root, { recursive: true });
  const deals = Math.round((FULL_DEALS.deals * size.people) / FULL_SIZE.people);
  log(`search: building a folder of ${size.people.toLocaleString('en-US')} people and the rest, and ${deals} deals`);
  const folder = await buildDealsFolder(root, { deals, mainOpen: Math.round(deals / 10) }, size);

  // First open: no snapshot yet, so the worker builds one while the SQL fallback answers.
  let hearth = await folder.open();
  let firstBuildMs: number;
  let fallbackMs: number;
  try {
    const t = performance.now();
    hearth.search.start();
    const f = performance.now();
    const answer = (await call(hearth, 'search.query', { q: 'smith' })) as { mode: string };
    fallbackMs = performance.now() - f;
    if (answer.mode !== 'fallback') throw new Error(`expected the fallback to answer first, got ${answer.mode}`);
    await hearth.search.ready();
    firstBuildMs = performance.now() - t;
  } finally {
    await hearth.close();
  }

  // The build alone, on this thread, for its time and size (the worker did the same above).
  hearth = await folder.open();
  let buildMs: number;
  let serializeMs: number;
  let snapshotMiB: number;
  let builtMiB: number;
  let terms: number;
  let documents: number;
  try {
    const before = heapMiB();
    let t = performance.now();
    const built = buildIndex(hearth.sqlite);
    buildMs = performance.now() - t;
    builtMiB = heapMiB() - before;
    t = performance.now();
    const pieces = built.index.serialize();
    serializeMs = performance.now() - t;
    snapshotMiB = pieces.reduce((sum, piece) => sum + piece.length, 0) / 1024 / 1024;
    terms = built.index.termCount;
    documents = built.index.size;
  } finally {
    await hearth.close();
  }

  // A restart: the stored snapshot is loaded and caught up. Memory is what the loaded index keeps.
  hearth = await folder.open();
  const classes = queryClasses(hearth.sqlite);
  const now = Date.now();
  let loadMs: number;
  let longestStepMs: number;
  let readyMs: number;
  let shortMs: number;
  let indexMiB: number;
  const endToEnd: { name: string; times: number[] }[] = [];
  const writeThenQuery: number[] = [];
  const noteWrites: number[] = [];
  const activityWrites: number[] = [];
  try {
    const before = heapMiB();
    const t = performance.now();
    hearth.search.start(true);
    await hearth.search.ready();
    readyMs = performance.now() - t;
    loadMs = hearth.search.stats().loadMs;
    longestStepMs = hearth.search.stats().longestStepMs;
    while (!hearth.search.stats().shortReady) await new Promise((resolve) => setImmediate(resolve));
    shortMs = performance.now() - t;
    indexMiB = heapMiB() - before;
    if (hearth.search.stats().rebuilds !== 0) throw new Error('the restart rebuilt the index instead of loading it');

    log('search: timing search.query');
    for (const c of classes) {
      for (const q of c.queries.slice(0, 10)) await call(hearth, 'search.query', { q, limit: LIMIT });
      const times: number[] = [];
      for (const q of c.queries) {
        const t0 = performance.now();
        await call(hearth, 'search.query', { q, limit: LIMIT });
        times.push(performance.now() - t0);
      }
      endToEnd.push({ name: c.name, times });
    }
    // A query right after a write: the index catches up with it first.
    for (let i = 0; i < 40; i++) {
      const person = (await call(hearth, 'people.create', { firstName: `Searchable${i}`, lastName: 'Newcomer' })) as {
        id: string;
      };
      const t0 = performance.now();
      const found = (await call(hearth, 'search.query', { q: `searchable${i}` })) as { results: { id: string }[] };
      writeThenQuery.push(performance.now() - t0);
      if (found.results[0]?.id !== person.id) throw new Error('a new person was not found at once');
    }
    // What the trigram tables' triggers add to writing a note and an activity at this size.
    const words = 'renewal pricing onboarding invoice contract quarterly workshop migration'.split(' ');
    const body = (i: number) => Array.from({ length: 120 }, (_, w) => words[(i * 7 + w * 3) % words.length]).join(' ');
    for (let i = 0; i < 45; i++) {
      let t0 = performance.now();
      await call(hearth, 'notes.create', { body: `Note ${i}\n\n${body(i)}` });
      if (i >= 5) noteWrites.push(performance.now() - t0);
      t0 = performance.now();
      await call(hearth, 'activities.create', {
        kind: 'call',
        subject: `Call ${i} about ${words[i % words.length]}`,
        body: body(i + 1),
        occurredAt: Date.now(),
      });
      if (i >= 5) activityWrites.push(performance.now() - t0);
    }
  } finally {
    await hearth.close();
  }

  // The index alone (no titles read, no trigram tables), as the baselines are timed.
  hearth = await folder.open();
  const indexOnly: { name: string; times: number[] }[] = [];
  let baselines: ReturnType<typeof searchBaselines>;
  try {
    const index = loadStored(hearth.sqlite)!.index;
    while (!index.fillShort(10_000));
    for (const c of classes) {
      for (const q of c.queries.slice(0, 10)) index.search(words(q), LIMIT, now);
      indexOnly.push({
        name: c.name,
        times: c.queries.map((q) => {
          const t0 = performance.now();
          index.search(words(q), LIMIT, now);
          return performance.now() - t0;
        }),
      });
    }
    baselines = searchBaselines(hearth.sqlite);
  } finally {
    await hearth.close();
  }

  const rows = classes.map((c, i) => {
    const mine = quantile(endToEnd[i]!.times, 0.95);
    const own = quantile(indexOnly[i]!.times, 0.95);
    const mini = quantile(baselines.times[i]!.mini, 0.95);
    const fts = quantile(baselines.times[i]!.fts, 0.95);
    return (
      `| ${c.name} | ${ms(median(endToEnd[i]!.times))} / ${ms(mine)} | ${ms(median(indexOnly[i]!.times))} / ${ms(own)} ` +
      `| ${ms(mini)} | ${ms(fts)} | ${ratio(mine, mini)} / ${ratio(own, mini)} | ${ratio(mine, fts)} / ${ratio(own, fts)} ` +
      `| < ${TARGET_MS} ms: ${mine < TARGET_MS ? 'met' : '**missed**'} |`
    );
  });
  const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
  return [
    '',
    '### Search at size',
    '',
    `${size.people.toLocaleString('en-US')} people, ${size.companies.toLocaleString('en-US')} companies, ` +
      `${size.activities.toLocaleString('en-US')} activities, ${size.notes.toLocaleString('en-US')} notes, ` +
      `${size.tasks.toLocaleString('en-US')} tasks and ${deals.toLocaleString('en-US')} deals (seed ${SEED}). ` +
      `${classes[0]!.queries.length} queries per class drawn from the people's names, ${LIMIT} results. ` +
      '"search.query" is the whole call through the dispatcher: the name index, the trigram tables of notes, ' +
      'activities and tasks, phone digits, and reading the results\' titles. "Index" is the name index alone, as ' +
      'the baselines are timed. A ratio under 1 is faster than the baseline.',
    '',
    '| Query class | search.query p50 / p95 | Index p50 / p95 | minisearch default p95 | FTS5 trigram p95 | ÷ minisearch (call / index) | ÷ FTS5 (call / index) | Target (call p95) |',
    '| --- | --: | --: | --: | --: | --: | --: | --- |',
    ...rows,
    '',
    '| Index | Figure | Target |',
    '| --- | --: | --- |',
    `| Documents in the name index (people, companies, deals, tasks); terms | ${documents.toLocaleString('en-US')}; ${terms.toLocaleString('en-US')} | |`,
    `| First start: worker build and store, then load (SQL fallback answered meanwhile in ${ms(fallbackMs)}) | ${(firstBuildMs / 1000).toFixed(1)} s | |`,
    `| Build on one thread (read every record, index) | ${(buildMs / 1000).toFixed(1)} s | |`,
    `| Snapshot: size, serialize | ${snapshotMiB.toFixed(1)} MiB, ${ms(serializeMs)} | |`,
    `| Restart: snapshot loaded in slices (${ms(longestStepMs)} the longest) while the fallback answers | ${ms(loadMs)} | |`,
    `| Restart: ready to answer (load and catch-up) | ${ms(readyMs)} | < ${READY_TARGET_MS} ms: ${verdict(readyMs < READY_TARGET_MS)} |`,
    `| Restart: 1–2 character index filled in slices (queries answered meanwhile) | ${ms(shortMs)} | |`,
    `| Heap kept by the loaded index (with the short-prefix index) | ${indexMiB.toFixed(0)} MiB | < ${MEMORY_TARGET_MB} MB: ${verdict(indexMiB * 1.048576 < MEMORY_TARGET_MB)} |`,
    `| Heap of a freshly built index (as the worker holds it) | ${builtMiB.toFixed(0)} MiB | |`,
    `| search.query right after people.create (catch-up included), p50 / p95 of ${writeThenQuery.length} | ${ms(median(writeThenQuery))} / ${ms(quantile(writeThenQuery, 0.95))} | |`,
    `| notes.create with a 120-word body (trigram triggers included), p50 / p95 of ${noteWrites.length} | ${ms(median(noteWrites))} / ${ms(quantile(noteWrites, 0.95))} | |`,
    `| activities.create with a subject and a 120-word body, p50 / p95 of ${activityWrites.length} | ${ms(median(activityWrites))} / ${ms(quantile(activityWrites, 0.95))} | |`,
    '',
    ...baselines.lines,
  ];
}
