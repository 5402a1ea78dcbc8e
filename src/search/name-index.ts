// The in-memory index of names and titles. Its term dictionary is minisearch's radix tree (SearchableMap), which
// enumerates the terms under a prefix and finds the terms within an edit distance (fuzzy matching). The postings
// and the ranking are Hearth's own: MiniSearch's document layer (a Map per term and field, BM25 over every matching
// document, a JSON snapshot of nested Maps) measured p95 34 ms for a 3-character prefix, 270 MiB and a 1 s load at
// 170k documents (docs/benchmarks.md), against targets of 10 ms, 300 MB and 1 s. Here a posting is one integer
// (document number × 4 + field), a change marks the old document dead instead of rewriting postings, and the
// snapshot is flat arrays.
//
// Ranking: an exact word ranks above a prefix, a prefix above a fuzzy match (the tier, the weakest of the query's
// words); within a tier the fields matched (name over email over other text) and then a small boost for records
// touched in the last weeks decide. 1- and 2-character queries go to the short-prefix index (short-prefixes.ts).
import SearchableMap from 'minisearch/SearchableMap';
import type { IndexDoc } from './documents.js';
import { ShortPrefixIndex } from './short-prefixes.js';
import { words } from './text.js';

/**
 * The format of the stored snapshot; a snapshot of another format is rebuilt. 3: pieces stored under their
 * generation's name (snapshot.ts).
 */
export const SNAPSHOT_FORMAT = 3;
/** Documents and terms per piece of a snapshot: each piece is parsed and applied in a few milliseconds. */
const DOCS_PER_PIECE = 10_000;
const TERMS_PER_PIECE = 4_000;

/** Queries up to this long go to the short-prefix index. */
export const SHORT = 2;
/** Fuzzy matching starts at 4 characters: 1 edit up to 7 characters, 2 from 8 on. */
const FUZZY_FROM = 4;
const fuzzyDistance = (term: string) => (term.length >= 8 ? 2 : 1);

const FIELDS = ['name', 'email', 'other'] as const;
/** Per-field boosts, added to the tier's ten points per word. */
const BOOST = [3, 1.5, 1];

/** How a document matched: an exact word, a prefix of one, or a word with a typo. */
export const Tier = { Fuzzy: 1, Prefix: 2, Exact: 3 } as const;
export type Tier = (typeof Tier)[keyof typeof Tier];

export interface NameHit {
  key: string;
  tier: Tier;
  score: number;
  /** The document terms that matched (folded), for highlighting. */
  terms: string[];
}

const DAY_MS = 86_400_000;

/** Up to one point for a record touched today, fading over about a month (a field's boost is 1–3 points). */
export function recencyBoost(touchedAt: number, now: number): number {
  const days = Math.max(0, now - touchedAt) / DAY_MS;
  return Math.exp(-days / 30);
}

/** Postings: read-only views into a loaded snapshot until the first change copies them. */
type Postings = Int32Array | number[];

/** The first piece of a snapshot: what the rest are. */
interface SnapshotHead {
  format: number;
  documents: number;
  pieces: number;
}

/** A later piece: a run of documents (numbered on from the previous piece's) or a run of terms. */
interface SnapshotPiece {
  keys?: string[];
  touched?: number[];
  names?: string[];
  terms?: string[];
  /** offsets[i]..offsets[i+1] is terms[i]'s range of `postings`. */
  offsets?: number[];
  postings?: number[];
}

/**
 * Loads a snapshot piece by piece: `head` is its first piece; apply() the others in order (in any number of
 * turns of the event loop), then finish(). Throws on anything that is not a snapshot of this format.
 */
export class SnapshotLoader {
  readonly index = new NameIndex();
  readonly pieces: number;
  readonly #documents: number;
  #applied = 0;

  constructor(head: string) {
    const parsed = JSON.parse(head) as SnapshotHead;
    if (parsed?.format !== SNAPSHOT_FORMAT || !Number.isInteger(parsed.pieces) || !Number.isInteger(parsed.documents)) {
      throw new Error('not a search snapshot of this format');
    }
    this.pieces = parsed.pieces;
    this.#documents = parsed.documents;
  }

  get done(): boolean {
    return this.#applied === this.pieces;
  }

  apply(piece: string): void {
    if (this.done) throw new Error('the snapshot has no more pieces');
    NameIndex.applyPiece(this.index, JSON.parse(piece) as SnapshotPiece);
    this.#applied++;
  }

