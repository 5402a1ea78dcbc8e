// Search for one open database: the in-memory name index (name-index.ts), the trigram tables for longer text and
// phone digits (text-tables.ts, kept by triggers), and the results' titles read from the database (hydrate.ts).
//
// Freshness: the index remembers the audit sequence number it reflects. Before each answer it reads the newest one
// (one indexed read) and, if it is behind, re-reads the records the audit entries since then name: so an answer
// reflects every committed change, also one made by another process (the CLI beside `hearth serve`). A long-running
// host also catches up on each change event, so queries rarely wait for it.
//
// Start: the snapshot stored in the database is loaded and caught up; a missing snapshot, or one that cannot be read
// (another format, an older schema, damaged), is rebuilt in a worker thread while the SQL fallback answers.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { preparedOnce, type SqliteDatabase } from '../db/connection.js';
import type { Logger } from '../log/logger.js';
import { docKey, docsFor, INDEXED_TYPES, parseDocKey } from './documents.js';
import { fallbackSearch } from './fallback.js';
import { hydrate, recentRefs, SEARCH_TYPES, type Hydrated, type PageEntity, type SearchType } from './hydrate.js';
import { recencyBoost, SNAPSHOT_FORMAT, SnapshotLoader, Tier, type NameIndex } from './name-index.js';
import type { RebuildReport } from './rebuild-worker.js';
import { auditHead, readPiece, readSnapshot, type StoredSnapshot } from './snapshot.js';
import { phoneSearch, textSearch, type TextType } from './text-tables.js';
import { matchSpans, phoneQuery, words, type Span } from './text.js';

/** The longest query searched (longer input is refused by the procedure's schema). */
export const MAX_QUERY_LENGTH = 200;
/** Words of a query that are searched; more are ignored. */
const MAX_WORDS = 8;
/** Documents put in the short-prefix index per slice after a load (a few milliseconds each). */
const SHORT_SLICE = 1_000;
/** Records re-read per slice of a catch-up (about 20 ms at 100k people). */
const CATCH_UP_SLICE = 1_000;
/** How long a one-shot command's close waits for a build in progress. */
const FINISH_BUILD_MS = 120_000;
/** A stored snapshot this many audit entries behind is written again, in the worker, by a long-running host. */
const REFRESH_AFTER = 5_000;

export interface SearchMatch {
  field: 'title' | 'subtitle';
  start: number;
  end: number;
}

export interface SearchResult {
  type: SearchType;
  id: string;
  title: string;
  subtitle: string;
  score: number;
  matches: SearchMatch[];
  /** The page that shows the result: itself for people, companies and deals; the record it belongs to otherwise. */
  open: { entity: PageEntity; id: string } | null;
}

export interface SearchAnswer {
  results: SearchResult[];
  /** index: the in-memory index answered; fallback: SQL, while the index is built; recent: an empty query. */
  mode: 'index' | 'fallback' | 'recent';
}

export interface SearchStats {
  state: 'cold' | 'loading' | 'ready' | 'rebuilding' | 'failed' | 'closed';
  /** Snapshots loaded from the database, and rebuilds started, since open. */
  loads: number;
  rebuilds: number;
  /** Records re-read from the audit log's changes since open. */
  caughtUp: number;
  documents: number;
  /** The audit sequence number the index reflects. */
  seq: number;
  /** The last load, from reading the snapshot to answering (in slices, the event loop turned in between). */
  loadMs: number;
  /** The longest a slice of loading or of filling the short-prefix index held the thread. */
  longestStepMs: number;
  /** Whether 1- and 2-character queries have their own index yet (after a load it is filled in slices). */
  shortReady: boolean;
}

export interface SearchServiceOptions {
  sqlite: SqliteDatabase;
  file: string;
  /** The database key as of now (a rekey changes it), for the worker's connection. */
  key: () => Buffer;
  schemaVersion: () => number;
  logger: Logger;
  /** Keep the stored snapshot fresh from a worker (long-running hosts). */
  refresh?: boolean;
}

interface Candidate {
  type: SearchType;
  id: string;
  /** Known for index hits; worked out from the text for the others. */
  tier: Tier | null;
  score: number;
  /** Where a text hit matched, so its snippet shows it. */
  field: 'title' | 'body' | 'phone' | null;
  fuzzyTerms: string[];
}

