// Deals: the pipeline board (drag and drop, keyboard moves, won and lost dialogs), the list and a deal's page.
import type { Locator, Page } from '@playwright/test';
import type { HearthServer } from './fixtures/hearth-server.js';
import { expect, test } from './fixtures/test.js';

interface Stage {
  id: string;
  name: string;
  kind: 'open' | 'won' | 'lost';
}

interface Deal {
  id: string;
  version: number;
  title: string;
  stageId: string;
  status: 'open' | 'won' | 'lost';
  lostReason: string | null;
}

async function useGbp(hearth: HearthServer): Promise<void> {
  await hearth.call('settings.update', {
    version: 1,
    patch: { firmName: 'Ashdown & Partners LLP', baseCurrency: 'GBP', phoneRegion: 'GB' },
  });
}

async function stagesByName(hearth: HearthServer): Promise<Record<string, Stage>> {
  const { items } = await hearth.call<{ items: Array<{ stages: Stage[] }> }>('pipelines.list', {});
  return Object.fromEntries((items[0]?.stages ?? []).map((stage) => [stage.name, stage]));
}

/** A few deals across the first stages, amounts in pence. */
async function seed(hearth: HearthServer): Promise<Record<string, Stage>> {
  const stages = await stagesByName(hearth);
  const company = await hearth.call<{ id: string }>('companies.create', { name: 'Whitcombe Holdings' });
  const deals: Array<[string, string, number, Record<string, unknown>?]> = [
    ['Pension scheme audit', 'Lead', 850_000],
    ['Harbour lease review', 'Lead', 1_200_000, { expectedCloseDate: '2030-03-31' }],
    ['Probate for the Whitcombe estate', 'Qualified', 420_000, { companyId: company.id }],
    ['Employment tribunal defence', 'Proposal', 1_500_000, { companyId: company.id }],
    ['Trademark filing', 'Negotiation', 300_000],
  ];
  for (const [title, stage, amount, extra] of deals) {
    await hearth.call('deals.create', { title, stageId: stages[stage]!.id, amount, currency: 'GBP', ...extra });
  }
  return stages;
}

function column(page: Page, stage: string): Locator {
  return page.getByTestId(`stage-${stage}`);
}

function card(page: Page, title: string): Locator {
  return page.locator('a[data-deal-id]', { hasText: title });
}

/** Drags a card into a column (scrolled into view first, as a person would scroll the board to it). */
async function dragCard(page: Page, title: string, stage: string): Promise<void> {
  await column(page, stage).scrollIntoViewIfNeeded();
  await card(page, title).dragTo(column(page, stage).locator('ol'));
}

async function expectColumn(page: Page, stage: string, count: number, total: string): Promise<void> {
  await expect(column(page, stage).getByTestId('count')).toHaveText(String(count));
  await expect(column(page, stage).getByTestId('total')).toHaveText(total);
}