  finish(): NameIndex {
    if (!this.done || this.index.slots !== this.#documents) throw new Error('the snapshot is incomplete');
    return this.index;
  }
}

export class NameIndex {
  readonly #terms = new SearchableMap<Postings>();
  /** Per document number: its key (null once removed or replaced), touch time and folded name words. */
  #keys: (string | null)[] = [];
  #touched: number[] = [];
  #names: string[] = [];
  readonly #docOf = new Map<string, number>();
  readonly #short = new ShortPrefixIndex(SHORT);
  /** Document numbers not yet in the short-prefix index (after a load, filled in slices by fillShort()). */
  #pending: number[] = [];

  static empty(): NameIndex {
    return new NameIndex();
  }

  /** A snapshot as serialize() wrote it, all at once. */
  static load(pieces: readonly string[]): NameIndex {
    const loader = new SnapshotLoader(pieces[0] ?? '');
    if (pieces.length !== loader.pieces + 1) throw new Error('the snapshot is incomplete');
    for (const piece of pieces.slice(1)) loader.apply(piece);
    return loader.finish();
  }

  /** Adds a piece of a snapshot (SnapshotLoader keeps the order). */
  static applyPiece(index: NameIndex, piece: SnapshotPiece): void {
    if (piece.keys) {
      const { keys, touched, names } = piece;
      if (!Array.isArray(touched) || !Array.isArray(names) || touched.length !== keys.length) {
        throw new Error('a damaged snapshot piece');
      }
      for (let i = 0; i < keys.length; i++) {
        const doc = index.#keys.length;
        index.#keys.push(keys[i]!);
        index.#touched.push(touched[i]!);
        index.#names.push(names[i] ?? '');
        index.#docOf.set(keys[i]!, doc);
        index.#pending.push(doc);
      }
    }
    if (piece.terms) {
      const { terms, offsets, postings } = piece;
      if (!Array.isArray(offsets) || !Array.isArray(postings) || offsets.length !== terms.length + 1) {
        throw new Error('a damaged snapshot piece');
      }
      const all = Int32Array.from(postings);
      for (let i = 0; i < terms.length; i++) {
        index.#terms.set(terms[i]!, all.subarray(offsets[i]!, offsets[i + 1]!));
      }
    }
  }

