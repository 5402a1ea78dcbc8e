// Answers for the shortest queries. A 1- or 2-character prefix matches a large part of any vocabulary ("a" starts
// thousands of names), so expanding it term by term, as a prefix search does, is slow (the search baselines in
// docs/benchmarks.md: p95 3 s for one character with default minisearch). Instead, every document is kept in a
// set per short prefix of its words, and a query picks the best few of one set by the rank the caller gives
// (recency, type) in one pass. Words that are the prefix itself come first ("li" finds Li before Lister).
//
// A change is a few set operations whatever the size; a query reads one set (about 1 ms for a set of 100k at
// 470k documents: bench figures in the search issue's note). One entry object per document, shared by its sets.

interface Entry {
  key: string;
  rank: number;
  /** Sets this document sits in (prefixes, and exact words marked with '='). */
  lists: string[];
}

/** Higher rank first, then key, so the order is total and ties are stable. */
function before(a: Entry, b: Entry): boolean {
  return a.rank > b.rank || (a.rank === b.rank && a.key < b.key);
}

export class ShortPrefixIndex {
  readonly #lists = new Map<string, Set<Entry>>();
  readonly #entries = new Map<string, Entry>();

  /** `depth`: the longest prefix answered here (longer queries go to the full index). */
  constructor(readonly depth = 2) {}

  get size(): number {
    return this.#entries.size;
  }

  /** Sets a document's words (already folded) and rank, replacing what it had. */
  set(key: string, words: readonly string[], rank: number): void {
    this.remove(key);
    const lists = new Set<string>();
    for (const word of words) {
      if (word.length <= this.depth) lists.add(`=${word}`);
      for (let n = 1; n <= Math.min(this.depth, word.length); n++) lists.add(word.slice(0, n));
    }
    const entry: Entry = { key, rank, lists: [...lists] };
    this.#entries.set(key, entry);
    for (const name of entry.lists) {
      let list = this.#lists.get(name);
      if (!list) {
        list = new Set();
        this.#lists.set(name, list);
      }
      list.add(entry);
    }
  }

  remove(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    for (const name of entry.lists) {
      const list = this.#lists.get(name)!;
      list.delete(entry);
      if (list.size === 0) this.#lists.delete(name);
    }
  }

  /**
   * The best `limit` documents with a word starting with `prefix` (1 to `depth` characters, folded): those with a
   * word that is the prefix itself first, then the rest, each by rank.
   */
  query(prefix: string, limit: number, accept?: (key: string) => boolean): string[] {
    return this.queryExact(prefix, limit, accept).map(({ key }) => key);
  }

  /** As query(), saying of each document whether it has a word that is the prefix itself. */
  queryExact(prefix: string, limit: number, accept?: (key: string) => boolean): { key: string; exact: boolean }[] {
    if (prefix.length === 0 || prefix.length > this.depth || limit <= 0) return [];
    const exact = best(this.#lists.get(`=${prefix}`), limit, null, accept);
    const seen = new Set(exact);
    const rest = best(this.#lists.get(prefix), limit - exact.length, seen, accept);
    return [
      ...exact.map((entry) => ({ key: entry.key, exact: true })),
      ...rest.map((entry) => ({ key: entry.key, exact: false })),
    ];
  }
}

/** The best `limit` entries of a set by rank (not those in `skip`), in one pass keeping a short sorted list. */
function best(
  list: Set<Entry> | undefined,
  limit: number,
  skip: Set<Entry> | null,
  accept?: (key: string) => boolean,
): Entry[] {
  const top: Entry[] = [];
  if (!list || limit <= 0) return top;
  for (const entry of list) {
    if (top.length === limit && !before(entry, top[limit - 1]!)) continue;
    if (skip?.has(entry)) continue;
    if (accept && !accept(entry.key)) continue;
    let at = top.length;
    while (at > 0 && before(entry, top[at - 1]!)) at--;
    top.splice(at, 0, entry);
    if (top.length > limit) top.pop();
  }
  return top;
}
