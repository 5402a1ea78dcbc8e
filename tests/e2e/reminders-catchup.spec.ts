// Reminders that came due while no browser was open still reach the person, once, when they open Hearth.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/test.js';

interface Task {
  id: string;
  title: string;
  remindAt: number | null;
}

/** Reloads the page and waits until it has asked for the reminders it missed. */
async function reloadAndCatchUp(page: Page): Promise<void> {
  const caughtUp = page.waitForResponse((response) => response.url().endsWith('/api/rpc/tasks.dueReminders'));
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  expect((await caughtUp).ok()).toBe(true);
}

test('a reminder delivered while no page was open shows when Hearth is opened, until dismissed or snoozed', async ({
  page,
  hearth,
  signIn,
  saveScreenshot,
}) => {
  // No page is open: the server's scheduler delivers these reminders to nobody.
  const lease = await hearth.call<Task>('tasks.create', {
    title: 'Renew the office lease',
    dueAt: Date.now() + 2 * 3_600_000,
    remindAt: Date.now() - 60_000,
  });
  const bank = await hearth.call<Task>('tasks.create', { title: 'Call the bank back', remindAt: Date.now() - 30_000 });
  await expect
    .poll(async () =>
      (await hearth.call<{ items: { task: Task }[] }>('tasks.dueReminders', {})).items.map((item) => item.task.id),
    )
    .toEqual([bank.id, lease.id]);

  await signIn(page);
  const leaseNotice = page.getByRole('group', { name: 'Reminder: Renew the office lease' });
  const bankNotice = page.getByRole('group', { name: 'Reminder: Call the bank back' });
  await expect(leaseNotice).toBeVisible();
  await expect(bankNotice).toHaveCount(1);
  // The notices stack; pointing at them spreads them out.
  await bankNotice.hover();
  await saveScreenshot(page, 'reminders-catchup');

  // Dismissed in this browser: it stays away after a reload. The other one was not dealt with, so it comes back.
  await leaseNotice.getByRole('button', { name: 'Dismiss reminder' }).click();
  await expect(leaseNotice).toBeHidden();
  await reloadAndCatchUp(page);
  await expect(bankNotice).toBeVisible();
  await expect(leaseNotice).toHaveCount(0);

  // Snoozing sets a new reminder time; until then there is nothing to catch up on.
  await bankNotice.getByRole('button', { name: 'Snooze 10 min' }).click();
  await expect(page.getByText('Snoozed for 10 minutes')).toBeVisible();
  await expect
    .poll(async () => (await hearth.call<Task>('tasks.get', { id: bank.id })).remindAt)
    .toBeGreaterThan(Date.now());
  await reloadAndCatchUp(page);
  await expect(page.getByRole('group', { name: /^Reminder:/ })).toHaveCount(0);

  // One announced while the page is open shows at once; left alone, it is there again (once) after a reload.
  await expect(page.getByRole('contentinfo', { name: 'Status' }).getByRole('status')).toHaveText(/Live/);
  await hearth.call('tasks.create', { title: 'Sign the letter', remindAt: Date.now() - 1000 });
  const letterNotice = page.getByRole('group', { name: 'Reminder: Sign the letter' });
  await expect(letterNotice).toBeVisible();
  await reloadAndCatchUp(page);
  await expect(letterNotice).toHaveCount(1);
});
