// Where a day begins and ends in a user's time zone, for the today / overdue / upcoming task views.
import { z } from 'zod';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // Names are case-insensitive, so the spellings a caller can send are many: keep the cache bounded.
    if (formatters.size >= 1000) formatters.clear();
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isTimeZone(name: string): boolean {
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone name such as Europe/Berlin (or UTC). */
export const timeZoneName = () =>
  z
    .string()
    .min(1)
    .max(100)
    .refine(isTimeZone, { message: 'must be an IANA time zone such as Europe/Berlin or America/New_York' });

/** The local calendar date at `t` as a number YYYYMMDD (comparable). */
function localDate(t: number, timeZone: string): number {
  const parts = formatter(timeZone).formatToParts(t);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return get('year') * 10_000 + get('month') * 100 + get('day');
}

const HOUR = 3_600_000;

/**
 * The first instant whose local date is `date` or later. Searched rather than computed from an offset, so a day
 * that starts at 01:00 because clocks skipped midnight still starts at the right instant.
 */
function firstInstantOf(date: number, near: number, timeZone: string): number {
  // UTC offsets lie within -12 h and +14 h, so the day starts within this window around its UTC midnight.
  let lo = near - 16 * HOUR;
  let hi = near + 16 * HOUR;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (localDate(mid, timeZone) >= date) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Start (inclusive) and end (exclusive) of the local day containing `now`, in UTC epoch milliseconds. */
export function localDay(now: number, timeZone: string): { start: number; end: number } {
  const today = localDate(now, timeZone);
  const y = Math.floor(today / 10_000);
  const m = Math.floor(today / 100) % 100;
  const d = today % 100;
  const todayUtc = Date.UTC(y, m - 1, d);
  const tomorrowUtc = Date.UTC(y, m - 1, d + 1);
  const next = new Date(tomorrowUtc);
  const tomorrow = next.getUTCFullYear() * 10_000 + (next.getUTCMonth() + 1) * 100 + next.getUTCDate();
  return {
    start: firstInstantOf(today, todayUtc, timeZone),
    end: firstInstantOf(tomorrow, tomorrowUtc, timeZone),
  };
}
