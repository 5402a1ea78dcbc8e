// What a record's form shows: the standard fields of people and companies plus the workspace's custom fields,
// each with its label, kind and section, and how a value moves between the API's shape and the inputs' drafts.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { FullAutoFill } from 'svelte/elements';
import type { FieldIssue } from '../../../lib/api';
import { formatDate } from '../../../lib/intl/format';
import { regionName } from '../../../lib/intl/regions';
import { dayOf, startOfDay } from '../../../lib/records/fields';
import type { Address, CompanyLink, CustomFieldType, EmailEntry, Entity, FieldDefinition, PhoneEntry } from '../types';

export type FieldKind =
  CustomFieldType | 'emails' | 'phones' | 'companies' | 'address' | 'tags' | 'owner' | 'domains' | 'consent';

export interface FieldOption {
  value: string;
  label: string;
}

export interface FieldSpec {
  /** Where the value lives on the record: `firstName`, `address`, `custom.budget`. */
  key: string;
  label: string;
  kind: FieldKind;
  section: string;
  required?: boolean;
  options?: FieldOption[];
  helpText?: string | null;
  placeholder?: string;
  /** Takes the whole row of the form grid. */
  wide?: boolean;
  /** Cleared, it is sent as '' rather than null (names are text, never missing). */
  notNull?: boolean;
}

export const LIFECYCLE_OPTIONS: FieldOption[] = [
  { value: 'lead', label: 'Lead' },
  { value: 'prospect', label: 'Prospect' },
  { value: 'customer', label: 'Customer' },
  { value: 'former_customer', label: 'Former customer' },
  { value: 'other', label: 'Other' },
];

/** The lawful bases for processing a person's data (GDPR article 6), as the core names them. */
export const LEGAL_BASIS_OPTIONS: FieldOption[] = [
  { value: 'consent', label: 'Consent' },
  { value: 'contract', label: 'Contract' },
  { value: 'legal_obligation', label: 'Legal obligation' },
  { value: 'vital_interests', label: 'Vital interests' },
  { value: 'public_task', label: 'Public task' },
  { value: 'legitimate_interests', label: 'Legitimate interests' },
];

export const SIZE_OPTIONS: FieldOption[] = ['1-10', '11-50', '51-200', '201-500', '501-1000', '1001-5000', '5001+'].map(
  (value) => ({ value, label: `${value} people` }),
);

const PERSON_FIELDS: FieldSpec[] = [
  { key: 'firstName', label: 'First name', kind: 'text', section: 'Name', placeholder: 'Ada', notNull: true },
  { key: 'lastName', label: 'Last name', kind: 'text', section: 'Name', placeholder: 'Lovelace', notNull: true },
  { key: 'emails', label: 'Email', kind: 'emails', section: 'Contact', wide: true },
  { key: 'phones', label: 'Phone', kind: 'phones', section: 'Contact', wide: true },
  { key: 'title', label: 'Job title', kind: 'text', section: 'Work', placeholder: 'Head of Finance' },
  { key: 'website', label: 'Website', kind: 'url', section: 'Work', placeholder: 'https://' },
  { key: 'companies', label: 'Companies', kind: 'companies', section: 'Work', wide: true },
  {
    key: 'lifecycleStage',
    label: 'Lifecycle stage',
    kind: 'select',
    section: 'Relationship',
    options: LIFECYCLE_OPTIONS,
  },
  { key: 'source', label: 'Source', kind: 'text', section: 'Relationship', placeholder: 'Referral, event, website…' },
  { key: 'ownerId', label: 'Owner', kind: 'owner', section: 'Relationship' },
  { key: 'tags', label: 'Tags', kind: 'tags', section: 'Relationship', wide: true },
  { key: 'address', label: 'Address', kind: 'address', section: 'Address', wide: true },
  // One value on the wire ({ marketing, at, basis }); its input labels its three parts itself.
  { key: 'consent', label: 'Marketing', kind: 'consent', section: 'Consent', wide: true, options: LEGAL_BASIS_OPTIONS },
];

