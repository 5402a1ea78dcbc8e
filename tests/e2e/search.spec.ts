// Global search: the command palette finds records as they are typed (typos and accents forgiven), groups them by
// kind with the matches marked, opens them, offers actions on them, and says when it is searching, finds nothing or
// fails.
import type { Locator, Page } from '@playwright/test';
import type { HearthServer } from './fixtures/hearth-server.js';
import { expect, test, unavailable } from './fixtures/test.js';

interface Created {
  id: string;
}

interface Seeded {
  anna: Created;
  jonathan: Created;
}

async function seedPeople(hearth: HearthServer): Promise<Seeded> {
  await hearth.call('settings.update', {
    version: 1,
    patch: { firmName: 'Ashdown & Partners LLP', baseCurrency: 'GBP', phoneRegion: 'GB' },
  });
  const anna = await hearth.call<Created>('people.create', {
    firstName: 'Anna',
    lastName: 'Müller',
    emails: [{ address: 'anna.mueller@kanzlei-berlin.de' }],
  });
  const jonathan = await hearth.call<Created>('people.create', {
    firstName: 'Jonathan',
    lastName: 'Whitfield',
    title: 'Finance Director',
    emails: [{ address: 'jonathan.whitfield@harbourside-logistics.co.uk' }],
    phones: [{ number: '+44 20 7946 0958' }],
  });
  await hearth.call('people.create', { firstName: 'Priya', lastName: 'Raman' });
  return { anna, jonathan };
}

function palette(page: Page): Locator {
  return page.getByRole('dialog', { name: 'Command menu' });
}

function searchBox(page: Page): Locator {
  return palette(page).getByRole('combobox');
}

/** A group of the palette's list ("People", "Recent", "Create"). */
function group(page: Page, name: string): Locator {
  return palette(page).getByRole('group', { name, exact: true });
}

async function openPalette(page: Page): Promise<void> {
  await page.getByRole('heading', { level: 1 }).click();
  await page.keyboard.press('Control+k');
  await expect(searchBox(page)).toBeFocused();
}

test('a misspelt surname finds the person, marked in the People group, and Enter opens their page', async ({
  page,
  hearth,
  signIn,
}) => {
  const { jonathan } = await seedPeople(hearth);
  await signIn(page);
  await openPalette(page);

  await page.keyboard.type('whitfeld');
  const person = group(page, 'People').getByRole('option', { name: /Jonathan Whitfield/ });
  // The surname is marked in the name (and the email's local part in the subtitle).
  await expect(person.locator('mark').first()).toHaveText('Whitfield');
  await expect(person).toHaveAttribute('aria-selected', 'true');
  await expect(palette(page).getByRole('status')).toHaveText(/\d+ match/);

  await page.keyboard.press('Enter');
  await expect(palette(page)).toBeHidden();
  await expect(page).toHaveURL(new RegExp(`#/people/${jonathan.id}$`));
  await expect(page.getByRole('heading', { level: 2, name: 'Jonathan Whitfield' })).toBeVisible();
});

test('a search without accents finds the name with them, and the email and phone find their person', async ({
  page,
  hearth,
  signIn,
}) => {
  const { anna } = await seedPeople(hearth);
  await signIn(page);
  await openPalette(page);

  await page.keyboard.type('muller');
  const found = group(page, 'People').getByRole('option', { name: /Anna Müller/ });
  await expect(found.locator('mark').first()).toHaveText('Müller');

  await searchBox(page).fill('harbourside-logistics');
  await expect(group(page, 'People').getByRole('option', { name: /Jonathan Whitfield/ })).toBeVisible();
  await searchBox(page).fill('7946 0958');
  await expect(group(page, 'People').getByRole('option', { name: /Jonathan Whitfield/ })).toBeVisible();

  // Arrow keys move through the results; Enter opens the one chosen.
  await searchBox(page).fill('anna');
  await expect(
    group(page, 'People')
      .getByRole('option', { name: /Anna Müller/ })
      .locator('mark')
      .first(),
  ).toHaveText('Anna');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`#/people/${anna.id}$`));
});

test('the header search box opens the palette, which lists recent records for an empty query', async ({
  page,
  hearth,
  signIn,
}) => {
  await seedPeople(hearth);
  await signIn(page);

  await page.getByRole('button', { name: 'Search records and commands' }).click();
  await expect(palette(page)).toBeVisible();
  await expect(searchBox(page)).toBeFocused();
  const recent = group(page, 'Recent');
  await expect(recent.getByRole('option', { name: /Priya Raman/ })).toBeVisible();
  await expect(recent.getByRole('option', { name: /Jonathan Whitfield/ })).toBeVisible();
  await expect(recent.getByRole('option', { name: /Anna Müller/ })).toBeVisible();
  // The commands are still there under the records.
  await expect(group(page, 'Navigate').getByRole('option', { name: 'Go to Deals' })).toBeVisible();

  await page.keyboard.press('Escape');
  await expect(palette(page)).toBeHidden();
  await expect(page.getByRole('button', { name: 'Search records and commands' })).toBeFocused();
});

test('Enter pressed before the answer arrives opens the best result once it does', async ({ page, hearth, signIn }) => {
  const { jonathan } = await seedPeople(hearth);
  await signIn(page);
  // A slow answer, so Enter surely comes first.
  await page.route('**/api/rpc/search.query', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    await route.fallback();
  });
  await openPalette(page);

  await page.keyboard.type('whitfeld');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`#/people/${jonathan.id}$`));
  await expect(page.getByRole('heading', { level: 2, name: 'Jonathan Whitfield' })).toBeVisible();
});

