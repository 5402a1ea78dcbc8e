// Input pieces shared by the record areas (people, companies, …).
import { z } from 'zod';
import { mediumText, shortText } from '../api/limits.js';
import { regionCode } from '../settings/procedures.js';

export { recordId } from './links.js';

export const version = () => z.number().int().min(1);

/** Optional text: trimmed; empty or null clears it. */
export const optionalText = (max: 'short' | 'medium' = 'short') =>
  (max === 'short' ? shortText() : mediumText()).nullable().optional();

export const addressInput = () =>
  z
    .object({
      street: mediumText().nullable().optional(),
      city: shortText().nullable().optional(),
      region: shortText().nullable().optional(),
      postalCode: shortText().nullable().optional(),
      country: regionCode().nullable().optional(),
    })
    .strict();

export interface Address {
  street: string | null;
  city: string | null;
  region: string | null;
  postalCode: string | null;
  country: string | null;
}

/** A `custom` object as input: values are checked against the field definitions by the area. */
export const customInput = () =>
  z
    .record(z.string().min(1).max(100), z.json())
    .refine((o) => Object.keys(o).length <= 200, 'at most 200 custom fields');

export interface AddressColumnsRow {
  address_street: string | null;
  address_city: string | null;
  address_region: string | null;
  address_postal_code: string | null;
  address_country: string | null;
}

export function toAddress(row: AddressColumnsRow): Address {
  return {
    street: row.address_street,
    city: row.address_city,
    region: row.address_region,
    postalCode: row.address_postal_code,
    country: row.address_country,
  };
}

export function addressColumns(address: Partial<Address> | null | undefined, current?: Address): AddressColumnsRow {
  const base: Address = current ?? { street: null, city: null, region: null, postalCode: null, country: null };
  const next: Address =
    address === null ? { street: null, city: null, region: null, postalCode: null, country: null } : { ...base };
  if (address) {
    for (const key of ['street', 'city', 'region', 'postalCode', 'country'] as const) {
      if (key in address) {
        const value = address[key];
        next[key] = typeof value === 'string' && value.trim().length > 0 ? value.trim() : null;
      }
    }
  }
  return {
    address_street: next.street,
    address_city: next.city,
    address_region: next.region,
    address_postal_code: next.postalCode,
    address_country: next.country,
  };
}

/**
 * The columns of `next` whose values differ from the stored row, plus `updated_at`. Writing only those keeps
 * SQLite from rewriting every index of the table (and the commit from encrypting their pages) on each edit.
 */
export function changedColumns<T extends Record<string, unknown>>(stored: T, next: Partial<T>): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(next) as (keyof T)[]) {
    if (key === 'updated_at' || next[key] !== stored[key]) out[key] = next[key];
  }
  return out;
}
