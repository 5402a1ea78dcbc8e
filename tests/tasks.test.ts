import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ReminderEvent } from '../src/api/events.js';
import { openHearth, type Hearth } from '../src/datafolder/hearth.js';
import { keyFileProvider } from '../src/keys/keyfile.js';
import { silentLogger } from '../src/log/logger.js';
import { startServer } from '../src/server/http.js';
import { localDay } from '../src/tasks/days.js';
import type { Task } from '../src/tasks/repository.js';
import { makeDataFolder, type TempFolder } from './support/data-folder.js';
import { closeSocket, connectEvents } from './support/http.js';
import { auditFor, makePerson, waitFor } from './support/items.js';
import { allPages, issuePaths, openRecordsHearth, type TestHearth } from './support/records.js';

const HOUR = 3_600_000;

describe('tasks', () => {
  let t: TestHearth;
  beforeAll(async () => {
    t = await openRecordsHearth();
  });
  afterAll(async () => {
    await t.close();
  });

  it('assigns a new task to its creator unless told otherwise, and checks the assignee exists', async () => {
    const ada = await makePerson(t, 'Ada');
    const mine = await t.call('tasks.create', { title: '  Send the proposal ', personIds: [ada.id] });
    expect(mine).toMatchObject({
      title: 'Send the proposal',
      body: '',
      dueAt: null,
      remindAt: null,
      assigneeId: t.actor.userId,
      done: false,
      completedAt: null,
      personIds: [ada.id],
    });
    const colleague = t.addUser('Colleague');
    expect((await t.call('tasks.create', { title: 'Theirs', assigneeId: colleague.userId })).assigneeId).toBe(
      colleague.userId,
    );
    expect((await t.call('tasks.create', { title: 'Nobody’s', assigneeId: null })).assigneeId).toBeNull();

    const bad = await t.fail('tasks.create', {
      title: ' ',
      dueAt: -5,
      assigneeId: '01890000-0000-7000-8000-000000000000',
    });
    expect(issuePaths(bad).sort()).toEqual(['dueAt', 'title']);
    const noUser = await t.fail('tasks.create', { title: 'x', assigneeId: '01890000-0000-7000-8000-000000000000' });
    expect(issuePaths(noUser)).toEqual(['assigneeId']);
    const patch = await t.fail('tasks.update', {
      id: mine.id,
      version: 1,
      patch: { assigneeId: '01890000-0000-7000-8000-000000000000' },
    });
    expect(issuePaths(patch)).toEqual(['patch.assigneeId']);
  });

  it('completes and reopens with the version read; a stale version gets CONFLICT with the current task', async () => {
    const task = await t.call('tasks.create', { title: 'Call back' });
    const done = await t.call('tasks.complete', { id: task.id, version: 1 });
    expect(done).toMatchObject({ done: true, version: 2 });
    expect(done.completedAt).toBe(done.updatedAt);

    const stale = await t.fail('tasks.reopen', { id: task.id, version: 1 });
    expect(stale.code).toBe('CONFLICT');
    expect((stale.details as { current: Task }).current).toEqual(done);
    expect((await t.fail('tasks.complete', { id: task.id, version: 1 })).code).toBe('CONFLICT');

    const reopened = await t.call('tasks.reopen', { id: task.id, version: 2 });
    expect(reopened).toMatchObject({ done: false, completedAt: null, version: 3 });
    expect(auditFor(t.hearth, task.id).map((e) => [e.procedure, e.fields?.done])).toEqual([
      ['tasks.create', { to: false }],
      ['tasks.complete', { from: false, to: true }],
      ['tasks.reopen', { from: true, to: false }],
    ]);

    await t.call('tasks.delete', { id: task.id });
    expect((await t.fail('tasks.complete', { id: task.id, version: 4 })).code).toBe('NOT_FOUND');
  });

  it('sorts soonest due first with undated tasks last, and pages through them in that order', async () => {
    const person = await makePerson(t, 'Sorted');
    const base = Date.UTC(2030, 0, 1);
    const dues = [base + 3 * HOUR, null, base, base + HOUR, null, base + HOUR];
    for (const [i, dueAt] of dues.entries()) {
      await t.call('tasks.create', { title: `T${i}`, dueAt, personIds: [person.id] });
    }
    const filter = [{ field: 'personId', op: 'eq' as const, value: person.id }];
    const list = await t.call('tasks.list', { filter });
    expect(list.items.map((task) => task.dueAt)).toEqual([base, base + HOUR, base + HOUR, base + 3 * HOUR, null, null]);
    const paged = await allPages((cursor) => t.call('tasks.list', { filter, limit: 1, cursor }));
    expect(paged.map((task) => task.id)).toEqual(list.items.map((task) => task.id));
    const backwards = await allPages((cursor) =>
      t.call('tasks.list', { filter, sort: [{ field: 'dueAt', dir: 'desc' }], limit: 2, cursor }),
    );
    expect(backwards.map((task) => task.id)).toEqual(list.items.map((task) => task.id).reverse());

    const undated = await t.call('tasks.list', { filter: [...filter, { field: 'dueAt', op: 'isEmpty' }] });
    expect(undated.items).toHaveLength(2);
    const later = await t.call('tasks.list', { filter: [...filter, { field: 'dueAt', op: 'gt', value: base }] });
    expect(later.items).toHaveLength(3);
  });

  describe('views across a time zone', () => {
    // 2024-03-10 06:30 UTC is still Saturday 9 March, 22:30, in Los Angeles; its Sunday is 23 hours long (DST).
    const NOW = Date.UTC(2024, 2, 10, 6, 30);
    const ids: Record<string, string> = {};
    let person = '';

    beforeAll(async () => {
      person = (await makePerson(t, 'Zoned')).id;
      const tasks: Array<[string, number | null]> = [
        ['laSaturdayNoon', Date.UTC(2024, 2, 9, 20)], // LA: today (Sat 12:00). UTC: yesterday.
        ['laSundayMorning', Date.UTC(2024, 2, 10, 12)], // LA: tomorrow (Sun 05:00 PDT). UTC: today.
        ['lastWeek', Date.UTC(2024, 2, 3, 12)], // overdue everywhere
        ['undated', null], // upcoming everywhere
        ['laSundayNight', Date.UTC(2024, 2, 11, 6, 30)], // LA: Sun 23:30 PDT, tomorrow. UTC: Monday.
      ];
      for (const [name, dueAt] of tasks) {
        ids[name] = (await t.call('tasks.create', { title: name, dueAt, personIds: [person] })).id;
      }
      const finished = await t.call('tasks.create', {
        title: 'finished',
        dueAt: Date.UTC(2024, 2, 9, 21),
        personIds: [person],
      });
      t.clock.now = NOW - HOUR;
      await t.call('tasks.complete', { id: finished.id, version: 1 });
      ids.finished = finished.id;
    });

    async function view(name: 'today' | 'overdue' | 'upcoming' | 'open' | 'done', timeZone?: string) {
      t.clock.now = NOW;
      const page = await t.call('tasks.list', {
        view: name,
        ...(timeZone ? { timeZone } : {}),
        filter: [{ field: 'personId', op: 'eq', value: person }],
      });
      return page.items.map((task) => task.title);
    }

    it('shows what is due today, overdue and upcoming in the caller’s own day', async () => {
      expect(await view('today', 'America/Los_Angeles')).toEqual(['laSaturdayNoon']);
      expect(await view('overdue', 'America/Los_Angeles')).toEqual(['lastWeek']);
      expect(await view('upcoming', 'America/Los_Angeles')).toEqual(['laSundayMorning', 'laSundayNight', 'undated']);
    });

    it('uses UTC days when no time zone is given', async () => {
      expect(await view('today')).toEqual(['laSundayMorning']);
      expect(await view('overdue')).toEqual(['lastWeek', 'laSaturdayNoon']);
      expect(await view('upcoming')).toEqual(['laSundayNight', 'undated']);
    });

    it('lists open tasks by due time and done ones latest completed first', async () => {
      expect(await view('open', 'Asia/Tokyo')).toEqual([
        'lastWeek',
        'laSaturdayNoon',
        'laSundayMorning',
        'laSundayNight',
        'undated',
      ]);
      expect(await view('done')).toEqual(['finished']);
    });

    it('refuses a time zone that does not exist', async () => {
      const error = await t.fail('tasks.list', { view: 'today', timeZone: 'Mars/Olympus_Mons' });
      expect(issuePaths(error)).toEqual(['timeZone']);
      expect(issuePaths(await t.fail('tasks.list', { view: 'someday' }))).toEqual(['view']);
    });

    it('finds where local days begin, including short days and days whose midnight is skipped', () => {
      const la = localDay(NOW + 12 * HOUR, 'America/Los_Angeles');
      expect(la).toEqual({ start: Date.UTC(2024, 2, 10, 8), end: Date.UTC(2024, 2, 11, 7) });
      // Chile moved its clocks from 00:00 to 01:00 on 8 September 2024: that day began at 01:00 local (04:00 UTC).
      expect(localDay(Date.UTC(2024, 8, 8, 15), 'America/Santiago').start).toBe(Date.UTC(2024, 8, 8, 4));
      expect(localDay(Date.UTC(2024, 5, 1, 12), 'UTC')).toEqual({
        start: Date.UTC(2024, 5, 1),
        end: Date.UTC(2024, 5, 2),
      });
    });
  });
});

