// The desktop first run without Electron: the built renderer in Chromium, served as app:// serves it (same
// CSP), with window.hearth wired to the real desktop core. It guards the renderer's side of the bridge
// where the Electron end-to-end test cannot run.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler } from '../../electron/app-protocol.js';
import { createDesktopCore, type DesktopCore } from '../../electron/desktop-core.js';
import { fakeSafeStorage } from '../../electron/keys/safe-storage.fake.js';
import { ROOT } from '../../scripts/start-electron.mjs';

const CHROMIUM = process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium';
const RENDERER = join(ROOT, 'dist', 'renderer');
const skipReason = !existsSync(CHROMIUM)
  ? `Chromium is not installed at ${CHROMIUM} (apt-get install chromium, or set HEARTH_CHROMIUM)`
  : !existsSync(join(RENDERER, 'index.html'))
    ? 'the renderer is not built (npm run build)'
    : null;
if (skipReason) console.log(`Skipping the desktop flow test: ${skipReason}.`);

const ORIGIN = 'http://hearth.localhost';
const PASSPHRASE = 'a long and memorable passphrase';
const SCREENSHOTS = join(ROOT, 'test-results', 'electron');

describe.skipIf(skipReason !== null)('the desktop flow in Chromium', () => {
  let browser: Browser;
  let temp: string;

  beforeAll(async () => {
    temp = mkdtempSync(join(tmpdir(), 'hearth-flow-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    if (temp) rmSync(temp, { recursive: true, force: true });
  });

  /** A window as Electron would show it: app files with the app's headers, and the preload's bridge. */
  async function openWindow(core: DesktopCore): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    const serve = createAppProtocolHandler(RENDERER);
    await page.route(`${ORIGIN}/**`, async (route) => {
      const url = route.request().url().replace(ORIGIN, 'app://hearth');
      const response = await serve(new Request(url));
      await route.fulfill({
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: Buffer.from(await response.arrayBuffer()),
      });
    });
    await page.exposeFunction('__hearthCall', (procedure: string, input: unknown) => core.call(procedure, input));
    await page.addInitScript(() => {
      const page = globalThis as unknown as {
        __hearthCall: (procedure: string, input: unknown) => Promise<unknown>;
        hearth: unknown;
      };
      page.hearth = Object.freeze({
        call: (procedure: string, input: unknown) => page.__hearthCall(procedure, input),
        onEvent: () => () => {},
      });
    });
    await page.goto(`${ORIGIN}/index.html`);
    return { page, problems };
  }

  function core(): DesktopCore {
    return createDesktopCore({
      dataDir: join(temp, 'data'),
      safeStorage: fakeSafeStorage(),
      purpose: 'the Hearth desktop app',
      platform: 'linux',
      onEvent: () => {},
    });
  }

  it('sets up with a passphrase, reaches the shell, and unlocks after a restart', async () => {
    const first = core();
    const { page, problems } = await openWindow(first);
    try {
      await page.getByRole('heading', { name: 'Welcome to Hearth' }).waitFor();
      await page.getByRole('radio', { name: /A passphrase/ }).click();
      await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
      await page.getByLabel('Type it again').fill(PASSPHRASE);
      await page.getByRole('button', { name: /Create encrypted workspace/ }).click();
      await page.getByRole('heading', { name: 'Name your workspace' }).waitFor({ timeout: 30_000 });
      await page.getByRole('button', { name: 'Skip for now' }).click();
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      await page.screenshot({ path: join(SCREENSHOTS, 'desktop-flow-shell.png') });
    } finally {
      await page.close();
      await first.close();
    }
    expect(problems).toEqual([]);

    const second = core();
    const reopened = await openWindow(second);
    try {
      await reopened.page.getByRole('heading', { name: 'Unlock Hearth' }).waitFor();
      await reopened.page.getByLabel('Passphrase', { exact: true }).fill('not the passphrase');
      await reopened.page.getByRole('button', { name: 'Unlock' }).click();
      await reopened.page.getByText(/doesn't unlock this workspace/).waitFor({ timeout: 30_000 });
      await reopened.page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
      await reopened.page.getByRole('button', { name: 'Unlock' }).click();
      await reopened.page.getByRole('navigation', { name: 'Main' }).waitFor({ timeout: 30_000 });
      await reopened.page.screenshot({ path: join(SCREENSHOTS, 'desktop-flow-unlocked.png') });
    } finally {
      await reopened.page.close();
      await second.close();
    }
    expect(reopened.problems).toEqual([]);
  }, 120_000);
});
