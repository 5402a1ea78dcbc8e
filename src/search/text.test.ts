// Search's view of text: what a person types must meet what the index holds, whatever accents, case, email or
// phone formatting either side uses.
import { describe, expect, it } from 'vitest';
import { emailTerms, fold, phoneQuery, phoneTerms, words } from './text.js';

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

describe('emailTerms', () => {
  it('finds an address by the whole of it, its local part, its domain and their words', () => {
    expect(emailTerms('Ada.Lovelace@Acme.co.uk')).toEqual([
      'ada.lovelace@acme.co.uk',
      'ada.lovelace',
      'acme.co.uk',
      'ada',
      'lovelace',
      'acme',
      'co',
      'uk',
    ]);
  });

  it('keeps what it can of something that is not an address', () => {
    expect(emailTerms('not an address')).toEqual(['not', 'an', 'address']);
    expect(emailTerms('trailing@')).toEqual(['trailing']);
  });
});

describe('phoneTerms', () => {
  it('makes every run of digits the start of a term, international and national', () => {
    const terms = phoneTerms('+44 20 7946 0958');
    // Prefix search over these terms finds any run of digits the person types.
    const finds = (typed: string) => terms.some((term) => term.startsWith(typed));
    expect(finds('4420')).toBe(true);
    expect(finds('020')).toBe(true);
    expect(finds('7946')).toBe(true);
    expect(finds('0958')).toBe(true);
    expect(finds('79460958')).toBe(true);
    expect(finds('1234')).toBe(false);
    expect(terms.every((term) => term.length >= 3)).toBe(true);
  });

  it('reads a national number with the region given, and keeps the digits of one it cannot read', () => {
    expect(phoneTerms('020 7946 0958', 'GB')).toContain('442079460958');
    expect(phoneTerms('ext. 12345')).toContain('12345');
    expect(phoneTerms('12')).toEqual([]);
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
