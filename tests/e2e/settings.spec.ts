import { expect, test } from './fixtures/test.js';
import type { Locator, Page } from '@playwright/test';

async function openSettings(page: Page): Promise<Locator> {
  await page.getByRole('link', { name: /Settings/ }).click();
  const form = page.getByRole('form', { name: 'Workspace settings' });
  await expect(form.getByLabel('Firm name')).toHaveValue(/.+/);
  return form;
}

/** Picks from a searchable list the way a person does: type to filter, then click the option. */
async function choose(form: Locator, label: string, search: string, option: RegExp): Promise<void> {
  const field = form.getByLabel(label);
  await field.click();
  await field.pressSequentially(search);
  await form.page().getByRole('option', { name: option }).click();
  await expect(form.page().getByRole('listbox')).toBeHidden();
}

test('settings changed in the UI survive a server restart', async ({ page, hearth }) => {
  await page.goto(hearth.info.url);
  const form = await openSettings(page);

  await form.getByLabel('Firm name').fill('Ashdown & Partners LLP');
  await choose(form, 'Base currency', 'CHF', /Swiss Franc/);
  // The keyboard way: typing highlights the best match and Enter takes it.
  await form.getByLabel('Phone region').focus();
  await page.keyboard.type('Switzerland');
  await page.keyboard.press('Enter');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Settings saved')).toBeVisible();

  await hearth.stop();
  await expect(page.getByRole('status').filter({ hasText: /Reconnecting|Connecting/ })).toBeVisible();
  await hearth.start();
  // Sessions live in the server's memory: the open page notices on its own that it must sign in again.
  await expect(page.getByRole('heading', { name: 'Sign in to Hearth' })).toBeVisible({ timeout: 30_000 });
  await page.goto(hearth.info.url);
  const reopened = await openSettings(page);

  await expect(reopened.getByLabel('Firm name')).toHaveValue('Ashdown & Partners LLP');
  await expect(reopened.getByLabel('Base currency')).toHaveValue(/^CHF/);
  await expect(reopened.getByLabel('Phone region')).toHaveValue(/^CH/);
  await expect(page.getByRole('complementary', { name: 'Sidebar' })).toContainText('Ashdown & Partners LLP');
});

test('a validation error from the core shows next to its field', async ({ page, signIn }) => {
  await signIn(page);
  const form = await openSettings(page);

  await form.getByLabel('Firm name').fill('   ');
  await form.getByRole('button', { name: 'Save changes' }).click();

  const firmName = form.getByLabel('Firm name');
  await expect(firmName).toHaveAttribute('aria-invalid', 'true');
  await expect(firmName).toHaveAccessibleDescription(/must not be empty/i);
  await expect(firmName).toBeFocused();
});

test('a second tab sees a settings change live', async ({ page, context, signIn }) => {
  await signIn(page);
  const other = await context.newPage();
  await other.goto(new URL(page.url()).origin);
  await expect(other.getByRole('contentinfo', { name: 'Status' }).getByRole('status')).toHaveText(/Live/);

  const form = await openSettings(page);
  await form.getByLabel('Firm name').fill('Harbour Street Advisors');
  await form.getByRole('button', { name: 'Save changes' }).click();

  await expect(other.getByRole('heading', { level: 2, name: 'Harbour Street Advisors' })).toBeVisible();
  await expect(other.getByRole('complementary', { name: 'Sidebar' })).toContainText('Harbour Street Advisors');
});

test('saving over a newer version from another tab shows the conflict and can overwrite it', async ({
  page,
  context,
  signIn,
}) => {
  await signIn(page);
  const mine = await openSettings(page);
  await mine.getByLabel('Firm name').fill('Mine Ltd');

  const other = await context.newPage();
  await other.goto(new URL(page.url()).origin);
  const theirs = await openSettings(other);
  await theirs.getByLabel('Firm name').fill('Theirs Ltd');
  await choose(theirs, 'Base currency', 'USD', /US Dollar/);
  await theirs.getByRole('button', { name: 'Save changes' }).click();
  await expect(other.getByText('Settings saved')).toBeVisible();

  await mine.getByRole('button', { name: 'Save changes' }).click();
  const conflict = page.getByRole('alertdialog', { name: 'Someone else changed these settings' });
  await expect(conflict).toBeVisible();
  await expect(conflict.getByRole('row', { name: /Firm name/ })).toContainText('Theirs Ltd');
  await expect(conflict.getByRole('row', { name: /Firm name/ })).toContainText('Mine Ltd');
  await expect(conflict.getByRole('row', { name: /Base currency/ })).toContainText('USD');

  await conflict.getByRole('button', { name: 'Overwrite with mine' }).click();
  await expect(conflict).toBeHidden();
  await expect(page.getByText('Settings saved')).toBeVisible();
  // Only the field this tab changed was overwritten; the other person's currency stays.
  await expect(mine.getByLabel('Firm name')).toHaveValue('Mine Ltd');
  await expect(mine.getByLabel('Base currency')).toHaveValue(/^USD/);
  await expect(theirs.getByLabel('Firm name')).toHaveValue('Mine Ltd');
});

test('a conflict can be resolved by taking the other version', async ({ page, hearth, signIn }) => {
  await signIn(page);
  const form = await openSettings(page);
  await form.getByLabel('Firm name').fill('Draft name');

  const current = await hearth.call<{ version: number }>('settings.get', {});
  await hearth.call('settings.update', { version: current.version, patch: { firmName: 'Saved by a script' } });

  await form.getByRole('button', { name: 'Save changes' }).click();
  const conflict = page.getByRole('alertdialog');
  await conflict.getByRole('button', { name: 'Discard mine and reload' }).click();
  await expect(conflict).toBeHidden();
  await expect(form.getByLabel('Firm name')).toHaveValue('Saved by a script');
});