const TEXT_TYPES: readonly TextType[] = ['note', 'activity', 'task'];
const PHONE_TYPES: readonly TextType[] = ['person', 'company'];
/** Points per word of a text hit by where it matched (a name in the index takes 1–3 per word, plus its tier's 10). */
const TEXT_BOOST = { title: 1, body: 0.5, phone: 2 } as const;

export class SearchService {
  readonly #options: SearchServiceOptions;
  #index: NameIndex | null = null;
  #seq = 0;
  /** The sequence number of the snapshot stored in the database, as last read or written. */
  #storedSeq = 0;
  #state: SearchStats['state'] = 'cold';
  #worker: Worker | null = null;
  #closing = false;
  #catching: Promise<void> | null = null;
  #ready: Promise<void> | null = null;
  #waiting: { resolve: () => void; reject: (error: Error) => void } | null = null;
  /** The next slice of a load or of filling the short-prefix index. */
  #timer: NodeJS.Immediate | null = null;
  readonly #stats = { loads: 0, rebuilds: 0, caughtUp: 0, loadMs: 0, longestStepMs: 0 };

  constructor(options: SearchServiceOptions) {
    this.#options = options;
  }

  stats(): SearchStats {
    return {
      state: this.#state,
      ...this.#stats,
      documents: this.#index?.size ?? 0,
      seq: this.#seq,
      shortReady: this.#index?.shortReady ?? false,
    };
  }

