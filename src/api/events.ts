// Change events: announced after commit so listeners (windows, WebSocket clients, search) never see uncommitted data.
// Reminder events: a task's reminder time has come (sent once, after the task is marked reminded).
import type { Task } from '../tasks/repository.js';
import type { ChangeAction } from './procedure.js';

export interface ChangeEvent {
  type: 'change';
  procedure: string;
  actorId: string;
  at: number;
  changes: Array<{ entity: string; id: string; action: ChangeAction; version?: number }>;
}

export interface ReminderEvent {
  type: 'reminder';
  /** The task as it was when its reminder came due; every client gets it, so show it to its assignee. */
  task: Task;
  at: number;
}

export type HearthEvent = ChangeEvent | ReminderEvent;
export type EventListener = (event: HearthEvent) => void;
