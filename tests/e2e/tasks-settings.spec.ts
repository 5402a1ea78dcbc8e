// Tasks, reminders, the custom fields editor, the tags manager and the trash, driven the way a person uses them.
import type { Page } from '@playwright/test';
import { expect, test, unavailable } from './fixtures/test.js';

interface Task {
  id: string;
  version: number;
  title: string;
  done: boolean;
  remindAt: number | null;
  deletedAt: number | null;
}

/** Saves the screen in light and in dark, so both can be looked at. */
async function shootBoth(page: Page, save: (page: Page, name: string) => Promise<void>, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await save(page, `${name}-${colorScheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** A moment on a day relative to today, in the browser's time zone (where "today" is decided). */
function dayAt(page: Page, days: number, hours: number, minutes = 0): Promise<number> {
  return page.evaluate(
    ([d, h, m]) => {
      const date = new Date();
      date.setDate(date.getDate() + d!);
      date.setHours(h!, m!, 0, 0);
      return date.getTime();
    },
    [days, hours, minutes],
  );
}

test('tasks sort into today, overdue and upcoming, and can be added, completed, renamed and deleted', async ({
  page,
  hearth,
  signIn,
  saveScreenshot,
}) => {
  const ada = await hearth.call<{ id: string }>('people.create', { firstName: 'Ada', lastName: 'Lovelace' });
  const engines = await hearth.call<{ id: string }>('companies.create', { name: 'Analytical Engines' });
  await signIn(page);

  await hearth.call('tasks.create', {
    title: 'Call Ada about the renewal',
    dueAt: await dayAt(page, 0, 23, 30),
    personIds: [ada.id],
    companyIds: [engines.id],
  });
  await hearth.call('tasks.create', { title: 'Send the engagement letter', dueAt: await dayAt(page, -2, 10) });
  await hearth.call('tasks.create', { title: 'Prepare the quarterly review', dueAt: await dayAt(page, 7, 9) });

  await page.keyboard.press('g');
  await page.keyboard.press('t');
  await expect(page.getByRole('heading', { level: 1, name: 'Tasks' })).toBeVisible();

  const today = page.getByRole('tab', { name: /Today/ });
  const overdue = page.getByRole('tab', { name: /Overdue/ });
  const upcoming = page.getByRole('tab', { name: /Upcoming/ });
  const done = page.getByRole('tab', { name: /Done/ });
  await expect(today).toHaveAttribute('aria-selected', 'true');
  await expect(today).toHaveText(/Today\s*1/);
  await expect(overdue).toHaveText(/Overdue\s*1/);
  await expect(upcoming).toHaveText(/Upcoming\s*1/);

  const list = page.getByRole('list', { name: 'Today tasks' });
  await expect(list.getByRole('button', { name: 'Rename “Call Ada about the renewal”' })).toBeVisible();
  await expect(list.getByRole('link', { name: 'Ada Lovelace' })).toHaveAttribute('href', `#/people/${ada.id}`);
  await expect(list.getByRole('link', { name: 'Analytical Engines' })).toHaveAttribute(
    'href',
    `#/companies/${engines.id}`,
  );
  await shootBoth(page, saveScreenshot, 'tasks-today');

  await overdue.click();
  await expect(
    page
      .getByRole('list', { name: 'Overdue tasks' })
      .getByRole('button', { name: 'Rename “Send the engagement letter”' }),
  ).toBeVisible();
  await shootBoth(page, saveScreenshot, 'tasks-overdue');

  await upcoming.click();
  const upcomingList = page.getByRole('list', { name: 'Upcoming tasks' });
  await expect(upcomingList.getByRole('button', { name: 'Rename “Prepare the quarterly review”' })).toBeVisible();

  // Someone else adds a task due today: the count moves without a reload.
  await hearth.call('tasks.create', { title: 'Confirm the venue', dueAt: await dayAt(page, 0, 23, 45) });
  await expect(today).toHaveText(/Today\s*2/);

  // Quick add: an undated task waits under Upcoming.
  await page.keyboard.press('a');
  await expect(page.getByRole('textbox', { name: 'Task title' })).toBeFocused();
  await page.keyboard.type('Book the meeting room');
  await page.keyboard.press('Enter');
  await expect(upcomingList.getByRole('button', { name: 'Rename “Book the meeting room”' })).toBeVisible();
  await expect(upcoming).toHaveText(/Upcoming\s*2/);

  // Rename in place.
  await upcomingList.getByRole('button', { name: 'Rename “Prepare the quarterly review”' }).click();
  const titleInput = upcomingList.getByRole('textbox', { name: 'Task title' });
  await titleInput.fill('Prepare the Q3 review');
  await titleInput.press('Enter');
  await expect(upcomingList.getByRole('button', { name: 'Rename “Prepare the Q3 review”' })).toBeVisible();

  // Move the due date to today with the picker's quick pick.
  await upcomingList
    .getByRole('button', { name: /Change the due date/ })
    .first()
    .click();
  await expect(page.getByRole('dialog', { name: 'Due date' })).toBeVisible();
  await shootBoth(page, saveScreenshot, 'tasks-due-picker');
  await page
    .getByRole('dialog', { name: 'Due date' })
    .getByRole('button', { name: /^Today/ })
    .click();
  await expect(today).toHaveText(/Today\s*3/);

  // Delete, then take it back.
  await upcomingList.getByRole('button', { name: 'Delete “Book the meeting room”' }).click();
  await expect(upcomingList.getByRole('button', { name: 'Rename “Book the meeting room”' })).toBeHidden();
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(upcomingList.getByRole('button', { name: 'Rename “Book the meeting room”' })).toBeVisible();

  // Complete the one linked to Ada.
  await today.click();
  const todayList = page.getByRole('list', { name: 'Today tasks' });
  await todayList.getByRole('checkbox', { name: 'Call Ada about the renewal' }).click(); // the row leaves Today at once, so no waiting for it to show as checked
  await expect(page.getByText('Task completed')).toBeVisible();
  await expect(todayList.getByRole('checkbox', { name: 'Call Ada about the renewal' })).toBeHidden();
  await expect(done).toHaveText(/Done\s*1/);

  await done.click();
  const doneList = page.getByRole('list', { name: 'Done tasks' });
  await expect(doneList.getByRole('checkbox', { name: 'Call Ada about the renewal' })).toBeChecked();
  await shootBoth(page, saveScreenshot, 'tasks-done');

  // Reopening puts it back under Today.
  await doneList.getByRole('checkbox', { name: 'Call Ada about the renewal' }).click(); // the row leaves Done at once
  await expect(page.getByText('No finished tasks yet')).toBeVisible();
  await expect(today).toHaveText(/Today\s*3/);
});