describe('reminders', () => {
  let folder: TempFolder;
  let hearth: Hearth | undefined;

  async function open(reminders: boolean): Promise<{ hearth: Hearth; fired: ReminderEvent[] }> {
    const opened = await openHearth({
      dir: folder.dir,
      provider: () => keyFileProvider(folder.keyFile),
      purpose: 'test',
      reminders,
    });
    hearth = opened;
    const fired: ReminderEvent[] = [];
    opened.dispatcher.onEvent((event) => {
      if (event.type === 'reminder') fired.push(event);
    });
    return { hearth: opened, fired };
  }

  async function call<T>(h: Hearth, procedure: string, input: unknown): Promise<T> {
    const result = await h.dispatcher.call(procedure, input, h.localActor);
    if (!result.ok) throw new Error(`${procedure}: ${JSON.stringify(result.error)}`);
    return result.value as T;
  }

  /** Lets the scheduler run whatever is due now, then waits for it to finish. */
  async function settle(h: Hearth): Promise<void> {
    h.reminders!.replan();
    await h.reminders!.settled();
  }

  beforeAll(async () => {
    folder = await makeDataFolder();
  });
  afterEach(async () => {
    await hearth?.close();
    hearth = undefined;
  });
  afterAll(() => folder.cleanup());

  it('announces a reminder once when its time comes, and again only after remindAt changes', async () => {
    const { hearth: h, fired } = await open(true);
    const task = await call<Task>(h, 'tasks.create', { title: 'Ring Ada', remindAt: Date.now() + 40 });
    const doneFirst = await call<Task>(h, 'tasks.create', { title: 'Done already', remindAt: Date.now() + 40 });
    await call(h, 'tasks.complete', { id: doneFirst.id, version: 1 });
    const later = await call<Task>(h, 'tasks.create', { title: 'Next week', remindAt: Date.now() + 7 * 24 * HOUR });

    await waitFor(() => fired.length >= 1, 'the reminder');
    expect(fired[0]).toMatchObject({ type: 'reminder', task: { id: task.id, title: 'Ring Ada' } });
    expect(typeof fired[0]!.at).toBe('number');

    await new Promise((resolve) => setTimeout(resolve, 80));
    await settle(h);
    expect(fired.map((e) => e.task.id)).toEqual([task.id]);
    // Delivered through the dispatcher, so it is in the audit log; the task's version (someone's open edit) is untouched.
    expect(auditFor(h, task.id).map((e) => e.procedure)).toEqual(['tasks.create', 'tasks.markReminded']);
    expect((await call<Task>(h, 'tasks.get', { id: task.id })).version).toBe(1);
    expect(fired.some((e) => e.task.id === later.id)).toBe(false);

    await call(h, 'tasks.update', { id: task.id, version: 1, patch: { remindAt: Date.now() + 20 } });
    await waitFor(() => fired.length >= 2, 'the re-armed reminder');
    expect(fired.map((e) => e.task.id)).toEqual([task.id, task.id]);
  });

  it('reaches a browser over the event WebSocket', async () => {
    const { hearth: h } = await open(true);
    const server = await startServer({
      dispatcher: h.dispatcher,
      actor: h.localActor,
      logger: silentLogger,
      staticDir: folder.root,
      port: 0,
    });
    try {
      const outcome = await connectEvents(`ws://127.0.0.1:${server.port}/api/events`, {
        headers: { Authorization: `Bearer ${server.issueApiToken()}` },
      });
      if (!('opened' in outcome)) throw new Error(`upgrade refused: ${outcome.status}`);
      const messages: { type: string; task?: { title: string } }[] = [];
      outcome.opened.on('message', (data) => messages.push(JSON.parse(data.toString()) as (typeof messages)[number]));
      await call(h, 'tasks.create', { title: 'Over the wire', remindAt: Date.now() + 20 });
      await waitFor(() => messages.some((m) => m.type === 'reminder'), 'the reminder over the socket');
      expect(messages.find((m) => m.type === 'reminder')?.task?.title).toBe('Over the wire');
      await closeSocket(outcome.opened);
    } finally {
      await server.close();
    }
  });

  it('fires reminders that came due while Hearth was closed once, on the next start', async () => {
    const closed = await open(false);
    const task = await call<Task>(closed.hearth, 'tasks.create', { title: 'Missed', remindAt: Date.now() - HOUR });
    const trashed = await call<Task>(closed.hearth, 'tasks.create', { title: 'Binned', remindAt: Date.now() - HOUR });
    await call(closed.hearth, 'tasks.delete', { id: trashed.id });
    await settleNothing(closed.hearth);
    expect(closed.fired).toEqual([]);
    await closed.hearth.close();

    const first = await open(true);
    await waitFor(() => first.fired.length >= 1, 'the missed reminder');
    await settle(first.hearth);
    expect(first.fired.map((e) => e.task.title)).toEqual(['Missed']);
    await first.hearth.close();

    const second = await open(true);
    await settle(second.hearth);
    expect(second.fired).toEqual([]);
    expect((await call<Task>(second.hearth, 'tasks.get', { id: task.id })).remindAt).not.toBeNull();
  });
});