const COMPANY_FIELDS: FieldSpec[] = [
  { key: 'name', label: 'Name', kind: 'text', section: 'Company', required: true, placeholder: 'Acme Ltd' },
  { key: 'industry', label: 'Industry', kind: 'text', section: 'Company', placeholder: 'Manufacturing' },
  { key: 'size', label: 'Size', kind: 'select', section: 'Company', options: SIZE_OPTIONS },
  { key: 'website', label: 'Website', kind: 'url', section: 'Company', placeholder: 'https://' },
  {
    key: 'domains',
    label: 'Domains',
    kind: 'domains',
    section: 'Company',
    wide: true,
    placeholder: 'acme.com',
    helpText: 'Email from these domains is matched to this company.',
  },
  { key: 'phone', label: 'Phone', kind: 'phone', section: 'Contact' },
  { key: 'ownerId', label: 'Owner', kind: 'owner', section: 'Relationship' },
  { key: 'tags', label: 'Tags', kind: 'tags', section: 'Relationship', wide: true },
  { key: 'address', label: 'Address', kind: 'address', section: 'Address', wide: true },
];

export const CUSTOM_SECTION = 'Custom fields';

/** Every field a form for `entity` shows, standard ones first, then the custom ones in their order. */
export function fieldSpecs(entity: Entity, custom: FieldDefinition[] = []): FieldSpec[] {
  const standard = entity === 'person' ? PERSON_FIELDS : COMPANY_FIELDS;
  const extra = custom
    .filter((definition) => !definition.archived)
    .sort((a, b) => a.position - b.position)
    .map((definition): FieldSpec => ({
      key: `custom.${definition.key}`,
      label: definition.label,
      kind: definition.type,
      section: CUSTOM_SECTION,
      required: definition.required,
      options: definition.options,
      helpText: definition.helpText,
      wide: definition.type === 'longText' || definition.type === 'multiSelect',
    }));
  return [...standard, ...extra];
}

export function sectionsOf(specs: FieldSpec[]): Array<{ name: string; fields: FieldSpec[] }> {
  const names = [...new Set(specs.map((spec) => spec.section))];
  return names.map((name) => ({ name, fields: specs.filter((spec) => spec.section === name) }));
}

// ——— Drafts: what the inputs edit ———————————————————————————————————————————————————————————————

export interface EmailDraft {
  address: string;
  label: string;
  primary: boolean;
}
export interface PhoneDraft {
  number: string;
  label: string;
  primary: boolean;
}
export interface CompanyLinkDraft {
  companyId: string;
  name: string;
  role: string;
}
export type AddressDraft = Record<keyof Address, string>;
export interface MoneyDraft {
  amount: string;
  currency: string;
}
export interface ConsentDraft {
  marketing: boolean;
  /** A legal basis's value, or '' for none. */
  basis: string;
  /** The local day consent was given (`YYYY-MM-DD`), or '' to let the core decide. */
  day: string;
  /** The instant stored, kept while its day is unchanged so an edit doesn't move it to midnight. */
  at: number | null;
}
export interface Consent {
  marketing: boolean;
  at: number | null;
  basis: string | null;
}

export const ADDRESS_PARTS: Array<{ key: keyof Address; label: string; autocomplete: FullAutoFill }> = [
  { key: 'street', label: 'Street', autocomplete: 'street-address' },
  { key: 'city', label: 'City', autocomplete: 'address-level2' },
  { key: 'region', label: 'Region', autocomplete: 'address-level1' },
  { key: 'postalCode', label: 'Postal code', autocomplete: 'postal-code' },
  { key: 'country', label: 'Country', autocomplete: 'country' },
];

/** Values typed into a form, keyed by field key. */
export type Drafts = Record<string, unknown>;

/** The field's value on a record, in the API's shape. */
export function readValue(record: object, key: string): unknown {
  const source = record as Record<string, unknown>;
  if (key.startsWith('custom.')) {
    const custom = source.custom as Record<string, unknown> | undefined;
    return custom?.[key.slice('custom.'.length)] ?? null;
  }
  return source[key] ?? null;
}

