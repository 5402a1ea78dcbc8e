// What the report panels share: the core's report types, loading a report, and how its numbers read on screen and in CSV.
import { api, type InputOf, type OutputOf, type ProcedureName } from '../../lib/api';
import { formatCount } from '../../lib/intl/format';
import { formatMoney, minorUnitFactor } from '../../lib/records/format';
import type {
  ActivityReport,
  ForecastReport,
  FunnelReport,
  LostReasonsReport,
  PipelineReport,
  Unconverted,
  VelocityReport,
  WinRateReport,
} from '../../../../src/reports/types.js';

export type {
  ActivityReport,
  ForecastReport,
  FunnelReport,
  LostReasonsReport,
  PipelineReport,
  Unconverted,
  VelocityReport,
  WinRateReport,
};

/** The filters every report takes; a missing key means "any". */
export interface ReportInput {
  pipelineId?: string;
  ownerId?: string;
  source?: string;
  from?: string;
  to?: string;
}

export type ReportName = Extract<ProcedureName, `reports.${string}`>;

export function loadReport<N extends ReportName>(name: N, input: ReportInput): Promise<OutputOf<N>> {
  return api.call(name, input as InputOf<N>);
}

/** How a value reads: money is minor units of the report's base currency, a share is 0–1. */
export type ValueKind = 'text' | 'count' | 'money' | 'share' | 'days';

export interface Column<R> {
  label: string;
  kind: ValueKind;
  // A method, so a table of any row type can be handed to code that only passes its own rows back.
  value(row: R): string | number | null;
}

/** A report as a table: what the chart shows, for screen readers, the Table toggle and CSV. */
export interface ReportTable<R> {
  columns: Column<R>[];
  rows: R[];
  /** A last row set apart (totals). */
  footer?: R;
  /** False when the first column is a value like the others, not the row's name. */
  rowHeaders?: boolean;
}

const share = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
const days = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

export function formatShare(value: number | null): string {
  return value === null ? '—' : share.format(value);
}

export function formatDays(value: number | null): string {
  if (value === null) return '—';
  // Deals closed within hours of being created would otherwise read as "0 days".
  if (value > 0 && value < 0.05) return '< 0.1 days';
  return `${days.format(value)} ${value === 1 ? 'day' : 'days'}`;
}

export function money(amount: number | null, currency: string): string {
  return amount === null ? '—' : formatMoney({ amount: Math.round(amount), currency });
}

/** An axis label for a value in major units (charts scale floats): "£12K" rather than "£12,480.00". */
export function axisMoney(value: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency,
      notation: 'compact',
      maximumFractionDigits: 1,
    }).format(value);
  } catch {
    return formatCount(value);
  }
}

/** Money for a big headline number: in full up to a million, then "£1.7M". */
export function headlineMoney(amount: number | null, currency: string): string {
  if (amount === null) return '—';
  const value = amount / minorUnitFactor(currency);
  return Math.abs(value) < 1_000_000 ? money(amount, currency) : axisMoney(value, currency);
}

/** A value in major units (a chart's tooltip) as money in full: "£12,480.50". */
export function majorMoney(value: number, currency: string): string {
  return money(Math.round(value * minorUnitFactor(currency)), currency);
}

/** Major units of a money amount as a chart value (charts scale floats; tables and CSV keep the exact integer). */
export function major(amount: number, currency: string): number {
  return amount / minorUnitFactor(currency);
}

/** Minor units as an exact decimal string in major units, without grouping: 123450 GBP → "1234.50". */
export function decimalAmount(amount: number, currency: string): string {
  const digits = Math.round(Math.log10(minorUnitFactor(currency)));
  const minor = Math.round(amount);
  const sign = minor < 0 ? '-' : '';
  const text = Math.abs(minor)
    .toString()
    .padStart(digits + 1, '0');
  if (digits === 0) return `${sign}${text}`;
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

export function displayValue(kind: ValueKind, value: string | number | null, currency: string): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  switch (kind) {
    case 'money':
      return money(value, currency);
    case 'share':
      return formatShare(value);
    case 'days':
      return formatDays(value);
    default:
      return formatCount(value);
  }
}

/** CSV wants plain machine-readable values: decimal amounts, shares as 0–1, no grouping. */
function csvValue(kind: ValueKind, value: string | number | null, currency: string): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  switch (kind) {
    case 'money':
      return decimalAmount(value, currency);
    case 'share':
      return String(Math.round(value * 10_000) / 10_000);
    case 'days':
      return String(Math.round(value * 10) / 10);
    default:
      return String(value);
  }
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The table as RFC 4180 CSV; money columns name the currency in their heading. */
export function tableCsv<R>(table: ReportTable<R>, currency: string): string {
  const heading = table.columns.map((column) =>
    csvCell(column.kind === 'money' ? `${column.label} (${currency})` : column.label),
  );
  const rows = [...table.rows, ...(table.footer ? [table.footer] : [])].map((row) =>
    table.columns.map((column) => csvCell(csvValue(column.kind, column.value(row), currency))).join(','),
  );
  return [heading.join(','), ...rows].join('\r\n') + '\r\n';
}

export function downloadCsv(filename: string, csv: string): void {
  // A byte order mark makes spreadsheet programs read the file as UTF-8 (names with accents, "€").
  const blob = new Blob(['\ufeff', csv], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Which deals a money sum left out, for "3 USD deals and 1 EUR deal left out: …"; null when none were. */
export function unconvertedDeals(unconverted: Unconverted): string | null {
  if (unconverted.length === 0) return null;
  const parts = unconverted.map(
    ({ currency, count }) => `${formatCount(count)} ${currency} ${count === 1 ? 'deal' : 'deals'}`,
  );
  return parts.length === 1 ? (parts[0] ?? null) : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** "2026-03" → "Mar 2026". */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, 1).toLocaleDateString(undefined, { month: 'short', year: 'numeric' });
}

/** "2026-03-02" → "2 Mar". */
export function weekLabel(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1).toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
}
