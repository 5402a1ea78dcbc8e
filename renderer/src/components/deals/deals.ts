// What the deals screens share: the core's deal types, money in minor units, and the remembered board choices.
import { formatMoney, minorUnitFactor } from '../../lib/records/format';

export type {
  Board,
  BoardColumn,
  Deal,
  Pipeline,
  Stage,
  StageHistoryEntry,
  StageKind,
} from '../../../../src/deals/types.js';

/** An amount kept as integer minor units, in its currency: 125050 USD → "$1,250.50". */
export function money(amount: number, currency: string): string {
  return formatMoney({ amount, currency });
}

/** A total that is shown small (column headers): no cents past a thousand, so "€12,480" reads at a glance. */
export function compactMoney(amount: number, currency: string): string {
  const major = amount / minorUnitFactor(currency);
  if (amount !== 0 && Math.abs(major) < 1000) return money(amount, currency);
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency, maximumFractionDigits: 0 }).format(major);
  } catch {
    return money(amount, currency);
  }
}

/** Major units as typed ("1,250.50") → minor units; null when it is not an amount. */
export function parseAmount(text: string, currency: string): number | null {
  const clean = text.replace(/[\s,_]/g, '');
  if (clean === '') return 0;
  if (!/^-?\d+(\.\d+)?$/.test(clean)) return null;
  const minor = Math.round(Number(clean) * minorUnitFactor(currency));
  return Number.isSafeInteger(minor) && minor >= 0 ? minor : null;
}

/** Minor units → the major-unit text an amount field starts with ("1250.50"). */
export function amountText(amount: number, currency: string): string {
  const factor = minorUnitFactor(currency);
  const digits = Math.round(Math.log10(factor));
  return (amount / factor).toFixed(digits);
}

/** A `YYYY-MM-DD` day in the user's locale, without a time zone shift. */
export function formatDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1).toLocaleDateString(undefined, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
}

/** Lost reasons offered in the lost dialog before anything is typed. */
export const LOST_REASONS = ['Price', 'Went with a competitor', 'No budget', 'No decision', 'Timing', 'Unresponsive'];

const VIEW_KEY = 'hearth.deals.view';
const PIPELINE_KEY = 'hearth.deals.pipeline';
const OWNER_KEY = 'hearth.deals.owner';

export type DealsView = 'board' | 'list';

export const remembered = {
  get view(): DealsView {
    return localStorage.getItem(VIEW_KEY) === 'list' ? 'list' : 'board';
  },
  set view(value: DealsView) {
    localStorage.setItem(VIEW_KEY, value);
  },
  get pipelineId(): string | null {
    return localStorage.getItem(PIPELINE_KEY);
  },
  set pipelineId(value: string | null) {
    if (value) localStorage.setItem(PIPELINE_KEY, value);
    else localStorage.removeItem(PIPELINE_KEY);
  },
  /** The board's owner filter: null for everyone. */
  get ownerId(): string | null {
    return localStorage.getItem(OWNER_KEY);
  },
  set ownerId(value: string | null) {
    if (value) localStorage.setItem(OWNER_KEY, value);
    else localStorage.removeItem(OWNER_KEY);
  },
};
