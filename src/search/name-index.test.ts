// The name index: what it finds, in what order, and that a stored snapshot answers exactly as the index it was
// taken from.
import { describe, expect, it } from 'vitest';
import type { IndexDoc } from './documents.js';
import { NameIndex, Tier } from './name-index.js';
import { words } from './text.js';

const NOW = Date.UTC(2026, 5, 1);
const DAY = 86_400_000;
let next = 0;
const doc = (name: string, extra: Partial<IndexDoc> = {}): IndexDoc => ({
  id: `p:${String(++next).padStart(4, '0')}`,
  name,
  email: '',
  other: '',
  t: NOW - 100 * DAY,
  ...extra,
});

function indexOf(docs: IndexDoc[]): NameIndex {
  const index = NameIndex.empty();
  for (const d of docs) index.set(d);
  return index;
}

const keys = (index: NameIndex, q: string, limit = 20, accept?: (key: string) => boolean) =>
  index.search(words(q), limit, NOW, accept).map((hit) => hit.key);

describe('NameIndex', () => {
  const smith = doc('Ann Smith');
  const smithers = doc('Bob Smithers');
  const smyth = doc('Cy Smyth');
  const mail = doc('Dee Jones', { email: 'dee@smith-partners.example' });
  const other = doc('Eve Black', { other: 'Smith Street' });
  const all = [smith, smithers, smyth, mail, other];

  it('ranks exact words, then prefixes, then typos; names above emails above other text', () => {
    const index = indexOf(all);
    const hits = index.search(['smith'], 20, NOW);
    expect(hits.map((h) => h.key)).toEqual([smith.id, mail.id, other.id, smithers.id, smyth.id]);
    expect(hits.map((h) => h.tier)).toEqual([Tier.Exact, Tier.Exact, Tier.Exact, Tier.Prefix, Tier.Fuzzy]);
    // Typos are looked for only when the words as written do not fill the page.
    expect(keys(index, 'smith', 4)).toEqual([smith.id, mail.id, other.id, smithers.id]);
    expect(keys(index, 'smyht')).toEqual([]);
    expect(keys(index, 'smiht')).toEqual([]);
    const fuzzy = index.search(['smithh'], 20, NOW);
    expect(fuzzy[0]).toMatchObject({ key: smith.id, tier: Tier.Fuzzy, terms: expect.arrayContaining(['smith']) });
  });

  it('needs every word, and reads short words as the start of a name word', () => {
    const index = indexOf(all);
    expect(keys(index, 'ann smith')).toEqual([smith.id]);
    expect(keys(index, 'smi a')).toEqual([smith.id]);
    // Eve Black has Smith in other text (an exact word) and a name word starting with b.
    expect(keys(index, 'b smith')).toEqual([other.id, smithers.id]);
    expect(keys(index, 'zed smith')).toEqual([]);
  });

  it('answers 1- and 2-character queries by exact word, then by recency, before and after the short index fills', () => {
    const recent = doc('Amber Fox', { t: NOW - DAY });
    const old = doc('Alma Fox', { t: NOW - 900 * DAY });
    const exact = doc('Al Green', { t: NOW - 500 * DAY });
    const index = indexOf([...all, recent, old, exact]);
    expect(keys(index, 'al')).toEqual([exact.id, old.id]);
    expect(keys(index, 'a')[0]).toBe(recent.id);
    const loaded = NameIndex.load(index.serialize());
    expect(loaded.shortReady).toBe(false);
    // While the short index fills, the dictionary answers the same documents.
    expect(new Set(keys(loaded, 'al'))).toEqual(new Set([exact.id, old.id]));
    while (!loaded.fillShort(2));
    expect(keys(loaded, 'al')).toEqual([exact.id, old.id]);
  });

  it('forgets removed documents and replaces changed ones, also across a snapshot', () => {
    const index = indexOf(all);
    index.remove(smith.id);
    index.set({ ...smithers, name: 'Bob Carver' });
    expect(keys(index, 'smith')).toEqual([mail.id, other.id, smyth.id]);
    expect(keys(index, 'carver')).toEqual([smithers.id]);
    expect(keys(index, 'sm')).not.toContain(smith.id);
    expect(index.size).toBe(4);
    expect(index.slots).toBe(6);
    const loaded = NameIndex.load(index.serialize());
    expect(loaded.size).toBe(4);
    expect(loaded.slots).toBe(4);
    for (const q of ['smith', 'carver', 'sm', 'c', 'smyht', 'dee', 'street']) {
      expect(keys(loaded, q), q).toEqual(keys(index, q));
    }
    // A loaded index takes changes like a built one.
    loaded.set(doc('Fay Smith'));
    expect(keys(loaded, 'smith')).toHaveLength(4);
  });

  it('filters by key and refuses a snapshot of another format', () => {
    const index = indexOf([...all, doc('Smith Holdings', { id: 'c:0001' })]);
    expect(keys(index, 'smith', 20, (key) => key.startsWith('c:'))).toEqual(['c:0001']);
    expect(() => NameIndex.load(['{"format":0}'])).toThrow();
    expect(() => NameIndex.load(['not json'])).toThrow();
    const pieces = index.serialize();
    // A missing piece, or a damaged one, is refused rather than loaded as a partial index.
    expect(() => NameIndex.load(pieces.slice(0, -1))).toThrow();
    expect(() => NameIndex.load([pieces[0]!, '{"keys":["x"]}', ...pieces.slice(2)])).toThrow();
  });
});
