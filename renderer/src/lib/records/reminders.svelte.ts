// Task reminders inside the app: when the core says a task's reminder time has come, a notice stays on
// screen until the person opens the task, marks it done or snoozes it. (The desktop app also shows a system
// notification from its main process.)
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

async function markDone(task: RemindedTask): Promise<void> {
  try {
    await withCurrentVersion(task, (version) => api.call('tasks.complete', { id: task.id, version }));
    toast.success('Task completed', { description: task.title });
  } catch (error) {
    toast.error("Couldn't complete the task", { description: toApiError(error).message });
  }
}

async function snooze(task: RemindedTask): Promise<void> {
  const remindAt = Date.now() + SNOOZE_MINUTES * 60_000;
  try {
    await withCurrentVersion(task, (version) =>
      api.call('tasks.update', { id: task.id, version, patch: { remindAt } }),
    );
    toast.info(`Snoozed for ${SNOOZE_MINUTES} minutes`, { description: task.title });
  } catch (error) {
    toast.error("Couldn't snooze the reminder", { description: toApiError(error).message });
  }
}

function show(event: ReminderEvent): void {
  const { task } = event;
  // One notice per task: a reminder that comes again (snoozed, or from a second window) replaces it.
  toast.custom(ReminderToast, {
    id: `reminder-${task.id}`,
    duration: Number.POSITIVE_INFINITY,
    componentProps: {
      task,
      snoozeMinutes: SNOOZE_MINUTES,
      onopen: () => open(task),
      ondone: () => markDone(task),
      onsnooze: () => snooze(task),
    },
  });
}

/** Starts showing reminders; returns the function that stops. Called once, when the signed-in app starts. */
export function startReminders(): () => void {
  return api.onReminder(show);
}
