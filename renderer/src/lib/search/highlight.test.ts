// The matched spans of a search result, cut out of its text so they can be marked.
import { describe, expect, it } from 'vitest';
import { highlightSegments } from './highlight';

const marked = (text: string, matches: Array<{ start: number; end: number }>) =>
  highlightSegments(text, matches)
    .map((segment) => (segment.match ? `[${segment.text}]` : segment.text))
    .join('');

describe('highlightSegments', () => {
  it('marks each span and keeps the text between them, in order', () => {
    expect(highlightSegments('Jonathan Whitfield', [{ start: 9, end: 18 }])).toEqual([
      { text: 'Jonathan ', match: false },
      { text: 'Whitfield', match: true },
    ]);
    expect(
      marked('Anna Müller, Berlin', [
        { start: 0, end: 4 },
        { start: 5, end: 11 },
      ]),
    ).toBe('[Anna] [Müller], Berlin');
  });

  it('gives the whole text unmarked when nothing matched, and one empty run for empty text', () => {
    expect(highlightSegments('Acme Ltd', [])).toEqual([{ text: 'Acme Ltd', match: false }]);
    expect(highlightSegments('', [])).toEqual([{ text: '', match: false }]);
  });

  it('marks the whole text when one span covers it', () => {
    expect(highlightSegments('Acme', [{ start: 0, end: 4 }])).toEqual([{ text: 'Acme', match: true }]);
  });

  it('clips spans that reach past either end and drops empty or reversed ones', () => {
    expect(marked('Acme', [{ start: -3, end: 2 }])).toBe('[Ac]me');
    expect(marked('Acme', [{ start: 2, end: 99 }])).toBe('Ac[me]');
    expect(
      marked('Acme', [
        { start: 2, end: 2 },
        { start: 3, end: 1 },
        { start: 10, end: 12 },
      ]),
    ).toBe('Acme');
    expect(marked('Acme', [{ start: Number.NaN, end: 1 }])).toBe('[A]cme');
  });

  it('merges overlapping and touching spans and sorts spans that arrive out of order', () => {
    expect(
      marked('abcdefgh', [
        { start: 4, end: 6 },
        { start: 0, end: 2 },
        { start: 1, end: 3 },
      ]),
    ).toBe('[abc]d[ef]gh');
    expect(
      marked('abcdefgh', [
        { start: 0, end: 2 },
        { start: 2, end: 4 },
      ]),
    ).toBe('[abcd]efgh');
  });

  it('counts in UTF-16 units, as the API does, without splitting a character made of two', () => {
    // "😀" is two UTF-16 units: offsets 5..7.
    const text = 'Hello😀World';
    expect(marked(text, [{ start: 5, end: 7 }])).toBe('Hello[😀]World');
    expect(marked(text, [{ start: 6, end: 9 }])).toBe('Hello[😀Wo]rld');
    expect(marked(text, [{ start: 0, end: 6 }])).toBe('[Hello😀]World');
    expect(marked('Zoë Ångström', [{ start: 4, end: 12 }])).toBe('Zoë [Ångström]');
  });
});
