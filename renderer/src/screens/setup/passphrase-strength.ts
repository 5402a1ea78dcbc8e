// A rough passphrase strength for the hint under the field. Length matters most for a passphrase.
export const MIN_PASSPHRASE_LENGTH = 8;

export interface Strength {
  /** 0 is too short to use; 1–4 from weak to strong. */
  score: 0 | 1 | 2 | 3 | 4;
  label: string;
  advice: string;
}

export function passphraseStrength(passphrase: string): Strength {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    return { score: 0, label: 'Too short', advice: `Use at least ${MIN_PASSPHRASE_LENGTH} characters.` };
  }
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9\s]/, /\s/].filter((kind) => kind.test(passphrase)).length;
  const distinct = new Set(passphrase.toLowerCase()).size;
  let points = 1;
  if (passphrase.length >= 12) points++;
  if (passphrase.length >= 18) points++;
  if (kinds >= 3) points++;
  // "aaaaaaaaaaaa" or "abababab" are long but guessable.
  if (distinct < Math.min(6, passphrase.length / 2)) points = 1;
  const score = Math.min(4, points) as 1 | 2 | 3 | 4;
  const labels = { 1: 'Weak', 2: 'Fair', 3: 'Good', 4: 'Strong' } as const;
  const advice =
    score >= 3 ? 'A good passphrase. Keep it somewhere safe.' : 'Longer is stronger: try a few unrelated words.';
  return { score, label: labels[score], advice };
}
