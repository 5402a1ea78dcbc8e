// Money in reports and board totals: amounts are integers of minor units; converting to the base currency uses
// the user's exchange rates (decimal strings) with exact integer arithmetic, and a sum is rounded once, at the end.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { baseCurrency } from '../settings/repository.js';

/** Decimal places of a rate: at most this many. */
export const RATE_DECIMALS = 10;
const RATE_PATTERN = /^(\d{1,12})(?:\.(\d{1,10}))?$/;

/** Minor-unit digits of an ISO 4217 currency (2 for EUR, 0 for JPY, 3 for BHD). */
export function minorDigits(currency: string): number {
  let digits = DIGITS.get(currency);
  if (digits === undefined) {
    // Building a NumberFormat costs tens of microseconds; a report converts thousands of sums.
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    DIGITS.set(currency, digits);
  }
  return digits;
}
const DIGITS = new Map<string, number>();

/** A rate string as an integer scaled by 10^RATE_DECIMALS, or null when it is not a positive decimal. */
export function parseRate(rate: string): bigint | null {
  const m = RATE_PATTERN.exec(rate);
  if (!m) return null;
  const value = BigInt(m[1]! + (m[2] ?? '').padEnd(RATE_DECIMALS, '0'));
  return value > 0n ? value : null;
}

/** A rate in its canonical spelling: no leading zeros, no trailing fraction zeros ("1.50" -> "1.5"). */
export function canonicalRate(rate: string): string {
  const scaled = parseRate(rate);
  if (scaled === null) return rate;
  const digits = scaled.toString().padStart(RATE_DECIMALS + 1, '0');
  const whole = digits.slice(0, -RATE_DECIMALS);
  const fraction = digits.slice(-RATE_DECIMALS).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

/**
 * SQL sums of amounts are taken in two parts, amount ÷ SPLIT and amount mod SPLIT, so that neither SQLite's
 * 64-bit sum nor a double can overflow or round, even with 50k deals at the largest amount (10^15 minor units).
 */
export const SPLIT = 1_000_000_000;

/** The exact value of a sum taken in two parts (SQL's sum of no rows is NULL). */
export function splitSum(hi: number | null, lo: number | null): bigint {
  return BigInt(hi ?? 0) * BigInt(SPLIT) + BigInt(lo ?? 0);
}

/** UTC calendar day of an epoch-millisecond time, YYYY-MM-DD. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

interface RatePoint {
  date: string;
  scaled: bigint;
}

/** The rates of one base currency, by currency, oldest first; answers the rate in force on a day. */
export class Rates {
  private readonly byCurrency = new Map<string, RatePoint[]>();

  constructor(
    readonly base: string,
    rows: { currency: string; effective_date: string; rate: string }[],
  ) {
    for (const row of rows) {
      const scaled = parseRate(row.rate);
      if (scaled === null) continue;
      const list = this.byCurrency.get(row.currency) ?? [];
      list.push({ date: row.effective_date, scaled });
      this.byCurrency.set(row.currency, list);
    }
    for (const list of this.byCurrency.values()) list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  }

  /** The scaled rate of `currency` in force on `day` (the latest effective on or before it); null when none is. */
  on(currency: string, day: string): bigint | null {
    if (currency === this.base) return 10n ** BigInt(RATE_DECIMALS);
    const list = this.byCurrency.get(currency);
    if (!list) return null;
    let found: bigint | null = null;
    for (const point of list) {
      if (point.date <= day) found = point.scaled;
      else break;
    }
    return found;
  }
}

/** The exchange rates to the workspace's base currency. */
export async function loadRates(db: Kysely<DB>): Promise<Rates> {
  const base = await baseCurrency(db);
  const rows = await db
    .selectFrom('exchange_rates')
    .select(['currency', 'effective_date', 'rate'])
    .where('base_currency', '=', base)
    .execute();
  return new Rates(base, rows);
}

// Every contribution is kept exactly: minor units × rate (10 decimals) × percent (2) × the shift between the two
// currencies' minor digits (at most 4 either way).
const SHIFT = 4;
const SCALE = 10n ** BigInt(RATE_DECIMALS + 2 + SHIFT);

/**
 * An exact sum in the base currency. `add` converts an amount (or a sum of amounts of one currency sharing one
 * rate) with the rate in force on `day`, weighted by `percent`; `value` rounds the total half away from zero to
 * minor units of the base currency. Amounts without a rate are counted in `unconverted` and left out.
 */
export class BaseSum {
  private exact = 0n;
  private readonly baseDigits: number;
  private readonly missing = new Map<string, number>();

  constructor(private readonly rates: Rates) {
    this.baseDigits = minorDigits(rates.base);
  }

  /** Adds `amount` minor units of `currency` (× percent / 100); `count` deals for the unconverted tally. */
  add(amount: number | bigint, currency: string, day: string, percent: number | bigint = 100, count = 1): boolean {
    const rate = this.rates.on(currency, day);
    if (rate === null) {
      this.missing.set(currency, (this.missing.get(currency) ?? 0) + count);
      return false;
    }
    const shift = BigInt(SHIFT + this.baseDigits - minorDigits(currency));
    this.exact += BigInt(amount) * rate * BigInt(percent) * 10n ** shift;
    return true;
  }

  /** Adds another sum's exact value and unconverted tally. */
  merge(other: BaseSum): void {
    this.exact += other.exact;
    for (const [currency, n] of other.missing) this.missing.set(currency, (this.missing.get(currency) ?? 0) + n);
  }

  /** The total in minor units of the base currency, rounded half away from zero. */
  value(): number {
    const negative = this.exact < 0n;
    const abs = negative ? -this.exact : this.exact;
    let q = abs / SCALE;
    if ((abs % SCALE) * 2n >= SCALE) q += 1n;
    return Number(negative ? -q : q);
  }

  /** Currencies left out for want of a rate, with how many deals each. */
  unconverted(): { currency: string; count: number }[] {
    return [...this.missing]
      .map(([currency, count]) => ({ currency, count }))
      .sort((a, b) => (a.currency < b.currency ? -1 : 1));
  }
}
