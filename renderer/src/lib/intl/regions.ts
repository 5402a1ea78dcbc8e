// Countries for phone numbers: exactly the ones the core accepts (libphonenumber's), named in the user's language.
import { getCountries, getCountryCallingCode } from 'libphonenumber-js';

export interface RegionOption {
  code: string;
  name: string;
  callingCode: string;
}

let cached: RegionOption[] | null = null;

export function regionOptions(): RegionOption[] {
  if (cached) return cached;
  const names = new Intl.DisplayNames(navigator.languages, { type: 'region', fallback: 'code' });
  cached = getCountries()
    .map((code) => ({ code, name: names.of(code) ?? code, callingCode: `+${getCountryCallingCode(code)}` }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return cached;
}

export function regionName(code: string): string {
  return regionOptions().find((option) => option.code === code)?.name ?? code;
}