  /**
   * Loads the stored snapshot, or starts a rebuild; the first query does this itself if nobody did. `inSlices`
   * (long-running hosts): the snapshot is read and applied a piece per turn of the event loop, a few milliseconds
   * each, and the fallback answers meanwhile; otherwise (a one-shot command's first query) all at once.
   */
  start(inSlices = false): void {
    if (this.#state !== 'cold') return;
    const { sqlite, schemaVersion } = this.#options;
    let reason = 'missing';
    try {
      const stored = readSnapshot(sqlite);
      if (stored) {
        this.#storedSeq = stored.seq;
        reason =
          stored.format !== SNAPSHOT_FORMAT ? 'format' : stored.schemaVersion !== schemaVersion() ? 'schema' : '';
        if (!reason) {
          const started = performance.now();
          const loader = new SnapshotLoader(stored.head);
          if (inSlices) {
            this.#state = 'loading';
            this.#loadInSlices(loader, stored, started);
            return;
          }
          for (let piece = 1; piece <= loader.pieces; piece++) loader.apply(readPiece(sqlite, piece, stored));
          this.#loaded(loader.finish(), stored.seq, started);
          return;
        }
      }
    } catch (error) {
      reason = 'unreadable';
      this.#unreadable(error);
    }
    this.#rebuild(reason);
  }

  #unreadable(error: unknown): void {
    this.#options.logger.log('warn', 'search snapshot unreadable', {
      error: error instanceof Error ? error.name : 'error',
    });
  }

  #loadInSlices(loader: SnapshotLoader, stored: StoredSnapshot, started: number): void {
    let piece = 1;
    const step = () => {
      this.#timer = null;
      if (this.#closing) return;
      const began = performance.now();
      try {
        if (piece <= loader.pieces) {
          loader.apply(readPiece(this.#options.sqlite, piece++, stored));
          this.#stats.longestStepMs = Math.max(this.#stats.longestStepMs, performance.now() - began);
          this.#timer = setImmediate(step);
          return;
        }
        this.#loaded(loader.finish(), stored.seq, started);
      } catch (error) {
        this.#unreadable(error);
        this.#rebuild('unreadable');
      }
    };
    this.#timer = setImmediate(step);
  }

  #loaded(index: NameIndex, seq: number, started: number): void {
    this.#index = index;
    this.#seq = seq;
    this.#stats.loads++;
    this.#stats.loadMs = performance.now() - started;
    this.#state = 'ready';
    this.#options.logger.log('info', 'search index loaded', {
      documents: index.size,
      ms: Math.round(this.#stats.loadMs),
      seq,
    });
    void this.catchUp();
    this.#fillShortLater();
    this.#resolveReady();
  }

  /** Resolves when the index answers (at once if it does); rejects if it could not be built. */
  ready(): Promise<void> {
    if (this.#state === 'cold') this.start();
    if (this.#state === 'ready') return Promise.resolve();
    if (this.#state === 'failed' || this.#state === 'closed') {
      return Promise.reject(new Error(`the search index is ${this.#state}`));
    }
    this.#ready ??= new Promise((resolve, reject) => (this.#waiting = { resolve, reject }));
    return this.#ready;
  }

  #resolveReady(error?: Error): void {
    if (error) this.#waiting?.reject(error);
    else this.#waiting?.resolve();
    this.#ready = null;
    this.#waiting = null;
  }

  /**
   * Brings the index up to the newest audit entry: the records named by the entries since are re-read, or dropped
   * if they are gone or in the trash. A long backlog (another process imported thousands of records) is taken a
   * slice at a time, a turn of the event loop apart. Calls made meanwhile wait for the same catch-up.
   */
  async catchUp(): Promise<void> {
    // Checked again after each round: a commit may land just as a catch-up in flight ends.
    while (this.#state === 'ready' && !this.#closing && auditHead(this.#options.sqlite) > this.#seq) {
      this.#catching ??= this.#catchUpInSlices().finally(() => (this.#catching = null));
      await this.#catching;
    }
  }

  async #catchUpInSlices(): Promise<void> {
    const { sqlite } = this.#options;
    for (;;) {
      const head = auditHead(sqlite);
      if (head <= this.#seq) return;
      const ids = (
        preparedOnce(
          sqlite,
          `SELECT DISTINCT j.value AS id FROM audit_log a, json_each(a.record_ids) j
           WHERE a.seq > ? AND a.seq <= ? AND j.type = 'text'`,
        ).all(this.#seq, head) as { id: string }[]
      ).map((row) => row.id);
      for (let at = 0; at < ids.length; at += CATCH_UP_SLICE) {
        if (at > 0) await new Promise((resolve) => setImmediate(resolve));
        const index = this.#index;
        if (this.#state !== 'ready' || !index || this.#closing) return;
        // Read as they are now, which may be newer than `head`: the next round re-reads them, to the same effect.
        const part = ids.slice(at, at + CATCH_UP_SLICE);
        for (const type of INDEXED_TYPES) {
          const live = new Set<string>();
          for (const doc of docsFor(sqlite, type, part)) {
            index.set(doc);
            live.add(parseDocKey(doc.id).id);
          }
          for (const id of part) if (!live.has(id)) index.remove(docKey(type, id));
        }
      }
      this.#seq = head;
      this.#stats.caughtUp += ids.length;
      if (this.#options.refresh && head - this.#storedSeq >= REFRESH_AFTER) this.#refresh();
    }
  }

  /** A query's results, best first, reflecting every change committed before it was asked. */
  async query(
    input: { q: string; types?: readonly SearchType[] | undefined; limit?: number | undefined },
    now: number,
  ): Promise<SearchAnswer> {
    const { sqlite } = this.#options;
    const types = input.types && input.types.length > 0 ? input.types : SEARCH_TYPES;
    const limit = input.limit ?? 20;
    const q = input.q.trim();
    if (q === '') {
      const recent = recentRefs(sqlite, types, limit);
      const found = hydrate(sqlite, recent);
      const results = recent.flatMap((ref) => {
        const item = found.get(`${ref.type}:${ref.id}`);
        return item ? [toResult(item, 0, [], { prefixes: [], whole: [], anywhere: false, field: null })] : [];
      });
      return { results, mode: 'recent' };
    }
    if (this.#state === 'cold') this.start();
    if (this.#state === 'ready') await this.catchUp();
    const terms = words(q).slice(0, MAX_WORDS);
    const allowed = new Set(types);
    const candidates: Candidate[] = [];
    let mode: SearchAnswer['mode'] = 'index';
    const indexed = INDEXED_TYPES.filter((type) => allowed.has(type));
    if (terms.length > 0 && indexed.length > 0) {
      if (this.#state === 'ready' && this.#index) {
        const accept =
          indexed.length === INDEXED_TYPES.length ? undefined : (key: string) => allowed.has(parseDocKey(key).type);
        for (const hit of this.#index.search(terms, limit, now, accept)) {
          const { type, id } = parseDocKey(hit.key);
          candidates.push({
            type,
            id,
            tier: hit.tier,
            score: hit.tier * 1000 + hit.score,
            field: null,
            fuzzyTerms: hit.terms,
          });
        }
      } else {
        mode = 'fallback';
        for (const ref of fallbackSearch(sqlite, terms, indexed, limit)) {
          candidates.push({ ...ref, tier: null, score: 0, field: 'title', fuzzyTerms: [] });
        }
      }
    }
    const textTypes = TEXT_TYPES.filter((type) => allowed.has(type));
    if (textTypes.length > 0) {
      // textSearch itself leaves out words under 3 characters (trigrams), and finds nothing when none are left.
      for (const hit of textSearch(sqlite, terms, textTypes, limit)) {
        candidates.push({
          type: hit.type,
          id: hit.id,
          tier: null,
          score: 0,
          field: hit.field === 'body' ? 'body' : 'title',
          fuzzyTerms: [],
        });
      }
    }
    const digits = phoneQuery(q);
    const phoneTypes = PHONE_TYPES.filter((type) => allowed.has(type));
    if (digits && phoneTypes.length > 0) {
      for (const hit of phoneSearch(sqlite, digits, phoneTypes, limit)) {
        candidates.push({ type: hit.type, id: hit.id, tier: Tier.Exact, score: 0, field: 'phone', fuzzyTerms: [] });
      }
    }
    return { results: this.#finish(candidates, terms, limit, now), mode };
  }

  /** Reads the candidates' titles, scores the text hits by what their text holds, and keeps the best. */
  #finish(candidates: Candidate[], terms: string[], limit: number, now: number): SearchResult[] {
    const found = hydrate(this.#options.sqlite, candidates);
    const best = new Map<string, { item: Hydrated; score: number; candidate: Candidate }>();
    for (const candidate of candidates) {
      const key = `${candidate.type}:${candidate.id}`;
      const item = found.get(key);
      if (!item) continue;
      let score = candidate.score;
      if (candidate.tier === null || candidate.field === 'phone') {
        const boost = TEXT_BOOST[candidate.field ?? 'title'];
        const tier =
          candidate.field === 'phone'
            ? Tier.Exact
            : textTier(candidate.field === 'body' ? `${item.title} ${item.body}` : item.title, terms);
        score = tier * 1000 + (tier * 10 + boost) * Math.max(1, terms.length) + recencyBoost(item.touchedAt, now);
      }
      const had = best.get(key);
      if (!had || had.score < score) best.set(key, { item, score, candidate });
    }
    return [...best.values()]
      .sort((a, b) => b.score - a.score || (a.item.id < b.item.id ? -1 : 1))
      .slice(0, limit)
      .map(({ item, score, candidate }) =>
        toResult(item, score, terms, {
          prefixes: terms,
          whole: candidate.fuzzyTerms,
          anywhere: candidate.tier === null,
          field: candidate.field,
        }),
      );
  }

  #fillShortLater(): void {
    const step = () => {
      this.#timer = null;
      const index = this.#index;
      if (!index || this.#state !== 'ready') return;
      const began = performance.now();
      const done = index.fillShort(SHORT_SLICE);
      this.#stats.longestStepMs = Math.max(this.#stats.longestStepMs, performance.now() - began);
      if (!done) this.#timer = setImmediate(step).unref();
    };
    this.#timer = setImmediate(step).unref();
  }

  #rebuild(reason: string): void {
    this.#state = 'rebuilding';
    this.#stats.rebuilds++;
    this.#options.logger.log('info', 'search index rebuild started', { reason });
    this.#runWorker((report) => {
      if (this.#closing) return;
      if (!report.ok) {
        this.#state = 'failed';
        this.#options.logger.log('error', 'search index rebuild failed', { error: report.message ?? 'unknown' });
        this.#resolveReady(new Error('the search index could not be built'));
        return;
      }
      this.#options.logger.log('info', 'search index rebuilt', {
        documents: report.documents ?? 0,
        ms: Math.round(report.buildMs ?? 0),
      });
      this.#state = 'cold';
      this.start(true);
    });
  }

  /** Writes a fresh snapshot from the worker; the index in memory, already current, stays as it is. */
  #refresh(): void {
    if (this.#worker) return;
    this.#storedSeq = this.#seq; // not again until this many more changes, whatever the outcome
    this.#runWorker((report) => {
      if (report.ok && report.seq !== undefined) this.#storedSeq = report.seq;
    });
  }

  #runWorker(done: (report: RebuildReport) => void): void {
    const { file, schemaVersion } = this.#options;
    const key = this.#options.key();
    const workerData = { file, key, schemaVersion: schemaVersion() };
    const compiled = fileURLToPath(new URL('./rebuild-worker.js', import.meta.url));
    const worker = existsSync(compiled)
      ? new Worker(compiled, { workerData })
      : new Worker(typescriptWorker(new URL('./rebuild-worker.ts', import.meta.url)), { eval: true, workerData });
    this.#worker = worker;
    let reported = false;
    const finish = (report: RebuildReport) => {
      if (reported) return;
      reported = true;
      this.#worker = null;
      done(report);
    };
    worker.once('message', (report: RebuildReport) => finish(report));
    worker.once('error', (error) => finish({ ok: false, message: error.message }));
    worker.once('exit', (code) => finish({ ok: false, message: `the worker stopped (${code})` }));
  }

  /**
   * Stops. A build in progress is stopped too (its snapshot is written in one statement, so it is stored whole or
   * not at all), unless `finishBuild`: a one-shot command waits for it, so the next one loads the index instead
   * of building it again.
   */
  async close(finishBuild = false): Promise<void> {
    this.#closing = true;
    if (this.#timer) clearImmediate(this.#timer);
    const worker = this.#worker;
    if (worker && finishBuild) {
      await Promise.race([
        new Promise((resolve) => worker.once('exit', resolve)),
        new Promise((resolve) => setTimeout(resolve, FINISH_BUILD_MS).unref()),
      ]);
    }
    this.#state = 'closed';
    this.#worker = null;
    await worker?.terminate();
    this.#resolveReady(new Error('search was closed'));
  }
}