test('results are grouped by kind, best group first, above the commands that match', async ({
  page,
  hearth,
  signIn,
}) => {
  await seedPeople(hearth);
  const company = await hearth.call<Created>('companies.create', { name: 'Whitfield Logistics Ltd' });
  const stages = await hearth.call<{ items: Array<{ stages: Array<{ id: string }> }> }>('pipelines.list', {});
  const deal = await hearth.call<Created>('deals.create', {
    title: 'Whitfield warehouse lease',
    stageId: stages.items[0]!.stages[0]!.id,
    amount: 1_200_000,
    currency: 'GBP',
    companyId: company.id,
  });
  await signIn(page);
  await openPalette(page);

  await page.keyboard.type('whitfield');
  const list = palette(page).getByRole('listbox');
  await expect(group(page, 'Deals').getByRole('option', { name: /Whitfield warehouse lease/ })).toBeVisible();
  await expect(group(page, 'Companies').getByRole('option', { name: /Whitfield Logistics Ltd/ })).toBeVisible();
  await expect(group(page, 'People').getByRole('option', { name: /Jonathan Whitfield/ })).toBeVisible();
  const headings = await list.locator('.palette-heading').allTextContents();
  const records = headings.filter((name) => ['People', 'Companies', 'Deals'].includes(name));
  expect(records).toHaveLength(3);
  // Records come before every command group.
  expect(headings.indexOf('Actions')).toBeGreaterThan(Math.max(...records.map((name) => headings.indexOf(name))));

  // A call is logged on a deal the same way as on a person.
  await searchBox(page).fill('warehouse lease');
  await group(page, 'Actions').getByRole('option', { name: 'Log a call for Whitfield warehouse lease' }).click();
  await expect(page).toHaveURL(new RegExp(`#/deals/${deal.id}$`));
  await expect(page.getByRole('form', { name: 'Log a call' }).getByLabel('Subject')).toBeFocused();
});

test('"Log a call for …" opens the record with the call form ready, and the call is logged', async ({
  page,
  hearth,
  signIn,
}) => {
  const { jonathan } = await seedPeople(hearth);
  await signIn(page);
  await openPalette(page);

  await page.keyboard.type('whitfield');
  await expect(group(page, 'People').getByRole('option', { name: /Jonathan Whitfield/ })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await group(page, 'Actions').getByRole('option', { name: 'Log a call for Jonathan Whitfield' }).click();

  await expect(page).toHaveURL(new RegExp(`#/people/${jonathan.id}$`));
  const call = page.getByRole('form', { name: 'Log a call' });
  await expect(call.getByLabel('Subject')).toBeFocused();
  await page.keyboard.type('Quarterly figures');
  await call.getByRole('button', { name: 'Log call' }).click();
  await expect(call).toBeHidden();
  await expect(
    page.getByRole('region', { name: 'Activity' }).getByRole('listitem').filter({ hasText: 'Quarterly figures' }),
  ).toBeVisible();
});

test('"New person" in the palette opens the new-person form', async ({ page, signIn }) => {
  await signIn(page);
  await openPalette(page);

  await page.keyboard.type('new person');
  await expect(group(page, 'Create').getByRole('option', { name: 'New person' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await page.keyboard.press('Enter');
  const form = page.getByRole('dialog', { name: 'New person' });
  await expect(form.getByLabel('First name')).toBeFocused();
  await expect(palette(page)).toBeHidden();
});

test('the palette says when nothing matches and when the search fails, and searches again on request', async ({
  page,
  hearth,
  signIn,
}) => {
  await seedPeople(hearth);
  await signIn(page);
  await openPalette(page);

  await page.keyboard.type('zzqxv');
  await expect(palette(page).getByRole('listbox').getByText('No matches for “zzqxv”')).toBeVisible();
  await expect(palette(page).getByRole('status')).toHaveText('No matches');

  let failing = true;
  await page.route('**/api/rpc/search.query', (route) =>
    failing ? route.fulfill(unavailable('The database is busy.')) : route.fallback(),
  );
  await searchBox(page).fill('anna');
  await expect(palette(page).getByText("Couldn't search records: The database is busy.")).toBeVisible();
  await expect(palette(page).getByRole('status')).toHaveText('Search failed: The database is busy.');

  failing = false;
  await palette(page).getByRole('button', { name: 'Try again' }).click();
  await expect(group(page, 'People').getByRole('option', { name: /Anna Müller/ })).toBeVisible();
  await expect(palette(page).getByText("Couldn't search records")).toBeHidden();
});

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme}`, () => {
    test.use({ colorScheme: scheme });

    test(`pictures of the palette with results (${scheme})`, async ({ page, hearth, signIn, saveScreenshot }) => {
      await seedPeople(hearth);
      const company = await hearth.call<Created>('companies.create', {
        name: 'Whitfield & Hargreaves Shipping and Logistics International Holdings Ltd',
        domains: ['whitfield-hargreaves.co.uk'],
      });
      await hearth.call('notes.create', {
        body: 'Jonathan Whitfield asked for the revised quote before the board meeting on Thursday.',
        companyIds: [company.id],
      });
      await signIn(page);

      await page.getByRole('button', { name: 'Search records and commands' }).click();
      await expect(group(page, 'Recent').getByRole('option').first()).toBeVisible();
      await saveScreenshot(page, `search-recent-${scheme}-1366x768`);

      await page.keyboard.type('whitfeld');
      await expect(group(page, 'People').locator('mark').first()).toBeVisible();
      await saveScreenshot(page, `search-results-${scheme}-1366x768`);

      await searchBox(page).fill('zzqxv');
      await expect(palette(page).getByRole('listbox').getByText('No matches for “zzqxv”')).toBeVisible();
      await saveScreenshot(page, `search-no-matches-${scheme}-1366x768`);
    });
  });
}
