// How search sees text: folded (lower case, diacritics gone, so "Müller" is found by "muller") and cut into words
// (an email address into the words of its local part and domain), a query read as phone digits, and the spans of a
// text a query matched, for highlighting. The index and the queries both go through these, so they always agree.

/** Letters that do not decompose into a base letter and a mark. */
const SPECIAL: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};
const SPECIAL_PATTERN = new RegExp(`[${Object.keys(SPECIAL).join('')}]`, 'g');

/** Text as search compares it: lower case, marks removed ("Zoë Ørsted" → "zoe orsted"). */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(SPECIAL_PATTERN, (letter) => SPECIAL[letter]!);
}

/** The folded words of a text: runs of letters and digits ("O'Brien-Smith, 3rd" → o, brien, smith, 3rd). */
export function words(text: string): string[] {
  return fold(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The shortest run of digits a phone number is found by. */
export const MIN_PHONE_RUN = 3;

/** A query's digits when it reads as part of a phone number ("020 7946", "+44-20"), else null. */
export function phoneQuery(query: string): string | null {
  if (!/^[\d\s+().-]+$/.test(query)) return null;
  const digits = query.replace(/\D/g, '');
  return digits.length >= MIN_PHONE_RUN ? digits : null;
}

/** A matched span of a text: UTF-16 offsets, end exclusive. */
export interface Span {
  start: number;
  end: number;
}

/**
 * A text folded as fold() does, with where each folded character came from, so that a match found in the folded
 * text can be marked in the original: folded character i came from original from[i] up to to[i] ("Straße" folds
 * to "strasse", whose two s's both come from the one "ß"; a combining mark folds to nothing).
 */
export function foldWithOffsets(text: string): { folded: string; from: number[]; to: number[] } {
  let folded = '';
  const from: number[] = [];
  const to: number[] = [];
  let at = 0;
  for (const char of text) {
    const piece = fold(char);
    for (let i = 0; i < piece.length; i++) {
      from.push(at);
      to.push(at + char.length);
    }
    folded += piece;
    at += char.length;
  }
  return { folded, from, to };
}

/**
 * Where `text` matches: words starting with one of `prefixes` (the query's words, folded; with `anywhere` also
 * inside words, as the trigram tables match) and words that are one of `whole` (the terms a fuzzy match found).
 * Spans are sorted and do not overlap.
 */
export function matchSpans(
  text: string,
  prefixes: readonly string[],
  whole: readonly string[] = [],
  anywhere = false,
): Span[] {
  if (text === '' || (prefixes.length === 0 && whole.length === 0)) return [];
  const { folded, from, to } = foldWithOffsets(text);
  const found: Span[] = [];
  const isWordChar = (index: number) => index >= 0 && index < folded.length && /[\p{L}\p{N}]/u.test(folded[index]!);
  for (const match of folded.matchAll(/[\p{L}\p{N}]+/gu)) {
    const word = match[0];
    const start = match.index;
    for (const prefix of prefixes) {
      if (prefix && word.startsWith(prefix)) found.push({ start, end: start + prefix.length });
    }
    if (whole.includes(word)) found.push({ start, end: start + word.length });
  }
  if (anywhere) {
    for (const part of prefixes) {
      if (part.length < 3) continue;
      for (let at = folded.indexOf(part); at >= 0; at = folded.indexOf(part, at + 1)) {
        if (isWordChar(at - 1)) found.push({ start: at, end: at + part.length });
      }
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const span of found) {
    const last = merged.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged.map((span) => ({ start: from[span.start]!, end: to[span.end - 1]! }));
}