test('a day with nothing due says so; a failed load says what went wrong and can be retried', async ({
  page,
  signIn,
  saveScreenshot,
}) => {
  await signIn(page);
  await page.getByRole('link', { name: /Tasks/ }).click();
  await expect(page.getByRole('heading', { name: 'Nothing due today — nice.' })).toBeVisible();
  await shootBoth(page, saveScreenshot, 'tasks-empty');

  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/rpc/tasks.list', async (route) => {
    await held;
    await route.fulfill(unavailable());
  });
  await page.getByRole('tab', { name: /Overdue/ }).click();
  await expect(page.getByLabel('Loading tasks')).toBeVisible();
  await shootBoth(page, saveScreenshot, 'tasks-loading');
  release();
  await expect(page.getByRole('alert').filter({ hasText: "Couldn't load the tasks" })).toBeVisible();
  await shootBoth(page, saveScreenshot, 'tasks-error');
  await page.unrouteAll();
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { name: 'Nothing overdue' })).toBeVisible();
});

test('a reminder shows a notice that can snooze the task, mark it done or open it', async ({
  page,
  hearth,
  signIn,
  saveScreenshot,
}) => {
  await signIn(page);
  await page.getByRole('link', { name: /Tasks/ }).click();
  await expect(page.getByRole('contentinfo', { name: 'Status' }).getByRole('status')).toHaveText(/Live/);

  const call = await hearth.call<Task>('tasks.create', {
    title: 'Call the bank back',
    dueAt: await dayAt(page, 0, 23, 50),
    remindAt: Date.now() - 1000,
  });
  const notice = page.getByRole('group', { name: 'Reminder: Call the bank back' });
  await expect(notice).toBeVisible();
  await shootBoth(page, saveScreenshot, 'tasks-reminder');

  const before = Date.now();
  await notice.getByRole('button', { name: 'Snooze 10 min' }).click();
  await expect(notice).toBeHidden();
  await expect(page.getByText('Snoozed for 10 minutes')).toBeVisible();
  const snoozed = await hearth.call<Task>('tasks.get', { id: call.id });
  expect(snoozed.remindAt).toBeGreaterThanOrEqual(before + 9 * 60_000);

  const letter = await hearth.call<Task>('tasks.create', {
    title: 'Sign the letter',
    remindAt: Date.now() - 1000,
  });
  const second = page.getByRole('group', { name: 'Reminder: Sign the letter' });
  await second.getByRole('button', { name: 'Mark done' }).click();
  await expect(second).toBeHidden();
  await expect.poll(async () => (await hearth.call<Task>('tasks.get', { id: letter.id })).done).toBe(true);

  await page.getByRole('link', { name: /Settings/ }).click();
  await hearth.call('tasks.create', {
    title: 'Renew the lease',
    dueAt: await dayAt(page, -1, 9),
    remindAt: Date.now() - 1000,
  });
  await page.getByRole('group', { name: 'Reminder: Renew the lease' }).getByRole('button', { name: 'Open' }).click();
  await expect(page.getByRole('tab', { name: /Overdue/ })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('button', { name: 'Rename “Renew the lease”' })).toBeVisible();
});

