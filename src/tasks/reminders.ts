// The reminder scheduler: when a task's remindAt comes, announce a `reminder` event once. One timer waits for the
// next pending reminder; task changes and start-up re-plan it, so reminders that came due while Hearth was closed
// fire on the next start. Each reminder is marked delivered through the dispatcher (tasks.markReminded) before it
// is announced: the write is audited, and a crash in between loses a notice rather than repeating it forever.
import type { Kysely } from 'kysely';
import type { Dispatcher } from '../api/dispatcher.js';
import type { Actor } from '../api/procedure.js';
import type { DB } from '../db/schema.js';
import type { Logger } from '../log/logger.js';
import { dueReminderIds, nextReminderAt, type Task } from './repository.js';

export interface ReminderOptions {
  db: Kysely<DB>;
  dispatcher: Dispatcher;
  /** Who marks reminders delivered in the audit log: the machine's own user. */
  actor: Actor;
  logger: Logger;
  /** The dispatcher's clock (tests pass their own). */
  clock?: () => number;
}

export interface ReminderScheduler {
  /** Re-plans now (the scheduler does this itself on task changes). */
  replan(): void;
  /** Resolves once no pass is running or queued (for tests). */
  settled(): Promise<void>;
  /** Stops the timer and waits for a pass in progress. */
  stop(): Promise<void>;
}

/** setTimeout holds at most 2^31 - 1 ms (about 24.8 days); a later reminder is waited for in steps. */
const MAX_DELAY = 2_147_483_647;
/** After a failed pass, wait this long before trying again rather than spinning. */
const RETRY_DELAY = 60_000;
/** Reminders delivered per pass; more due ones are taken by the next pass straight away. */
const BATCH = 100;

export function startReminders(options: ReminderOptions): ReminderScheduler {
  const { db, dispatcher, actor, logger } = options;
  const clock = options.clock ?? Date.now;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  function arm(delay: number): void {
    if (timer) clearTimeout(timer);
    timer = setTimeout(replan, Math.max(0, Math.min(delay, MAX_DELAY)));
    timer.unref();
  }

  /** Delivers what is due and sets the timer for what comes next; true when more is due at once. */
  async function pass(): Promise<boolean> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const ids = await dueReminderIds(db, clock(), BATCH);
    for (const id of ids) {
      if (stopped) return false;
      const result = await dispatcher.call('tasks.markReminded', { id }, actor);
      if (!result.ok) {
        // NOT_FOUND: purged in between. Anything else would repeat on every pass, so back off.
        if (result.error.code === 'NOT_FOUND') continue;
        logger.log('error', 'reminder-failed', { code: result.error.code });
        if (!stopped) arm(RETRY_DELAY);
        return false;
      }
      const { reminded, task } = result.value as { reminded: boolean; task: Task };
      if (reminded) dispatcher.publish({ type: 'reminder', task, at: clock() });
    }
    if (stopped) return false;
    if (ids.length === BATCH) return true;
    const next = await nextReminderAt(db);
    if (next === null || stopped) return false;
    const delay = next - clock();
    // A reminder still due right after delivering means it would not be marked (a clock going backwards, say):
    // look again in a second instead of spinning.
    arm(delay <= 0 && ids.length > 0 ? 1000 : delay);
    return false;
  }

  function replan(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          if (await pass()) again = true;
        } catch (error) {
          logger.log('error', 'reminder-pass-failed', { error: error instanceof Error ? error.name : typeof error });
          if (!stopped) arm(RETRY_DELAY);
        }
      } while (again && !stopped);
    })().finally(() => {
      running = null;
    });
  }

  const unsubscribe = dispatcher.onEvent((event) => {
    // Its own deliveries need no re-plan: the pass that made them sets the timer when it ends.
    if (event.type !== 'change' || event.procedure === 'tasks.markReminded') return;
    if (event.changes.some((change) => change.entity === 'task')) replan();
  });
  // The first pass (reminders that came due while Hearth was closed) waits for the next turn of the event loop,
  // so whoever opened Hearth has subscribed to its events by then.
  const first = setImmediate(replan);

  return {
    replan,
    async settled() {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      clearImmediate(first);
      unsubscribe();
      if (timer) clearTimeout(timer);
      timer = undefined;
      while (running) await running;
    },
  };
}
