// Due dates as people read them ("Today 14:00", "Tomorrow", "Mon 12 May"), and the inputs that set them.
// A task due "on a day" without a time is stored at the last minute of that day in the local time zone,
// so it stays due today until the day is over; such a time is shown as the date alone.

const MINUTE = 60_000;
const DAY_MS = 86_400_000;

/** The IANA time zone the browser runs in, which `tasks.list` needs to know where "today" ends. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function startOfDay(epochMs: number): Date {
  const date = new Date(epochMs);
  date.setHours(0, 0, 0, 0);
  return date;
}

/** The last minute of the day `epochMs` falls on: where a date-only due date is stored. */
export function endOfDay(epochMs: number): number {
  const date = new Date(epochMs);
  date.setHours(23, 59, 0, 0);
  return date.getTime();
}

export function isDateOnly(epochMs: number): boolean {
  const date = new Date(epochMs);
  return date.getHours() === 23 && date.getMinutes() === 59;
}

/** Whole days from today to the day of `epochMs` (0 today, 1 tomorrow, -1 yesterday), across DST changes. */
export function daysFromToday(epochMs: number, now = Date.now()): number {
  return Math.round((startOfDay(epochMs).getTime() - startOfDay(now).getTime()) / DAY_MS);
}

export type DueState = 'overdue' | 'today' | 'later' | 'none';

export function dueState(dueAt: number | null, now = Date.now()): DueState {
  if (dueAt === null) return 'none';
  if (dueAt < now) return 'overdue';
  return daysFromToday(dueAt, now) === 0 ? 'today' : 'later';
}

const time = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'long' });
const dayMonth = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
const fullDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });

export const formatTime = (epochMs: number): string => time.format(epochMs);

/** "Today", "Tomorrow 09:30", "Friday", "Mon 12 May", "12 May 2027". */
export function formatDue(dueAt: number, now = Date.now()): string {
  const days = daysFromToday(dueAt, now);
  let day: string;
  if (days === 0) day = 'Today';
  else if (days === 1) day = 'Tomorrow';
  else if (days === -1) day = 'Yesterday';
  else if (days > 1 && days < 7) day = weekday.format(dueAt);
  else if (new Date(dueAt).getFullYear() === new Date(now).getFullYear()) day = dayMonth.format(dueAt);
  else day = fullDate.format(dueAt);
  return isDateOnly(dueAt) ? day : `${day} ${formatTime(dueAt)}`;
}

const pad = (value: number): string => String(value).padStart(2, '0');

/** `YYYY-MM-DD` in local time, for `<input type="date">`. */
export function toDateInput(epochMs: number): string {
  const date = new Date(epochMs);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** `HH:MM` in local time for `<input type="time">`; empty for a date-only due date. */
export function toTimeInput(epochMs: number): string {
  if (isDateOnly(epochMs)) return '';
  const date = new Date(epochMs);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The moment a date input and an optional time input name, in local time; null without a date. */
export function fromInputs(dateText: string, timeText: string): number | null {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateText);
  if (!day) return null;
  const clock = /^(\d{2}):(\d{2})$/.exec(timeText);
  const [hours, minutes] = clock ? [Number(clock[1]), Number(clock[2])] : [23, 59];
  return new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3]), hours, minutes).getTime();
}

export interface DuePreset {
  label: string;
  /** Shown dimmed beside the label: which day that is. */
  hint: string;
  at: number;
}

/** The days people pick most: today, tomorrow, the coming Monday and a week from today. */
export function duePresets(now = Date.now()): DuePreset[] {
  const today = new Date(now);
  const day = (offset: number): number => {
    const date = new Date(today);
    date.setDate(today.getDate() + offset);
    return endOfDay(date.getTime());
  };
  const toMonday = (8 - today.getDay()) % 7 || 7;
  const short = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
  return [
    { label: 'Today', at: day(0) },
    { label: 'Tomorrow', at: day(1) },
    { label: 'Next Monday', at: day(toMonday) },
    { label: 'In a week', at: day(7) },
  ].map((preset) => ({ ...preset, hint: short.format(preset.at) }));
}

export interface ReminderChoice {
  value: string;
  label: string;
  /** Minutes before the due time; null for "no reminder". */
  before: number | null;
}

export const REMINDER_CHOICES: ReminderChoice[] = [
  { value: 'none', label: 'No reminder', before: null },
  { value: '0', label: 'At the due time', before: 0 },
  { value: '10', label: '10 minutes before', before: 10 },
  { value: '60', label: '1 hour before', before: 60 },
  { value: '1440', label: '1 day before', before: 1440 },
];

/**
 * When to remind for a due time. A date-only task is reminded at 9:00 that morning (minus the offset),
 * not a minute before midnight.
 */
export function reminderAt(dueAt: number | null, choice: string): number | null {
  const before = REMINDER_CHOICES.find((option) => option.value === choice)?.before ?? null;
  if (dueAt === null || before === null) return null;
  let anchor = dueAt;
  if (isDateOnly(dueAt)) {
    const morning = new Date(dueAt);
    morning.setHours(9, 0, 0, 0);
    anchor = morning.getTime();
  }
  return anchor - before * MINUTE;
}

/** "in 10 minutes", "at 09:00 tomorrow": how a reminder time reads next to its task. */
export function formatReminder(remindAt: number, now = Date.now()): string {
  const days = daysFromToday(remindAt, now);
  if (days === 0) return `today ${formatTime(remindAt)}`;
  if (days === 1) return `tomorrow ${formatTime(remindAt)}`;
  return `${dayMonth.format(remindAt)} ${formatTime(remindAt)}`;
}
