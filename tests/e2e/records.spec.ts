// Record pages: creating people and companies from the New menu, the timeline's quick actions, editing in place,
// custom fields in the form, and two tabs saving the same person.
import type { Locator, Page } from '@playwright/test';
import type { HearthServer } from './fixtures/hearth-server.js';
import { expect, test } from './fixtures/test.js';

interface Person {
  id: string;
  version: number;
  firstName: string;
  lastName: string;
  title: string | null;
  emails: Array<{ address: string }>;
  companies: Array<{ companyId: string; name: string; role: string | null }>;
  custom: Record<string, unknown>;
}

interface Company {
  id: string;
  name: string;
}

async function useGbp(hearth: HearthServer): Promise<void> {
  await hearth.call('settings.update', {
    version: 1,
    patch: { firmName: 'Ashdown & Partners LLP', baseCurrency: 'GBP', phoneRegion: 'GB' },
  });
}

async function openRecord(page: Page, path: string, name: string): Promise<void> {
  await page.goto(`${new URL(page.url()).origin}/#${path}`);
  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
}

function timeline(page: Page): Locator {
  return page.getByRole('region', { name: 'Activity' });
}

function details(page: Page): Locator {
  return page.getByRole('region', { name: 'Details' });
}

/** Opens the header's New menu with its shortcut and picks an entry. */
async function startNew(page: Page, what: 'Person' | 'Company'): Promise<Locator> {
  await page.getByRole('heading', { level: 1 }).click();
  await page.keyboard.press('n');
  await page.getByRole('menuitem', { name: what }).click();
  const dialog = page.getByRole('dialog', { name: `New ${what.toLowerCase()}` });
  await expect(dialog).toBeVisible();
  return dialog;
}

