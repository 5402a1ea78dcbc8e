// Moments as the timeline shows and takes them: local date and time inputs, due dates, day headings.
const pad = (n: number) => String(n).padStart(2, '0');

/** `2024-05-01T14:30` in local time, for a datetime-local input. */
export function toLocalInput(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(value: string): number | null {
  if (!value) return null;
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? null : time;
}

/** `2024-05-01` in local time, for a date input. */
export function toDateInput(epochMs: number): string {
  return toLocalInput(epochMs).slice(0, 10);
}

/**
 * A due date without a time is due by the end of that day where the user is: it becomes overdue only once
 * the day has passed.
 */
export function dueFromDate(value: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 23, 59, 0, 0).getTime();
}

export function isEndOfDay(epochMs: number): boolean {
  const d = new Date(epochMs);
  return d.getHours() === 23 && d.getMinutes() === 59;
}

const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
const dayYearFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long', year: 'numeric' });
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const shortDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const shortDateYear = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });

function startOfDay(epochMs: number): number {
  const d = new Date(epochMs);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** "Today", "Yesterday", "Monday 3 June", or with the year when it is not this year. */
export function dayHeading(epochMs: number, now = Date.now()): string {
  const days = Math.round((startOfDay(now) - startOfDay(epochMs)) / 86_400_000);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  if (days === -1) return 'Tomorrow';
  return new Date(epochMs).getFullYear() === new Date(now).getFullYear()
    ? dayFormat.format(epochMs)
    : dayYearFormat.format(epochMs);
}

export function dayKey(epochMs: number): number {
  return startOfDay(epochMs);
}

export const formatTime = (epochMs: number): string => timeFormat.format(epochMs);

/** A due date: "Today", "Tomorrow", "3 Jun", with the time unless it is the end of the day. */
export function formatDue(epochMs: number, now = Date.now()): string {
  const days = Math.round((startOfDay(epochMs) - startOfDay(now)) / 86_400_000);
  const day =
    days === 0
      ? 'Today'
      : days === 1
        ? 'Tomorrow'
        : days === -1
          ? 'Yesterday'
          : new Date(epochMs).getFullYear() === new Date(now).getFullYear()
            ? shortDate.format(epochMs)
            : shortDateYear.format(epochMs);
  return isEndOfDay(epochMs) ? day : `${day}, ${formatTime(epochMs)}`;
}

export function formatDuration(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}
