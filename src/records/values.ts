// Normalizing the values people type: emails, phones (E.164 in the workspace's region), web addresses,
// dates. Each returns the stored form or throws VALIDATION naming the field.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { HearthError } from '../api/errors.js';

export function invalid(path: string, message: string): HearthError {
  return new HearthError('VALIDATION', `Invalid input. ${path}: ${message}`, { issues: [{ path, message }] });
}

/** Collects several field errors and throws them together, so a form can mark every bad input at once. */
export class IssueList {
  readonly issues: { path: string; message: string }[] = [];

  add(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  /** Runs `fn`; a VALIDATION it throws is collected instead of stopping the others. */
  check<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (error) {
      if (error instanceof HearthError && error.code === 'VALIDATION') {
        const issues = (error.details as { issues?: { path: string; message: string }[] } | undefined)?.issues ?? [];
        this.issues.push(...issues);
        return undefined;
      }
      throw error;
    }
  }

  /** `check` for async work. */
  async checkAsync<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (error) {
      return this.check(() => {
        throw error;
      });
    }
  }

  throwIfAny(): void {
    const first = this.issues[0];
    if (!first) return;
    throw new HearthError('VALIDATION', `Invalid input. ${first.path}: ${first.message}`, {
      issues: this.issues.slice(0, 50),
    });
  }
}

const emailSchema = z.email();

export function normalizeEmail(value: string, path: string): string {
  const trimmed = value.trim().toLowerCase();
  if (!emailSchema.safeParse(trimmed).success) throw invalid(path, 'is not a valid email address');
  return trimmed;
}

export function normalizePhone(value: string, region: string, path: string): string {
  const parsed = parsePhoneNumberFromString(value.trim(), region as CountryCode);
  if (!parsed || !parsed.isValid()) {
    throw invalid(path, `is not a valid phone number (numbers without a country code are read as ${region})`);
  }
  return parsed.number;
}

export function normalizeUrl(value: string, path: string): string {
  const trimmed = value.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw invalid(path, 'is not a valid web address');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname.includes('.')) {
    throw invalid(path, 'must be a web address such as https://example.com');
  }
  return url.href;
}

/** A bare domain (example.com) from what people paste: a URL, an address with www., an email address. */
export function normalizeDomain(value: string, path: string): string {
  let text = value.trim().toLowerCase();
  if (text.includes('@') && !text.includes('/')) text = text.slice(text.lastIndexOf('@') + 1);
  text = text
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/[/?#].*$/, '')
    .replace(/^www\./, '');
  if (!/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(text)) {
    throw invalid(path, 'is not a valid domain such as example.com');
  }
  return text;
}

export function checkDate(value: string, path: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!match || !date || date.toISOString().slice(0, 10) !== value) throw invalid(path, 'must be a date as YYYY-MM-DD');
  return value;
}

/** Trims text; empty becomes null. */
export function cleanText(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  const trimmed = value.trim();
  return trimmed.length > 0 ? trimmed : null;
}
