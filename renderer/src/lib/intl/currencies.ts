// ISO 4217 currencies this browser knows, with their names in the user's language.
export interface CurrencyOption {
  code: string;
  name: string;
  symbol: string;
}

let cached: CurrencyOption[] | null = null;

export function currencyOptions(): CurrencyOption[] {
  if (cached) return cached;
  const names = new Intl.DisplayNames(navigator.languages, { type: 'currency', fallback: 'code' });
  cached = Intl.supportedValuesOf('currency')
    .map((code) => ({ code, name: names.of(code) ?? code, symbol: symbolOf(code) }))
    .sort((a, b) => a.code.localeCompare(b.code));
  return cached;
}

export function currencyName(code: string): string {
  return currencyOptions().find((option) => option.code === code)?.name ?? code;
}

function symbolOf(code: string): string {
  try {
    const parts = new Intl.NumberFormat(navigator.languages, {
      style: 'currency',
      currency: code,
      currencyDisplay: 'narrowSymbol',
    }).formatToParts(0);
    return parts.find((part) => part.type === 'currency')?.value ?? code;
  } catch {
    return code;
  }
}
