// Task reminders inside the app: when the core says a task's reminder time has come, a notice stays on
// screen until the person opens the task, marks it done or snoozes it. (The desktop app also shows a system
// notification from its main process.)
//
// A reminder is announced once, to whoever is connected then; `hearth serve` may have no browser open, and a
// reload loses what was on screen. So whenever the event connection comes up (start, reconnect), the app also asks
// for reminders delivered in the last day whose task is still open (tasks.dueReminders) and shows those this
// browser has not dismissed or acted on yet. A reminder is known by its task and remindAt (a snooze makes a new
// one); the ones dealt with are remembered in localStorage for a week, well past the server's one-day window.
import { toast } from 'svelte-sonner';
import { daysFromToday } from '../../screens/tasks/due';
import ReminderToast from '../../screens/tasks/ReminderToast.svelte';
import { api, toApiError, type ReminderEvent } from '../api';
import { router } from '../state/router.svelte';

export type RemindedTask = ReminderEvent['task'];

const SNOOZE_MINUTES = 10;

/** Which task the Tasks screen should show and point at, when a reminder's "Open" took the person there. */
export const taskFocus = $state<{ taskId: string | null; view: 'today' | 'overdue' | 'upcoming' | null }>({
  taskId: null,
  view: null,
});

/** The Tasks segment a task is listed in today, by its due time. */
function viewOf(task: RemindedTask): 'today' | 'overdue' | 'upcoming' {
  if (task.dueAt === null) return 'upcoming';
  const days = daysFromToday(task.dueAt);
  return days < 0 ? 'overdue' : days === 0 ? 'today' : 'upcoming';
}

/**
 * Runs a versioned change against the task as the reminder saw it; if someone changed the task since,
 * runs it once more against the current version (a reminder is about the task, not about one version).
 */
async function withCurrentVersion<T>(task: RemindedTask, change: (version: number) => Promise<T>): Promise<T> {
  try {
    return await change(task.version);
  } catch (error) {
    const current = toApiError(error).conflictCurrent<RemindedTask>();
    if (!current) throw error;
    return change(current.version);
  }
}

function open(task: RemindedTask): void {
  taskFocus.taskId = task.id;
  taskFocus.view = viewOf(task);
  router.navigate('/tasks');
}

async function markDone(task: RemindedTask): Promise<boolean> {
  try {
    await withCurrentVersion(task, (version) => api.call('tasks.complete', { id: task.id, version }));
    toast.success('Task completed', { description: task.title });
    return true;
  } catch (error) {
    toast.error("Couldn't complete the task", { description: toApiError(error).message });
    return false;
  }
}

async function snooze(task: RemindedTask): Promise<boolean> {
  const remindAt = Date.now() + SNOOZE_MINUTES * 60_000;
  try {
    await withCurrentVersion(task, (version) =>
      api.call('tasks.update', { id: task.id, version, patch: { remindAt } }),
    );
    toast.info(`Snoozed for ${SNOOZE_MINUTES} minutes`, { description: task.title });
    return true;
  } catch (error) {
    toast.error("Couldn't snooze the reminder", { description: toApiError(error).message });
    return false;
  }
}

const DISMISSED_KEY = 'hearth.reminders.dismissed';
/** How long a dismissed reminder is remembered: longer than tasks.dueReminders looks back (a day). */
const KEEP_DISMISSED_MS = 7 * 24 * 3_600_000;
const MAX_DISMISSED = 500;

/** One reminder: the task at one reminder time. */
const reminderKey = (task: RemindedTask): string => `${task.id}@${task.remindAt ?? ''}`;

/** Reminders dealt with in this browser (any tab), key → when, without the ones too old to come back. */
function readDismissed(): Record<string, number> {
  try {
    const value = JSON.parse(localStorage.getItem(DISMISSED_KEY) ?? '{}') as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
    const cutoff = Date.now() - KEEP_DISMISSED_MS;
    const fresh = Object.entries(value as Record<string, unknown>).filter(
      (entry): entry is [string, number] => typeof entry[1] === 'number' && entry[1] >= cutoff,
    );
    return Object.fromEntries(fresh.sort((a, b) => b[1] - a[1]).slice(0, MAX_DISMISSED));
  } catch {
    return {};
  }
}

function markDismissed(task: RemindedTask): void {
  const dismissed = readDismissed();
  dismissed[reminderKey(task)] = Date.now();
  try {
    localStorage.setItem(DISMISSED_KEY, JSON.stringify(dismissed));
  } catch {
    // Storage can be full or disabled; the notice may then come back after a reload.
  }
}

/** Reminders shown on this page so far: one announced live and found again by a catch-up shows once. */
// eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping only: nothing renders it
const shown = new Set<string>();

function show(task: RemindedTask): void {
  const key = reminderKey(task);
  if (shown.has(key) || key in readDismissed()) return;
  shown.add(key);
  const dismiss = () => markDismissed(task);
  // One notice per task: a reminder that comes again (snoozed, or from a second window) replaces it.
  toast.custom(ReminderToast, {
    id: `reminder-${task.id}`,
    duration: Number.POSITIVE_INFINITY,
    // Swiped away.
    onDismiss: dismiss,
    componentProps: {
      task,
      snoozeMinutes: SNOOZE_MINUTES,
      onopen: () => {
        dismiss();
        open(task);
      },
      // The notice closes either way; one that failed may be shown again by the next catch-up.
      ondone: async () => {
        if (await markDone(task)) dismiss();
        else shown.delete(key);
      },
      onsnooze: async () => {
        if (await snooze(task)) dismiss();
        else shown.delete(key);
      },
      ondismiss: dismiss,
    },
  });
}

/** Shows the reminders delivered while this page was not listening (closed, reloading, disconnected). */
async function catchUp(): Promise<void> {
  let items: { task: RemindedTask }[];
  try {
    ({ items } = await api.call('tasks.dueReminders', {}));
  } catch {
    // Not worth a message: live reminders still arrive, and the next reconnect asks again.
    return;
  }
  // Most recent last, so it ends up on top of the stack.
  for (const { task } of items.toReversed()) show(task);
}

/** Starts showing reminders; returns the function that stops. Called once, when the signed-in app starts. */
export function startReminders(): () => void {
  const stopLive = api.onReminder((event: ReminderEvent) => show(event.task));
  // Each time the event connection comes up, anything delivered before it is in the database: ask for it then.
  const stopCatchingUp = $effect.root(() => {
    $effect(() => {
      if (api.connection === 'live') void catchUp();
    });
  });
  return () => {
    stopLive();
    stopCatchingUp();
  };
}
