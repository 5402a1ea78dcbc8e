// The shortest queries: one or two typed characters give the best-ranked documents with a word starting so, a
// word that is exactly what was typed first; changes and deletions show at once.
import { describe, expect, it } from 'vitest';
import { ShortPrefixIndex } from './short-prefixes.js';

describe('ShortPrefixIndex', () => {
  it('answers a 1- or 2-character prefix with the best-ranked documents, exact words first', () => {
    const index = new ShortPrefixIndex(2);
    index.set('person:lister', ['joseph', 'lister'], 30);
    index.set('person:li', ['wei', 'li'], 10);
    index.set('person:lovelace', ['ada', 'lovelace'], 20);
    index.set('company:acme', ['acme'], 40);
    expect(index.query('l', 10)).toEqual(['person:lister', 'person:lovelace', 'person:li']);
    expect(index.query('li', 10)).toEqual(['person:li', 'person:lister']);
    expect(index.query('a', 10)).toEqual(['company:acme', 'person:lovelace']);
    expect(index.query('l', 2)).toEqual(['person:lister', 'person:lovelace']);
    // Longer prefixes belong to the full index; nothing typed finds nothing.
    expect(index.query('lis', 10)).toEqual([]);
    expect(index.query('', 10)).toEqual([]);
  });

  it('moves a document when its words or rank change, and forgets it when removed', () => {
    const index = new ShortPrefixIndex(2);
    index.set('a', ['lovelace'], 1);
    index.set('b', ['lister'], 2);
    expect(index.query('l', 10)).toEqual(['b', 'a']);
    index.set('a', ['lovelace'], 3);
    expect(index.query('l', 10)).toEqual(['a', 'b']);
    index.set('a', ['hopper'], 3);
    expect(index.query('l', 10)).toEqual(['b']);
    expect(index.query('ho', 10)).toEqual(['a']);
    index.remove('b');
    index.remove('missing');
    expect(index.query('l', 10)).toEqual([]);
    expect(index.size).toBe(1);
  });

  it('keeps every list in rank order through many random changes', () => {
    const index = new ShortPrefixIndex(2);
    const truth = new Map<string, { words: string[]; rank: number }>();
    let seed = 5;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return Math.floor((seed / 2_147_483_648) * n);
    };
    const letters = 'abc';
    const word = () => Array.from({ length: 1 + random(3) }, () => letters[random(3)]).join('');
    for (let step = 0; step < 2000; step++) {
      const key = `doc${random(200)}`;
      if (random(5) === 0) {
        index.remove(key);
        truth.delete(key);
      } else {
        const entry = { words: [word(), word()], rank: random(50) };
        index.set(key, entry.words, entry.rank);
        truth.set(key, entry);
      }
    }
    for (const prefix of ['a', 'b', 'ab', 'cc']) {
      const exact = (k: string) => truth.get(k)!.words.includes(prefix);
      const byRank = (a: string, b: string) => truth.get(b)!.rank - truth.get(a)!.rank || (a < b ? -1 : 1);
      const matching = [...truth.keys()].filter((k) => truth.get(k)!.words.some((w) => w.startsWith(prefix)));
      const expected = [...matching.filter(exact).sort(byRank), ...matching.filter((k) => !exact(k)).sort(byRank)];
      expect(index.query(prefix, 1000), prefix).toEqual(expected);
    }
    expect(index.size).toBe(truth.size);
  });
});
