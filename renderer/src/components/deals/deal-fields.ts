// A deal's editable fields as the record forms describe fields, and how each one reads and patches a deal.
import type { FieldDefinition } from '../records/types';
import {
  CUSTOM_SECTION,
  describeValue,
  readValue,
  type FieldSpec,
  type DisplayContext,
} from '../records/form/field-specs';
import { money, type Deal } from './deals';

/** Keys the deal page edits with its own inputs (FieldInput has no single-company or people kind). */
export const COMPANY_KEY = 'companyId';
export const PEOPLE_KEY = 'personIds';
/** Amount and currency edit together as one money value. */
export const MONEY_KEY = 'money';

const STANDARD: FieldSpec[] = [
  { key: 'title', label: 'Title', kind: 'text', section: 'Deal', required: true, notNull: true },
  { key: MONEY_KEY, label: 'Amount', kind: 'money', section: 'Deal' },
  { key: 'expectedCloseDate', label: 'Expected close', kind: 'date', section: 'Deal' },
  {
    key: 'probability',
    label: 'Probability',
    kind: 'number',
    section: 'Deal',
    placeholder: 'Stage default',
    helpText: 'Leave empty to use the stage’s probability.',
  },
  { key: 'ownerId', label: 'Owner', kind: 'owner', section: 'Relationship' },
  { key: COMPANY_KEY, label: 'Company', kind: 'text', section: 'Relationship' },
  { key: PEOPLE_KEY, label: 'People', kind: 'text', section: 'Relationship', wide: true },
  { key: 'source', label: 'Source', kind: 'text', section: 'Relationship', placeholder: 'Referral, event, website…' },
  { key: 'tags', label: 'Tags', kind: 'tags', section: 'Relationship', wide: true },
];

export function dealSpecs(custom: readonly FieldDefinition[]): FieldSpec[] {
  const extra = custom
    .filter((definition) => definition.entity === 'deal' && !definition.archived)
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
  return [...STANDARD, ...extra];
}

/** The field's value in the shape its input edits: money as { amount, currency }, people as { id, name } rows. */
export function dealValue(deal: Deal, key: string): unknown {
  if (key === MONEY_KEY) return { amount: deal.amount, currency: deal.currency };
  if (key === PEOPLE_KEY) return deal.people;
  if (key === COMPANY_KEY) return deal.companyId;
  return readValue(deal, key);
}

/** The patch that sets one field. */
export function dealPatch(key: string, value: unknown): Record<string, unknown> {
  if (key === MONEY_KEY) {
    const money = value as { amount: number; currency: string } | null;
    return money ? { amount: money.amount, currency: money.currency } : { amount: 0 };
  }
  if (key === PEOPLE_KEY) return { personIds: (value as Array<{ id: string }>).map((person) => person.id) };
  if (key.startsWith('custom.')) return { custom: { [key.slice('custom.'.length)]: value } };
  return { [key]: value };
}

/** A value in words, for the details and the conflict dialog. */
export function describeDealValue(spec: FieldSpec, value: unknown, deal: Deal | null, context: DisplayContext): string {
  if (value === null || value === undefined) return '';
  if (spec.key === MONEY_KEY) {
    const amount = value as { amount: number; currency: string };
    return money(amount.amount, amount.currency);
  }
  if (spec.key === PEOPLE_KEY) return (value as Array<{ name: string }>).map((person) => person.name).join(', ');
  if (spec.key === COMPANY_KEY)
    return deal && deal.companyId === value ? (deal.companyName ?? 'A company') : 'A company';
  if (spec.key === 'probability') return `${String(value)}%`;
  return describeValue(spec, value, context);
}

/** Comparable form of a value: people by id, blanks as null. */
export function comparableDealValue(key: string, value: unknown): string {
  let plain = value;
  if (key === PEOPLE_KEY) plain = (value as Array<{ id: string }> | null)?.map((person) => person.id) ?? [];
  if (plain === '' || plain === undefined || (Array.isArray(plain) && plain.length === 0)) plain = null;
  return JSON.stringify(plain);
}