test('deals move across the board by drag and drop and by keyboard, and close as won or lost', async ({
  page,
  hearth,
  signIn,
  saveScreenshot,
}) => {
  await useGbp(hearth);
  await seed(hearth);
  await signIn(page);
  // Wide enough for every column: a drag across a board scrolled sideways is more than a test's mouse can do.
  await page.setViewportSize({ width: 2048, height: 900 });
  await page.goto(`${new URL(page.url()).origin}/#/deals`);

  await expect(page.getByRole('radio', { name: 'Board' })).toHaveAttribute('aria-checked', 'true');
  await expectColumn(page, 'Lead', 2, '£20,500');
  await expectColumn(page, 'Qualified', 1, '£4,200');

  // Drag and drop: the Lead column loses the deal and its amount, Qualified gains them.
  await dragCard(page, 'Harbour lease review', 'Qualified');
  await expectColumn(page, 'Lead', 1, '£8,500');
  await expectColumn(page, 'Qualified', 2, '£16,200');
  await expect(column(page, 'Qualified').getByTestId('weighted')).toHaveText('£4,050 weighted');

  // Keyboard: Alt+Left moves the focused card to the previous stage, and says so.
  await card(page, 'Trademark filing').focus();
  await page.keyboard.press('Alt+ArrowLeft');
  await expectColumn(page, 'Negotiation', 0, '£0');
  await expectColumn(page, 'Proposal', 2, '£18,000');
  await expect(page.getByTestId('board-announcer')).toContainText('Trademark filing moved to Proposal');
  await expect(card(page, 'Trademark filing')).toBeFocused();
  // Alt+Down reorders within the column.
  const proposalTitles = column(page, 'Proposal').locator('a[data-deal-id] .title');
  const before = await proposalTitles.allTextContents();
  await page.keyboard.press('Alt+ArrowDown');
  await expect(proposalTitles).toHaveText([...before].reverse());

  // Won asks for confirmation in a dialog.
  await dragCard(page, 'Employment tribunal defence', 'Won');
  const won = page.getByRole('dialog', { name: 'Mark as won' });
  await expect(won).toBeVisible();
  await won.getByRole('button', { name: 'Mark as won' }).click();
  await expect(won).toBeHidden();
  await expectColumn(page, 'Won', 1, '£15,000');
  await expect(column(page, 'Won')).toContainText('Employment tribunal defence');

  // Lost asks why.
  await dragCard(page, 'Pension scheme audit', 'Lost');
  const lost = page.getByRole('dialog', { name: 'Mark as lost' });
  await expect(lost).toBeVisible();
  await lost.getByLabel('Lost reason').fill('Went with a competitor');
  await page.setViewportSize({ width: 1366, height: 768 });
  await saveScreenshot(page, 'deals-lost-dialog');
  await page.setViewportSize({ width: 2048, height: 900 });
  await lost.getByRole('button', { name: 'Mark as lost' }).click();
  await expect(lost).toBeHidden();
  await expectColumn(page, 'Lost', 1, '£8,500');
  await expectColumn(page, 'Lead', 0, '£0');

  const { items } = await hearth.call<{ items: Deal[] }>('deals.list', {
    filter: [{ field: 'title', op: 'eq', value: 'Pension scheme audit' }],
  });
  expect(items[0]?.status).toBe('lost');
  expect(items[0]?.lostReason).toBe('Went with a competitor');

  // The owner filter: a deal nobody owns shows for everyone, not among one owner's deals, columns and totals.
  const stages = await stagesByName(hearth);
  await hearth.call('deals.create', {
    title: 'Unowned retainer',
    stageId: stages['Lead']!.id,
    amount: 100_000,
    currency: 'GBP',
    ownerId: null,
  });
  await expectColumn(page, 'Lead', 1, '£1,000');
  const owner = page.getByRole('combobox', { name: 'Owner' });
  await owner.selectOption({ label: 'root' });
  await expectColumn(page, 'Lead', 0, '£0');
  await expectColumn(page, 'Won', 1, '£15,000');
  await expect(card(page, 'Unowned retainer')).toBeHidden();
  await page.reload();
  await expect(owner).toHaveValue(/.+/);
  await expectColumn(page, 'Lead', 0, '£0');
  await owner.selectOption({ label: 'Everyone’s deals' });
  await expectColumn(page, 'Lead', 1, '£1,000');
  await expect(card(page, 'Unowned retainer')).toBeVisible();

  await page.setViewportSize({ width: 1366, height: 768 });
  await page.mouse.move(0, 0);
  await saveScreenshot(page, 'deals-board-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await saveScreenshot(page, 'deals-board-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // The list: the same list as people's, over deals, with stage names and money; searchable by title.
  await page.getByRole('radio', { name: 'List' }).click();
  const harbour = page.getByRole('row', { name: /Harbour lease review/ });
  await expect(harbour).toContainText('Qualified');
  await expect(harbour).toContainText('£12,000.00');
  await expect(page.getByRole('row', { name: /Pension scheme audit/ })).toContainText('Lost');
  await page.getByRole('searchbox', { name: /Search deals/ }).fill('tribunal');
  await expect(page.getByRole('row', { name: /Employment tribunal defence/ })).toContainText('Won');
  await expect(harbour).toBeHidden();
  await page.getByRole('searchbox', { name: /Search deals/ }).fill('');
  await expect(harbour).toBeVisible();
  await saveScreenshot(page, 'deals-list');

  // The choice of view is remembered.
  await page.reload();
  await expect(page.getByRole('radio', { name: 'List' })).toHaveAttribute('aria-checked', 'true');
  await page.getByRole('radio', { name: 'Board' }).click();

  // Enter on a focused card opens the deal.
  await card(page, 'Probate for the Whitcombe estate').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'Probate for the Whitcombe estate' })).toBeVisible();
});