export function toDraft(spec: FieldSpec, value: unknown, defaultCurrency = 'USD'): unknown {
  switch (spec.kind) {
    case 'emails':
      return ((value as EmailEntry[] | null) ?? []).map((e) => ({
        address: e.address,
        label: e.label ?? '',
        primary: e.primary,
      }));
    case 'phones':
      return ((value as PhoneEntry[] | null) ?? []).map((p) => ({
        number: p.number,
        label: p.label ?? '',
        primary: p.primary,
      }));
    case 'companies':
      return ((value as CompanyLink[] | null) ?? []).map((c) => ({
        companyId: c.companyId,
        name: c.name,
        role: c.role ?? '',
      }));
    case 'address': {
      const address = (value as Partial<Address> | null) ?? {};
      return Object.fromEntries(ADDRESS_PARTS.map((part) => [part.key, address[part.key] ?? '']));
    }
    case 'tags':
    case 'domains':
    case 'multiSelect':
      return [...((value as string[] | null) ?? [])];
    case 'boolean':
      return value === true;
    case 'consent': {
      const consent = value as Consent | null;
      const at = consent?.at ?? null;
      return {
        marketing: consent?.marketing === true,
        basis: consent?.basis ?? '',
        day: at === null ? '' : dayOf(at),
        at,
      };
    }
    case 'number':
      return typeof value === 'number' ? String(value) : '';
    case 'money': {
      const money = value as { amount: number; currency: string } | null;
      if (!money) return { amount: '', currency: defaultCurrency };
      return { amount: minorToMajor(money.amount, money.currency), currency: money.currency };
    }
    default:
      return typeof value === 'string' ? value : '';
  }
}

export function draftsFrom(specs: FieldSpec[], record: object | null, defaultCurrency?: string): Drafts {
  return Object.fromEntries(
    specs.map((spec) => [spec.key, toDraft(spec, record ? readValue(record, spec.key) : null, defaultCurrency)]),
  );
}

const blank = (text: string): string | null => (text.trim() === '' ? null : text.trim());

/** Why a draft that fromDraft could not read was refused (a number or an amount that does not read). */
export function unreadableDraft(spec: FieldSpec): string {
  return spec.kind === 'money' ? 'Enter an amount, like 1250.50' : 'Enter a number';
}

/** The draft in the API's shape; `undefined` when it can't be read (the local check reports why). */
export function fromDraft(spec: FieldSpec, draft: unknown): unknown {
  switch (spec.kind) {
    case 'emails': {
      const rows = (draft as EmailDraft[]).filter((row) => row.address.trim() !== '');
      const primary = Math.max(
        0,
        rows.findIndex((row) => row.primary),
      );
      return rows.map((row, i) => ({ address: row.address.trim(), label: blank(row.label), primary: i === primary }));
    }
    case 'phones': {
      const rows = (draft as PhoneDraft[]).filter((row) => row.number.trim() !== '');
      const primary = Math.max(
        0,
        rows.findIndex((row) => row.primary),
      );
      return rows.map((row, i) => ({ number: row.number.trim(), label: blank(row.label), primary: i === primary }));
    }
    case 'companies':
      return (draft as CompanyLinkDraft[]).map((row) => ({
        companyId: row.companyId,
        name: row.name,
        role: blank(row.role),
      }));
    case 'address': {
      const address = draft as AddressDraft;
      return Object.fromEntries(
        ADDRESS_PARTS.map((part) => {
          const text = blank(address[part.key]);
          return [part.key, part.key === 'country' && text ? text.toUpperCase() : text];
        }),
      );
    }
    case 'tags':
    case 'domains':
    case 'multiSelect':
      return [...(draft as string[])];
    case 'boolean':
      return draft === true;
    case 'consent':
      return consentFromDraft(draft as ConsentDraft);
    case 'number': {
      const text = (draft as string).trim().replace(/\s/g, '');
      if (text === '') return null;
      const number = Number(text);
      return Number.isFinite(number) ? number : undefined;
    }
    case 'money': {
      const money = draft as MoneyDraft;
      if (money.amount.trim() === '') return null;
      const amount = majorToMinor(money.amount, money.currency);
      return amount === undefined ? undefined : { amount, currency: money.currency };
    }
    case 'owner':
    case 'select':
    case 'date':
      return draft === '' ? null : draft;
    default:
      return spec.notNull ? (draft as string).trim() : blank(draft as string);
  }
}

/**
 * Consent as the core takes it. A day picked by hand becomes an instant: now when it is today (as the core does when
 * no date is given), otherwise local noon, which stays on the same day for anyone within twelve hours of here.
 */
function consentFromDraft(draft: ConsentDraft): Consent {
  const basis = draft.basis === '' ? null : draft.basis;
  if (draft.day === '') return { marketing: draft.marketing, at: null, basis };
  if (draft.at !== null && dayOf(draft.at) === draft.day) return { marketing: draft.marketing, at: draft.at, basis };
  const now = Date.now();
  const at = draft.day === dayOf(now) ? now : startOfDay(draft.day) + 12 * 3_600_000;
  return { marketing: draft.marketing, at, basis };
}