test('custom fields are added, reordered, validated and archived in settings', async ({
  page,
  hearth,
  signIn,
  saveScreenshot,
}) => {
  await hearth.call('fields.create', { entity: 'person', label: 'Renewal date', type: 'date' });
  await signIn(page);
  await page.getByRole('link', { name: /Settings/ }).click();
  await page.getByRole('tab', { name: 'Custom fields' }).click();
  const fields = page.getByRole('list', { name: /Custom fields on people/ });
  await expect(fields.getByRole('button', { name: 'Edit “Renewal date”' })).toBeVisible();

  // A select field needs options: the dialog says so next to them.
  await page.getByRole('button', { name: 'Add field' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a custom field' });
  await dialog.getByLabel('Name').fill('Referral source');
  await dialog.getByLabel('Type').selectOption({ label: 'Single select' });
  await dialog.getByRole('button', { name: 'Add field' }).click();
  await expect(dialog.getByText('Add at least one option to choose from.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Add option' }).click();
  await dialog.getByRole('textbox', { name: 'Option 1' }).fill('Partner');
  await dialog.getByRole('textbox', { name: 'Option 1' }).press('Enter');
  await dialog.getByRole('textbox', { name: 'Option 2' }).fill('Website');
  await dialog.getByLabel('Help text').fill('Where the client first heard of us');
  await shootBoth(page, saveScreenshot, 'settings-field-dialog');
  await dialog.getByRole('button', { name: 'Add field' }).click();
  await expect(dialog).toBeHidden();
  await expect(fields.getByRole('button', { name: 'Edit “Referral source”' })).toBeVisible();

  // The core refuses a second field with the same label; the message shows next to the name.
  await page.getByRole('button', { name: 'Add field' }).click();
  await dialog.getByLabel('Name').fill('Renewal date');
  await dialog.getByRole('button', { name: 'Add field' }).click();
  await expect(dialog.getByLabel('Name')).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByLabel('Name')).toHaveAccessibleDescription(/another field already has this label/i);
  await dialog.getByLabel('Name').fill('Budget');
  await dialog.getByLabel('Type').selectOption({ label: 'Money' });
  await dialog.getByLabel('Required').check();
  await dialog.getByRole('button', { name: 'Add field' }).click();
  await expect(fields.getByRole('button', { name: 'Edit “Budget”' })).toBeVisible();

  // Keyboard reorder: Budget moves to the top, and the order is saved.
  await fields.getByRole('button', { name: 'Move “Budget” up' }).click();
  await expect(fields.getByRole('button', { name: 'Move “Budget” up' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(fields.getByRole('listitem').first()).toContainText('Budget');
  await expect
    .poll(async () => {
      const { items } = await hearth.call<{ items: Array<{ label: string }> }>('fields.list', { entity: 'person' });
      return items.map((field) => field.label);
    })
    .toEqual(['Budget', 'Renewal date', 'Referral source']);
  await shootBoth(page, saveScreenshot, 'settings-fields');

  // Rename through the edit dialog.
  await fields.getByRole('button', { name: 'Edit “Renewal date”' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit “Renewal date”' });
  await edit.getByLabel('Name').fill('Contract renewal');
  await edit.getByRole('button', { name: 'Save field' }).click();
  await expect(fields.getByRole('button', { name: 'Edit “Contract renewal”' })).toBeVisible();

  // Archive with a confirmation; it waits under "Archived" and can come back.
  await fields.getByRole('button', { name: 'Archive “Referral source”' }).click();
  await expect(page.getByRole('alertdialog', { name: 'Archive “Referral source”?' })).toBeVisible();
  await page.getByRole('button', { name: 'Archive field' }).click();
  await expect(fields.getByRole('button', { name: 'Edit “Referral source”' })).toBeHidden();
  await page.getByRole('button', { name: 'Archived (1)' }).click();
  const archived = page.getByRole('list', { name: 'Archived custom fields' });
  await expect(archived.getByText('Referral source')).toBeVisible();
  await shootBoth(page, saveScreenshot, 'settings-fields-archived');
  await archived.getByRole('button', { name: 'Restore “Referral source”' }).click();
  await expect(fields.getByRole('button', { name: 'Edit “Referral source”' })).toBeVisible();

  // Companies have their own fields.
  await page.getByRole('tab', { name: 'Companies' }).click();
  await expect(page.getByText('No custom fields on companies yet')).toBeVisible();
});

test('tags are renamed, merged and deleted for every record that carries them', async ({
  page,
  hearth,
  signIn,
  saveScreenshot,
}) => {
  const ada = await hearth.call<{ id: string }>('people.create', { firstName: 'Ada', tags: ['vip', 'prospect'] });
  const grace = await hearth.call<{ id: string }>('people.create', { firstName: 'Grace', tags: ['VIP client'] });
  await hearth.call('companies.create', { name: 'Analytical Engines', tags: ['vip', 'old'] });
  await signIn(page);
  await page.getByRole('link', { name: /Settings/ }).click();
  await page.getByRole('tab', { name: 'Tags' }).click();

  const table = page.getByRole('table');
  await expect(table.getByRole('row', { name: /vip\b.*1.*1/ }).first()).toBeVisible();
  await shootBoth(page, saveScreenshot, 'settings-tags');

  await table.getByRole('button', { name: 'Rename “prospect”' }).click();
  await table.getByRole('textbox', { name: 'New name for “prospect”' }).fill('warm lead');
  await page.keyboard.press('Enter');
  await expect(table.getByRole('button', { name: 'Rename “warm lead”' })).toBeVisible();

  // Renaming onto an existing name is refused in place.
  await table.getByRole('button', { name: 'Rename “old”' }).click();
  await table.getByRole('textbox', { name: 'New name for “old”' }).fill('vip');
  await page.keyboard.press('Enter');
  await expect(table.getByText(/merge the two instead/)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(table.getByRole('button', { name: 'Rename “old”' })).toBeFocused();

  await table.getByRole('checkbox', { name: 'Select “vip”' }).check();
  await table.getByRole('checkbox', { name: 'Select “VIP client”' }).check();
  await page.getByRole('button', { name: 'Merge 2 tags…' }).click();
  const merge = page.getByRole('dialog', { name: 'Merge 2 tags' });
  await merge.getByRole('radio', { name: /^vip/ }).check();
  await shootBoth(page, saveScreenshot, 'settings-tags-merge');
  await merge.getByRole('button', { name: 'Merge tags' }).click();
  await expect(merge).toBeHidden();
  await expect(table.getByRole('button', { name: 'Rename “VIP client”' })).toBeHidden();

  await table.getByRole('button', { name: 'Delete “old”' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete tag' }).click();
  await expect(table.getByRole('button', { name: 'Rename “old”' })).toBeHidden();

  expect((await hearth.call<{ tags: string[] }>('people.get', { id: ada.id })).tags.sort()).toEqual([
    'vip',
    'warm lead',
  ]);
  expect((await hearth.call<{ tags: string[] }>('people.get', { id: grace.id })).tags).toEqual(['vip']);
});

test('the trash restores a record and empties only after a typed confirmation', async ({
  page,
  hearth,
  signIn,
  saveScreenshot,
}) => {
  const ada = await hearth.call<{ id: string }>('people.create', { firstName: 'Ada', lastName: 'Lovelace' });
  const engines = await hearth.call<{ id: string }>('companies.create', { name: 'Analytical Engines' });
  const task = await hearth.call<{ id: string }>('tasks.create', { title: 'Chase the invoice' });
  await hearth.call('people.delete', { id: ada.id });
  await hearth.call('companies.delete', { id: engines.id });
  await hearth.call('tasks.delete', { id: task.id });

  await signIn(page);
  await page.keyboard.press('g');
  await page.keyboard.press('x');
  await expect(page.getByRole('heading', { level: 1, name: 'Trash' })).toBeVisible();
  const trash = page.getByRole('list', { name: 'Deleted records' });
  await expect(trash.getByRole('listitem')).toHaveCount(3);
  await shootBoth(page, saveScreenshot, 'trash');

  await page.getByRole('tab', { name: 'People' }).click();
  await expect(trash.getByRole('listitem')).toHaveCount(1);
  await trash.getByRole('button', { name: 'Restore “Ada Lovelace”' }).click();
  await expect(page.getByText('Restored “Ada Lovelace”')).toBeVisible();
  await expect(page.getByText('No people in the trash')).toBeVisible();
  expect((await hearth.call<{ deletedAt: number | null }>('people.get', { id: ada.id })).deletedAt).toBeNull();

  await page.getByRole('tab', { name: 'Everything' }).click();
  await expect(trash.getByRole('listitem')).toHaveCount(2);
  await page.getByRole('button', { name: 'Empty trash…' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Empty the trash for good?' });
  const purge = confirm.getByRole('button', { name: 'Delete permanently' });
  await expect(purge).toBeDisabled();
  await confirm.getByLabel(/to confirm/).fill('empty trash');
  await shootBoth(page, saveScreenshot, 'trash-empty-confirm');
  await purge.click();
  await expect(page.getByText('The trash is empty')).toBeVisible();
  await expect(page.getByText('2 items were deleted permanently.')).toBeVisible();
  await shootBoth(page, saveScreenshot, 'trash-empty');
});
