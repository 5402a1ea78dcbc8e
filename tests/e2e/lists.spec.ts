// People and companies lists: filter, sort, saved views, bulk actions and live updates, as a person uses them.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/test.js';
import type { HearthServer } from './fixtures/hearth-server.js';

interface Seed {
  firstName: string;
  lastName: string;
  lifecycleStage: 'lead' | 'prospect' | 'customer' | 'former_customer' | 'other';
  title?: string;
}

const PEOPLE: Seed[] = [
  { firstName: 'Ada', lastName: 'Lovelace', lifecycleStage: 'customer', title: 'Analyst' },
  { firstName: 'Grace', lastName: 'Hopper', lifecycleStage: 'customer', title: 'Rear Admiral' },
  { firstName: 'Alan', lastName: 'Turing', lifecycleStage: 'lead' },
  { firstName: 'Katherine', lastName: 'Johnson', lifecycleStage: 'customer' },
  { firstName: 'Edsger', lastName: 'Dijkstra', lifecycleStage: 'prospect' },
  { firstName: 'Barbara', lastName: 'Liskov', lifecycleStage: 'customer' },
  { firstName: 'Donald', lastName: 'Knuth', lifecycleStage: 'lead' },
  { firstName: 'Frances', lastName: 'Allen', lifecycleStage: 'other' },
  { firstName: 'Tim', lastName: 'Berners-Lee', lifecycleStage: 'former_customer' },
  { firstName: 'Radia', lastName: 'Perlman', lifecycleStage: 'prospect' },
];

async function seedPeople(hearth: HearthServer, people: Seed[] = PEOPLE): Promise<Array<{ id: string }>> {
  const created: Array<{ id: string }> = [];
  for (const person of people) {
    created.push(
      await hearth.call<{ id: string }>('people.create', {
        ...person,
        emails: [{ address: `${person.firstName}.${person.lastName}@example.com`.toLowerCase() }],
      }),
    );
  }
  return created;
}

async function goToPeople(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: /People/ })
    .click();
}

async function openPeople(page: Page): Promise<void> {
  await goToPeople(page);
  await expect(page.getByRole('grid', { name: 'People' })).toBeVisible();
}

/** The data rows of the list, in order (the header row is not one of them). */
function rows(page: Page) {
  return page
    .getByRole('grid')
    .getByRole('row')
    .filter({ has: page.getByRole('gridcell') });
}

