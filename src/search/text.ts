// How search sees text: folded (lower case, diacritics gone, so "Müller" is found by "muller"), cut into words,
// email addresses found by the whole address, the local part and the domain, and phone numbers by any run of
// their digits (as stored, E.164, and as written at home, with the trunk 0). The index and the queries both go
// through these, so they always agree.
import { parsePhoneNumberFromString } from 'libphonenumber-js';

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

/**
 * The terms an email address is found by: the whole address, the local part, the domain, and the words of each
 * ("Ada.Lovelace@Acme.co.uk" → ada.lovelace@acme.co.uk, ada.lovelace, acme.co.uk, ada, lovelace, acme, co, uk).
 */
export function emailTerms(address: string): string[] {
  const folded = fold(address.trim());
  const at = folded.lastIndexOf('@');
  if (at <= 0 || at === folded.length - 1) return unique(words(folded));
  const local = folded.slice(0, at);
  const domain = folded.slice(at + 1);
  return unique([folded, local, domain, ...words(local), ...words(domain)]);
}

/** The shortest run of digits a phone number is found by. */
export const MIN_PHONE_RUN = 3;

/**
 * The terms a phone number is found by: its digits from every position on, down to MIN_PHONE_RUN of them, so
 * that any run of its digits is the start of one term (a prefix search finds "7946" in +44 20 7946 0958). Both
 * the international digits and the national ones (with the trunk 0: 020 7946 0958) are covered.
 */
export function phoneTerms(number: string, region?: string): string[] {
  const forms = new Set<string>();
  const digits = number.replace(/\D/g, '');
  if (digits) forms.add(digits);
  const parsed = parsePhoneNumberFromString(number, region as Parameters<typeof parsePhoneNumberFromString>[1]);
  if (parsed) {
    forms.add(parsed.number.replace(/\D/g, ''));
    const national = parsed.formatNational().replace(/\D/g, '');
    if (national) forms.add(national);
  }
  const terms = new Set<string>();
  for (const form of forms) {
    for (let start = 0; start <= form.length - MIN_PHONE_RUN; start++) terms.add(form.slice(start));
  }
  return [...terms];
}

/** A query's digits when it reads as part of a phone number ("020 7946", "+44-20"), else null. */
export function phoneQuery(query: string): string | null {
  if (!/^[\d\s+().-]+$/.test(query)) return null;
  const digits = query.replace(/\D/g, '');
  return digits.length >= MIN_PHONE_RUN ? digits : null;
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter(Boolean))];
}
