// How record values read on screen: names, initials, phone numbers, stages, sizes, money and custom values.
import { getCountryCallingCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { formatCount } from '../intl/format';
import type {
  AnyRecord,
  Company,
  CompanySize,
  FieldDefinition,
  LifecycleStage,
  MoneyValue,
  Person,
  RecordEntity,
} from './types';

export type Tone = 'info' | 'warning' | 'success' | 'neutral' | 'accent' | 'danger';

export const LIFECYCLE_STAGES: ReadonlyArray<{ value: LifecycleStage; label: string; tone: Tone }> = [
  { value: 'lead', label: 'Lead', tone: 'info' },
  { value: 'prospect', label: 'Prospect', tone: 'warning' },
  { value: 'customer', label: 'Customer', tone: 'success' },
  { value: 'former_customer', label: 'Former customer', tone: 'neutral' },
  { value: 'other', label: 'Other', tone: 'neutral' },
];

export const COMPANY_SIZES: ReadonlyArray<{ value: CompanySize; label: string }> = [
  { value: '1-10', label: '1–10' },
  { value: '11-50', label: '11–50' },
  { value: '51-200', label: '51–200' },
  { value: '201-500', label: '201–500' },
  { value: '501-1000', label: '501–1,000' },
  { value: '1001-5000', label: '1,001–5,000' },
  { value: '5001+', label: '5,001+' },
];

export function lifecycleStage(value: string | null | undefined): { label: string; tone: Tone } | null {
  if (!value) return null;
  return LIFECYCLE_STAGES.find((stage) => stage.value === value) ?? { label: value, tone: 'neutral' };
}

/** A size band as a list cell shows it ("51–200"); the column says it counts employees. */
export function companySizeLabel(value: string | null | undefined): string | null {
  if (!value) return null;
  return COMPANY_SIZES.find((option) => option.value === value)?.label ?? value;
}

/** "person" → "people", with the count formatted for the locale: "12,345 people". */
export function countNoun(entity: RecordEntity, count: number): string {
  const nouns = { person: ['person', 'people'], company: ['company', 'companies'], deal: ['deal', 'deals'] } as const;
  return `${formatCount(count)} ${nouns[entity][count === 1 ? 0 : 1]}`;
}

export function personName(person: Pick<Person, 'displayName' | 'firstName' | 'lastName' | 'emails'>): string {
  const name = person.displayName || [person.firstName, person.lastName].filter(Boolean).join(' ');
  return name || primaryEmail(person) || 'Unnamed person';
}

/** The name a record goes by in lists, toasts and labels. */
export function recordTitle(record: AnyRecord): string {
  if ('stageId' in record) return record.title || 'Untitled deal';
  return 'firstName' in record ? personName(record) : record.name || primaryDomain(record) || 'Unnamed company';
}

export function primaryEmail(person: Pick<Person, 'emails'>): string | null {
  return (person.emails.find((email) => email.primary) ?? person.emails[0])?.address ?? null;
}

export function primaryPhone(person: Pick<Person, 'phones'>): string | null {
  return (person.phones.find((phone) => phone.primary) ?? person.phones[0])?.number ?? null;
}

export function primaryDomain(company: Pick<Company, 'domains'>): string | null {
  return company.domains[0] ?? null;
}

/** Up to two letters for an avatar: "Ada Lovelace" → "AL", "acme.io" → "A". */
export function initials(name: string): string {
  const words = name
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words.at(-1)!] : words.slice(0, 1);
  return (
    letters
      .map((word) => Array.from(word)[0] ?? '')
      .join('')
      .toUpperCase() || '?'
  );
}

/** A stable colour slot (0–7) for an avatar, so the same record keeps its colour everywhere. */
export function avatarHue(key: string): number {
  let hash = 0;
  for (let i = 0; i < key.length; i++) hash = (hash * 31 + key.charCodeAt(i)) | 0;
  return Math.abs(hash) % 8;
}

/**
 * An E.164 number as people write it: national format for the workspace's own region ("020 7946 0018"),
 * international for others ("+33 1 42 68 53 00"). Anything unparsable is shown as stored.
 */
export function formatPhone(e164: string | null | undefined, region?: string | null): string | null {
  if (!e164) return null;
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  // Compare calling codes, not countries: +44 7911… may be read as Guernsey, but it dials like any UK number.
  const home = region && isSupportedCountry(region) ? getCountryCallingCode(region) : null;
  return parsed.countryCallingCode === home ? parsed.formatNational() : parsed.formatInternational();
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string): Intl.NumberFormat {
  let format = moneyFormats.get(currency);
  if (!format) {
    try {
      format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    } catch {
      format = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    moneyFormats.set(currency, format);
  }
  return format;
}

/** How many minor units make one major unit of a currency (100 for GBP, 1 for JPY, 1000 for BHD). */
export function minorUnitFactor(currency: string): number {
  return 10 ** (moneyFormat(currency).resolvedOptions().maximumFractionDigits ?? 2);
}

/** Money kept as integer minor units, shown in its currency: { amount: 123456, currency: 'GBP' } → "£1,234.56". */
export function formatMoney(value: MoneyValue): string {
  return moneyFormat(value.currency).format(value.amount / minorUnitFactor(value.currency));
}

const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const shortDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
const plainNumber = new Intl.NumberFormat();

/** A `YYYY-MM-DD` date in the user's locale, without shifting it through a time zone. */
export function formatDateOnly(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return value;
  return dateOnly.format(new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
}

export const formatShortDate = (epochMs: number): string => shortDate.format(epochMs);

function isMoney(value: unknown): value is MoneyValue {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as MoneyValue).amount === 'number' &&
    typeof (value as MoneyValue).currency === 'string'
  );
}

function optionLabel(def: FieldDefinition, value: string): string {
  return def.options.find((option) => option.value === value)?.label ?? value;
}

/** A custom field's value as text, by the field's type; null when there is nothing to show. */
export function formatCustomValue(def: FieldDefinition, value: unknown, region?: string | null): string | null {
  if (value === null || value === undefined || value === '') return null;
  switch (def.type) {
    case 'money':
      return isMoney(value) ? formatMoney(value) : String(value);
    case 'number':
      return typeof value === 'number' ? plainNumber.format(value) : String(value);
    case 'date':
      return typeof value === 'string' ? formatDateOnly(value) : String(value);
    case 'boolean':
      return value === true ? 'Yes' : value === false ? 'No' : String(value);
    case 'select':
      return typeof value === 'string' ? optionLabel(def, value) : String(value);
    case 'multiSelect':
      return Array.isArray(value) ? value.map((item) => optionLabel(def, item)).join(', ') || null : String(value);
    case 'phone':
      return typeof value === 'string' ? formatPhone(value, region) : String(value);
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}