  /**
   * The snapshot as pieces of JSON, the head first: live documents only, renumbered, so a snapshot carries no
   * dead documents.
   */
  serialize(): string[] {
    const renumber = new Int32Array(this.#keys.length).fill(-1);
    const pieces: string[] = [];
    let docs: Required<Pick<SnapshotPiece, 'keys' | 'touched' | 'names'>> = { keys: [], touched: [], names: [] };
    let documents = 0;
    this.#keys.forEach((key, doc) => {
      if (key === null) return;
      renumber[doc] = documents++;
      docs.keys.push(key);
      docs.touched.push(this.#touched[doc]!);
      docs.names.push(this.#names[doc]!);
      if (docs.keys.length === DOCS_PER_PIECE) {
        pieces.push(JSON.stringify(docs));
        docs = { keys: [], touched: [], names: [] };
      }
    });
    if (docs.keys.length > 0) pieces.push(JSON.stringify(docs));
    let run: Required<Pick<SnapshotPiece, 'terms' | 'offsets' | 'postings'>> = {
      terms: [],
      offsets: [0],
      postings: [],
    };
    for (const [term, list] of this.#terms) {
      const before = run.postings.length;
      for (const posting of list) {
        const doc = renumber[posting >> 2]!;
        if (doc >= 0) run.postings.push(doc * 4 + (posting & 3));
      }
      if (run.postings.length === before) continue;
      run.terms.push(term);
      run.offsets.push(run.postings.length);
      if (run.terms.length === TERMS_PER_PIECE) {
        pieces.push(JSON.stringify(run));
        run = { terms: [], offsets: [0], postings: [] };
      }
    }
    if (run.terms.length > 0) pieces.push(JSON.stringify(run));
    const head: SnapshotHead = { format: SNAPSHOT_FORMAT, documents, pieces: pieces.length };
    return [JSON.stringify(head), ...pieces];
  }

  /** Live documents. */
  get size(): number {
    return this.#docOf.size;
  }

  /** Document numbers given out, live or dead (the dead are dropped by the next snapshot). */
  get slots(): number {
    return this.#keys.length;
  }

  get termCount(): number {
    return this.#terms.size;
  }

  /** Whether the short-prefix index holds every document (after a load it is filled in slices). */
  get shortReady(): boolean {
    return this.#pending.length === 0;
  }

  /** Puts up to `count` loaded documents in the short-prefix index; returns whether all are in. */
  fillShort(count: number): boolean {
    for (const doc of this.#pending.splice(Math.max(0, this.#pending.length - count))) {
      const key = this.#keys[doc];
      if (key) this.#short.set(key, this.#nameWords(doc), this.#touched[doc]!);
    }
    return this.shortReady;
  }

  /** Adds a document, or replaces the one with its key. */
  set(doc: IndexDoc): void {
    this.remove(doc.id);
    const number = this.#keys.length;
    const nameWords = words(doc.name);
    this.#keys.push(doc.id);
    this.#touched.push(doc.t);
    this.#names.push(nameWords.join(' '));
    this.#docOf.set(doc.id, number);
    FIELDS.forEach((field, f) => {
      for (const term of new Set(field === 'name' ? nameWords : words(doc[field]))) {
        const list = this.#terms.get(term);
        if (!list) this.#terms.set(term, [number * 4 + f]);
        else if (Array.isArray(list)) list.push(number * 4 + f);
        else this.#terms.set(term, [...list, number * 4 + f]);
      }
    });
    this.#short.set(doc.id, nameWords, doc.t);
  }

  remove(key: string): void {
    const doc = this.#docOf.get(key);
    if (doc === undefined) return;
    this.#keys[doc] = null;
    this.#names[doc] = '';
    this.#docOf.delete(key);
    this.#short.remove(key);
  }

  /**
   * The best documents for a query's folded words (at most `limit`; `accept` filters keys). Every word must match:
   * words of 1–2 characters as the start of a name word, longer ones anywhere, exactly or as a prefix, or (from 4
   * characters, when too little matches as written) with a typo.
   */
  search(terms: readonly string[], limit: number, now: number, accept?: (key: string) => boolean): NameHit[] {
    const unique = [...new Set(terms)].filter(Boolean);
    if (unique.length === 0 || limit <= 0) return [];
    const long = unique.filter((term) => term.length > SHORT);
    const short = unique.filter((term) => term.length <= SHORT);
    if (long.length === 0 && this.shortReady) return this.#searchShort(short, limit, accept);
    const query = long.length > 0 ? long : short;
    const extra = long.length > 0 ? (doc: number) => short.every((term) => this.#hasPrefix(doc, term)) : null;
    const ok = (doc: number) => {
      const key = this.#keys[doc];
      return key !== null && key !== undefined && (!accept || accept(key)) && (!extra || extra(doc));
    };
    // Short words alone match name words only, as the short-prefix index does (until it is filled after a load).
    const nameOnly = long.length === 0;
    let hits = this.#run(query, false, limit, now, ok, nameOnly);
    if (hits.length < limit && query.some((term) => term.length >= FUZZY_FROM)) {
      hits = this.#run(query, true, limit, now, ok, nameOnly);
    }
    return hits;
  }

  #nameWords(doc: number): string[] {
    const name = this.#names[doc];
    return name ? name.split(' ') : [];
  }

  #hasPrefix(doc: number, prefix: string): boolean {
    return this.#nameWords(doc).some((word) => word.startsWith(prefix));
  }

  /** The terms one query word matches, with their tier: exact, prefixes, and with `fuzzy` those within an edit or two. */
  #expand(term: string, fuzzy: boolean): { term: string; list: Postings; tier: Tier }[] {
    const found: { term: string; list: Postings; tier: Tier }[] = [];
    for (const [docTerm, list] of this.#terms.atPrefix(term)) {
      found.push({ term: docTerm, list, tier: docTerm === term ? Tier.Exact : Tier.Prefix });
    }
    if (fuzzy && term.length >= FUZZY_FROM) {
      for (const [docTerm, [list, distance]] of this.#terms.fuzzyGet(term, fuzzyDistance(term))) {
        if (distance > 0 && !docTerm.startsWith(term)) found.push({ term: docTerm, list, tier: Tier.Fuzzy });
      }
    }
    return found;
  }

  // Scratch space for one query, one slot per document number, reused (a generation stamp tells this query's
  // entries from earlier ones, so nothing is cleared): points and weakest tier so far, how many words matched.
  #stamp = new Uint32Array(0);
  #wordPoints = new Float64Array(0);
  #wordTier = new Uint8Array(0);
  #points = new Float64Array(0);
  #tier = new Uint8Array(0);
  #generation = 0;