test('a company and a person who works there are created from the New menu', async ({
  page,
  hearth,
  signIn,
  saveScreenshot,
}) => {
  await useGbp(hearth);
  await signIn(page);

  const companyForm = await startNew(page, 'Company');
  await companyForm.getByLabel('Name').fill('Acme Holdings Ltd');
  await companyForm.getByLabel('Industry').fill('Manufacturing');
  await companyForm.getByLabel('Domains', { exact: true }).fill('https://www.acme.co.uk/');
  await companyForm.getByLabel('Domains', { exact: true }).press('Enter');
  await expect(companyForm.getByRole('button', { name: 'Remove domain acme.co.uk' })).toBeVisible();
  await companyForm.getByRole('button', { name: 'Create company' }).click();

  await expect(page).toHaveURL(/#\/companies\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 2, name: 'Acme Holdings Ltd' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'People' })).toContainText('Nobody is linked');

  // "Add person" on the company page starts a person already linked to it.
  await page.getByRole('button', { name: 'Add person' }).click();
  const personForm = page.getByRole('dialog', { name: 'New person' });
  await expect(personForm.getByText('Acme Holdings Ltd')).toBeVisible();
  await personForm.getByRole('button', { name: 'Remove Acme Holdings Ltd' }).click();

  await personForm.getByLabel('First name').fill('Ada');
  await personForm.getByLabel('Last name').fill('Lovelace');
  await personForm.getByLabel('Email', { exact: true }).fill('ADA@acme.co.uk');
  await personForm.getByLabel('Job title').fill('Finance Director');
  // Linking a company the way a person does: search its name, pick it, say the role.
  await personForm.getByLabel('Companies').click();
  await personForm.getByLabel('Companies').pressSequentially('acme');
  await page.getByRole('option', { name: /Acme Holdings Ltd/ }).click();
  await personForm.getByLabel('Role at Acme Holdings Ltd').fill('CFO');
  await personForm.getByLabel('Tags', { exact: true }).fill('vip');
  await personForm.getByLabel('Tags', { exact: true }).press('Enter');
  await saveScreenshot(page, 'records-new-person');
  await personForm.getByRole('button', { name: 'Create person' }).click();

  await expect(page).toHaveURL(/#\/people\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 2, name: 'Ada Lovelace' })).toBeVisible();
  const companies = page.getByRole('region', { name: 'Companies' });
  await expect(companies.getByRole('link', { name: /Acme Holdings Ltd\s+CFO/ })).toBeVisible();
  await expect(details(page)).toContainText('ada@acme.co.uk');
  await saveScreenshot(page, 'records-person-created');

  await companies.getByRole('link', { name: /Acme Holdings Ltd/ }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Acme Holdings Ltd' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'People' }).getByRole('link', { name: /Ada Lovelace/ })).toBeVisible();
});

test('the core’s validation message shows on the input it is about', async ({ page, hearth, signIn }) => {
  await signIn(page);
  await hearth.call('fields.create', { entity: 'person', label: 'Budget', type: 'money' });
  const form = await startNew(page, 'Person');
  await form.getByLabel('First name').fill('Grace');
  await form.getByLabel('Email', { exact: true }).fill('grace-at-example');
  await form.getByLabel('Budget', { exact: true }).fill('12.345');
  await form.getByRole('button', { name: 'Create person' }).click();

  // Checked here before asking the core: an amount with too many decimals.
  const budget = form.getByLabel('Budget', { exact: true });
  await expect(budget).toHaveAttribute('aria-invalid', 'true');
  await budget.fill('12.50');
  await form.getByRole('button', { name: 'Create person' }).click();

  // Refused by the core at `emails.0.address`: the message sits under that email.
  const email = form.getByLabel('Email', { exact: true });
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(email).toHaveAccessibleDescription(/email/i);
  await expect(email).toBeFocused();
});

test('a call, a task and a note are added from the record page and shown on its timeline', async ({
  page,
  hearth,
  signIn,
  saveScreenshot,
}) => {
  await signIn(page);
  const ada = await hearth.call<Person>('people.create', { firstName: 'Ada', lastName: 'Lovelace' });
  await openRecord(page, `/people/${ada.id}`, 'Ada Lovelace');
  await expect(timeline(page)).toContainText('created this person');

  await page.getByRole('toolbar', { name: 'Quick actions' }).getByRole('button', { name: 'Log a call' }).click();
  const call = page.getByRole('form', { name: 'Log a call' });
  await call.getByLabel('Subject').fill('Year-end planning');
  await call.getByLabel('Outcome').selectOption('Connected');
  await call.getByLabel('Duration (minutes)').fill('25');
  await call.getByLabel('Notes').fill('Wants a payroll quote');
  await call.getByRole('button', { name: 'Log call' }).click();
  await expect(call).toBeHidden();
  const callEntry = timeline(page).getByRole('listitem').filter({ hasText: 'Year-end planning' });
  await expect(callEntry).toContainText('Connected');
  await expect(callEntry).toContainText('25 min');

  await page.getByRole('toolbar', { name: 'Quick actions' }).getByRole('button', { name: 'Add a task' }).click();
  const task = page.getByRole('form', { name: 'Add a task' });
  await task.getByLabel('Task').fill('Send the payroll quote');
  await task.getByLabel('Due').fill('2020-01-31');
  await task.getByRole('button', { name: 'Add task' }).click();
  const taskEntry = timeline(page).getByRole('listitem').filter({ hasText: 'Send the payroll quote' });
  await expect(taskEntry).toContainText('Overdue');

  await page.getByRole('toolbar', { name: 'Quick actions' }).getByRole('button', { name: 'Add a note' }).click();
  const note = page.getByRole('form', { name: 'Add a note' });
  await note
    .getByLabel('Note', { exact: true })
    .fill('**Budget** approved. See [the brief](https://example.com/brief)\n\n<b onclick="x()">raw</b>');
  await note.getByRole('tab', { name: 'Preview' }).click();
  await expect(note.locator('strong', { hasText: 'Budget' })).toBeVisible();
  await note.getByRole('button', { name: 'Add note' }).click();
  const noteEntry = timeline(page).getByRole('listitem').filter({ hasText: 'approved' });
  await expect(noteEntry.locator('strong', { hasText: 'Budget' })).toBeVisible();
  const link = noteEntry.getByRole('link', { name: 'the brief' });
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', /noopener/);
  // Raw HTML in a note is text, never markup.
  await expect(noteEntry).toContainText('<b onclick="x()">raw</b>');

  await taskEntry.getByRole('checkbox').check();
  await expect(taskEntry.getByRole('checkbox')).toBeChecked();
  await expect(taskEntry).not.toContainText('Overdue');
  await saveScreenshot(page, 'records-timeline');

  const linked = await hearth.call<{ items: Array<{ type: string }> }>('timeline.get', {
    entity: 'person',
    id: ada.id,
  });
  expect(linked.items.map((item) => item.type).sort()).toEqual(
    expect.arrayContaining(['activity', 'change', 'note', 'task']),
  );
  const tasks = await hearth.call<{ items: Array<{ title: string; done: boolean }> }>('tasks.list', {
    filter: [{ field: 'personId', op: 'eq', value: ada.id }],
  });
  expect(tasks.items).toEqual([expect.objectContaining({ title: 'Send the payroll quote', done: true })]);
});

test('a field edited in place saves just that field', async ({ page, hearth, signIn }) => {
  await signIn(page);
  const ada = await hearth.call<Person>('people.create', { firstName: 'Ada', lastName: 'Lovelace', title: 'Analyst' });
  await openRecord(page, `/people/${ada.id}`, 'Ada Lovelace');

  await details(page).getByRole('button', { name: 'Edit job title' }).click();
  const title = details(page).getByLabel('Job title');
  await expect(title).toBeFocused();
  await title.fill('Escape discards this');
  await title.press('Escape');
  await expect(details(page).getByRole('button', { name: 'Edit job title' })).toHaveAccessibleDescription('Analyst');

  await details(page).getByRole('button', { name: 'Edit job title' }).click();
  await details(page).getByLabel('Job title').fill('Finance Director');
  await details(page).getByLabel('Job title').press('Enter');
  await expect(details(page).getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();

  const saved = await hearth.call<Person>('people.get', { id: ada.id });
  expect(saved).toMatchObject({ title: 'Finance Director', version: ada.version + 1, firstName: 'Ada' });
  await page.reload();
  await expect(details(page).getByRole('button', { name: 'Edit job title' })).toHaveAccessibleDescription(
    'Finance Director',
  );
});

test('a custom field created with the API is filled in the new-person form', async ({ page, hearth, signIn }) => {
  await useGbp(hearth);
  await hearth.call('fields.create', { entity: 'person', label: 'Budget', type: 'money' });
  await hearth.call('fields.create', {
    entity: 'person',
    label: 'Services',
    type: 'multiSelect',
    options: [
      { value: 'tax', label: 'Tax' },
      { value: 'payroll', label: 'Payroll' },
    ],
  });
  await signIn(page);

  const form = await startNew(page, 'Person');
  await form.getByLabel('First name').fill('Grace');
  await form.getByLabel('Last name').fill('Hopper');
  await form.getByLabel('Budget', { exact: true }).fill('1,250.50');
  await form.getByRole('checkbox', { name: 'Payroll' }).click();
  await form.getByRole('button', { name: 'Create person' }).click();

  await expect(page.getByRole('heading', { level: 2, name: 'Grace Hopper' })).toBeVisible();
  await expect(details(page).getByRole('group', { name: 'Custom fields' })).toContainText('£1,250.50');
  await expect(details(page).getByRole('group', { name: 'Custom fields' })).toContainText('Payroll');

  const id = new URL(page.url()).hash.split('/').pop()!;
  const grace = await hearth.call<Person>('people.get', { id });
  expect(grace.custom).toEqual({ budget: { amount: 125050, currency: 'GBP' }, services: ['payroll'] });
});

test('two tabs editing the same person: the later save shows both versions and a merge keeps both edits', async ({
  page,
  context,
  hearth,
  signIn,
  saveScreenshot,
}) => {
  await signIn(page);
  const ada = await hearth.call<Person>('people.create', { firstName: 'Ada', lastName: 'Byron', title: 'Analyst' });
  const other = await context.newPage();
  await other.goto(new URL(page.url()).origin);
  await openRecord(page, `/people/${ada.id}`, 'Ada Byron');
  await openRecord(other, `/people/${ada.id}`, 'Ada Byron');
  await expect(other.getByRole('contentinfo', { name: 'Status' }).getByRole('status')).toHaveText(/Live/);

  // The second tab starts editing the last name…
  await details(other).getByRole('button', { name: 'Edit last name' }).click();
  await details(other).getByLabel('Last name').fill('Lovelace');

  // …while the first saves a new job title.
  await details(page).getByRole('button', { name: 'Edit job title' }).click();
  await details(page).getByLabel('Job title').fill('Countess');
  await details(page).getByLabel('Job title').press('Enter');
  await expect(details(page).getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();

  await expect(details(other).getByRole('status').filter({ hasText: 'Changed elsewhere' })).toBeVisible();
  await details(other).getByLabel('Last name').press('Enter');

  const resolver = other.getByRole('alertdialog', { name: /Someone else changed/ });
  await expect(resolver).toBeVisible();
  const lastNameRow = resolver.getByRole('row', { name: /Last name/ });
  await expect(lastNameRow).toContainText('Lovelace');
  await expect(lastNameRow).toContainText('Byron');
  await expect(resolver.getByRole('row', { name: /Job title/ })).toContainText('Countess');
  await resolver.getByText('Merge field by field').click();
  await saveScreenshot(other, 'records-conflict');
  await resolver.getByRole('button', { name: 'Save merged version' }).click();
  await expect(resolver).toBeHidden();

  await expect(other.getByRole('heading', { level: 2, name: 'Ada Lovelace' })).toBeVisible();
  await expect(details(other).getByRole('button', { name: 'Edit job title' })).toHaveAccessibleDescription('Countess');
  // The first tab follows live.
  await expect(page.getByRole('heading', { level: 2, name: 'Ada Lovelace' })).toBeVisible();
  const saved = await hearth.call<Person>('people.get', { id: ada.id });
  expect(saved).toMatchObject({ lastName: 'Lovelace', title: 'Countess' });
});

test('deleting a person moves it to the trash, with undo and a restore banner', async ({ page, hearth, signIn }) => {
  await signIn(page);
  const ada = await hearth.call<Person>('people.create', { firstName: 'Ada', lastName: 'Lovelace' });
  await openRecord(page, `/people/${ada.id}`, 'Ada Lovelace');

  await page.getByRole('button', { name: 'Delete Ada Lovelace' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'In the trash' })).toBeVisible();
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'In the trash' })).toBeHidden();
  expect((await hearth.call<{ deletedAt: number | null }>('people.get', { id: ada.id })).deletedAt).toBeNull();

  await page.getByRole('button', { name: 'Delete Ada Lovelace' }).click();
  const banner = page.getByRole('status').filter({ hasText: 'In the trash' });
  await banner.getByRole('button', { name: 'Restore' }).click();
  await expect(banner).toBeHidden();
  await expect(page.getByRole('toolbar', { name: 'Quick actions' })).toBeVisible();
});

test('a record that does not exist shows a friendly not-found page', async ({ page, signIn }) => {
  await signIn(page);
  await page.goto(`${new URL(page.url()).origin}/#/companies/01900000-0000-7000-8000-000000000000`);
  await expect(page.getByRole('heading', { name: "This company isn't here" })).toBeVisible();
  await page.getByRole('link', { name: 'Back to companies' }).click();
  await expect(page).toHaveURL(/#\/companies$/);
});

const sizes = [
  { name: '1366x768', width: 1366, height: 768 },
  { name: '1920x1080', width: 1920, height: 1080 },
] as const;

for (const scheme of ['light', 'dark'] as const) {
  for (const size of sizes) {
    test.describe(`record pages ${scheme} ${size.name}`, () => {
      test.use({ colorScheme: scheme, viewport: { width: size.width, height: size.height } });

      test('screenshots', async ({ page, hearth, signIn, saveScreenshot }) => {
        await useGbp(hearth);
        await hearth.call('fields.create', { entity: 'person', label: 'Budget', type: 'money' });
        const acme = await hearth.call<Company>('companies.create', {
          name: 'Acme Holdings Ltd',
          domains: ['acme.co.uk'],
          industry: 'Manufacturing',
          size: '51-200',
          tags: ['key account'],
        });
        const ada = await hearth.call<Person>('people.create', {
          firstName: 'Ada',
          lastName: 'Lovelace',
          title: 'Finance Director',
          emails: [{ address: 'ada@acme.co.uk', label: 'work' }],
          phones: [{ number: '020 7946 0018', label: 'office' }],
          companies: [{ companyId: acme.id, role: 'CFO' }],
          lifecycleStage: 'customer',
          tags: ['vip', 'newsletter'],
          address: { street: '12 Park Row', city: 'Leeds', postalCode: 'LS1 5HD', country: 'GB' },
          custom: { budget: { amount: 1250000, currency: 'GBP' } },
        });
        await hearth.call('people.create', {
          firstName: 'Charles',
          lastName: 'Babbage',
          companies: [{ companyId: acme.id, role: 'COO' }],
        });
        const hour = 3_600_000;
        await hearth.call('activities.create', {
          kind: 'call',
          subject: 'Year-end planning',
          outcome: 'Connected',
          durationMinutes: 25,
          occurredAt: Date.now() - 3 * hour,
          body: 'Wants to move payroll to us from **April**.',
          personIds: [ada.id],
        });
        await hearth.call('notes.create', {
          body: '## Review\n\n- Happy with the audit turnaround\n- Asked about **R&D tax credits**',
          personIds: [ada.id],
        });
        await hearth.call('tasks.create', {
          title: 'Chase the engagement letter',
          dueAt: Date.now() - 48 * hour,
          personIds: [ada.id],
        });
        await hearth.call('people.update', { id: ada.id, version: ada.version, patch: { title: 'CFO' } });
        await signIn(page);

        const shot = (name: string) => `records-${name}-${scheme}-${size.name}`;
        await openRecord(page, `/people/${ada.id}`, 'Ada Lovelace');
        await expect(timeline(page)).toContainText('Chase the engagement letter');
        await saveScreenshot(page, shot('person'));

        await details(page).getByRole('button', { name: 'Edit email' }).click();
        await saveScreenshot(page, shot('person-editing'));
        await page.keyboard.press('Escape');

        await openRecord(page, `/companies/${acme.id}`, 'Acme Holdings Ltd');
        await expect(page.getByRole('region', { name: 'People' })).toContainText('Charles Babbage');
        await saveScreenshot(page, shot('company'));

        await page.keyboard.press('n');
        await page.getByRole('menuitem', { name: 'Person' }).click();
        await expect(
          page.getByRole('dialog', { name: 'New person' }).getByLabel('Budget', { exact: true }),
        ).toBeVisible();
        await saveScreenshot(page, shot('new-person'));
      });
    });
  }
}
