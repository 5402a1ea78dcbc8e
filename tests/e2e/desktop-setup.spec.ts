// The desktop-only screens, driven through a stand-in for Electron's preload bridge.
import { desktopCalls, installFakeDesktop } from './fixtures/fake-desktop.js';
import { expect, test } from './fixtures/test.js';

test('first run without a keychain leads through a passphrase and naming the workspace', async ({
  page,
  hearth,
  signIn,
}) => {
  await signIn(page);
  await installFakeDesktop(page, { state: 'needs-setup', keychainAvailable: false, dataDir: hearth.dataDir });
  await page.reload();

  await expect(page.getByRole('heading', { name: 'Welcome to Hearth' })).toBeVisible();
  await expect(page.getByRole('radio', { name: /system keychain/ })).toBeDisabled();
  await expect(page.getByText(/Not available on this computer/)).toBeVisible();
  await expect(page.getByRole('radio', { name: /A passphrase/ })).toBeChecked();

  await page.getByLabel('Passphrase', { exact: true }).fill('short');
  await page.getByLabel('Type it again').fill('short');
  await page.getByRole('button', { name: 'Create encrypted workspace' }).click();
  await expect(page.getByLabel('Passphrase', { exact: true })).toHaveAccessibleDescription(/at least 8 characters/);

  await page.getByLabel('Passphrase', { exact: true }).fill('copper kettle winter lamp');
  await page.getByLabel('Type it again').fill('copper kettle winter lamp');
  await page.getByRole('button', { name: 'Create encrypted workspace' }).click();

  await expect(page.getByRole('heading', { name: 'Name your workspace' })).toBeVisible();
  await page.getByLabel('Firm name').fill('Lantern Legal');
  await page.getByRole('button', { name: 'Open Hearth' }).click();

  await expect(page.getByRole('heading', { level: 2, name: 'Lantern Legal' })).toBeVisible();
  expect(await desktopCalls(page)).toContainEqual({
    procedure: 'app.setup',
    input: { keySource: 'passphrase', passphrase: 'copper kettle winter lamp' },
  });
});

test('unlocking says so inline when the passphrase is wrong', async ({ page, hearth, signIn }) => {
  await signIn(page);
  await installFakeDesktop(page, {
    state: 'locked',
    keychainAvailable: true,
    dataDir: hearth.dataDir,
    passphrase: 'open sesame please',
  });
  await page.reload();

  const passphrase = page.getByLabel('Passphrase');
  await expect(passphrase).toBeFocused();
  await passphrase.fill('open sesame');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(passphrase).toHaveAccessibleDescription(/doesn't unlock this workspace/);

  await passphrase.fill('open sesame please');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();
});