  #scratch(): void {
    if (this.#stamp.length < this.#keys.length) {
      const size = Math.max(1024, this.#keys.length * 2);
      this.#stamp = new Uint32Array(size);
      this.#wordPoints = new Float64Array(size);
      this.#wordTier = new Uint8Array(size);
      this.#points = new Float64Array(size);
      this.#tier = new Uint8Array(size);
      this.#generation = 0;
    }
    // Each query takes 16 stamps (one per word, and the rest unused); start over before the counter overflows.
    if (this.#generation > 0x0fffffff) {
      this.#stamp.fill(0);
      this.#generation = 0;
    }
    this.#generation++;
  }

  /** Documents every word matched, best first: the weakest word's tier, then points, then recency. */
  #run(
    query: string[],
    fuzzy: boolean,
    limit: number,
    now: number,
    ok: (doc: number) => boolean,
    nameOnly: boolean,
  ): NameHit[] {
    const expanded = query.slice(0, 15).map((term) => this.#expand(term, fuzzy));
    // The most selective word first: later words only look at documents still in the running.
    const volume = (terms: { list: Postings }[]) => terms.reduce((sum, t) => sum + t.list.length, 0);
    expanded.sort((a, b) => volume(a) - volume(b));
    this.#scratch();
    const base = this.#generation * 16;
    const stamp = this.#stamp;
    const wordPoints = this.#wordPoints;
    const wordTier = this.#wordTier;
    const points = this.#points;
    const tierOf = this.#tier;
    let candidates: number[] = [];
    const matchedTerms = new Set<string>();
    for (let w = 0; w < expanded.length; w++) {
      // A document is in the running for word w if every earlier word matched it: its stamp is base + w.
      const want = base + w;
      const mine = base + 15;
      const seen: number[] = [];
      for (const { term, list, tier } of expanded[w]!) {
        let any = false;
        for (let i = 0; i < list.length; i++) {
          const posting = list[i]!;
          if (nameOnly && (posting & 3) !== 0) continue;
          const doc = posting >> 2;
          const own = stamp[doc]!;
          const p = tier * 10 + BOOST[posting & 3]!;
          if (own === mine) {
            if (p > wordPoints[doc]!) {
              wordPoints[doc] = p;
              wordTier[doc] = tier;
            }
            any = true;
            continue;
          }
          if (w === 0 ? own >= base : own !== want) continue;
          if (w === 0 && !ok(doc)) {
            stamp[doc] = base + 14; // seen and refused
            continue;
          }
          stamp[doc] = mine;
          wordPoints[doc] = p;
          wordTier[doc] = tier;
          seen.push(doc);
          any = true;
        }
        if (any && tier === Tier.Fuzzy) matchedTerms.add(term);
      }
      for (const doc of seen) {
        stamp[doc] = want + 1;
        points[doc] = (w === 0 ? 0 : points[doc]!) + wordPoints[doc]!;
        tierOf[doc] = w === 0 ? wordTier[doc]! : Math.min(tierOf[doc]!, wordTier[doc]!);
      }
      candidates = seen;
      if (candidates.length === 0) return [];
    }
    // The best `limit` by tier, points and recency, in one pass keeping a short sorted list.
    // Ties go to the smaller key, as in the short-prefix index, so every path gives one order.
    const top: { doc: number; rank: number; key: string }[] = [];
    const before = (rank: number, key: string, other: { rank: number; key: string }) =>
      rank > other.rank || (rank === other.rank && key < other.key);
    for (const doc of candidates) {
      const rank = tierOf[doc]! * 1000 + points[doc]! + recencyBoost(this.#touched[doc]!, now);
      const key = this.#keys[doc]!;
      if (top.length === limit && !before(rank, key, top[limit - 1]!)) continue;
      let at = top.length;
      while (at > 0 && before(rank, key, top[at - 1]!)) at--;
      top.splice(at, 0, { doc, rank, key });
      if (top.length > limit) top.pop();
    }
    const terms = [...matchedTerms];
    return top.map(({ doc, rank, key }) => ({
      key,
      tier: tierOf[doc] as Tier,
      score: rank - tierOf[doc]! * 1000,
      terms,
    }));
  }

  #searchShort(terms: string[], limit: number, accept?: (key: string) => boolean): NameHit[] {
    const [first, ...rest] = terms as [string, ...string[]];
    const ok = (key: string) =>
      (!accept || accept(key)) && rest.every((term) => this.#hasPrefix(this.#docOf.get(key)!, term));
    return this.#short.queryExact(first, limit, ok).map(({ key, exact }, position) => ({
      key,
      tier: exact ? Tier.Exact : Tier.Prefix,
      // The short-prefix index's order: exact words, then the most recently touched.
      score: limit - position,
      terms: [],
    }));
  }
}