/**
 * A worker running a TypeScript module: under the tests the sources are not compiled, so the worker registers tsx
 * first (a worker does not inherit the test runner's loader).
 */
function typescriptWorker(module: URL): string {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
  return `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(module.href)}); });`;
}

/** How well a text holds the query's words: every word as a whole word, at a word's start, or inside one. */
function textTier(text: string, terms: readonly string[]): Tier {
  const textWords = words(text);
  let tier: Tier = Tier.Exact;
  for (const term of terms) {
    const own = textWords.includes(term)
      ? Tier.Exact
      : textWords.some((word) => word.startsWith(term))
        ? Tier.Prefix
        : Tier.Fuzzy;
    if (own < tier) tier = own;
  }
  return tier;
}

const SNIPPET_BEFORE = 30;
const SNIPPET_LENGTH = 90;

/** The part of a body around its first match, on one line, with ellipses where it was cut. */
function snippet(body: string, terms: readonly string[]): string {
  const flat = body.replace(/\s+/g, ' ');
  const first = matchSpans(flat, terms, [], true)[0];
  if (!first) return '';
  const start = Math.max(0, first.start - SNIPPET_BEFORE);
  const end = Math.min(flat.length, start + SNIPPET_LENGTH);
  return `${start > 0 ? '…' : ''}${flat.slice(start, end).trim()}${end < flat.length ? '…' : ''}`;
}

function toResult(
  item: Hydrated,
  score: number,
  terms: readonly string[],
  how: { prefixes: readonly string[]; whole: readonly string[]; anywhere: boolean; field: Candidate['field'] },
): SearchResult {
  const details = [...item.details];
  if (how.field === 'body' && terms.length > 0 && matchSpans(item.title, terms, [], true).length === 0) {
    const part = snippet(item.body, terms);
    if (part) details.unshift(part);
  }
  const subtitle = details.join(' · ');
  const spans = (text: string): Span[] => matchSpans(text, how.prefixes, how.whole, how.anywhere);
  return {
    type: item.type,
    id: item.id,
    title: item.title,
    subtitle,
    score: Math.round(score * 1000) / 1000,
    matches: [
      ...spans(item.title).map((span) => ({ field: 'title' as const, ...span })),
      ...spans(subtitle).map((span) => ({ field: 'subtitle' as const, ...span })),
    ],
    open: item.open,
  };
}