/** Whether a draft holds nothing worth sending. */
export function isEmptyDraft(spec: FieldSpec, draft: unknown): boolean {
  const value = fromDraft(spec, draft);
  if (value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (spec.kind === 'boolean') return value === false;
  if (spec.kind === 'consent') {
    const consent = value as Consent;
    return !consent.marketing && consent.at === null && consent.basis === null;
  }
  if (spec.kind === 'address') return Object.values(value as object).every((part) => part === null);
  return false;
}

/** Problems the form can tell before asking the core: required fields, numbers that aren't. */
export function localIssues(specs: FieldSpec[], drafts: Drafts): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const spec of specs) {
    const draft = drafts[spec.key];
    const value = fromDraft(spec, draft);
    if (value === undefined) {
      errors[spec.key] = spec.kind === 'money' ? 'Enter an amount, like 1250.50' : 'Enter a number';
    } else if (spec.required && isEmptyDraft(spec, draft)) {
      errors[spec.key] = `${spec.label} is required`;
    }
  }
  return errors;
}

/** The input for `<area>.create`: every field that holds something; custom values gathered under `custom`. */
export function createInput(specs: FieldSpec[], drafts: Drafts): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const custom: Record<string, unknown> = {};
  for (const spec of specs) {
    const draft = drafts[spec.key];
    if (isEmptyDraft(spec, draft)) continue;
    const value = wireValue(spec, fromDraft(spec, draft));
    if (spec.key.startsWith('custom.')) custom[spec.key.slice('custom.'.length)] = value;
    else input[spec.key] = value;
  }
  if (Object.keys(custom).length > 0) input.custom = custom;
  return input;
}

/** An update's patch that changes one field to `value` (custom values travel inside `custom`). */
export function fieldPatch(spec: FieldSpec, value: unknown): Record<string, unknown> {
  const wire = wireValue(spec, value);
  if (spec.key.startsWith('custom.')) return { custom: { [spec.key.slice('custom.'.length)]: wire } };
  return { [spec.key]: wire };
}

/** A value as the core takes it: company links name only the company and the role. */
function wireValue(spec: FieldSpec, value: unknown): unknown {
  if (spec.kind !== 'companies' || !Array.isArray(value)) return value;
  return (value as CompanyLink[]).map((link) => ({ companyId: link.companyId, role: link.role }));
}

/** A patch for several fields at once, as the conflict resolver submits. */
export function mergePatches(patches: Array<Record<string, unknown>>): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const patch of patches) {
    for (const [key, value] of Object.entries(patch)) {
      if (key === 'custom') merged.custom = { ...(merged.custom as object | undefined), ...(value as object) };
      else merged[key] = value;
    }
  }
  return merged;
}

// ——— Errors from the core ————————————————————————————————————————————————————————————————————————

/** Kinds whose inputs show problems on their own rows and parts (`emails.0.address`, `address.city`). */
export const GROUPED: FieldKind[] = ['emails', 'phones', 'companies', 'address', 'consent'];

export function specForPath(specs: FieldSpec[], path: string): FieldSpec | undefined {
  return specs.find((spec) => path === spec.key || path.startsWith(`${spec.key}.`));
}

/**
 * VALIDATION issues keyed the way the inputs look them up. `prefix` is the envelope around the fields
 * (`patch.` for an update). Problems no field owns (a person with neither name nor email) come back under ''.
 */
export function errorsFromIssues(specs: FieldSpec[], issues: FieldIssue[], prefix = ''): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const path = issue.path.startsWith(prefix) ? issue.path.slice(prefix.length) : issue.path;
    const spec = specForPath(specs, path);
    const key = !spec ? '' : GROUPED.includes(spec.kind) ? path : spec.key;
    errors[key] ??= sentenceCase(issue.message);
  }
  return errors;
}

/** Any problem at or under `key`, for a field that shows only one message. */
export function errorAt(errors: Record<string, string>, key: string): string | undefined {
  if (errors[key]) return errors[key];
  const nested = Object.keys(errors).find((path) => path.startsWith(`${key}.`));
  return nested ? errors[nested] : undefined;
}

