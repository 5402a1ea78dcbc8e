// Pictures of every screen in light and dark, at a laptop and a large display size, for people to look at.
import { installFakeDesktop } from './fixtures/fake-desktop.js';
import { expect, test, unavailable } from './fixtures/test.js';

const sizes = [
  { name: '1366x768', width: 1366, height: 768 },
  { name: '1920x1080', width: 1920, height: 1080 },
] as const;

for (const scheme of ['light', 'dark'] as const) {
  for (const size of sizes) {
    test.describe(`${scheme} ${size.name}`, () => {
      test.use({ colorScheme: scheme, viewport: { width: size.width, height: size.height } });
      const shot = (name: string) => `${name}-${scheme}-${size.name}`;

      test('app screens', async ({ page, hearth, signIn, saveScreenshot }) => {
        await hearth.call('settings.update', {
          version: 1,
          patch: { firmName: 'Ashdown & Partners LLP', baseCurrency: 'GBP', phoneRegion: 'GB' },
        });
        await signIn(page);
        await expect(page.getByRole('heading', { level: 2, name: 'Ashdown & Partners LLP' })).toBeVisible();
        await expect(page.getByText('Append-only, hash-chained')).toBeVisible();
        await saveScreenshot(page, shot('home'));

        await page.keyboard.press('g');
        await page.keyboard.press('s');
        const form = page.getByRole('form', { name: 'Workspace settings' });
        await expect(form.getByLabel('Firm name')).toHaveValue('Ashdown & Partners LLP');
        await saveScreenshot(page, shot('settings'));

        await form.getByLabel('Base currency').click();
        await form.getByLabel('Base currency').pressSequentially('franc');
        await expect(page.getByRole('option').first()).toBeVisible();
        await saveScreenshot(page, shot('settings-currency-open'));
        await page.keyboard.press('Escape');

        await form.getByLabel('Firm name').fill('');
        await form.getByRole('button', { name: 'Save changes' }).click();
        await expect(form.getByLabel('Firm name')).toHaveAttribute('aria-invalid', 'true');
        await saveScreenshot(page, shot('settings-invalid'));

        await form.getByLabel('Firm name').fill('Ashdown Partners');
        await hearth.call('settings.update', { version: 2, patch: { firmName: 'Ashdown & Co', baseCurrency: 'EUR' } });
        await form.getByRole('button', { name: 'Save changes' }).click();
        await expect(page.getByRole('alertdialog')).toBeVisible();
        await saveScreenshot(page, shot('settings-conflict'));
        await page.getByRole('button', { name: 'Discard mine and reload' }).click();
        await expect(page.getByRole('alertdialog')).toBeHidden();

        await page.keyboard.press('?');
        await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
        await saveScreenshot(page, shot('help'));
        await page.keyboard.press('Escape');

        await page.keyboard.press('Control+k');
        await expect(page.getByRole('dialog', { name: 'Command menu' })).toBeVisible();
        await saveScreenshot(page, shot('command-menu'));
      });

      test('loading and error states', async ({ page, signIn, saveScreenshot }) => {
        let release: () => void = () => undefined;
        const held = new Promise<void>((resolve) => (release = resolve));
        await page.route('**/api/rpc/**', async (route) => {
          await held;
          await route.fallback();
        });
        await signIn(page);
        await saveScreenshot(page, shot('home-loading'));
        release();
        await page.unrouteAll();

        await page.route('**/api/rpc/system.info', (route) => route.fulfill(unavailable()));
        await page.reload();
        await expect(page.getByRole('alert').filter({ hasText: "Couldn't load the system details" })).toBeVisible();
        await saveScreenshot(page, shot('home-error'));
      });

      test('sign-in and desktop screens', async ({ page, hearth, signIn, saveScreenshot }) => {
        await page.goto(hearth.info.origin);
        await expect(page.getByRole('heading', { name: 'Sign in to Hearth' })).toBeVisible();
        await saveScreenshot(page, shot('sign-in'));

        await signIn(page);
        await installFakeDesktop(page, { state: 'needs-setup', keychainAvailable: true, dataDir: hearth.dataDir });
        await page.reload();
        await page.getByRole('radio', { name: /A passphrase/ }).click();
        await page.getByLabel('Passphrase', { exact: true }).fill('copper kettle');
        await saveScreenshot(page, shot('first-run'));
        await page.getByLabel('Type it again').fill('copper kettle');
        await page.getByRole('button', { name: 'Create encrypted workspace' }).click();
        await expect(page.getByRole('heading', { name: 'Name your workspace' })).toBeVisible();
        await saveScreenshot(page, shot('first-run-workspace'));
      });

      test('unlock screen', async ({ page, hearth, signIn, saveScreenshot }) => {
        await signIn(page);
        await installFakeDesktop(page, {
          state: 'locked',
          keychainAvailable: false,
          dataDir: hearth.dataDir,
          passphrase: 'right one',
        });
        await page.reload();
        await page.getByLabel('Passphrase').fill('wrong one');
        await page.getByRole('button', { name: 'Unlock' }).click();
        await expect(page.getByText(/doesn't unlock this workspace/)).toBeVisible();
        await saveScreenshot(page, shot('unlock-wrong'));
      });
    });
  }
}
