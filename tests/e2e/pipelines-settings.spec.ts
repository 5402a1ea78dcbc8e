// Settings → Pipelines, Automations and Currency, driven the way a person uses them, checked through the API.
import type { Page } from '@playwright/test';
import type { AutomationRule, Deal, ExchangeRate, Pipeline } from '../../src/deals/types.js';
import { expect, test } from './fixtures/test.js';

/** Saves the screen in light and in dark, so both can be looked at. */
async function shootBoth(page: Page, save: (page: Page, name: string) => Promise<void>, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await save(page, `${name}-${colorScheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function openSection(page: Page, name: string): Promise<void> {
  await page.getByRole('link', { name: /Settings/ }).click();
  await page.getByRole('tab', { name }).click();
}

test('a stage added to "Sales" in Settings is stored, and a stage without a name is refused inline', async ({
  page,
  hearth,
  signIn,
  saveScreenshot,
}) => {
  await signIn(page);
  await openSection(page, 'Pipelines');
  await expect(page.getByRole('list', { name: 'Pipelines' })).toContainText('Sales');
  await shootBoth(page, saveScreenshot, 'settings-pipelines');

  await page.getByRole('button', { name: 'Edit “Sales”' }).click();
  const editor = page.getByRole('form', { name: 'Pipeline Sales' });
  await editor.getByRole('button', { name: 'Add stage' }).click();
  // New stages go before the closed ones: after Negotiation, the fourth open stage.
  const name = editor.getByLabel('Name of stage 5');
  await expect(name).toBeFocused();
  await name.fill('Contract sent');
  await editor.getByLabel('Probability of “Contract sent”, percent').fill('90');

  // The keyboard way of reordering: move it above Negotiation and back again.
  await editor.getByRole('button', { name: 'Move “Contract sent” up' }).click();
  await expect(editor.getByLabel('Name of stage 4')).toHaveValue('Contract sent');
  await expect(editor.getByRole('button', { name: 'Move “Contract sent” up' })).toBeFocused();
  await editor.getByRole('button', { name: 'Move “Contract sent” down' }).click();
  await expect(editor.getByLabel('Name of stage 5')).toHaveValue('Contract sent');

  // A problem shows at its row.
  await editor.getByLabel('Name of stage 1').fill('');
  await editor.getByRole('button', { name: 'Save pipeline' }).click();
  await expect(editor.getByLabel('Name of stage 1')).toHaveAttribute('aria-invalid', 'true');
  await expect(editor.getByLabel('Name of stage 1')).toHaveAccessibleDescription('A stage needs a name.');
  await shootBoth(page, saveScreenshot, 'settings-pipeline-editor-error');
  await editor.getByLabel('Name of stage 1').fill('Lead');

  await shootBoth(page, saveScreenshot, 'settings-pipeline-editor');
  await editor.getByRole('button', { name: 'Save pipeline' }).click();
  await expect(page.getByText('Pipeline saved')).toBeVisible();

  const { items } = await hearth.call<{ items: Pipeline[] }>('pipelines.list', {});
  const sales = items.find((pipeline) => pipeline.name === 'Sales')!;
  expect(sales.stages.map((stage) => [stage.name, stage.probability, stage.kind])).toEqual([
    ['Lead', 10, 'open'],
    ['Qualified', 25, 'open'],
    ['Proposal', 50, 'open'],
    ['Negotiation', 75, 'open'],
    ['Contract sent', 90, 'open'],
    ['Won', 100, 'won'],
    ['Lost', 0, 'lost'],
  ]);
  expect(sales.version).toBe(2);
});

test('removing a stage that holds deals is refused by the core, and a stale save asks whose version to keep', async ({
  page,
  hearth,
  signIn,
  saveScreenshot,
}) => {
  // New deals start in the first stage, Lead.
  await hearth.call<Deal>('deals.create', { title: 'Quayside fit-out' });
  await signIn(page);
  await openSection(page, 'Pipelines');
  await page.getByRole('button', { name: 'Edit “Sales”' }).click();
  const editor = page.getByRole('form', { name: 'Pipeline Sales' });

  await editor.getByRole('button', { name: 'Remove “Lead”' }).click();
  await editor.getByRole('button', { name: 'Save pipeline' }).click();
  await expect(editor.getByRole('alert')).toContainText(/Lead.*still holds 1 deal/);
  await editor.getByRole('button', { name: 'Discard' }).click();
  await expect(editor.getByLabel('Name of stage 1')).toHaveValue('Lead');

  // Someone renames the pipeline while this form is open.
  const { items } = await hearth.call<{ items: Pipeline[] }>('pipelines.list', {});
  const sales = items[0]!;
  await hearth.call('pipelines.update', { id: sales.id, version: sales.version, patch: { name: 'Sales EU' } });

  await editor.getByLabel('Name of stage 2').fill('Qualified lead');
  await editor.getByRole('button', { name: 'Save pipeline' }).click();
  const conflict = page.getByRole('alertdialog', { name: 'Someone else changed this pipeline' });
  await expect(conflict).toContainText('Sales EU');
  await shootBoth(page, saveScreenshot, 'settings-pipeline-conflict');
  await conflict.getByRole('button', { name: 'Overwrite with mine' }).click();
  await expect(page.getByText('Pipeline saved')).toBeVisible();

  const after = (await hearth.call<{ items: Pipeline[] }>('pipelines.list', {})).items[0]!;
  // Their rename stays (this form didn't touch the name); the stage rename is ours.
  expect(after.name).toBe('Sales EU');
  expect(after.stages.map((stage) => stage.name)).toEqual([
    'Lead',
    'Qualified lead',
    'Proposal',
    'Negotiation',
    'Won',
    'Lost',
  ]);
});

test('a new pipeline starts with the usual stages, and can be archived and brought back', async ({
  page,
  hearth,
  signIn,
  saveScreenshot,
}) => {
  await signIn(page);
  await openSection(page, 'Pipelines');
  await page.getByRole('button', { name: 'New pipeline' }).click();
  const editor = page.getByRole('form', { name: 'New pipeline' });
  await expect(editor.getByLabel('Name of stage 6')).toHaveValue('Lost');
  await editor.getByLabel('Pipeline name').fill('Renewals');
  await editor.getByRole('button', { name: 'Remove “Qualified”' }).click();
  await shootBoth(page, saveScreenshot, 'settings-pipeline-new');
  await editor.getByRole('button', { name: 'Create pipeline' }).click();
  await expect(page.getByText('Pipeline created')).toBeVisible();

  const created = (await hearth.call<{ items: Pipeline[] }>('pipelines.list', {})).items.find(
    (pipeline) => pipeline.name === 'Renewals',
  )!;
  expect(created.stages.map((stage) => stage.name)).toEqual(['Lead', 'Proposal', 'Negotiation', 'Won', 'Lost']);

  await page.getByRole('button', { name: 'All pipelines' }).click();
  await page.getByRole('button', { name: 'Archive “Renewals”' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Archive pipeline' }).click();
  await expect(page.getByRole('list', { name: 'Archived pipelines' })).toContainText('Renewals');
  await shootBoth(page, saveScreenshot, 'settings-pipelines-archived');
  await expect
    .poll(async () => {
      const { items } = await hearth.call<{ items: Pipeline[] }>('pipelines.list', { includeArchived: true });
      return items.find((pipeline) => pipeline.id === created.id)?.archivedAt ?? null;
    })
    .not.toBeNull();

  await page.getByRole('button', { name: 'Restore “Renewals”' }).click();
  await expect(page.getByRole('list', { name: 'Pipelines', exact: true })).toContainText('Renewals');
  await expect(page.getByRole('list', { name: 'Archived pipelines' })).toBeHidden();
});

test('a rule "when a deal is won, create the task Send invoice due in 3 days" runs when a deal is moved to Won', async ({
  page,
  hearth,
  signIn,
  saveScreenshot,
}) => {
  await signIn(page);
  await openSection(page, 'Automations');
  await expect(page.getByText('No rules in “Sales” yet')).toBeVisible();

  await page.getByRole('button', { name: 'Add rule' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add a rule' });
  await dialog.getByLabel('When a deal').selectOption('won');
  await dialog.getByLabel('Then').selectOption('createTask');
  await dialog.getByLabel('Task title').fill('Send invoice');
  await dialog.getByLabel('Due in (days)').fill('3');
  await expect(dialog).toContainText('When a deal is won, create the task “Send invoice” due in 3 days for the owner');
  await shootBoth(page, saveScreenshot, 'settings-automation-dialog');
  await dialog.getByRole('button', { name: 'Add rule' }).click();
  await expect(dialog).toBeHidden();

  const rules = page.getByRole('list', { name: 'Rules in “Sales”' });
  await expect(rules).toContainText('When a deal is won, create the task “Send invoice” due in 3 days for the owner');
  await expect(rules.getByRole('switch')).toBeChecked();

  const stored = await hearth.call<{ items: AutomationRule[] }>('automations.list', {});
  expect(stored.items).toMatchObject([
    {
      trigger: 'won',
      stageId: null,
      enabled: true,
      action: { type: 'createTask', title: 'Send invoice', dueInDays: 3 },
    },
  ]);

  const { items } = await hearth.call<{ items: Pipeline[] }>('pipelines.list', {});
  const won = items[0]!.stages.find((stage) => stage.kind === 'won')!;
  const deal = await hearth.call<Deal>('deals.create', { title: 'Harbour Street renewal', amount: 120000 });
  await hearth.call('deals.move', { id: deal.id, version: deal.version, stageId: won.id });

  const tasks = await hearth.call<{ items: { title: string; dueAt: number | null; dealIds?: string[] }[] }>(
    'tasks.list',
    {},
  );
  const invoice = tasks.items.find((task) => task.title === 'Send invoice');
  expect(invoice).toBeDefined();
  expect(invoice!.dueAt).not.toBeNull();
  const days = (invoice!.dueAt! - Date.now()) / 86_400_000;
  expect(days).toBeGreaterThan(2);
  expect(days).toBeLessThan(4);

  // A rule on entering a stage that sets a field, and one that adds a tag.
  await page.getByRole('button', { name: 'Add rule' }).first().click();
  await dialog.getByLabel('When a deal').selectOption('enter');
  await dialog.getByLabel('Stage').selectOption({ label: 'Proposal' });
  await dialog.getByLabel('Then').selectOption('setField');
  await dialog.getByLabel('Field').selectOption('probability');
  await dialog.getByLabel('Value').fill('60');
  await expect(dialog).toContainText('When a deal enters “Proposal”, set probability to 60%');
  await shootBoth(page, saveScreenshot, 'settings-automation-dialog-field');
  await dialog.getByRole('button', { name: 'Add rule' }).click();
  await expect(dialog).toBeHidden();
  await expect(rules.getByRole('listitem')).toHaveCount(2);

  // Turned off, it stays listed but greyed.
  await rules.getByRole('switch').first().click();
  await expect(rules.getByRole('switch').first()).not.toBeChecked();
  await expect
    .poll(async () => (await hearth.call<{ items: AutomationRule[] }>('automations.list', {})).items[0]!.enabled)
    .toBe(false);
  await shootBoth(page, saveScreenshot, 'settings-automations');

  // Rules run in the order shown; the second is moved up with its button, and focus stays on the moved rule.
  const earlier = rules.getByRole('button', { name: /^Run “When a deal enters “Proposal”.*” earlier$/ });
  await earlier.click();
  await expect(rules.getByRole('listitem').first()).toContainText('When a deal enters “Proposal”');
  await expect(rules.getByRole('button', { name: /^Run “When a deal enters “Proposal”.*” later$/ })).toBeFocused();
  const order = (await hearth.call<{ items: AutomationRule[] }>('automations.list', {})).items.map((r) => r.trigger);
  expect(order).toEqual(['enter', 'won']);
});

test('a USD rate added in Settings is stored and marked as the rate in force today', async ({
  page,
  hearth,
  signIn,
  saveScreenshot,
}) => {
  await signIn(page);
  await openSection(page, 'Currency');
  await expect(page.getByText('No exchange rates yet')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Base currency' })).toContainText('EUR');

  await page.getByRole('button', { name: 'Add rate' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add an exchange rate' });
  const currency = dialog.getByLabel('Currency');
  await currency.click();
  await currency.pressSequentially('USD');
  await page.getByRole('option', { name: /US Dollar/ }).click();
  await dialog.getByLabel('Rate').fill('0.92');
  await expect(dialog).toContainText('1 USD =');
  await shootBoth(page, saveScreenshot, 'settings-rate-dialog');
  await dialog.getByRole('button', { name: 'Add rate' }).click();
  await expect(dialog).toBeHidden();

  // An older rate of the same currency, set from outside: the table groups both and marks today's.
  await hearth.call('rates.set', { currency: 'USD', effectiveDate: '2020-01-01', rate: '0.95' });
  await hearth.call('rates.set', { currency: 'GBP', effectiveDate: '2020-01-01', rate: '1.16' });
  await hearth.call('rates.set', { currency: 'GBP', effectiveDate: '2099-01-01', rate: '1.2' });
  const table = page.getByRole('table', { name: /Exchange rates/ });
  await expect(table.getByRole('row')).toHaveCount(5);
  const today = new Date().toISOString().slice(0, 10);
  const current = table.locator(`[data-rate-row="USD ${today}"]`);
  await expect(current).toContainText('1 USD = 0.92 EUR');
  await expect(current).toContainText('In force today');
  await expect(table.locator('[data-rate-row="GBP 2099-01-01"]')).toContainText('Scheduled');
  await shootBoth(page, saveScreenshot, 'settings-currency');

  const { baseCurrency, items } = await hearth.call<{ baseCurrency: string; items: ExchangeRate[] }>('rates.list', {});
  expect(baseCurrency).toBe('EUR');
  expect(items.find((rate) => rate.currency === 'USD' && rate.effectiveDate === today)).toMatchObject({ rate: '0.92' });

  // Delete asks first.
  await table.getByRole('button', { name: 'Delete the USD rate of 2020-01-01' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete rate' }).click();
  await expect(table.getByRole('row')).toHaveCount(4);
});
