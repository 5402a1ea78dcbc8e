// Search's view of text: what a person types must meet what the index holds, whatever accents, case, email or
// phone formatting either side uses.
import { describe, expect, it } from 'vitest';
import { fold, foldWithOffsets, matchSpans, phoneQuery, words } from './text.js';

describe('fold', () => {
  it('drops case and accents, so "muller" finds Müller and "zoe" finds Zoë', () => {
    expect(fold('Müller')).toBe('muller');
    expect(fold('ZOË')).toBe('zoe');
    expect(fold('Chloé Ångström')).toBe('chloe angstrom');
    expect(fold('Dvořák')).toBe('dvorak');
  });

  it('spells out letters that have no base letter', () => {
    expect(fold('Straße')).toBe('strasse');
    expect(fold('Ørsted Łódź')).toBe('orsted lodz');
    expect(fold('Æsir Þór')).toBe('aesir thor');
  });
});

describe('words', () => {
  it('cuts at anything that is not a letter or a digit, in any script', () => {
    expect(words("O'Brien-Smith, 3rd floor")).toEqual(['o', 'brien', 'smith', '3rd', 'floor']);
    expect(words('Dvořák & Søn')).toEqual(['dvorak', 'son']);
    expect(words('Иван Петров')).toEqual(['иван', 'петров']);
    expect(words('  ')).toEqual([]);
  });
});

describe('phoneQuery', () => {
  it('takes the digits of what reads as part of a phone number', () => {
    expect(phoneQuery('020 7946')).toBe('0207946');
    expect(phoneQuery('+44 (20) 79-46')).toBe('44207946');
    expect(phoneQuery('12')).toBeNull();
    expect(phoneQuery('ada 020')).toBeNull();
  });
});

describe('matchSpans', () => {
  const marked = (text: string, ...args: Parameters<typeof matchSpans> extends [string, ...infer R] ? R : never) =>
    matchSpans(text, ...args).map((span) => text.slice(span.start, span.end));

  it('marks the start of words as written, accents and all', () => {
    expect(marked('Anna Müller', ['mul'])).toEqual(['Mül']);
    expect(marked('Anna Müller-Lüdenscheid', ['mu', 'lu'])).toEqual(['Mü', 'Lü']);
    // Not inside a word, unless asked (the trigram tables match anywhere).
    expect(marked('Hamburg', ['bur'])).toEqual([]);
    expect(marked('Hamburg', ['bur'], [], true)).toEqual(['bur']);
  });

  it('marks whole words a typo matched, merges overlaps, and maps letters that fold to two', () => {
    expect(marked('Jonathan Whitfield', ['whitfeld'], ['whitfield'])).toEqual(['Whitfield']);
    expect(marked('Annabel', ['ann', 'anna'])).toEqual(['Anna']);
    expect(marked('Straße 5', ['strass'])).toEqual(['Straß']);
    expect(matchSpans('', ['a'])).toEqual([]);
    expect(matchSpans('abc', [])).toEqual([]);
  });

  it('keeps offsets right around letters outside the basic plane and decomposed accents', () => {
    expect(marked('🙂 Zoë', ['zo'])).toEqual(['Zo']);
    const decomposed = 'Zoe\u0308 Smith';
    expect(marked(decomposed, ['zoe'])).toEqual(['Zoe']);
    expect(foldWithOffsets('Zoë').folded).toBe('zoe');
  });
});