test('filter with the builder, sort by a header, save the view and open it again', async ({
  page,
  hearth,
  signIn,
  saveScreenshot,
}) => {
  await seedPeople(hearth);
  await signIn(page);
  await openPeople(page);
  await expect(page.getByText('10 people', { exact: true })).toBeVisible();
  await saveScreenshot(page, 'lists-people');

  await page.getByRole('button', { name: 'Add filter' }).click();
  await page.getByRole('option', { name: 'Lifecycle stage' }).click();
  await page.getByRole('option', { name: 'Customer', exact: true }).click();
  await expect(page.getByText('4 people', { exact: true })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Filters' })).toContainText('Lifecycle stage is Customer');
  await expect(rows(page)).toHaveCount(4);
  for (const row of await rows(page).all()) await expect(row).toContainText('Customer');

  // Name: ascending, then descending (by last name).
  const nameHeader = page.getByRole('columnheader', { name: 'Name' });
  await nameHeader.getByRole('button').click();
  await expect(nameHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect(rows(page).first()).toContainText('Grace Hopper');
  await nameHeader.getByRole('button').click();
  await expect(nameHeader).toHaveAttribute('aria-sort', 'descending');
  await expect(rows(page).first()).toContainText('Ada Lovelace');
  await expect(rows(page).last()).toContainText('Grace Hopper');
  await saveScreenshot(page, 'lists-people-filtered-sorted');

  await page.getByRole('button', { name: 'Save view' }).click();
  const dialog = page.getByRole('dialog', { name: 'Save view' });
  await dialog.getByLabel('Name', { exact: true }).fill('Customers Z–A');
  await dialog.getByRole('button', { name: 'Save view' }).click();
  await expect(page.getByText('Saved the view “Customers Z–A”')).toBeVisible();
  await expect(page.getByRole('button', { name: 'View: Customers Z–A' })).toBeVisible();

  // Back to everyone, then the saved view brings its filter and order back.
  await page.getByRole('button', { name: /^View:/ }).click();
  await page.getByRole('menuitemradio', { name: 'All people' }).click();
  await expect(page.getByText('10 people', { exact: true })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Filters' })).toBeHidden();

  await page.getByRole('button', { name: /^View:/ }).click();
  await page.getByRole('menuitemradio', { name: 'Customers Z–A' }).click();
  await expect(page.getByText('4 people', { exact: true })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Filters' })).toContainText('Lifecycle stage is Customer');
  await expect(rows(page).first()).toContainText('Ada Lovelace');

  // The view is the one opened last, so it is what the list shows after a reload.
  await page.reload();
  await expect(page.getByRole('button', { name: 'View: Customers Z–A' })).toBeVisible();
  await expect(page.getByText('4 people', { exact: true })).toBeVisible();
  await expect(rows(page).first()).toContainText('Ada Lovelace');
});

test('select two people and tag them in bulk', async ({ page, hearth, signIn, saveScreenshot }) => {
  await seedPeople(hearth);
  await signIn(page);
  await openPeople(page);

  await page.getByRole('checkbox', { name: 'Select Ada Lovelace' }).check();
  await page.getByRole('checkbox', { name: 'Select Grace Hopper' }).check();
  const bar = page.getByRole('toolbar', { name: 'Selected records' });
  await expect(bar).toContainText('2 selected');

  await bar.getByRole('button', { name: 'Add tag' }).click();
  await page.getByRole('combobox', { name: 'Tag to add' }).fill('priority');
  await saveScreenshot(page, 'lists-bulk-add-tag');
  await page.getByRole('option', { name: 'Create “priority”' }).click();
  await expect(page.getByText('Tagged 2 people “priority”')).toBeVisible();

  await expect(page.getByRole('row', { name: /Ada Lovelace/ })).toContainText('priority');
  await expect(page.getByRole('row', { name: /Grace Hopper/ })).toContainText('priority');
  await expect(page.getByRole('row', { name: /Alan Turing/ })).not.toContainText('priority');
  await saveScreenshot(page, 'lists-bulk-tagged');

  // The tag is a filter now, and only the two match.
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Add filter' }).click();
  await page.getByRole('option', { name: 'Tag', exact: true }).click();
  await page.getByRole('option', { name: /priority/ }).click();
  await expect(page.getByText('2 people', { exact: true })).toBeVisible();
  await expect(rows(page)).toHaveCount(2);
});

test('deleting selected people can be undone from the toast', async ({ page, hearth, signIn }) => {
  await seedPeople(hearth);
  await signIn(page);
  await openPeople(page);

  await page.getByRole('checkbox', { name: 'Select Alan Turing' }).check();
  await page.getByRole('toolbar', { name: 'Selected records' }).getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Move to trash' }).click();
  await expect(page.getByText('9 people', { exact: true })).toBeVisible();
  await expect(page.getByRole('row', { name: /Alan Turing/ })).toBeHidden();

  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByText('Restored 1 person')).toBeVisible();
  await expect(page.getByText('10 people', { exact: true })).toBeVisible();
  await expect(page.getByRole('row', { name: /Alan Turing/ })).toBeVisible();
});

test('the list follows changes made elsewhere', async ({ page, hearth, signIn }) => {
  const [ada] = await seedPeople(hearth);
  await signIn(page);
  await openPeople(page);
  await expect(page.getByText('10 people', { exact: true })).toBeVisible();

  await hearth.call('people.create', { firstName: 'Mary', lastName: 'Jackson', lifecycleStage: 'lead' });
  await expect(page.getByText('11 people', { exact: true })).toBeVisible();
  await expect(page.getByRole('row', { name: /Mary Jackson/ })).toBeVisible();

  const current = await hearth.call<{ version: number }>('people.get', { id: ada!.id });
  await hearth.call('people.update', { id: ada!.id, version: current.version, patch: { title: 'Countess' } });
  await expect(page.getByRole('row', { name: /Ada Lovelace/ })).toContainText('Countess');

  await hearth.call('people.delete', { id: ada!.id });
  await expect(page.getByRole('row', { name: /Ada Lovelace/ })).toBeHidden();
  await expect(page.getByText('10 people', { exact: true })).toBeVisible();
});

test('the keyboard moves through rows, selects and opens one', async ({ page, hearth, signIn }) => {
  const [ada] = await seedPeople(hearth, PEOPLE.slice(0, 3));
  await signIn(page);
  await openPeople(page);
  await expect(rows(page)).toHaveCount(3);

  // Default order is by last name: Hopper, Lovelace, Turing.
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('x');
  await expect(page.getByRole('row', { name: /Ada Lovelace/ })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('toolbar', { name: 'Selected records' })).toContainText('1 selected');
  await page.keyboard.press('k');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`#/people/${ada!.id}$`));
});

test('an empty workspace offers to add the first person, and a search that finds nothing offers to clear it', async ({
  page,
  hearth,
  signIn,
  saveScreenshot,
}) => {
  await signIn(page);
  await goToPeople(page);
  await expect(page.getByRole('heading', { name: 'No people yet' })).toBeVisible();
  await saveScreenshot(page, 'lists-people-empty');
  // The shell's New button owns record creation; the empty state only asks it, with an event.
  const asked = page.evaluate(() => {
    type Listener = (event: { detail: unknown }) => void;
    const target = globalThis as unknown as { addEventListener(type: string, fn: Listener, o: object): void };
    return new Promise<unknown>((resolve) =>
      target.addEventListener('hearth:new-record', (event) => resolve(event.detail), { once: true }),
    );
  });
  await page.getByRole('button', { name: 'New person' }).click();
  expect(await asked).toEqual({ entity: 'person' });
  await page.keyboard.press('Escape');

  await seedPeople(hearth, PEOPLE.slice(0, 2));
  await expect(rows(page)).toHaveCount(2);
  await page.getByRole('searchbox', { name: 'Search people by name' }).fill('zzz');
  await expect(page.getByRole('heading', { name: 'No people match' })).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(rows(page)).toHaveCount(2);
});

test('companies list, in light and dark', async ({ page, hearth, signIn, saveScreenshot }) => {
  for (const [name, industry, size] of [
    ['Analytical Engines Ltd', 'Software', '11-50'],
    ['Harbour Street Advisors', 'Accounting', '1-10'],
    ['Kestrel Logistics', 'Logistics', '201-500'],
  ] as const) {
    await hearth.call('companies.create', {
      name,
      industry,
      size,
      domains: [`${name.split(' ')[0]!.toLowerCase()}.co.uk`],
    });
  }
  await signIn(page);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: /Companies/ })
    .click();
  await expect(page.getByText('3 companies', { exact: true })).toBeVisible();
  await expect(page.getByRole('row', { name: /Kestrel Logistics/ })).toContainText('201–500');
  await saveScreenshot(page, 'lists-companies-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await saveScreenshot(page, 'lists-companies-dark');
});