/** The element id of a field's (or a field part's) input. */
export function inputId(prefix: string, path: string): string {
  return `${prefix}-${path.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
}

/** Moves focus to the first field with a problem, in the order the form shows them. */
export function focusFirstError(specs: FieldSpec[], errors: Record<string, string>, prefix: string): void {
  for (const spec of specs) {
    const paths = Object.keys(errors).filter((path) => path === spec.key || path.startsWith(`${spec.key}.`));
    if (paths.length === 0) continue;
    const target =
      document.getElementById(inputId(prefix, paths.sort()[0]!)) ?? document.getElementById(inputId(prefix, spec.key));
    target?.focus();
    return;
  }
}

// ——— Showing values ——————————————————————————————————————————————————————————————————————————————

export interface DisplayContext {
  userName?: (id: string) => string | undefined;
}

/** A value as one line of text (conflict rows, change history); '' when there is nothing. */
export function describeValue(spec: FieldSpec | undefined, value: unknown, context: DisplayContext = {}): string {
  if (value === null || value === undefined || value === '') return '';
  if (!spec) return describeUnknown(value);
  switch (spec.kind) {
    case 'emails':
      return (value as EmailEntry[]).map((e) => e.address).join(', ');
    case 'phones':
      return (value as PhoneEntry[]).map((p) => formatPhone(p.number)).join(', ');
    case 'phone':
      return formatPhone(String(value));
    case 'companies':
      return (value as CompanyLink[]).map((c) => (c.role ? `${c.name} (${c.role})` : c.name)).join(', ');
    case 'address':
      return formatAddress(value as Partial<Address>);
    case 'tags':
    case 'domains':
      return (value as string[]).join(', ');
    case 'multiSelect':
      return (value as string[]).map((v) => optionLabel(spec, v)).join(', ');
    case 'select':
      return optionLabel(spec, String(value));
    case 'boolean':
      return value === true ? 'Yes' : 'No';
    case 'consent':
      return describeConsent(spec, value as Consent).join(' · ');
    case 'owner':
      return context.userName?.(String(value)) ?? 'Someone';
    case 'money': {
      const money = value as { amount: number; currency: string };
      return formatMoney(money.amount, money.currency);
    }
    case 'number':
      return typeof value === 'number' ? value.toLocaleString() : String(value);
    case 'date':
      return formatDateOnly(String(value));
    default:
      return String(value);
  }
}

function describeUnknown(value: unknown): string {
  if (Array.isArray(value)) return value.map(describeUnknown).filter(Boolean).join(', ');
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key of ['name', 'address', 'number', 'title', 'label']) {
      if (typeof record[key] === 'string') return record[key];
    }
    return Object.values(record).map(describeUnknown).filter(Boolean).join(', ');
  }
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return String(value);
}

/** Consent in words, as lines: whether marketing is allowed, then the basis and the day. */
export function describeConsent(spec: FieldSpec, consent: Consent | null): string[] {
  if (!consent) return [];
  const lines = [consent.marketing ? 'Opted in' : 'Not opted in'];
  if (consent.basis) lines.push(optionLabel(spec, consent.basis));
  if (consent.at !== null) lines.push(formatDate(consent.at));
  return lines;
}

export function optionLabel(spec: FieldSpec, value: string): string {
  return spec.options?.find((option) => option.value === value)?.label ?? value;
}

export function formatPhone(number: string): string {
  return parsePhoneNumberFromString(number)?.formatInternational() ?? number;
}

export function formatAddress(address: Partial<Address> | null): string {
  if (!address) return '';
  const regionCountry = [address.city, address.region, address.postalCode].filter(Boolean).join(', ');
  return [address.street, regionCountry, address.country ? regionName(address.country) : null]
    .filter(Boolean)
    .join(' · ');
}

export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

export function minorToMajor(amount: number, currency: string): string {
  const digits = currencyDigits(currency);
  return (amount / 10 ** digits).toFixed(digits);
}

/** "1,250.50" in a currency with two decimals → 125050; undefined when it isn't an amount. */
export function majorToMinor(text: string, currency: string): number | undefined {
  const cleaned = text.trim().replace(/[\s,]/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return undefined;
  const digits = currencyDigits(currency);
  const [whole = '0', fraction = ''] = cleaned.replace('-', '').split('.');
  if (fraction.length > digits) return undefined;
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return cleaned.startsWith('-') ? -minor : minor;
}

export function formatMoney(amount: number, currency: string): string {
  const digits = currencyDigits(currency);
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount / 10 ** digits);
  } catch {
    return `${minorToMajor(amount, currency)} ${currency}`;
  }
}

/** `2024-03-01` in the user's words, without moving it across a timezone. */
export function formatDateOnly(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return value;
  return formatDate(new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])).getTime());
}

export function sameValue(a: unknown, b: unknown): boolean {
  return stableJson(a ?? null) === stableJson(b ?? null);
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export type { CompanyLink, EmailEntry, PhoneEntry };
