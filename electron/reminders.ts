// Task reminders as desktop notifications: they reach the user even when no Hearth window is open or focused.
import { Notification } from 'electron';
import type { ReminderEvent } from '../src/api/events.js';

/** Shows the reminder; clicking it runs `onClick` (bringing the window forward). */
export function notifyReminder(event: ReminderEvent, onClick: () => void): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({ title: 'Reminder', body: event.task.title });
  notification.on('click', onClick);
  notification.show();
}
