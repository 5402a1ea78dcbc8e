// The periods the reports offer by name, as days in the user's calendar.
export type PeriodPreset = 'this-month' | 'this-quarter' | 'this-year' | 'last-12-months' | 'all-time' | 'custom';

export const PERIOD_PRESETS: ReadonlyArray<{ value: PeriodPreset; label: string }> = [
  { value: 'this-month', label: 'This month' },
  { value: 'this-quarter', label: 'This quarter' },
  { value: 'this-year', label: 'This year' },
  { value: 'last-12-months', label: 'Last 12 months' },
  { value: 'all-time', label: 'All time' },
  { value: 'custom', label: 'Custom' },
];

function day(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The days a preset covers, counted from `today` in the user's calendar; all time has no bounds. */
export function presetRange(preset: PeriodPreset, today = new Date()): { from: string; to: string } | null {
  const y = today.getFullYear();
  const m = today.getMonth();
  switch (preset) {
    case 'this-month':
      return { from: day(new Date(y, m, 1)), to: day(new Date(y, m + 1, 0)) };
    case 'this-quarter': {
      const first = m - (m % 3);
      return { from: day(new Date(y, first, 1)), to: day(new Date(y, first + 3, 0)) };
    }
    case 'this-year':
      return { from: day(new Date(y, 0, 1)), to: day(new Date(y, 11, 31)) };
    case 'last-12-months':
      return { from: day(new Date(y - 1, m, today.getDate() + 1)), to: day(today) };
    default:
      return null;
  }
}