describe('reminders a window missed', () => {
  let t: TestHearth;
  beforeAll(async () => {
    t = await openRecordsHearth();
  });
  afterAll(async () => {
    await t.close();
  });

  /** Creates a task whose reminder is an hour past and delivers it, as the scheduler does. */
  async function delivered(title: string): Promise<{ task: Task; at: number }> {
    const task = await t.call('tasks.create', { title, remindAt: t.clock.now - HOUR });
    const at = t.clock.now;
    expect((await t.call('tasks.markReminded', { id: task.id })).reminded).toBe(true);
    return { task, at };
  }

  async function caughtUp(): Promise<string[]> {
    return (await t.call('tasks.dueReminders', {})).items.map((item) => item.task.title);
  }

  it('lists reminders delivered in the last day whose task is still open, most recently delivered first', async () => {
    await delivered('Two days ago');
    t.clock.now += 25 * HOUR;
    const first = await delivered('Call Ada back');
    const second = await delivered('Send the contract');
    const finished = await delivered('Done since');
    const binned = await delivered('Binned since');
    const snoozed = await delivered('Snoozed');
    await t.call('tasks.create', { title: 'Due but not delivered yet', remindAt: t.clock.now - HOUR });
    await t.call('tasks.create', { title: 'Later', remindAt: t.clock.now + HOUR });
    await t.call('tasks.complete', { id: finished.task.id, version: 1 });
    await t.call('tasks.delete', { id: binned.task.id });
    await t.call('tasks.update', { id: snoozed.task.id, version: 1, patch: { remindAt: t.clock.now + 10 * 60_000 } });

    const page = await t.call('tasks.dueReminders', {});
    expect(page.items.map((item) => item.task.title)).toEqual(['Send the contract', 'Call Ada back']);
    // Each comes like the reminder event it missed: the task as it is now, and when it was delivered.
    expect(page.items[1]).toEqual({ task: await t.call('tasks.get', { id: first.task.id }), at: first.at });
    expect(page.items[0]!.at).toBe(second.at);
    // Reading it changes nothing and anyone who can read records may ask.
    const reader = t.addUser('Reader', 'readonly');
    expect((await t.call('tasks.dueReminders', {}, reader)).items).toEqual(page.items);
    expect(issuePaths(await t.fail('tasks.dueReminders', { since: 0 }))).toEqual(['']);

    // A snoozed reminder comes back once it is delivered again; one more day on, nothing is left to catch up on.
    t.clock.now += HOUR;
    await t.call('tasks.markReminded', { id: snoozed.task.id });
    expect(await caughtUp()).toEqual(['Snoozed', 'Send the contract', 'Call Ada back']);
    t.clock.now += 25 * HOUR;
    expect(await caughtUp()).toEqual([]);
  });
});

/** A Hearth opened without reminders has no scheduler at all. */
async function settleNothing(h: Hearth): Promise<void> {
  expect(h.reminders).toBeNull();
  await new Promise((resolve) => setTimeout(resolve, 20));
}
