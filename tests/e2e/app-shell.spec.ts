import { expect, test, unavailable } from './fixtures/test.js';

test('the shell loads with the sidebar, the home overview and a status line from system.info', async ({
  page,
  hearth,
  signIn,
}) => {
  await signIn(page);

  await expect(page.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();
  await expect(page.getByRole('link', { name: /Home/ })).toHaveAttribute('aria-current', 'page');

  const status = page.getByRole('contentinfo', { name: 'Status' });
  const info = await hearth.call<{ version: string; schemaVersion: number; keySource: string }>('system.info', {});
  await expect(status).toContainText(`Hearth ${info.version}`);
  await expect(status).toContainText(`Schema ${info.schemaVersion}`);
  await expect(status).toContainText(info.keySource);
  await expect(status).toContainText('key file');
  await expect(status.getByRole('status')).toHaveText(/Live/);

  // The overview shows the real workspace, not sample numbers.
  await expect(page.getByRole('heading', { level: 2, name: 'My firm' })).toBeVisible();
  await expect(page.getByText('Audit log', { exact: true })).toBeVisible();
});

test('keyboard shortcuts move between screens and list themselves in a help overlay', async ({ page, signIn }) => {
  await signIn(page);

  await page.keyboard.press('g');
  await page.keyboard.press('s');
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(page).toHaveURL(/#\/settings$/);

  await page.keyboard.press('g');
  await page.keyboard.press('h');
  await expect(page.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();

  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help).toContainText('Go to Settings');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command menu' });
  await expect(palette).toBeVisible();
  await page.keyboard.type('settings');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
});

test('a visit without a session explains how to sign in', async ({ page, hearth }) => {
  await page.goto(hearth.info.origin);

  await expect(page.getByRole('heading', { name: 'Sign in to Hearth' })).toBeVisible();
  await expect(page.getByText(/Open the sign-in link that hearth serve printed/)).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
});

test('the appearance choice switches to dark and survives a reload', async ({ page, signIn }) => {
  await signIn(page);
  await page.getByRole('button', { name: /Appearance/ }).click();
  await page.getByRole('menuitemradio', { name: 'Dark' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});

test('a screen whose data fails to load says why and loads it on retry', async ({ page, signIn }) => {
  let failing = true;
  await page.route('**/api/rpc/system.info', (route) =>
    failing ? route.fulfill(unavailable('The database is busy.')) : route.fallback(),
  );
  await signIn(page);

  const problem = page.getByRole('alert').filter({ hasText: "Couldn't load the system details" });
  await expect(problem).toContainText('The database is busy.');
  await expect(page.getByRole('contentinfo', { name: 'Status' })).toContainText('System details unavailable');

  failing = false;
  await problem.getByRole('button', { name: 'Try again' }).click();
  await expect(problem).toBeHidden();
  await expect(page.getByText('Append-only, hash-chained')).toBeVisible();
});