test("a deal's page moves it through the stages, closes and reopens it, and edits its fields", async ({
  page,
  hearth,
  signIn,
  saveScreenshot,
}) => {
  await useGbp(hearth);
  await seed(hearth);
  const { items } = await hearth.call<{ items: Deal[] }>('deals.list', {
    filter: [{ field: 'title', op: 'eq', value: 'Probate for the Whitcombe estate' }],
  });
  const deal = items[0]!;
  await signIn(page);
  await page.goto(`${new URL(page.url()).origin}/#/deals/${deal.id}`);
  await expect(page.getByRole('heading', { level: 2, name: 'Probate for the Whitcombe estate' })).toBeVisible();
  await expect(page.getByTestId('deal-amount')).toHaveText('£4,200.00');

  // The stepper shows where it is; a click moves it.
  const stepper = page.getByRole('list', { name: 'Stage' });
  await expect(stepper.getByRole('button', { name: 'Qualified' })).toHaveAttribute('aria-current', 'step');
  await stepper.getByRole('button', { name: 'Proposal' }).click();
  await expect(stepper.getByRole('button', { name: 'Proposal' })).toHaveAttribute('aria-current', 'step');
  await expect(page.getByRole('region', { name: 'Stage history' })).toContainText('Proposal');

  // Edit the amount in place.
  const details = page.getByRole('region', { name: 'Details' });
  await details.getByRole('button', { name: 'Edit amount' }).click();
  // An amount that does not read is refused where it is typed, and nothing is saved.
  await details.getByLabel('Amount', { exact: true }).fill('12x');
  await details.getByRole('button', { name: 'Save' }).click();
  await expect(details).toContainText('Enter an amount, like 1250.50');
  await expect(page.getByTestId('deal-amount')).toHaveText('£4,200.00');
  await details.getByLabel('Amount', { exact: true }).fill('5250');
  await details.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('deal-amount')).toHaveText('£5,250.00');

  // A note on its timeline.
  await page.getByRole('button', { name: 'Add a note' }).first().click();

  await page.mouse.move(0, 0);
  await saveScreenshot(page, 'deals-page');
  await page.emulateMedia({ colorScheme: 'dark' });
  await saveScreenshot(page, 'deals-page-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.keyboard.press('Escape');

  // Lost asks for a reason; reopening goes back to the last open stage.
  await page.getByRole('toolbar', { name: 'Close the deal' }).getByRole('button', { name: 'Lost' }).click();
  const lost = page.getByRole('dialog', { name: 'Mark as lost' });
  await lost.getByRole('button', { name: 'No budget' }).click();
  await lost.getByRole('button', { name: 'Mark as lost' }).click();
  await expect(page.getByTestId('deal-status')).toHaveText('Lost');
  await expect(page.getByText('Reason: No budget')).toBeVisible();
  await page.getByRole('button', { name: 'Reopen' }).click();
  await expect(page.getByTestId('deal-status')).toHaveText('Open');
  await expect(stepper.getByRole('button', { name: 'Proposal' })).toHaveAttribute('aria-current', 'step');

  // Delete puts it in the trash, and the page says so.
  await page.getByRole('button', { name: 'Delete Probate for the Whitcombe estate' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'In the trash' })).toBeVisible();
});

test('New deal adds a deal to the chosen stage of the board', async ({ page, hearth, signIn, saveScreenshot }) => {
  await useGbp(hearth);
  await hearth.call('companies.create', { name: 'Fenwick & Daughters' });
  await signIn(page);
  await page.goto(`${new URL(page.url()).origin}/#/deals`);
  await expect(page.getByText('No deals in Sales yet')).toBeVisible();

  await page.getByRole('button', { name: 'New deal' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New deal' });
  await dialog.getByLabel('Title').fill('Conveyancing for the Fenwick sale');
  await dialog.getByLabel('Amount').fill('2,750.50');
  await dialog.getByLabel('Stage').selectOption({ label: 'Proposal' });
  await dialog.getByLabel('Expected close').fill('2031-06-30');
  await dialog.getByLabel('Company').click();
  await dialog.getByLabel('Company').pressSequentially('fenwick');
  await page.getByRole('option', { name: /Fenwick & Daughters/ }).click();
  await saveScreenshot(page, 'deals-new-dialog');
  await dialog.getByRole('button', { name: 'Add deal' }).click();
  await expect(dialog).toBeHidden();

  await expectColumn(page, 'Proposal', 1, '£2,751');
  const created = card(page, 'Conveyancing for the Fenwick sale');
  await expect(created).toContainText('Fenwick & Daughters');
  await expect(created).toContainText('£2,750.50');

  // From a company's page, the header's New menu makes a deal linked to it, and opens it.
  const { items } = await hearth.call<{ items: Array<{ id: string }> }>('companies.list', {});
  await page.goto(`${new URL(page.url()).origin}/#/companies/${items[0]!.id}`);
  await expect(page.getByRole('heading', { level: 2, name: 'Fenwick & Daughters' })).toBeVisible();
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await page.getByRole('menuitem', { name: 'Deal' }).click();
  const fromCompany = page.getByRole('dialog', { name: 'New deal' });
  await expect(fromCompany.getByLabel('Company')).toHaveValue('Fenwick & Daughters');
  await fromCompany.getByLabel('Title').fill('Lease renewal');
  await fromCompany.getByRole('button', { name: 'Add deal' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Lease renewal' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Fenwick & Daughters' }).first()).toBeVisible();

  // The company's timeline shows its deals.
  await page.getByRole('link', { name: 'Fenwick & Daughters' }).first().click();
  await expect(page.getByRole('link', { name: 'Lease renewal' })).toBeVisible();
  await page.mouse.move(0, 0);
  await saveScreenshot(page, 'deals-company-timeline');
});
