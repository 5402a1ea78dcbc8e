// Marketing consent on a person: set in the New person form, shown on the record page, edited in place, and the
// core's messages about it shown next to the part they are about.
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures/test.js';

interface Person {
  id: string;
  consent: { marketing: boolean; at: number | null; basis: string | null };
}

function details(page: Page): Locator {
  return page.getByRole('region', { name: 'Details' });
}

/** Opens the header's New menu with its shortcut and starts a person. */
async function startNewPerson(page: Page): Promise<Locator> {
  await page.getByRole('heading', { level: 1 }).click();
  await page.keyboard.press('n');
  await page.getByRole('menuitem', { name: 'Person' }).click();
  const dialog = page.getByRole('dialog', { name: 'New person' });
  await expect(dialog).toBeVisible();
  return dialog;
}

/** The day an instant falls on where the browser is (the Playwright config puts it in London). */
function londonDay(epochMs: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(epochMs);
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(scheme, () => {
    test.use({ colorScheme: scheme, viewport: { width: 1366, height: 768 } });
    const shot = (name: string) => `consent-${name}-${scheme}-1366x768`;

    test('a person opted in to marketing keeps the consent and its basis through an edit in place', async ({
      page,
      hearth,
      signIn,
      saveScreenshot,
    }) => {
      await signIn(page);
      const form = await startNewPerson(page);
      await form.getByLabel('First name').fill('Grace');
      await form.getByLabel('Last name').fill('Hopper');

      const optIn = form.getByRole('switch', { name: 'Marketing opt-in' });
      await expect(optIn).not.toBeChecked();
      await expect(form.getByLabel('Consented on')).toHaveValue('');
      // Keyboard: the switch toggles with Space like any checkbox.
      await optIn.focus();
      await page.keyboard.press('Space');
      await expect(optIn).toBeChecked();
      await form.getByLabel('Legal basis').selectOption({ label: 'Consent' });
      await expect(form.getByText('Left empty, today is recorded')).toBeVisible();
      await form.getByRole('group', { name: 'Consent' }).scrollIntoViewIfNeeded();
      await saveScreenshot(page, shot('form'));
      await form.getByRole('button', { name: 'Create person' }).click();

      await expect(page).toHaveURL(/#\/people\/[0-9a-f-]{36}$/);
      const id = page.url().split('/').pop()!;
      await expect(page.getByRole('heading', { level: 2, name: 'Grace Hopper' })).toBeVisible();
      const created = await hearth.call<Person>('people.get', { id });
      expect(created.consent).toMatchObject({ marketing: true, basis: 'consent' });
      expect(created.consent.at).not.toBeNull();

      const consent = details(page).getByRole('group', { name: 'Consent' });
      const edit = consent.getByRole('button', { name: 'Edit marketing' });
      await expect(edit).toContainText('Opted in');
      await expect(edit).toContainText('Consent');
      await edit.scrollIntoViewIfNeeded();
      await saveScreenshot(page, shot('record'));

      // In place: the editor starts from what is stored; only the basis changes.
      await edit.click();
      await expect(consent.getByRole('switch', { name: 'Marketing opt-in' })).toBeChecked();
      await expect(consent.getByLabel('Legal basis')).toHaveValue('consent');
      await expect(consent.getByLabel('Consented on')).toHaveValue(londonDay(created.consent.at!));
      await consent.getByLabel('Legal basis').selectOption({ label: 'Legitimate interests' });
      await page.getByRole('button', { name: 'Close toast' }).click();
      await consent.getByRole('button', { name: 'Save' }).scrollIntoViewIfNeeded();
      await saveScreenshot(page, shot('editing'));
      await consent.getByRole('button', { name: 'Save' }).click();
      await expect(consent.getByRole('button', { name: 'Edit marketing' })).toContainText('Legitimate interests');

      await page.reload();
      await expect(page.getByRole('heading', { level: 2, name: 'Grace Hopper' })).toBeVisible();
      await expect(details(page).getByRole('button', { name: 'Edit marketing' })).toContainText('Legitimate interests');
      const saved = await hearth.call<Person>('people.get', { id });
      // The whole consent travels with the edit; the recorded moment is kept as it was.
      expect(saved.consent).toEqual({ marketing: true, at: created.consent.at, basis: 'legitimate_interests' });
    });

    test("the core's messages about consent show next to the part they are about", async ({
      page,
      signIn,
      saveScreenshot,
    }) => {
      await signIn(page);
      await page.route('**/api/rpc/people.create', (route) =>
        route.fulfill({
          status: 400,
          contentType: 'application/json',
          body: JSON.stringify({
            error: {
              code: 'VALIDATION',
              message: 'Check the highlighted fields.',
              details: { issues: [{ path: 'consent.basis', message: 'choose a legal basis' }] },
            },
          }),
        }),
      );
      const form = await startNewPerson(page);
      await form.getByLabel('First name').fill('Grace');
      await form.getByRole('switch', { name: 'Marketing opt-in' }).check();
      await form.getByRole('button', { name: 'Create person' }).click();

      const basis = form.getByLabel('Legal basis');
      await expect(basis).toHaveAttribute('aria-invalid', 'true');
      await expect(basis).toHaveAccessibleDescription('Choose a legal basis');
      await expect(basis).toBeFocused();
      await saveScreenshot(page, shot('invalid'));
      // Choosing a basis clears the message.
      await basis.selectOption({ label: 'Consent' });
      await expect(form.getByText('Choose a legal basis')).toBeHidden();
    });
  });
}

test('a day picked for consent is the day shown, and switching off is saved with the keyboard', async ({
  page,
  hearth,
  signIn,
}) => {
  const person = await hearth.call<Person>('people.create', { firstName: 'Alan', lastName: 'Turing' });
  await signIn(page);
  await page.goto(`${new URL(page.url()).origin}/#/people/${person.id}`);
  const consent = details(page).getByRole('group', { name: 'Consent' });
  const edit = consent.getByRole('button', { name: 'Edit marketing' });
  await expect(edit).toContainText('Not opted in');

  await edit.click();
  await consent.getByRole('switch', { name: 'Marketing opt-in' }).check();
  await consent.getByLabel('Legal basis').selectOption({ label: 'Contract' });
  await consent.getByLabel('Consented on').fill('2024-03-05');
  await consent.getByLabel('Consented on').press('Enter');
  await expect(edit).toContainText('Contract · 5 March 2024');
  let saved = await hearth.call<Person>('people.get', { id: person.id });
  expect(saved.consent.marketing).toBe(true);
  expect(londonDay(saved.consent.at!)).toBe('2024-03-05');

  await edit.focus();
  await page.keyboard.press('Enter');
  const optIn = consent.getByRole('switch', { name: 'Marketing opt-in' });
  await expect(optIn).toBeFocused();
  await page.keyboard.press('Space');
  await page.keyboard.press('Enter');
  await expect(edit).toContainText('Not opted in');
  saved = await hearth.call<Person>('people.get', { id: person.id });
  expect(saved.consent).toMatchObject({ marketing: false, basis: 'contract' });

  // An update's messages come back under `patch.` and show on the part in the editor.
  await page.route('**/api/rpc/people.update', (route) =>
    route.fulfill({
      status: 400,
      contentType: 'application/json',
      body: JSON.stringify({
        error: {
          code: 'VALIDATION',
          message: 'Check the highlighted fields.',
          details: { issues: [{ path: 'patch.consent.at', message: 'the date is not valid' }] },
        },
      }),
    }),
  );
  await edit.click();
  const day = consent.getByLabel('Consented on');
  await day.fill('2024-04-01');
  await day.press('Enter');
  await expect(day).toHaveAttribute('aria-invalid', 'true');
  await expect(day).toHaveAccessibleDescription('The date is not valid');
  await expect(day).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(edit).toContainText('Not opted in');
});
